package redisstore

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/bot"
)

// NoteFlowUse records u for the conversation key on its own, as a
// commit carrying u does in its round trip; for the tests of the counts.
func (s *Store) NoteFlowUse(ctx context.Context, key bot.Key, u bot.FlowUse) error {
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		s.noteFlowUse(ctx, p, key, u)
		return nil
	})
	return err
}

// NewBatcherInFlight returns a batcher that keeps at most n pipelines in
// flight.
func NewBatcherInFlight(rdb redis.UniversalClient, n int) *Batcher { return newBatcher(rdb, n) }
