package redisstore_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
)

// gate is a go-redis hook that holds every command and pipeline until it
// is opened or the caller's context ends, as a hanging server would: a
// test makes callers queue behind what is in flight.
type gate struct {
	held chan struct{} // one value per pipeline that reached the gate
	open chan struct{}
}

func newGate() *gate { return &gate{held: make(chan struct{}, 100), open: make(chan struct{})} }

func (g *gate) DialHook(next redis.DialHook) redis.DialHook { return next }
func (g *gate) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if err := g.wait(ctx); err != nil {
			return err
		}
		return next(ctx, cmd)
	}
}

func (g *gate) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if err := g.wait(ctx); err != nil {
			return err
		}
		return next(ctx, cmds)
	}
}

func (g *gate) wait(ctx context.Context) error {
	g.held <- struct{}{}
	select {
	case <-g.open:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestBatcherSendsQueuedCallersAsOnePipeline(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		prefix := redistest.Prefix(t, rdb)
		g := newGate()
		rdb.AddHook(g)
		b := redisstore.NewBatcherInFlight(rdb, 1)

		// The first caller's pipeline is held at the gate; the others
		// queue behind it and must all go in the one pipeline after it.
		const callers = 20
		var wg sync.WaitGroup
		results := make([][2]string, callers+1)
		call := func(i int) {
			key := prefix + "k" + strconv.Itoa(i)
			var set *redis.StatusCmd
			var get *redis.StringCmd
			err := b.Pipelined(ctx, func(p redis.Pipeliner) error {
				set = p.Set(ctx, key, "v"+strconv.Itoa(i), time.Minute)
				get = p.Get(ctx, key)
				return nil
			})
			if err != nil {
				t.Errorf("caller %d: %v", i, err)
				return
			}
			results[i] = [2]string{set.Val(), get.Val()}
		}
		wg.Go(func() { call(0) })
		<-g.held
		for i := 1; i <= callers; i++ {
			wg.Go(func() { call(i) })
		}
		waitFor(t, func() bool { return b.Stats().Calls == callers+1 })
		close(g.open)
		wg.Wait()

		for i, r := range results {
			if want := [2]string{"OK", "v" + strconv.Itoa(i)}; r != want {
				t.Errorf("caller %d got %q, want %q", i, r, want)
			}
		}
		if st := b.Stats(); st.Calls != callers+1 || st.Writes != 2 {
			t.Errorf("stats %+v, want %d calls in 2 writes", st, callers+1)
		}
	})
}

func TestBatcherKeepsEachCallersErrorsAndOrder(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		prefix := redistest.Prefix(t, rdb)
		b := redisstore.NewBatcher(rdb)
		list := prefix + "list"
		if err := rdb.RPush(ctx, list, "x").Err(); err != nil {
			t.Fatal(err)
		}

		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				key := prefix + "n" + strconv.Itoa(i)
				var incrs []*redis.IntCmd
				err := b.Pipelined(ctx, func(p redis.Pipeliner) error {
					for range 3 {
						incrs = append(incrs, p.Incr(ctx, key))
					}
					return nil
				})
				if err != nil {
					t.Errorf("caller %d: %v", i, err)
				}
				for j, c := range incrs {
					if c.Val() != int64(j+1) {
						t.Errorf("caller %d INCR %d answered %d: replies out of order", i, j, c.Val())
					}
				}
				// A caller whose command fails gets its own error; its
				// neighbours in the batch do not.
				wrong := redis.NewStringCmd(ctx, "get", list)
				if err := b.Do(ctx, wrong); !redis.HasErrorPrefix(err, "WRONGTYPE") || !redis.HasErrorPrefix(wrong.Err(), "WRONGTYPE") {
					t.Errorf("caller %d: GET of a list answered %v", i, err)
				}
			})
		}
		wg.Wait()
	})
}

// TestBatcherWritesOnlyWhatItCarries: every write the batcher counts is a
// pipeline the server got. A flush whose caller's commands another flush
// took first (many callers, few pipelines in flight) once sent an empty
// pipeline, which counted as a write; over ten rounds that showed in
// most runs.
func TestBatcherWritesOnlyWhatItCarries(t *testing.T) {
	rdb := redistest.Real(t)
	prefix := redistest.Prefix(t, rdb)
	sent := &pipelineCount{}
	rdb.AddHook(sent)
	ctx := context.Background()
	for round := range 10 {
		b := redisstore.NewBatcherInFlight(rdb, 2)
		before := sent.n.Load()
		var wg sync.WaitGroup
		for i := range 400 {
			wg.Go(func() {
				for j := range 5 {
					_ = b.Do(ctx, redis.NewStringCmd(ctx, "get", prefix+strconv.Itoa(i*10+j)))
				}
			})
		}
		wg.Wait()
		if st, got := b.Stats(), sent.n.Load()-before; st.Calls != 2000 || st.Writes != got {
			t.Fatalf("round %d: stats %+v, pipelines the server got %d; want 2000 calls, each write one of them", round, st, got)
		}
	}
}

// TestBatcherRunsAScriptTheServerHasNotCached: a script the server
// answers NOSCRIPT to runs by its source, alone or in a pipeline.
func TestBatcherRunsAScriptTheServerHasNotCached(t *testing.T) {
	// SCRIPT FLUSH empties the cache of every client of the server, so
	// this runs on a private one only.
	rdb := redistest.Embedded(t)
	ctx := context.Background()
	b := redisstore.NewBatcher(rdb)
	script := redis.NewScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`)
	for i, want := range []int64{2, 4} {
		if err := rdb.ScriptFlush(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		got, err := b.Run(ctx, script, []string{"counter"}, 2).Int64()
		if err != nil || got != want {
			t.Fatalf("run %d after SCRIPT FLUSH: %d, %v; want %d", i, got, err, want)
		}
	}
	// In a pipeline with other commands, as a commit with effects sends
	// it, the script runs by its source too, and only the script again.
	if err := rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	var set *redis.IntCmd
	var run *redis.Cmd
	err := b.Pipelined(ctx, func(p redis.Pipeliner) error {
		set = p.Incr(ctx, "other")
		run = script.EvalSha(ctx, p, []string{"counter"}, 2)
		return nil
	})
	if err != nil || run.Val() != int64(6) || set.Val() != 1 {
		t.Fatalf("pipeline after SCRIPT FLUSH: %v, script %v, INCR %d; want 6 and 1", err, run.Val(), set.Val())
	}
}

func TestBatcherHonoursAShortDeadline(t *testing.T) {
	rdb := redistest.Real(t)
	prefix := redistest.Prefix(t, rdb)
	g := newGate()
	rdb.AddHook(g)
	b := redisstore.NewBatcherInFlight(rdb, 1)
	ctx := context.Background()

	// A batch is held at the gate (the server hangs, as far as its
	// callers can tell). A caller with a deadline shorter than a batch's
	// does not join it: it goes alone and gives up by its own deadline.
	done := make(chan error, 1)
	go func() { done <- b.Do(ctx, redis.NewStatusCmd(ctx, "set", prefix+"held", "1")) }()
	<-g.held
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := b.Do(short, redis.NewStatusCmd(short, "set", prefix+"short", "1"))
	if err == nil || time.Since(start) > 3*time.Second {
		t.Errorf("short call answered %v after %v, want its deadline's error", err, time.Since(start))
	}
	if st := b.Stats(); st.Calls != 1 {
		t.Errorf("stats %+v: the short call joined a batch", st)
	}
	close(g.open)
	if err := <-done; err != nil {
		t.Errorf("held call: %v", err)
	}
}

// pipelineCount is a go-redis hook that counts the pipelines of
// commands sent to the server, leaving out those go-redis sends to set up
// a connection.
type pipelineCount struct{ n atomic.Int64 }

func (h *pipelineCount) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (h *pipelineCount) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }
func (h *pipelineCount) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		switch cmds[0].Name() {
		case "hello", "auth", "client", "select":
		default:
			h.n.Add(1)
		}
		return next(ctx, cmds)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 1000 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met in 10 s")
}
