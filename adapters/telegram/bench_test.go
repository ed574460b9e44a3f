package telegram_test

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/bot"
)

// chatter is what the benchmarks' users type in turn after their first
// "hello": neither answers the consent question, so each update is a
// committed turn whose two replies ("please pick one", the question
// again) go out as two messages, and the conversation never ends.
var chatter = [...]string{"what?", "hello"}

// inEngine marks the context of an engine turn, so that the round trips
// the engine makes can be told from those the channel makes itself.
type inEngine struct{}

// taggedEngine hands events to the engine under a context marked
// inEngine.
type taggedEngine struct{ telegram.Processor }

func (p taggedEngine) Process(ctx context.Context, ev bot.Event) (bot.Result, error) {
	return p.Processor.Process(context.WithValue(ctx, inEngine{}, true), ev)
}

// roundTrips counts what the client sends the server, one per command
// and one per pipeline, as BenchmarkTurn in adapters/redis does; engine
// counts those made inside an engine turn.
type roundTrips struct{ all, engine atomic.Int64 }

func (h *roundTrips) count(ctx context.Context) {
	h.all.Add(1)
	if ctx.Value(inEngine{}) != nil {
		h.engine.Add(1)
	}
}

func (h *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.count(ctx)
		return next(ctx, cmd)
	}
}

func (h *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.count(ctx)
		return next(ctx, cmds)
	}
}

// benchBot is a channel over a desk of its own on the real server and a
// fake Bot API, with the pacer off so that only the work is timed. The
// fake serves from this process: its work shares the CPUs with the
// channel's and is in the figures.
type benchBot struct {
	fake    *telegramtest.Server
	bot     *telegram.Bot
	webhook http.Handler
	trips   *roundTrips
	calls   int // API calls before the timed part
	sends   int // sendMessage calls before the timed part
}

func newBenchBot(b *testing.B) *benchBot {
	b.Helper()
	rdb := redistest.Real(b)
	trips := &roundTrips{}
	rdb.AddHook(trips)
	d := redistest.NewDesk(b, rdb, redistest.Options{})
	fake := telegramtest.New(b, testToken)
	tg, err := telegram.New(telegram.Options{
		Token: testToken, APIURL: fake.URL, Engine: d.Engine, Processor: taggedEngine{d.Engine},
		Sent: d.Store, PerChat: -1, PerSecond: -1, PollTimeout: time.Second,
	})
	if err != nil {
		b.Fatal(err)
	}
	h, err := tg.Webhook(testSecret)
	if err != nil {
		b.Fatal(err)
	}
	return &benchBot{fake: fake, bot: tg, webhook: h, trips: trips}
}

// poll runs Poll until the returned stop is called, or the benchmark
// ends.
func (bb *benchBot) poll(b *testing.B) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bb.bot.Poll(ctx) }()
	stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("Poll: %v", err)
		}
	})
	b.Cleanup(stop)
	return stop
}

// zero starts the counts of round trips and API calls.
func (bb *benchBot) zero() {
	bb.trips.all.Store(0)
	bb.trips.engine.Store(0)
	bb.calls = len(bb.fake.Calls(""))
	bb.sends = len(bb.fake.Calls("sendMessage"))
}

// newSends returns how many messages went out since zero.
func (bb *benchBot) newSends() int { return len(bb.fake.Calls("sendMessage")) - bb.sends }

// report gives the round trips and API calls since zero per unit of
// work: all round trips, the channel's own (those outside the engine's
// turns), and the Bot API calls.
func (bb *benchBot) report(b *testing.B, unit string) {
	n := float64(b.N)
	all := bb.trips.all.Load()
	b.ReportMetric(float64(all)/n, "roundtrips/"+unit)
	b.ReportMetric(float64(all-bb.trips.engine.Load())/n, "channel-roundtrips/"+unit)
	b.ReportMetric(float64(len(bb.fake.Calls(""))-bb.calls)/n, "apicalls/"+unit)
}

// BenchmarkWebhookUpdate measures one text update posted to the webhook
// handler, from the request to the 200: the engine's turn, its replies
// sent to the fake API, the record of them in Redis. b.RunParallel posts
// from 8 goroutines per GOMAXPROCS, as Telegram posts over many
// connections; each goroutine has its own share of 1,000 chats and goes
// round them in turn, so chats are handled concurrently and no two
// goroutines wait on one chat's lock.
func BenchmarkWebhookUpdate(b *testing.B) {
	const (
		parallelism = 8 // goroutines per GOMAXPROCS: updates mostly wait on Redis and the API
		chats       = 1000
	)
	bb := newBenchBot(b)
	workers := parallelism * runtime.GOMAXPROCS(0)
	mine := make([][]int64, workers)
	for c := range chats {
		mine[c%workers] = append(mine[c%workers], int64(10_000+c))
	}
	// Every conversation starts before the clock runs, from as many
	// goroutines as will post updates, so that neither first turns nor
	// the dialling of pool connections count as the steady state.
	var (
		lastID atomic.Int64
		wg     sync.WaitGroup
	)
	for _, list := range mine {
		wg.Go(func() {
			for _, chat := range list {
				u := telegramtest.TextUpdate(chat, "en", "hello")
				u.ID = lastID.Add(1)
				if code := postUpdate(b, bb.webhook, u, testSecret); code != http.StatusOK {
					b.Errorf("webhook answered %d to the first update of chat %d", code, chat)
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
	bb.zero()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		list := mine[nextWorker.Add(1)-1]
		for i := 0; pb.Next(); i++ {
			chat := list[i%len(list)]
			u := telegramtest.TextUpdate(chat, "en", chatter[i/len(list)%len(chatter)])
			u.ID = lastID.Add(1)
			if code := postUpdate(b, bb.webhook, u, testSecret); code != http.StatusOK {
				b.Errorf("webhook answered %d to update %d", code, u.ID)
				return
			}
		}
	})
	b.StopTimer()
	if sent := bb.newSends(); sent < b.N {
		b.Fatalf("%d updates got %d messages; every update must get an answer", b.N, sent)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	bb.report(b, "update")
}

// BenchmarkPollUpdates measures text updates taken by long polling:
// b.N updates over 100 chats wait in the fake API, Poll starts, and the
// clock stops once the poller has confirmed the last of them. Poll
// itself handles the chats of a batch concurrently, 8 at once.
func BenchmarkPollUpdates(b *testing.B) {
	const chats = 100
	bb := newBenchBot(b)
	var last int64
	for c := range chats {
		last = bb.fake.Push(telegramtest.TextUpdate(int64(10_000+c), "en", "hello"))
	}
	stop := bb.poll(b)
	waitConfirmed(b, bb.fake, last)
	stop()
	for i := range b.N {
		text := chatter[i/chats%len(chatter)]
		last = bb.fake.Push(telegramtest.TextUpdate(int64(10_000+i%chats), "en", text))
	}
	bb.zero()
	b.ResetTimer()
	stop = bb.poll(b)
	waitConfirmed(b, bb.fake, last)
	b.StopTimer()
	stop()
	if sent := bb.newSends(); sent < b.N {
		b.Fatalf("%d updates got %d messages; every update must get an answer", b.N, sent)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	bb.report(b, "update")
}

// BenchmarkRedeliveredUpdate measures what a Telegram retry storm
// costs: one update is taken and answered, then posted to the webhook
// b.N times more with its update_id. Each redelivery must be answered
// 200 from the records, the engine's and the channel's, without a
// message.
func BenchmarkRedeliveredUpdate(b *testing.B) {
	bb := newBenchBot(b)
	// The update redelivered is a turn of a running conversation, not
	// its first.
	var u models.Update
	for i, text := range []string{"hello", "what?"} {
		u = telegramtest.TextUpdate(42, "en", text)
		u.ID = int64(i + 1)
		if code := postUpdate(b, bb.webhook, u, testSecret); code != http.StatusOK {
			b.Fatalf("webhook answered %d to the first delivery of update %d", code, u.ID)
		}
	}
	bb.zero()
	b.ResetTimer()
	for range b.N {
		if code := postUpdate(b, bb.webhook, u, testSecret); code != http.StatusOK {
			b.Fatalf("webhook answered %d to a redelivery", code)
		}
	}
	b.StopTimer()
	if sent := bb.newSends(); sent != 0 {
		b.Fatalf("%d redeliveries sent %d messages, want none", b.N, sent)
	}
	bb.report(b, "redelivery")
}
