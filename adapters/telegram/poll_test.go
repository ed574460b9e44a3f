package telegram_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/bot"
)

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// flaky fails the first n events it is given, as an unreachable store
// would, then hands events to the engine.
type flaky struct {
	telegram.Processor
	mu    sync.Mutex
	fails int
	seen  []string
}

func (f *flaky) Process(ctx context.Context, ev bot.Event) (bot.Result, error) {
	f.mu.Lock()
	f.seen = append(f.seen, ev.DeliveryID)
	fail := f.fails > 0
	if fail {
		f.fails--
	}
	f.mu.Unlock()
	if fail {
		return bot.Result{}, fmt.Errorf("commit: %w", bot.ErrUnavailable)
	}
	return f.Processor.Process(ctx, ev)
}

// TestPollOffsetAfterCommit makes the store fail the first tries of an
// update: the poller must not confirm it to Telegram until its turn is
// committed, and then answers it once.
func TestPollOffsetAfterCommit(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	fake := telegramtest.New(t, testToken)
	proc := &flaky{Processor: d.Engine, fails: 3}
	b, err := telegram.New(telegram.Options{Token: testToken, APIURL: fake.URL, Engine: d.Engine, Processor: proc, Sent: d.Store, PerChat: -1, PerSecond: -1, PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Poll(ctx) }()
	defer func() { cancel(); <-done }()

	id := fake.Push(telegramtest.TextUpdate(42, "en", "hello"))
	waitConfirmed(t, fake, id)
	if n := countOf(proc, fmt.Sprint(id)); n != 4 {
		t.Fatalf("update handled %d times, want 3 failures and 1 success", n)
	}
	// The polls after each failure asked for the update again: the
	// offset reached past it only once, after the commit.
	offs := fake.Offsets()
	if n := slices.Index(offs, id+1); n < 0 || slices.ContainsFunc(offs[:n], func(off int64) bool { return off > id }) || countOffset(offs, id) < 3 {
		t.Fatalf("offsets %v: want update %d asked for again after each of 3 failures, then passed", offs, id)
	}
	if sent := fake.WaitSent(t, 42, 1, waitFor); len(sent) == 0 {
		t.Fatal("no answer")
	}
}

func countOffset(offs []int64, off int64) int {
	n := 0
	for _, o := range offs {
		if o == off {
			n++
		}
	}
	return n
}

func countOf(f *flaky, id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, s := range f.seen {
		if s == id {
			n++
		}
	}
	return n
}

// TestPollOrder pushes ten messages of one chat, interleaved with two
// other chats', before the poller sees any: each chat's answers come in
// the order of its messages.
func TestPollOrder(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	fake := telegramtest.New(t, testToken)
	rec := &recorder{Processor: d.Engine, results: map[string]bot.Result{}}
	b, err := telegram.New(telegram.Options{Token: testToken, APIURL: fake.URL, Engine: d.Engine, Processor: rec, Sent: d.Store, PerChat: -1, PerSecond: -1, PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	chats := []int64{101, 102, 103}
	ids := map[int64][]int64{}
	for i := range 10 {
		for _, chat := range chats {
			if chat != 101 && i >= 4 {
				continue
			}
			// Typed answers that each get an answer of their own: the
			// consent question asked again, or the next step.
			text := []string{"hello", "what?", "1", "1", "yesterday 3pm", "Star Mart", "1", "128", "2", "1234"}[i]
			ids[chat] = append(ids[chat], fake.Push(telegramtest.TextUpdate(chat, "en", text)))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Poll(ctx) }()
	defer func() { cancel(); <-done }()
	last := ids[101][len(ids[101])-1]
	waitConfirmed(t, fake, last)
	for _, chat := range chats {
		var want []string
		for _, id := range ids[chat] {
			res, ok := rec.result(fmt.Sprint(id))
			if !ok {
				t.Fatalf("update %d of chat %d not handled", id, chat)
			}
			for _, r := range res.Replies {
				want = append(want, r.Text)
			}
		}
		var got []string
		for _, s := range fake.Sent(chat) {
			got = append(got, s.Text)
		}
		if !slices.Equal(got, want) {
			t.Errorf("chat %d got\n%q\nwant, in the order of its messages,\n%q", chat, got, want)
		}
	}
}

// TestPollGivesUpBadUpdate keeps failing one update for a reason no
// wait cures: after a few tries the poller moves on, so one bad update
// cannot stop the bot.
func TestPollGivesUpBadUpdate(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	fake := telegramtest.New(t, testToken)
	bad := &brokenFor{Processor: d.Engine, id: "1"}
	b, err := telegram.New(telegram.Options{Token: testToken, APIURL: fake.URL, Engine: d.Engine, Processor: bad, Sent: d.Store, PerChat: -1, PerSecond: -1, PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	first := fake.Push(telegramtest.TextUpdate(42, "en", "hello"))
	next := fake.Push(telegramtest.TextUpdate(43, "en", "hello"))
	if fmt.Sprint(first) != bad.id {
		t.Fatalf("first update is %d", first)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Poll(ctx) }()
	defer func() { cancel(); <-done }()
	waitConfirmed(t, fake, next)
	if got := fake.WaitSent(t, 43, 1, waitFor); len(got) == 0 {
		t.Fatal("the good update got no answer")
	}
}

type brokenFor struct {
	telegram.Processor
	id string
}

func (b *brokenFor) Process(ctx context.Context, ev bot.Event) (bot.Result, error) {
	if ev.DeliveryID == b.id {
		return bot.Result{}, bot.Errorf(bot.EINTERNAL, "broken")
	}
	return b.Processor.Process(ctx, ev)
}

// TestPollWrongToken ends polling with an error instead of retrying for
// ever.
func TestPollWrongToken(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	fake := telegramtest.New(t, testToken)
	b, err := telegram.New(telegram.Options{Token: "999:wrong", APIURL: fake.URL, Engine: d.Engine, PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := b.Poll(ctx); err == nil || ctx.Err() != nil {
		t.Fatalf("Poll = %v, want an error at once", err)
	}
	if _, err := b.Check(ctx); err == nil {
		t.Fatal("Check accepted a wrong token")
	}
}
