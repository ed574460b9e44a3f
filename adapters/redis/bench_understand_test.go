package redisstore

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

// BenchmarkTurnTyped measures turns of the shipped consumer flow answered
// by typing, on the real server: at the summary "改金额" (a choice read
// from its words), then "一百二十八元" at the amount question (checked for
// a pasted notice, then read as an amount), which leads back to the
// summary. Each turn is one of the two; as BenchmarkTurn, every worker
// has conversations of its own.
func BenchmarkTurnTyped(b *testing.B) {
	const (
		parallelism    = 8
		convsPerWorker = 4
	)
	rdb := realRedis(b)
	rt := &RoundTrips{}
	rdb.AddHook(rt)
	s := newTestStore(b, rdb)
	reg := bot.NewRegistry()
	content, problems := bot.LoadContent(os.DirFS("../../flows"), os.DirFS("../../locales"), reg)
	if err := bot.ProblemsError(problems); err != nil {
		b.Fatal(err)
	}
	e := bot.NewEngine(s, content, reg, bot.Config{})
	// To the summary, typing every answer.
	walk := []string{"你好", "同意", "我是顾客", "签购单", "昨天下午3点", "星光超市", "只是丢了", "128元", "微信", "不知道", "退款"}

	workers := parallelism * runtime.GOMAXPROCS(0)
	keys := make([][]bot.Key, workers)
	var wg sync.WaitGroup
	for w := range keys {
		for c := range convsPerWorker {
			keys[w] = append(keys[w], bot.Key{Channel: "bench", User: "t" + strconv.Itoa(w) + "c" + strconv.Itoa(c)})
		}
		wg.Go(func() {
			for _, key := range keys[w] {
				for i, text := range walk {
					replies, err := e.Handle(ctx, bot.Event{Key: key, Kind: bot.EventText, DeliveryID: "w" + strconv.Itoa(i), Text: text})
					if err != nil {
						b.Error(err)
						return
					}
					if i == len(walk)-1 && (len(replies) == 0 || replies[len(replies)-1].MsgID != "consumer.summary") {
						b.Errorf("walk ended at %v, want the summary", replies)
						return
					}
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
			// Each conversation alternates: its turns come in pairs.
			key := mine[(i/2)%len(mine)]
			text := "改金额"
			if i%2 == 1 {
				text = "一百二十八元"
			}
			if _, err := e.Handle(ctx, bot.Event{Key: key, Kind: bot.EventText, DeliveryID: "d" + strconv.Itoa(i), Text: text}); err != nil {
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
