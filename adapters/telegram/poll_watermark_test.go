package telegram_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/bot"
)

// gate holds the events of one chat until it is opened, as a chat
// waiting out its pace or a 429 would.
type gate struct {
	telegram.Processor
	chat string
	open chan struct{}
}

func (g *gate) Process(ctx context.Context, ev bot.Event) (bot.Result, error) {
	if ev.Key.User == g.chat {
		select {
		case <-g.open:
		case <-ctx.Done():
			return bot.Result{}, ctx.Err()
		}
	}
	return g.Processor.Process(ctx, ev)
}

// TestPollNoHeadOfLine holds one chat's update: the other chat's updates
// are answered meanwhile, and the offset stays at the held update until
// it is answered, then passes everything.
func TestPollNoHeadOfLine(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	fake := telegramtest.New(t, testToken)
	g := &gate{Processor: d.Engine, chat: "201", open: make(chan struct{})}
	b, err := telegram.New(telegram.Options{Token: testToken, APIURL: fake.URL, Engine: d.Engine, Processor: g, Sent: d.Store, PerChat: -1, PerSecond: -1, PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	held := fake.Push(telegramtest.TextUpdate(201, "en", "hello"))
	fake.Push(telegramtest.TextUpdate(202, "en", "hello"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Poll(ctx) }()
	defer func() { cancel(); <-done }()

	fake.WaitSent(t, 202, 1, waitFor)
	// Messages that come while the chat is held are read and answered.
	last := fake.Push(telegramtest.TextUpdate(202, "en", "what?"))
	before := len(fake.Sent(202))
	if got := fake.WaitSent(t, 202, before+1, waitFor); len(got) <= before {
		t.Fatal("a later update of another chat waited for the held chat")
	}
	if n := len(fake.Sent(201)); n != 0 {
		t.Fatalf("the held chat got %d messages", n)
	}
	if offs := fake.Offsets(); slices.Max(offs) > held {
		t.Fatalf("offsets %v passed the held update %d", offs, held)
	}
	close(g.open)
	waitConfirmed(t, fake, last)
	if got := fake.WaitSent(t, 201, 1, waitFor); len(got) == 0 {
		t.Fatal("the held chat got no answer once released")
	}
}

// TestPollPausesWhenEmpty points the poller at an API whose polls come
// back empty at once (a timeout of 0 s): it pauses between them instead
// of asking in a busy loop.
func TestPollPausesWhenEmpty(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	fake := telegramtest.New(t, testToken)
	b, err := telegram.New(telegram.Options{Token: testToken, APIURL: fake.URL, Engine: d.Engine, Sent: d.Store, PerChat: -1, PerSecond: -1, PollTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := b.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	// A pause of 250 ms allows about 4 polls a second; a busy loop
	// makes hundreds.
	if n := len(fake.Calls("getUpdates")); n == 0 || n > 20 {
		t.Fatalf("%d polls in a second of empty answers", n)
	}
}
