package redisstore

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Batcher sends the commands of concurrent callers to Redis together, as
// one pipeline, instead of one write and one read per caller. A caller
// still waits for its own replies, so a turn keeps its two round trips;
// what changes is that a busy process and the server each make one
// system call for many turns instead of one each. Nobody waits for a
// batch to fill: a caller that finds a connection free sends at once,
// and callers who arrive while every free connection is busy go out
// together in the next pipeline.
//
// The commands of one call stay together and in their order, so a
// pipeline's reads still come in the order its caller wrote them (Load
// relies on this). A pipeline is not a transaction, and neither is a
// batch: only scripts are atomic, as before.
//
// A batch runs under its own deadline, flushTimeout. A caller whose
// context ends sooner runs its commands alone, so every deadline holds:
// a readiness probe gives up within its own limit. A caller whose
// context is done already sends nothing; one cancelled while its batch
// is out waits for it, at most flushTimeout, as a command already
// written cannot be taken back anyway.
type Batcher struct {
	rdb redis.UniversalClient
	// inFlight is how many pipelines may be on their way at once.
	inFlight int

	mu      sync.Mutex
	pending []*batchCall
	active  int

	calls  atomic.Int64
	writes atomic.Int64
}

// batchCall is one caller's commands and the signal that their replies
// are in. Calls are reused: done carries one value per use.
type batchCall struct {
	cmds []redis.Cmder
	done chan struct{}
}

var callPool = sync.Pool{New: func() any { return &batchCall{done: make(chan struct{}, 1)} }}

// flushTimeout bounds one batch: connection, write, read and go-redis's
// retries.
const flushTimeout = 5 * time.Second

// maxBatch bounds how many commands one pipeline carries; past it, the
// rest go in the next.
const maxBatch = 512

// NewBatcher returns a batcher over rdb that keeps up to two pipelines
// per processor in flight (at least four), so that some are parsed while
// others are written and the server works on a third. Fewer keep the
// server idle between batches; more, measured on two cores, gain nothing
// and lengthen the tail.
func NewBatcher(rdb redis.UniversalClient) *Batcher {
	return newBatcher(rdb, max(4, 2*runtime.GOMAXPROCS(0)))
}

func newBatcher(rdb redis.UniversalClient, inFlight int) *Batcher {
	return &Batcher{rdb: rdb, inFlight: inFlight}
}

// BatchStats counts a batcher's work: Calls is how many callers waited on
// a round trip, Writes how many pipelines carried them.
type BatchStats struct{ Calls, Writes int64 }

// Stats returns the counts so far.
func (b *Batcher) Stats() BatchStats {
	return BatchStats{Calls: b.calls.Load(), Writes: b.writes.Load()}
}

// Do sends cmds in order, with other callers' commands, and returns once
// every one has its reply. Its error is the first failed command's, as
// Pipelined's is; each command holds its own.
func (b *Batcher) Do(ctx context.Context, cmds ...redis.Cmder) error {
	if len(cmds) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		for _, c := range cmds {
			c.SetErr(err)
		}
		return err
	}
	if d, ok := ctx.Deadline(); ok && time.Until(d) < flushTimeout {
		_ = b.alone(ctx, cmds)
		b.evalUncached(ctx, cmds)
		return firstErr(cmds)
	}
	b.calls.Add(1)
	c := callPool.Get().(*batchCall)
	c.cmds = cmds
	b.mu.Lock()
	b.pending = append(b.pending, c)
	if b.active < b.inFlight {
		b.active++
		b.mu.Unlock()
		b.flush()
	} else {
		b.mu.Unlock()
	}
	<-c.done
	c.cmds = nil
	callPool.Put(c)
	b.evalUncached(ctx, cmds)
	return firstErr(cmds)
}

// Pipelined is Do for commands queued by fn on a pipeline, like the
// client's own Pipelined.
func (b *Batcher) Pipelined(ctx context.Context, fn func(redis.Pipeliner) error) error {
	p := b.rdb.Pipeline()
	if err := fn(p); err != nil {
		return err
	}
	return b.Do(ctx, p.Cmds()...)
}

// Run runs a script through the batch.
func (b *Batcher) Run(ctx context.Context, s *redis.Script, keys []string, args ...any) *redis.Cmd {
	cmd := evalShaCmd(ctx, s, keys, args...)
	_ = b.Do(ctx, cmd)
	return cmd
}

// scripts are the scripts evalShaCmd made commands of, by SHA1, so that
// one a server has not cached can run by its source. The map is replaced,
// never changed, so that reading it takes no lock.
var (
	scripts   atomic.Pointer[map[string]*redis.Script]
	scriptsMu sync.Mutex
)

// evalShaCmd returns the EVALSHA command of s, to send in a batch or a
// pipeline whose commands go through Batcher.Do.
func evalShaCmd(ctx context.Context, s *redis.Script, keys []string, args ...any) *redis.Cmd {
	if scriptOf(s.Hash()) == nil {
		scriptsMu.Lock()
		next := map[string]*redis.Script{s.Hash(): s}
		if cur := scripts.Load(); cur != nil {
			for h, known := range *cur {
				next[h] = known
			}
		}
		scripts.Store(&next)
		scriptsMu.Unlock()
	}
	a := make([]any, 0, 3+len(keys)+len(args))
	a = append(a, "evalsha", s.Hash(), len(keys))
	for _, k := range keys {
		a = append(a, k)
	}
	a = append(a, args...)
	return redis.NewCmd(ctx, a...)
}

// scriptOf returns the script of hash evalShaCmd has seen, or nil.
func scriptOf(hash string) *redis.Script {
	if m := scripts.Load(); m != nil {
		return (*m)[hash]
	}
	return nil
}

// evalUncached runs, by its source, each EVALSHA of cmds that a server
// answered NOSCRIPT, having done nothing, and gives its command the
// answer. The server caches the script on the way, for the next batch.
func (b *Batcher) evalUncached(ctx context.Context, cmds []redis.Cmder) {
	for _, c := range cmds {
		// The error first: it is nil for almost every command, and the
		// name is lower-cased into a new string.
		cmd, ok := c.(*redis.Cmd)
		if !ok || cmd.Err() == nil || !redis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") || cmd.Name() != "evalsha" {
			continue
		}
		a := cmd.Args()
		hash, _ := a[1].(string)
		n, ok := a[2].(int)
		s := scriptOf(hash)
		if s == nil || !ok || len(a) < 3+n {
			continue
		}
		keys := make([]string, n)
		for i := range keys {
			keys[i], _ = a[3+i].(string)
		}
		ev := s.Eval(ctx, b.rdb, keys, a[3+n:]...)
		cmd.SetVal(ev.Val())
		cmd.SetErr(ev.Err())
	}
}

// alone sends cmds by themselves under the caller's context.
func (b *Batcher) alone(ctx context.Context, cmds []redis.Cmder) error {
	if len(cmds) == 1 {
		return b.rdb.Process(ctx, cmds[0])
	}
	p := b.rdb.Pipeline()
	_ = p.BatchProcess(ctx, cmds...)
	_, err := p.Exec(ctx)
	return err
}

// flush sends what is pending, pipeline after pipeline, until nothing
// is; the calling goroutine's own commands are in the first, unless
// another flush took them already. Sending later batches is handed to a
// new goroutine, so that no caller waits longer than for its own.
func (b *Batcher) flush() {
	for first := true; ; first = false {
		b.mu.Lock()
		if len(b.pending) == 0 {
			// Nothing left; or, before the first pipeline, another
			// flush took this caller's commands already.
			b.active--
			b.mu.Unlock()
			return
		}
		if !first {
			b.mu.Unlock()
			go b.flush()
			return
		}
		batch, n := b.take()
		b.mu.Unlock()
		b.send(batch, n)
	}
}

// take removes up to maxBatch commands' worth of pending calls (at least
// one call) and returns them with their number of commands. b.mu is held.
func (b *Batcher) take() ([]*batchCall, int) {
	n, i := 0, 0
	for ; i < len(b.pending); i++ {
		if i > 0 && n+len(b.pending[i].cmds) > maxBatch {
			break
		}
		n += len(b.pending[i].cmds)
	}
	batch := b.pending[:i:i]
	rest := b.pending[i:]
	if len(rest) == 0 {
		b.pending = nil
	} else {
		b.pending = append([]*batchCall(nil), rest...)
	}
	return batch, n
}

// send writes one batch as one pipeline and wakes its callers.
func (b *Batcher) send(batch []*batchCall, n int) {
	cmds := make([]redis.Cmder, 0, n)
	for _, c := range batch {
		cmds = append(cmds, c.cmds...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	p := b.rdb.Pipeline()
	_ = p.BatchProcess(ctx, cmds...)
	_, _ = p.Exec(ctx)
	cancel()
	b.writes.Add(1)
	for _, c := range batch {
		c.done <- struct{}{}
	}
}

// firstErr returns the first command's error, or nil.
func firstErr(cmds []redis.Cmder) error {
	for _, c := range cmds {
		if err := c.Err(); err != nil {
			return err
		}
	}
	return nil
}
