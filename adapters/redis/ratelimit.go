package redisstore

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/bot"
)

// RateLimit is one limit a request counts against: N requests per
// Period, with a burst of N, counted under Key.
type RateLimit struct {
	Key    string
	N      int
	Period time.Duration
}

// rateLua takes one request under several limits at once with the
// generic cell rate algorithm (GCRA): each key holds the theoretical
// arrival time (TAT) of its next request, in microseconds of the
// server's clock, so that every replica counts against one clock. A
// request is let through when, for every limit, its new TAT minus the
// limit's period is not after now; then every key moves on by its
// interval (period / N) and expires when it no longer holds back
// anything. When any limit refuses, no key changes: a refused request
// counts against none of its limits.
//
//	KEYS: one per limit
//	ARGV: per limit, its interval and its period, in microseconds
//
// It returns 0 when the request may go on, else the microseconds to wait
// until it may.
const rateLua = `
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local stored = redis.call('MGET', unpack(KEYS))
local tats = {}
local wait = 0
for i = 1, #KEYS do
  local interval, period = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local tat = tonumber(stored[i] or 0) or 0
  if tat < now then
    tat = now
  end
  tats[i] = tat + interval
  local allowAt = tats[i] - period
  if allowAt > now and allowAt - now > wait then
    wait = allowAt - now
  end
end
if wait > 0 then
  return math.ceil(wait)
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000))
end
return 0
`

var rateScript = redis.NewScript(rateLua)

// rateRefundLua gives back one request a limit took: its key moves back
// by the limit's interval, and goes when it no longer holds back
// anything. Requests taken meanwhile keep what they moved it on by.
//
//	KEYS: the limit's key
//	ARGV: its interval, in microseconds
const rateRefundLua = `
local tat = tonumber(redis.call('GET', KEYS[1]) or 0) or 0
if tat == 0 then
  return 0
end
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
tat = tat - tonumber(ARGV[1])
if tat <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000))
end
return 0
`

var rateRefundScript = redis.NewScript(rateRefundLua)

// RateLimiter counts requests per key in Redis with GCRA, so that a limit
// holds across every replica. Its keys live under the store's prefix.
type RateLimiter struct {
	store   *Store
	batch   *Batcher
	prefix  string
	cluster bool
}

// NewRateLimiter returns a limiter whose keys live under the store's
// prefix.
func (s *Store) NewRateLimiter() *RateLimiter {
	_, cluster := s.rdb.(*redis.ClusterClient)
	return &RateLimiter{store: s, batch: s.batch, prefix: s.prefix + "rate:", cluster: cluster}
}

// Allow takes one request of key under a limit of n per period with a
// burst of n. It reports whether the request may go on and, when not,
// how long until it may.
func (r *RateLimiter) Allow(ctx context.Context, key string, n int, period time.Duration) (bool, time.Duration, error) {
	return r.AllowAll(ctx, RateLimit{Key: key, N: n, Period: period})
}

// AllowAll takes one request under every limit given, in one round trip.
// It reports whether every limit lets it through and, when one does not,
// how long until all would. A refused request counts against none of
// its limits. On one server (or Sentinel) the limits are taken in one
// script. On Redis Cluster the keys of the limits lie in different
// slots, so each limit is taken by its own script, in one pipeline, and
// the limits that let a refused request through are given it back in a
// second round trip, which only a refusal costs.
func (r *RateLimiter) AllowAll(ctx context.Context, limits ...RateLimit) (bool, time.Duration, error) {
	if len(limits) == 0 {
		return true, 0, nil
	}
	t := r.take(ctx, limits)
	if err := r.batch.Do(ctx, t.cmds...); err != nil {
		return false, 0, storeError("rate limit", err)
	}
	return r.result(ctx, t)
}

// Limited is what a rate limit said of a request taken in another
// call's round trip (LoadLimited): OK, or the wait until it would be;
// Err when the limiter failed, which says nothing of the request.
type Limited struct {
	OK   bool
	Wait time.Duration
	Err  error
}

// LoadLimited takes one request under limits in the round trip that
// loads key's conversation for deliveryID (Store.Load), for a channel
// that then runs the turn with Engine.ProcessLoaded: a turn's limits
// cost no round trip of their own. When a limit refuses, the request
// counts against none (as with AllowAll), and the snapshot is of no use.
// The error is the load's; the limiter's is in Limited.
func (r *RateLimiter) LoadLimited(ctx context.Context, key bot.Key, deliveryID string, limits ...RateLimit) (bot.Snapshot, Limited, error) {
	if len(limits) == 0 {
		snap, err := r.store.Load(ctx, key, deliveryID)
		return snap, Limited{OK: true}, err
	}
	t := r.take(ctx, limits)
	snap, err := r.store.LoadWith(ctx, key, deliveryID, t.cmds...)
	if err != nil {
		return bot.Snapshot{}, Limited{}, err
	}
	ok, wait, lerr := r.result(ctx, t)
	return snap, Limited{OK: ok, Wait: wait, Err: lerr}, nil
}

// rateTake is a request taken under limits: the commands to send, in a
// batch of their own or with another call's. More than one command is a
// script per limit, as on a Cluster.
type rateTake struct {
	limits []RateLimit
	cmds   []redis.Cmder
}

// take prepares the commands that take a request under limits: one
// script for all on one server; on a Cluster, where the limits' keys lie
// in different slots, a script per limit, whose pipeline the Cluster
// client splits by slot. A node that has not cached the script answers
// NOSCRIPT, having counted nothing, and the batcher takes those limits
// again by the script's source.
func (r *RateLimiter) take(ctx context.Context, limits []RateLimit) rateTake {
	if !r.cluster || len(limits) == 1 {
		keys, args := r.scriptArgs(limits)
		return rateTake{limits: limits, cmds: []redis.Cmder{evalShaCmd(ctx, rateScript, keys, args...)}}
	}
	cmds := make([]redis.Cmder, len(limits))
	for i, l := range limits {
		keys, args := r.scriptArgs([]RateLimit{l})
		cmds[i] = evalShaCmd(ctx, rateScript, keys, args...)
	}
	return rateTake{limits: limits, cmds: cmds}
}

// result reads what the commands of t answered. With a script per
// limit, when some limit refused, the others that took the request give
// it back. Between the two round trips a request of another replica may
// find such a limit fuller than it is, and be refused early; never late.
func (r *RateLimiter) result(ctx context.Context, t rateTake) (bool, time.Duration, error) {
	var wait int64
	for _, c := range t.cmds {
		w, err := c.(*redis.Cmd).Int64()
		if err != nil {
			return false, 0, storeError("rate limit", err)
		}
		wait = max(wait, w)
	}
	if wait > 0 && len(t.cmds) > 1 {
		if err := r.refund(ctx, t.limits, t.cmds); err != nil {
			return false, 0, err
		}
	}
	return wait == 0, time.Duration(wait) * time.Microsecond, nil
}

// refund gives the request back to each limit whose command in taken let
// it through.
func (r *RateLimiter) refund(ctx context.Context, limits []RateLimit, taken []redis.Cmder) error {
	var back []redis.Cmder
	for i, c := range taken {
		if w, _ := c.(*redis.Cmd).Int64(); w == 0 {
			keys, args := r.scriptArgs(limits[i : i+1])
			back = append(back, evalShaCmd(ctx, rateRefundScript, keys, args[0]))
		}
	}
	if len(back) == 0 {
		return nil
	}
	if err := r.batch.Do(ctx, back...); err != nil {
		return storeError("rate limit refund", err)
	}
	return nil
}

// scriptArgs gives rateLua's keys and arguments for limits. A limit of no
// requests or no period counts as one request per period.
func (r *RateLimiter) scriptArgs(limits []RateLimit) ([]string, []any) {
	keys := make([]string, len(limits))
	args := make([]any, 0, 2*len(limits))
	for i, l := range limits {
		keys[i] = r.prefix + l.Key
		period := max(l.Period.Microseconds(), 1)
		n := int64(max(l.N, 1))
		args = append(args, float64(period)/float64(n), period)
	}
	return keys, args
}
