package redisstore

import (
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

// conflictCount counts the engine's lost commits.
type conflictCount struct {
	bot.NopObserver
	n atomic.Int64
}

func (c *conflictCount) Conflict(string) { c.n.Add(1) }

// BenchmarkHotConversation measures turns of one conversation written by
// 4 goroutines per GOMAXPROCS at once on the real server: every commit
// races the others, and a lost one waits its back-off, reloads and runs
// again. It reports the lost commits per turn.
func BenchmarkHotConversation(b *testing.B) {
	rdb := realRedis(b)
	s := newTestStore(b, rdb)
	content, reg := countContent(b)
	obs := &conflictCount{}
	e := bot.NewEngine(s, content, reg, bot.Config{Observer: obs, MaxAttempts: 1000})
	key := bot.Key{Channel: "bench", User: "hot"}
	if _, err := e.Handle(ctx, bot.Event{Key: key, Kind: bot.EventText, DeliveryID: "start", Text: "hi", LangHint: "en"}); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			if _, err := e.Handle(ctx, bot.Event{Key: key, Kind: bot.EventText, DeliveryID: "d" + strconv.FormatInt(i, 10), Text: strconv.FormatInt(i, 10)}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(obs.n.Load())/float64(b.N), "conflicts/turn")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}
