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

// The lease and the marks of a committed turn's replies live in the
// header of its delivery record (record.go), under the conversation's
// hash tag, so that the commit can take the lease in the same script and
// the record can go once all is sent. A delivery with no such record (a
// turn answered without a commit, a deletion, a turn an older version
// committed) keeps them in a record of their own, at sentKey(d.Mark).
// The scripts on the delivery record answer -1 (or {0, 0, 0}) for such a
// delivery, and the store then runs the same step on that record.

func (s *Store) sentKey(mark string) string { return s.prefix + "sent:" + hashID(mark) }

// recordClaimLua takes the lease of a committed delivery.
//
//	KEYS: record, seen index
//	ARGV: owner, now ms, lease ms, messages, delivery ID
//
// It returns {sent, 1 when claimed, 1}, or {0, 0, 0} when no record of a
// committed turn holds the lease. A delivery whose record went, its
// member still in the index, was sent in full.
const recordClaimLua = `
local v = redis.call('GET', KEYS[1])
if not v then
  if redis.call('ZSCORE', KEYS[2], ARGV[5]) then
    return {tonumber(ARGV[4]), 0, 1}
  end
  return {0, 0, 0}
end
if string.byte(v, 1) ~= 2 then
  return {0, 0, 0}
end
local nl = string.find(v, '\n', 1, true)
local a, o, c = string.match(string.sub(v, 2, nl - 1), '^(%d+)|([^|]*)|(%d+)$')
local n, u = tonumber(a), tonumber(c)
if n >= tonumber(ARGV[4]) then
  return {n, 0, 1}
end
if o ~= '' and o ~= ARGV[1] and u > tonumber(ARGV[2]) then
  return {n, 0, 1}
end
redis.call('SET', KEYS[1], '\2' .. n .. '|' .. ARGV[1] .. '|' .. (tonumber(ARGV[2]) + tonumber(ARGV[3])) .. string.sub(v, nl), 'KEEPTTL')
return {n, 1, 1}
`

// recordMarkLua records progress under the lease of a committed
// delivery; done removes the record, its replies all sent.
//
//	KEYS: record
//	ARGV: owner, now ms, lease ms, sent, done ("1"/"0")
//
// It returns 1, 0 when owner holds the lease no longer, and -1 when no
// record of a committed turn holds the lease.
const recordMarkLua = `
local v = redis.call('GET', KEYS[1])
if not v or string.byte(v, 1) ~= 2 then
  return -1
end
local nl = string.find(v, '\n', 1, true)
local o = string.match(string.sub(v, 2, nl - 1), '^%d+|([^|]*)|%d+$')
if o ~= ARGV[1] then
  return 0
end
if ARGV[5] == '1' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], '\2' .. ARGV[4] .. '|' .. ARGV[1] .. '|' .. (tonumber(ARGV[2]) + tonumber(ARGV[3])) .. string.sub(v, nl), 'KEEPTTL')
end
return 1
`

// recordReleaseLua ends a lease on a committed delivery, keeping the
// count.
//
//	KEYS: record
//	ARGV: owner
//
// It returns 1, 0 when owner holds no lease, -1 when no record of a
// committed turn holds the lease.
const recordReleaseLua = `
local v = redis.call('GET', KEYS[1])
if not v or string.byte(v, 1) ~= 2 then
  return -1
end
local nl = string.find(v, '\n', 1, true)
local a, o = string.match(string.sub(v, 2, nl - 1), '^(%d+)|([^|]*)|%d+$')
if o ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], '\2' .. a .. '||0' .. string.sub(v, nl), 'KEEPTTL')
return 1
`

// A delivery's own record (sentKey) is one string: "n" once its sending
// ended, or "n|owner|until" while owner holds the lease until the Unix
// millisecond until, n being how many of its messages were marked sent.
// The clock is the senders', passed in, so the scripts run the same on
// the embedded store.

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
	recordClaimScript   = redis.NewScript(recordClaimLua)
	recordMarkScript    = redis.NewScript(recordMarkLua)
	recordReleaseScript = redis.NewScript(recordReleaseLua)
	claimSendScript     = redis.NewScript(claimSendLua)
	markSentScript      = redis.NewScript(markSentLua)
	releaseSendScript   = redis.NewScript(releaseSendLua)
)

// ClaimSend implements bot.Deliveries.
func (s *Store) ClaimSend(ctx context.Context, d bot.Delivery, owner string, n int, now time.Time, lease time.Duration) (int, bool, error) {
	if d.ID != "" {
		ks := s.keys(d.Key)
		res, err := s.batch.Run(ctx, recordClaimScript, []string{ks.seen(d.ID), ks.seenIndex}, owner, now.UnixMilli(), millis(lease), n, d.ID).Int64Slice()
		if err != nil {
			return 0, false, storeError("claim delivery", err)
		}
		if len(res) != 3 {
			return 0, false, bot.Errorf(bot.EINTERNAL, "claim delivery: script answered %v", res)
		}
		if res[2] == 1 {
			return int(res[0]), res[1] == 1, nil
		}
	}
	res, err := s.batch.Run(ctx, claimSendScript, []string{s.sentKey(d.Mark)}, owner, now.UnixMilli(), millis(lease), n).Int64Slice()
	if err != nil {
		return 0, false, storeError("claim delivery", err)
	}
	if len(res) != 2 {
		return 0, false, bot.Errorf(bot.EINTERNAL, "claim delivery: script answered %v", res)
	}
	return int(res[0]), res[1] == 1, nil
}

// MarkSent implements bot.Deliveries. The marks of a committed
// delivery are kept as long as its record (the dedupe TTL); ttl applies
// to the others.
func (s *Store) MarkSent(ctx context.Context, d bot.Delivery, owner string, n int, done bool, now time.Time, lease, ttl time.Duration) error {
	flag := "0"
	if done {
		flag = "1"
	}
	ok := int64(-1)
	if d.ID != "" {
		var err error
		ok, err = s.batch.Run(ctx, recordMarkScript, []string{s.keys(d.Key).seen(d.ID)}, owner, now.UnixMilli(), millis(lease), n, flag).Int64()
		if err != nil {
			return storeError("mark delivery", err)
		}
	}
	if ok == -1 {
		var err error
		ok, err = s.batch.Run(ctx, markSentScript, []string{s.sentKey(d.Mark)}, owner, now.UnixMilli(), millis(lease), n, flag, millis(max(ttl, lease))).Int64()
		if err != nil {
			return storeError("mark delivery", err)
		}
	}
	if ok != 1 {
		return bot.ErrLeaseLost
	}
	return nil
}

// ReleaseSend implements bot.Deliveries.
func (s *Store) ReleaseSend(ctx context.Context, d bot.Delivery, owner string) error {
	if d.ID != "" {
		ok, err := s.batch.Run(ctx, recordReleaseScript, []string{s.keys(d.Key).seen(d.ID)}, owner).Int64()
		if err != nil {
			return storeError("release delivery", err)
		}
		if ok != -1 {
			return nil
		}
	}
	if err := s.batch.Run(ctx, releaseSendScript, []string{s.sentKey(d.Mark)}, owner).Err(); err != nil {
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
	err := s.batch.Run(ctx, opsXAddScript, []string{s.globalKey("ops", "once:"+hashID(id)), s.opsStream()}, args...).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return storeError("notify operators", err)
	}
	return nil
}

// ForgetConversation implements workers.OpsQueue.
func (s *Store) ForgetConversation(ctx context.Context, key bot.Key) error {
	if err := s.batch.Run(ctx, opsForgetScript, []string{s.opsStream()}, key.String()).Err(); err != nil {
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
