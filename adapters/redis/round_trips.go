package redisstore

import (
	"context"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// RoundTrips is a go-redis hook that counts what a client sends the
// server: one per command and one per pipeline, each of which costs one
// network round trip. Benchmarks add it to their client to report round
// trips per turn.
type RoundTrips struct{ n atomic.Int64 }

var _ redis.Hook = (*RoundTrips)(nil)

// Count returns the round trips counted so far.
func (h *RoundTrips) Count() int64 { return h.n.Load() }

// DialHook implements redis.Hook.
func (h *RoundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook implements redis.Hook: a command is one round trip.
func (h *RoundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook implements redis.Hook: a pipeline is one round
// trip.
func (h *RoundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}

// Waits returns the round trips callers waited on: those counted, with
// each pipeline b sent counted as the calls it carried. A turn costs the
// same waits batched or not; batching changes how many writes carry
// them (Count).
func (h *RoundTrips) Waits(b *Batcher) int64 {
	st := b.Stats()
	return h.Count() - st.Writes + st.Calls
}
