package redisstore

import (
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

// BenchmarkTurn measures one turn of a running conversation through the
// engine and the store on the real server: load, answer a question, ask
// the next, commit. Every worker has conversations of its own, so the
// figure is throughput without conflicts.
func BenchmarkTurn(b *testing.B) {
	const (
		parallelism    = 8 // workers per GOMAXPROCS: turns mostly wait on the network
		convsPerWorker = 4
	)
	rdb := realRedis(b)
	rt := &RoundTrips{}
	rdb.AddHook(rt)
	s := newTestStore(b, rdb)
	content, reg := countContent(b)
	e := bot.NewEngine(s, content, reg, bot.Config{})

	// Start every conversation before the clock runs, from as many
	// goroutines as will run turns, so that neither first turns nor the
	// dialling of pool connections are counted as the steady state.
	workers := parallelism * runtime.GOMAXPROCS(0)
	keys := make([][]bot.Key, workers)
	var wg sync.WaitGroup
	for w := range keys {
		for c := range convsPerWorker {
			keys[w] = append(keys[w], bot.Key{Channel: "bench", User: "w" + strconv.Itoa(w) + "c" + strconv.Itoa(c)})
		}
		wg.Go(func() {
			for _, key := range keys[w] {
				if _, err := e.Handle(ctx, bot.Event{Key: key, Kind: bot.EventText, DeliveryID: "start", Text: "hi", LangHint: "en"}); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	var nextWorker atomic.Int64
	b.SetParallelism(parallelism)
	before, sentBefore := rt.Waits(s.Batcher()), rt.Count()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		mine := keys[nextWorker.Add(1)-1]
		for i := 0; pb.Next(); i++ {
			text := strconv.Itoa(i)
			ev := bot.Event{Key: mine[i%len(mine)], Kind: bot.EventText, DeliveryID: "d" + text, Text: text}
			if _, err := e.Handle(ctx, ev); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(rt.Waits(s.Batcher())-before)/float64(b.N), "roundtrips/turn")
	b.ReportMetric(float64(rt.Count()-sentBefore)/float64(b.N), "writes/turn")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}
