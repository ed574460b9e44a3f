package redisstore

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

// newEngine returns an engine running countFlow over s. Conflicts are
// expected by the hundred when goroutines race on one conversation, so
// the retry bound is raised far above the default, and so is the
// transcript's, to check every line.
func newEngine(tb testing.TB, s *Store) *bot.Engine {
	tb.Helper()
	content, reg := countContent(tb)
	return bot.NewEngine(s, content, reg, bot.Config{MaxAttempts: 100000, Archive: s, Limits: bot.Limits{TranscriptLines: 100000}})
}

// TestEngineConcurrentTurns races many events of one conversation through
// the engine: the version check must make every one of them count once.
func TestEngineConcurrentTurns(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		s := newTestStore(t, rdb)
		e := newEngine(t, s)
		key := bot.Key{Channel: "test", User: "racer"}
		const goroutines, perGoroutine = 16, 25
		wantReplies := []bot.Reply{{MsgID: "count.ask", Text: "Send a number."}}

		var wg sync.WaitGroup
		errs := make(chan error, goroutines*perGoroutine)
		for g := range goroutines {
			wg.Go(func() {
				for i := range perGoroutine {
					text := strconv.Itoa(1000*(g+1) + i)
					replies, err := e.Handle(ctx, bot.Event{Key: key, Kind: bot.EventText, DeliveryID: "d" + text, Text: text, LangHint: "en"})
					switch {
					case err != nil:
						errs <- fmt.Errorf("event %s: %w", text, err)
					case !reflect.DeepEqual(replies, wantReplies):
						errs <- fmt.Errorf("event %s: got replies %+v, want %+v", text, replies, wantReplies)
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}

		conv := mustLoad(t, s, key, "").Conv
		if conv.Turns != goroutines*perGoroutine || conv.Version != goroutines*perGoroutine {
			t.Errorf("got %d turns at version %d, want %d of each: updates were lost", conv.Turns, conv.Version, goroutines*perGoroutine)
		}
		lines, err := s.Transcript(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for _, l := range lines {
			if l.From == "user" {
				got = append(got, l.Text)
			}
		}
		for g := range goroutines {
			for i := range perGoroutine {
				want = append(want, strconv.Itoa(1000*(g+1)+i))
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("transcript holds %d user lines, want each of the %d sent once", len(got), len(want))
		}
	})
}

// TestEngineRedelivery sends one delivery five times, one after another
// and all at once: the user gets the same replies each time, and the turn
// and its effect happen once.
func TestEngineRedelivery(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		s := newTestStore(t, rdb)
		e := newEngine(t, s)
		for _, concurrent := range []bool{false, true} {
			t.Run(fmt.Sprintf("concurrent=%v", concurrent), func(t *testing.T) {
				key := bot.Key{Channel: "test", User: fmt.Sprintf("redelivered-%v", concurrent)}
				if _, err := e.Handle(ctx, bot.Event{Key: key, Kind: bot.EventText, DeliveryID: "first", Text: "hello", LangHint: "en"}); err != nil {
					t.Fatal(err)
				}
				ev := bot.Event{Key: key, Kind: bot.EventText, DeliveryID: "agent", Text: "/agent", LangHint: "en"}
				const sends = 5
				replies := make([][]bot.Reply, sends)
				errs := make([]error, sends)
				var wg sync.WaitGroup
				for i := range sends {
					send := func() { replies[i], errs[i] = e.Handle(ctx, ev) }
					if concurrent {
						wg.Go(send)
					} else {
						send()
					}
				}
				wg.Wait()
				want := []bot.Reply{{MsgID: bot.MsgHandover, Text: "sys.handover (en)"}}
				for i := range sends {
					if errs[i] != nil || !reflect.DeepEqual(replies[i], want) {
						t.Errorf("send %d: got %+v, %v; want %+v", i+1, replies[i], errs[i], want)
					}
				}

				conv := mustLoad(t, s, key, "").Conv
				if conv.Turns != 2 || !conv.Human {
					t.Errorf("got %d turns, human %v; want 2 turns and a handover", conv.Turns, conv.Human)
				}
				effects, err := s.Outbox(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
				if len(effects) != 1 || effects[0].Kind != "handover" {
					t.Errorf("outbox = %+v, want one handover", effects)
				}
				lines, err := s.Transcript(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, l := range lines {
					if l.From == "user" && l.Text == "/agent" {
						n++
					}
				}
				if n != 1 {
					t.Errorf("transcript holds /agent %d times, want once", n)
				}
			})
		}
	})
}
