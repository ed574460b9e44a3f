package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

var (
	_ bot.Deliveries = (*Store)(nil)
	_ bot.OpsQueue   = (*Store)(nil)
)

func (s *Store) deliveredKey(id string) string { return s.prefix + "delivered:" + hashID(id) }

// Delivered implements bot.Deliveries.
func (s *Store) Delivered(ctx context.Context, id string) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.deliveredKey(id)).Result()
	if err != nil {
		return false, storeError("check delivery", err)
	}
	return n == 1, nil
}

// MarkDelivered implements bot.Deliveries.
func (s *Store) MarkDelivered(ctx context.Context, id string, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.deliveredKey(id), "1", ttl).Err(); err != nil {
		return storeError("mark delivery", err)
	}
	return nil
}

func (s *Store) opsStream() string { return s.globalKey("ops", "events") }

// NotifyOps implements bot.OpsQueue: operators read the entries from the
// ops stream.
func (s *Store) NotifyOps(ctx context.Context, id, kind string, data map[string]string) error {
	args := []any{millis(onceTTL), "kind", kind}
	for k, v := range data {
		args = append(args, k, v)
	}
	err := onceXAddScript.Run(ctx, s.rdb, []string{s.globalKey("ops", "once:"+hashID(id)), s.opsStream()}, args...).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return storeError("notify operators", err)
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
