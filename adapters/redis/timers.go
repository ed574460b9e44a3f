package redisstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/workers"
)

var _ workers.TimerQueue = (*Store)(nil)

// Timers live in a sorted set scored by when they are due (Unix ms) and a
// hash of their payloads, both under the hash tag {timers}. Members are
// digests of the timer IDs, so the shared keys name no user.
func (s *Store) timerDue() string  { return s.globalKey("timers", "due") }
func (s *Store) timerData() string { return s.globalKey("timers", "data") }

// scheduleLua adds a timer unless it is scheduled already.
//
//	KEYS: due, data
//	ARGV: member, due ms, payload
const scheduleLua = `
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3]) == 1 then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
return 1
`

var scheduleScript = redis.NewScript(scheduleLua)

// ScheduleTimer implements workers.TimerQueue.
func (s *Store) ScheduleTimer(ctx context.Context, t workers.Timer) error {
	buf, err := json.Marshal(t)
	if err != nil {
		return bot.Errorf(bot.EINTERNAL, "encode timer: %v", err)
	}
	if err := scheduleScript.Run(ctx, s.rdb, []string{s.timerDue(), s.timerData()}, hashID(t.ID), t.Due*1000, buf).Err(); err != nil {
		return storeError("schedule timer", err)
	}
	return nil
}

// CancelTimer implements workers.TimerQueue.
func (s *Store) CancelTimer(ctx context.Context, id string) error {
	return s.dropTimer(ctx, hashID(id))
}

// DoneTimer implements workers.TimerQueue.
func (s *Store) DoneTimer(ctx context.Context, id string) error {
	return s.dropTimer(ctx, hashID(id))
}

func (s *Store) dropTimer(ctx context.Context, member string) error {
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZRem(ctx, s.timerDue(), member)
		p.HDel(ctx, s.timerData(), member)
		return nil
	})
	if err != nil {
		return storeError("drop timer", err)
	}
	return nil
}

// claimTimersLua leases due timers: each moves to the lease's end, so
// only one worker holds it, and comes back if that worker dies.
//
//	KEYS: due, data
//	ARGV: now ms, lease end ms, count
const claimTimersLua = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
if #due == 0 then
  return {}
end
for _, m in ipairs(due) do
  redis.call('ZADD', KEYS[1], ARGV[2], m)
end
return redis.call('HMGET', KEYS[2], unpack(due))
`

var claimTimersScript = redis.NewScript(claimTimersLua)

// ClaimTimers implements workers.TimerQueue.
func (s *Store) ClaimTimers(ctx context.Context, now time.Time, n int, lease time.Duration) ([]workers.Timer, error) {
	vals, err := claimTimersScript.Run(ctx, s.rdb, []string{s.timerDue(), s.timerData()},
		now.UnixMilli(), now.Add(lease).UnixMilli(), n).Slice()
	if err != nil {
		return nil, storeError("claim timers", err)
	}
	return decodeFound[workers.Timer](vals, "timer")
}

// PendingTimers counts scheduled timers, for operators' figures.
func (s *Store) PendingTimers(ctx context.Context) (int64, error) {
	n, err := s.rdb.ZCard(ctx, s.timerDue()).Result()
	if err != nil {
		return 0, storeError("count timers", err)
	}
	return n, nil
}
