package redisstore

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/workers"
)

var _ workers.Outbox = (*Store)(nil)

// pendingKey is the sorted set of conversations whose outbox may hold
// effects, scored by when a relay may look at them next (Unix ms).
func (s *Store) pendingKey() string { return s.globalKey("outbox", "pending") }

// pendingMark is key's entry in the pending index, due now.
func pendingMark(key bot.Key) redis.Z {
	return redis.Z{Score: float64(time.Now().UnixMilli()), Member: convTag(key)}
}

// markPending makes key's outbox due now.
func (s *Store) markPending(ctx context.Context, key bot.Key) error {
	err := s.rdb.ZAdd(ctx, s.pendingKey(), pendingMark(key)).Err()
	if err != nil {
		return storeError("mark outbox of "+key.String(), err)
	}
	return nil
}

// claimLua leases up to ARGV[3] due outboxes until ARGV[2].
//
//	KEYS: pending index
//	ARGV: now ms, lease end ms, count
const claimLua = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, m in ipairs(due) do
  redis.call('ZADD', KEYS[1], ARGV[2], m)
end
return due
`

var claimScript = redis.NewScript(claimLua)

// ClaimOutboxes implements workers.Outbox.
func (s *Store) ClaimOutboxes(ctx context.Context, n int, lease time.Duration) ([]bot.Key, error) {
	now := time.Now()
	tags, err := claimScript.Run(ctx, s.rdb, []string{s.pendingKey()},
		now.UnixMilli(), now.Add(max(lease, minLease)).UnixMilli(), n).StringSlice()
	if err != nil {
		return nil, storeError("claim outboxes", err)
	}
	keys := make([]bot.Key, 0, len(tags))
	for _, tag := range tags {
		if k, ok := parseConvTag(tag); ok {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// OutboxEffects implements workers.Outbox.
func (s *Store) OutboxEffects(ctx context.Context, key bot.Key) ([]bot.Effect, error) {
	return s.Outbox(ctx, key)
}

// AckEffect implements workers.Outbox. The effect is found by its encoding,
// which is the same bytes the commit wrote: encoding/json writes struct
// fields in order and map keys sorted.
func (s *Store) AckEffect(ctx context.Context, key bot.Key, e bot.Effect) error {
	buf, err := json.Marshal(e)
	if err != nil {
		return bot.Errorf(bot.EINTERNAL, "encode effect %s: %v", e.ID, err)
	}
	if err := s.rdb.LRem(ctx, s.keys(key).outbox, 1, buf).Err(); err != nil {
		return storeError("acknowledge effect of "+key.String(), err)
	}
	return nil
}

// releaseLua unmarks an outbox still under its claim's lease. A commit
// marks its outbox with its own time, well below any lease end, so an
// outbox a commit wrote to after the relay read it stays marked.
//
//	KEYS: pending index
//	ARGV: member, lowest lease end ms
const releaseLua = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) >= tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return 1
`

var releaseScript = redis.NewScript(releaseLua)

// minLease is the shortest outbox lease; a mark less than minLease/2 in
// the future is a commit's, not a claim's.
const minLease = 10 * time.Second

// ReleaseOutbox implements workers.Outbox. The outbox and the pending index
// live in different hash slots on a cluster, so the outbox's length is
// read first; the score check then keeps the mark of a commit that came
// after the read.
func (s *Store) ReleaseOutbox(ctx context.Context, key bot.Key) error {
	n, err := s.rdb.LLen(ctx, s.keys(key).outbox).Result()
	if err != nil {
		return storeError("release outbox of "+key.String(), err)
	}
	if n > 0 {
		return s.markPending(ctx, key)
	}
	floor := time.Now().Add(minLease / 2).UnixMilli()
	if err := releaseScript.Run(ctx, s.rdb, []string{s.pendingKey()}, convTag(key), strconv.FormatInt(floor, 10)).Err(); err != nil {
		return storeError("release outbox of "+key.String(), err)
	}
	return nil
}
