package redisstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot/workers"
)

var _ workers.AlertQueue = (*Store)(nil)

// alertGroup is the consumer group every alert worker reads in.
const alertGroup = "workers"

// onceTTL is how long an enqueued ID is remembered, which bounds how late
// a replayed outbox may be and still add nothing.
const onceTTL = 30 * 24 * time.Hour

func (s *Store) alertStream() string { return s.globalKey("alerts", "stream") }
func (s *Store) alertDead() string   { return s.globalKey("alerts", "dead") }
func (s *Store) alertOnce(id string) string {
	return s.globalKey("alerts", "once:"+hashID(id))
}

// onceXAddLua adds an entry to a stream unless its ID was added before.
//
//	KEYS: once marker, stream
//	ARGV: once ttl ms, field, value, field, value...
const onceXAddLua = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
end
return false
`

var onceXAddScript = redis.NewScript(onceXAddLua)

// EnqueueAlert implements workers.AlertQueue.
func (s *Store) EnqueueAlert(ctx context.Context, a workers.QueuedAlert) error {
	reminder := "0"
	if a.Reminder {
		reminder = "1"
	}
	err := onceXAddScript.Run(ctx, s.rdb, []string{s.alertOnce(a.ID), s.alertStream()},
		millis(onceTTL), "id", a.ID, "case", a.Case, "merchant", a.Merchant, "fields", a.Fields, "reminder", reminder).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return storeError("enqueue alert for case "+a.Case, err)
	}
	return nil
}

// ensureAlertGroup creates the stream and its consumer group once per
// store; a group lost since (the stream deleted, a failover to a replica
// that had not seen it) is created again when a read says NOGROUP.
func (s *Store) ensureAlertGroup(ctx context.Context) error {
	if s.alertGroupReady.Load() {
		return nil
	}
	err := s.rdb.XGroupCreateMkStream(ctx, s.alertStream(), alertGroup, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return storeError("create alert group", err)
	}
	s.alertGroupReady.Store(true)
	return nil
}

// noGroup reports the error of a read from a stream whose group is gone,
// and makes the next read create it again.
func (s *Store) noGroup(err error) bool {
	if err != nil && strings.Contains(err.Error(), "NOGROUP") {
		s.alertGroupReady.Store(false)
		return true
	}
	return false
}

// ReadAlerts implements workers.AlertQueue: it first takes over entries other
// workers left unacknowledged for retry, then reads new ones.
func (s *Store) ReadAlerts(ctx context.Context, consumer string, n int, block, retry time.Duration) ([]workers.QueuedAlert, error) {
	if err := s.ensureAlertGroup(ctx); err != nil {
		return nil, err
	}
	stream := s.alertStream()
	claimed, _, err := s.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: stream, Group: alertGroup, Consumer: consumer, MinIdle: retry, Start: "0-0", Count: int64(n),
	}).Result()
	if s.noGroup(err) {
		return nil, nil
	}
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, storeError("claim stale alerts", err)
	}
	var out []workers.QueuedAlert
	for _, m := range claimed {
		a := alertFromMessage(m)
		a.Deliveries = 2
		if p, err := s.rdb.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: stream, Group: alertGroup, Start: m.ID, End: m.ID, Count: 1}).Result(); err == nil && len(p) == 1 {
			a.Deliveries = p[0].RetryCount
		}
		out = append(out, a)
	}
	if len(out) >= n {
		return out, nil
	}
	args := &redis.XReadGroupArgs{Group: alertGroup, Consumer: consumer, Streams: []string{stream, ">"}, Count: int64(n - len(out)), Block: -1}
	if block > 0 {
		args.Block = block
	}
	res, err := s.rdb.XReadGroup(ctx, args).Result()
	if s.noGroup(err) {
		return out, nil
	}
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, storeError("read alerts", err)
	}
	for _, st := range res {
		for _, m := range st.Messages {
			a := alertFromMessage(m)
			a.Deliveries = 1
			out = append(out, a)
		}
	}
	return out, nil
}

func alertFromMessage(m redis.XMessage) workers.QueuedAlert {
	str := func(k string) string {
		v, _ := m.Values[k].(string)
		return v
	}
	return workers.QueuedAlert{
		QueueID: m.ID, ID: str("id"), Case: str("case"), Merchant: str("merchant"),
		Fields: str("fields"), Reminder: str("reminder") == "1",
	}
}

// ackDelLua acknowledges a stream entry and deletes it, so that the
// stream keeps only alerts not yet delivered.
//
//	KEYS: stream
//	ARGV: group, entry ID
const ackDelLua = `
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
`

var ackDelScript = redis.NewScript(ackDelLua)

// AckAlert implements workers.AlertQueue.
func (s *Store) AckAlert(ctx context.Context, a workers.QueuedAlert) error {
	if err := ackDelScript.Run(ctx, s.rdb, []string{s.alertStream()}, alertGroup, a.QueueID).Err(); err != nil {
		return storeError("acknowledge alert for case "+a.Case, err)
	}
	return nil
}

// deadLetterLua moves an entry to the dead-letter stream.
//
//	KEYS: stream, dead-letter stream
//	ARGV: group, entry ID, most entries kept, field, value...
const deadLetterLua = `
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[3], '*', unpack(ARGV, 4))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
`

var deadLetterScript = redis.NewScript(deadLetterLua)

// DeadLetter implements workers.AlertQueue.
func (s *Store) DeadLetter(ctx context.Context, a workers.QueuedAlert, reason string) error {
	err := deadLetterScript.Run(ctx, s.rdb, []string{s.alertStream(), s.alertDead()}, alertGroup, a.QueueID, s.limits.StreamLength,
		"id", a.ID, "case", a.Case, "merchant", a.Merchant, "reason", reason,
		"deliveries", strconv.FormatInt(a.Deliveries, 10), "at", strconv.FormatInt(time.Now().Unix(), 10)).Err()
	if err != nil {
		return storeError("dead-letter alert for case "+a.Case, err)
	}
	return nil
}

// DeadAlert is an alert that could not be delivered, for operators.
type DeadAlert struct {
	Case, Merchant, Reason string
	Deliveries             int64
	At                     time.Time
}

// DeadAlerts returns the newest dead-lettered alerts, newest first.
func (s *Store) DeadAlerts(ctx context.Context, limit int64) ([]DeadAlert, error) {
	msgs, err := s.rdb.XRevRangeN(ctx, s.alertDead(), "+", "-", limit).Result()
	if err != nil {
		return nil, storeError("read dead alerts", err)
	}
	out := make([]DeadAlert, 0, len(msgs))
	for _, m := range msgs {
		str := func(k string) string { v, _ := m.Values[k].(string); return v }
		n, _ := strconv.ParseInt(str("deliveries"), 10, 64)
		at, _ := strconv.ParseInt(str("at"), 10, 64)
		out = append(out, DeadAlert{Case: str("case"), Merchant: str("merchant"), Reason: str("reason"), Deliveries: n, At: time.Unix(at, 0)})
	}
	return out, nil
}
