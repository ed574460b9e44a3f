package workers_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/workers"
)

// fakeEngine answers every event with one reply naming its delivery, on
// a fixed clock, and keeps the events it was given.
type fakeEngine struct {
	now    time.Time
	events []bot.Event
}

var _ workers.Engine = (*fakeEngine)(nil)

func (e *fakeEngine) Process(_ context.Context, ev bot.Event) (bot.Result, error) {
	e.events = append(e.events, ev)
	return bot.Result{Replies: []bot.Reply{{MsgID: "m", Text: ev.DeliveryID}}, Fresh: true}, nil
}

func (e *fakeEngine) Now() time.Time           { return e.now }
func (e *fakeEngine) PersonalFields() []string { return []string{"last4"} }

// fakeTimers holds timers in memory; every timer due is claimable.
type fakeTimers struct {
	list []workers.Timer
	done []string
	at   time.Time
}

var _ workers.TimerQueue = (*fakeTimers)(nil)

func (q *fakeTimers) ScheduleTimer(_ context.Context, t workers.Timer) error {
	q.list = append(q.list, t)
	return nil
}

func (q *fakeTimers) CancelTimer(context.Context, string) error { return nil }

func (q *fakeTimers) ClaimTimers(_ context.Context, now time.Time, n int, _ time.Duration) ([]workers.Timer, error) {
	q.at = now
	var out []workers.Timer
	for _, t := range q.list {
		if t.Due <= now.Unix() && !slices.Contains(q.done, t.ID) && len(out) < n {
			out = append(out, t)
		}
	}
	return out, nil
}

func (q *fakeTimers) DoneTimer(_ context.Context, id string) error {
	q.done = append(q.done, id)
	return nil
}

// fakeCases is a case index of one case.
type fakeCases struct {
	bot.CaseIndex
	c         bot.Case
	synced    []bot.Case
	forgotten []string
}

func (f *fakeCases) ForgetCase(_ context.Context, no string) error {
	f.forgotten = append(f.forgotten, no)
	return nil
}

func (f *fakeCases) Case(_ context.Context, no string) (bot.Case, error) {
	if no != f.c.No {
		return bot.Case{}, bot.Errorf(bot.ENOTFOUND, "no case %s", no)
	}
	return f.c, nil
}

func (f *fakeCases) SyncCase(_ context.Context, c bot.Case) error {
	f.synced = append(f.synced, c)
	return nil
}

// TestTimersOnce fires due timers through the Engine interface alone: a
// timeout and a signal reach their conversations with the timer's
// delivery ID on the engine's clock and their replies go out; a timer for
// a channel this worker has no sender for stays for another worker; a
// purge anonymises its case without a turn.
func TestTimersOnce(t *testing.T) {
	now := time.Date(2026, 12, 3, 4, 0, 0, 0, time.UTC)
	eng := &fakeEngine{now: now}
	web, tg := bot.Key{Channel: "web", User: "a"}, bot.Key{Channel: "tg", User: "b"}
	timers := &fakeTimers{list: []workers.Timer{
		{ID: "t1", Key: web, Name: bot.SignalTick, Due: now.Unix() - 1},
		{ID: "t2", Key: web, Name: bot.SignalProofRemind, Value: "PS-1", Due: now.Unix()},
		{ID: "t3", Key: tg, Name: bot.SignalProofRemind, Value: "PS-2", Due: now.Unix()},
		{ID: "t4", Key: web, Name: bot.TimerCasePurge, Value: "PS-9", Due: now.Unix()},
		{ID: "t5", Key: web, Name: bot.SignalTick, Due: now.Unix() + 60},
	}}
	cases := &fakeCases{c: bot.Case{No: "PS-9", Consumer: &web, Fields: map[string]string{"last4": "1234", "shop": "Starlight"}, Shared: []string{"last4", "shop"}}}
	var sent []string
	w := &workers.Workers{
		Engine: eng, Timers: timers, Cases: cases,
		Senders: map[string]bot.Sender{"web": bot.SenderFunc(func(_ context.Context, to bot.Key, rs []bot.Reply) error {
			for _, r := range rs {
				sent = append(sent, to.String()+" "+r.Text)
			}
			return nil
		})},
	}
	n, err := w.TimersOnce(context.Background())
	if err == nil || bot.ErrorCode(err) != bot.EUNAVAIL {
		t.Errorf("error: got %v, want the missing Telegram sender's", err)
	}
	if n != 3 {
		t.Errorf("fired %d timers, want 3", n)
	}
	if !timers.at.Equal(now) {
		t.Errorf("claimed timers due at %v, want the engine's clock %v", timers.at, now)
	}
	if want := []string{"t1", "t2", "t4"}; !slices.Equal(timers.done, want) {
		t.Errorf("timers done: got %v, want %v (t3 waits for a worker with a Telegram sender)", timers.done, want)
	}
	if len(eng.events) < 2 || eng.events[0].Kind != bot.EventTick || eng.events[1].Kind != bot.EventSignal ||
		eng.events[1].Name != bot.SignalProofRemind || eng.events[1].Data != "PS-1" {
		t.Errorf("events: got %+v, want a tick, then the proof reminder of PS-1", eng.events)
	}
	if want := []string{"web:a timer:t1", "web:a timer:t2"}; !slices.Equal(sent, want) {
		t.Errorf("sent: got %v, want %v", sent, want)
	}
	if len(cases.synced) != 1 {
		t.Fatalf("cases synced: got %d, want the purged one", len(cases.synced))
	}
	if c := cases.synced[0]; !c.Anonymous || c.Consumer != nil || c.Fields["last4"] != "" || c.Fields["shop"] != "Starlight" || c.Updated != now.Unix() {
		t.Errorf("purged case: got %+v, want it anonymous without last4, at the engine's time", c)
	}
}

// TestCaseForgottenAfterKeep follows a case past its retention: the
// purge schedules one forget timer, KeepCases later, which removes the
// anonymous record; a case anonymised earlier (its consumer deleted
// their data) gets its forget timer from the purge all the same.
func TestCaseForgottenAfterKeep(t *testing.T) {
	for _, anonymous := range []bool{false, true} {
		now := time.Date(2026, 12, 3, 4, 0, 0, 0, time.UTC)
		eng := &fakeEngine{now: now}
		timers := &fakeTimers{list: []workers.Timer{{ID: "p", Name: bot.TimerCasePurge, Value: "PS-9", Due: now.Unix()}}}
		cases := &fakeCases{c: bot.Case{No: "PS-9", Anonymous: anonymous}}
		w := &workers.Workers{Engine: eng, Timers: timers, Cases: cases, Config: workers.Config{KeepCases: 48 * time.Hour}}
		for range 2 {
			// A purge run twice (a lost acknowledgement) schedules
			// the same forget timer.
			if _, err := w.TimersOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			timers.done = nil
		}
		var forget []workers.Timer
		for _, tm := range timers.list {
			if tm.Name == bot.TimerCaseForget {
				forget = append(forget, tm)
			}
		}
		if len(forget) == 0 || forget[0].ID != workers.TimerCaseForgetID("PS-9") || forget[0].Value != "PS-9" ||
			forget[0].Due != now.Add(48*time.Hour).Unix() || forget[0].Key != (bot.Key{}) {
			t.Fatalf("anonymous %v: forget timers %+v, want one for PS-9 due 48h later, naming no conversation", anonymous, forget)
		}
		if len(cases.forgotten) != 0 {
			t.Fatalf("anonymous %v: forgotten before its time: %v", anonymous, cases.forgotten)
		}
		timers.list = forget[:1]
		eng.now = now.Add(48 * time.Hour)
		if _, err := w.TimersOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(cases.forgotten, []string{"PS-9"}) || !slices.Equal(timers.done, []string{forget[0].ID}) {
			t.Errorf("anonymous %v: forgotten %v, timers done %v; want PS-9 once", anonymous, cases.forgotten, timers.done)
		}
	}
}

// TestDrainStopsOnError checks Drain reports a worker's failure.
func TestDrainStopsOnError(t *testing.T) {
	broken := errors.New("store down")
	w := &workers.Workers{Engine: &fakeEngine{}, Outbox: failingOutbox{broken}}
	if err := w.Drain(context.Background()); !errors.Is(err, broken) {
		t.Errorf("Drain: got %v, want %v", err, broken)
	}
}

type failingOutbox struct{ err error }

func (f failingOutbox) ClaimOutboxes(context.Context, int, time.Duration) ([]bot.Key, error) {
	return nil, f.err
}
func (f failingOutbox) OutboxEffects(context.Context, bot.Key) ([]bot.Effect, error) {
	return nil, f.err
}
func (f failingOutbox) AckEffect(context.Context, bot.Key, bot.Effect) error { return f.err }
func (f failingOutbox) ReleaseOutbox(context.Context, bot.Key) error         { return f.err }
