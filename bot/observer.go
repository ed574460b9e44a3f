package bot

import "time"

// Observer hears what the engine, the workers and the channels do, for
// metrics. Its methods are called on the hot path: they must be quick
// and safe for concurrent use. bot/ names the events only; an adapter
// turns them into a metrics library's counters.
type Observer interface {
	// Turn reports one event handled: outcome is "committed",
	// "replayed" (a redelivery answered from its record), "idle"
	// (nothing to commit) or "error".
	Turn(channel, outcome string, took time.Duration)
	// Conflict reports a commit that lost to another and ran again.
	Conflict(channel string)
	// Messages reports a delivery's messages: sent now, and already
	// sent before (a redelivery, a retry), so not sent again.
	Messages(channel string, sent, skipped int)
	// Alert reports a merchant alert "delivered", "retried" or "dead".
	Alert(outcome string)
	// TimerFired reports a timer that signalled its conversation.
	TimerFired(name string)
	// CaseStatus reports a case written to the index with its status.
	CaseStatus(status string)
}

// NopObserver hears nothing.
type NopObserver struct{}

// Turn implements Observer.
func (NopObserver) Turn(string, string, time.Duration) {}

// Conflict implements Observer.
func (NopObserver) Conflict(string) {}

// Messages implements Observer.
func (NopObserver) Messages(string, int, int) {}

// Alert implements Observer.
func (NopObserver) Alert(string) {}

// TimerFired implements Observer.
func (NopObserver) TimerFired(string) {}

// CaseStatus implements Observer.
func (NopObserver) CaseStatus(string) {}
