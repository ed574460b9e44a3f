package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/workers"
)

var (
	_ bot.Deliveries   = (*Store)(nil)
	_ workers.OpsQueue = (*Store)(nil)
)

func (s *Store) sentKey(id string) string { return s.prefix + "sent:" + hashID(id) }

// A delivery's record is one string: "n" once its sending ended, or
// "n|owner|until" while owner holds the lease until the Unix millisecond
// until, n being how many of its messages were marked sent. The clock is
// the senders', passed in, so the scripts run the same on the embedded
// store.

// claimSendLua takes the lease of a delivery.
//
//	KEYS: record
//	ARGV: owner, now ms, lease ms, messages
//
// A new record lasts as long as the lease, until a mark; a record with
// marks keeps their age.
// It returns {sent, 1 when claimed}.
const claimSendLua = `
local v = redis.call('GET', KEYS[1])
local n, o, u = 0, '', 0
if v then
  local a, b, c = string.match(v, '^(%d+)|([^|]*)|(%d+)$')
  if a then n, o, u = tonumber(a), b, tonumber(c) else n = tonumber(v) end
end
if n >= tonumber(ARGV[4]) then
  return {n, 0}
end
if o ~= '' and o ~= ARGV[1] and u > tonumber(ARGV[2]) then
  return {n, 0}
end
local rec = n .. '|' .. ARGV[1] .. '|' .. (tonumber(ARGV[2]) + tonumber(ARGV[3]))
if v then
  redis.call('SET', KEYS[1], rec, 'KEEPTTL')
else
  redis.call('SET', KEYS[1], rec, 'PX', ARGV[3])
end
return {n, 1}
`

// markSentLua records progress under the lease.
//
//	KEYS: record
//	ARGV: owner, now ms, lease ms, sent, done ("1"/"0"), ttl ms
//
// It returns 1, or 0 when owner holds the lease no longer.
const markSentLua = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local a, b = string.match(v, '^(%d+)|([^|]*)|%d+$')
if b ~= ARGV[1] then return 0 end
if ARGV[5] == '1' then
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[6])
else
  redis.call('SET', KEYS[1], ARGV[4] .. '|' .. ARGV[1] .. '|' .. (tonumber(ARGV[2]) + tonumber(ARGV[3])), 'PX', ARGV[6])
end
return 1
`

// releaseSendLua ends a lease, keeping the count.
//
//	KEYS: record
//	ARGV: owner
const releaseSendLua = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local a, b = string.match(v, '^(%d+)|([^|]*)|%d+$')
if b ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], a, 'KEEPTTL')
return 1
`

var (
	claimSendScript   = redis.NewScript(claimSendLua)
	markSentScript    = redis.NewScript(markSentLua)
	releaseSendScript = redis.NewScript(releaseSendLua)
)

// ClaimSend implements bot.Deliveries.
func (s *Store) ClaimSend(ctx context.Context, id, owner string, n int, now time.Time, lease time.Duration) (int, bool, error) {
	res, err := claimSendScript.Run(ctx, s.rdb, []string{s.sentKey(id)}, owner, now.UnixMilli(), millis(lease), n).Int64Slice()
	if err != nil {
		return 0, false, storeError("claim delivery", err)
	}
	if len(res) != 2 {
		return 0, false, bot.Errorf(bot.EINTERNAL, "claim delivery: script answered %v", res)
	}
	return int(res[0]), res[1] == 1, nil
}

// MarkSent implements bot.Deliveries.
func (s *Store) MarkSent(ctx context.Context, id, owner string, n int, done bool, now time.Time, lease, ttl time.Duration) error {
	d := "0"
	if done {
		d = "1"
	}
	ok, err := markSentScript.Run(ctx, s.rdb, []string{s.sentKey(id)}, owner, now.UnixMilli(), millis(lease), n, d, millis(max(ttl, lease))).Int64()
	if err != nil {
		return storeError("mark delivery", err)
	}
	if ok != 1 {
		return bot.ErrLeaseLost
	}
	return nil
}

// ReleaseSend implements bot.Deliveries.
func (s *Store) ReleaseSend(ctx context.Context, id, owner string) error {
	if err := releaseSendScript.Run(ctx, s.rdb, []string{s.sentKey(id)}, owner).Err(); err != nil {
		return storeError("release delivery", err)
	}
	return nil
}

func (s *Store) opsStream() string { return s.globalKey("ops", "events") }

// opsXAddLua adds an entry to the operators' stream unless its ID was
// added before, keeping the newest entries only.
//
//	KEYS: once marker, stream
//	ARGV: once ttl ms, most entries kept, field, value...
const opsXAddLua = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], '*', unpack(ARGV, 3))
end
return false
`

// opsForgetLua deletes the entries of the operators' stream that name a
// conversation; the stream's length bounds the walk.
//
//	KEYS: stream
//	ARGV: conversation key
const opsForgetLua = `
local n = 0
for _, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
  local f = e[2]
  for i = 1, #f, 2 do
    if f[i] == 'conversation' and f[i + 1] == ARGV[1] then
      redis.call('XDEL', KEYS[1], e[1])
      n = n + 1
      break
    end
  end
end
return n
`

var (
	opsXAddScript   = redis.NewScript(opsXAddLua)
	opsForgetScript = redis.NewScript(opsForgetLua)
)

// NotifyOps implements workers.OpsQueue: operators read the entries from the
// ops stream.
func (s *Store) NotifyOps(ctx context.Context, id, kind string, data map[string]string) error {
	args := []any{millis(onceTTL), s.limits.StreamLength, "kind", kind}
	for k, v := range data {
		args = append(args, k, v)
	}
	err := opsXAddScript.Run(ctx, s.rdb, []string{s.globalKey("ops", "once:"+hashID(id)), s.opsStream()}, args...).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return storeError("notify operators", err)
	}
	return nil
}

// ForgetConversation implements workers.OpsQueue.
func (s *Store) ForgetConversation(ctx context.Context, key bot.Key) error {
	if err := opsForgetScript.Run(ctx, s.rdb, []string{s.opsStream()}, key.String()).Err(); err != nil {
		return storeError("forget conversation in operator events", err)
	}
	return nil
}

// OpsEvent is one entry of the operators' stream.
type OpsEvent struct {
	ID   string
	Kind string
	Data map[string]string
}

// OpsEvents returns the newest entries of the operators' stream.
func (s *Store) OpsEvents(ctx context.Context, limit int64) ([]OpsEvent, error) {
	msgs, err := s.rdb.XRevRangeN(ctx, s.opsStream(), "+", "-", limit).Result()
	if err != nil {
		return nil, storeError("read operator events", err)
	}
	out := make([]OpsEvent, 0, len(msgs))
	for _, m := range msgs {
		ev := OpsEvent{ID: m.ID, Data: map[string]string{}}
		for k, v := range m.Values {
			str, _ := v.(string)
			if k == "kind" {
				ev.Kind = str
				continue
			}
			ev.Data[k] = str
		}
		out = append(out, ev)
	}
	return out, nil
}
