package web

import (
	"context"
	"time"
)

// Limiter counts requests per key across replicas, for the web chat's
// and the console's limits; *redisstore.RateLimiter is the Limiter of a
// real server.
type Limiter interface {
	// Allow counts one request of key and reports whether it is within
	// n per period, and if not, how long until it would be.
	Allow(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error)
}

// Limit is N requests (messages, sign-in tries) per Period.
type Limit struct {
	N      int
	Period time.Duration
}
