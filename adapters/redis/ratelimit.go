package redisstore

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
)

// RateLimiter counts requests per key in Redis with the generic cell rate
// algorithm of redis_rate, so a limit holds across every replica.
type RateLimiter struct {
	lim    *redis_rate.Limiter
	prefix string
}

// NewRateLimiter returns a limiter whose keys live under the store's
// prefix.
func (s *Store) NewRateLimiter() *RateLimiter {
	return &RateLimiter{lim: redis_rate.NewLimiter(s.rdb), prefix: s.prefix + "rate:"}
}

// Allow takes one request of key under a limit of n per period with a
// burst of n. It reports whether the request may go on and, when not,
// how long until it may.
func (r *RateLimiter) Allow(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error) {
	res, err := r.lim.Allow(ctx, r.prefix+key, redis_rate.Limit{Rate: n, Burst: n, Period: period})
	if err != nil {
		return false, 0, storeError("rate limit", err)
	}
	return res.Allowed > 0, res.RetryAfter, nil
}
