package bottest

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

// EngineDriver plays transcripts straight into an engine, as a channel
// without rendering of its own would.
type EngineDriver struct {
	Engine   *bot.Engine
	Key      bot.Key
	LangHint string

	n    int
	last bot.Event
}

// Send delivers ev as the driver's user, with a fresh delivery ID.
func (d *EngineDriver) Send(t testing.TB, ev bot.Event) []bot.Reply {
	t.Helper()
	d.n++
	ev.Key = d.Key
	ev.LangHint = d.LangHint
	ev.DeliveryID = fmt.Sprintf("d%d", d.n)
	d.last = ev
	replies, err := d.Engine.Handle(context.Background(), ev)
	if err != nil {
		t.Fatalf("handle %+v: %v", ev, err)
	}
	return replies
}

// Text implements Driver.
func (d *EngineDriver) Text(t testing.TB, text string) []bot.Reply {
	return d.Send(t, bot.Event{Kind: bot.EventText, Text: text})
}

// Button implements Driver.
func (d *EngineDriver) Button(t testing.TB, last []bot.Reply, value string) []bot.Reply {
	t.Helper()
	return d.Send(t, bot.Event{Kind: bot.EventButton, Data: ButtonData(t, last, value)})
}

// Redeliver implements Driver.
func (d *EngineDriver) Redeliver(t testing.TB) []bot.Reply {
	t.Helper()
	replies, err := d.Engine.Handle(context.Background(), d.last)
	if err != nil {
		t.Fatalf("redeliver: %v", err)
	}
	return replies
}

// Signal implements Driver.
func (d *EngineDriver) Signal(t testing.TB, name, value string) []bot.Reply {
	return d.Send(t, bot.Event{Kind: bot.EventSignal, Name: name, Data: value})
}

// Tick implements Driver.
func (d *EngineDriver) Tick(t testing.TB) []bot.Reply {
	return d.Send(t, bot.Event{Kind: bot.EventTick})
}

// ButtonData returns the data of the button with value among the options
// of replies; a value no option has yields data a stale button would
// carry, so transcripts can tap old buttons too.
func ButtonData(t testing.TB, replies []bot.Reply, value string) string {
	t.Helper()
	for _, r := range replies {
		for _, o := range r.Options {
			if o.Value == value {
				return o.Data
			}
		}
	}
	return "t0:" + value
}

// Content loads the project's flows and locales from the directories
// given, failing t on any error.
func Content(t testing.TB, flowsDir, localesDir string) (*bot.Content, *bot.Registry) {
	t.Helper()
	reg := bot.NewRegistry()
	c, problems := bot.LoadContent(os.DirFS(flowsDir), os.DirFS(localesDir), reg)
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	return c, reg
}
