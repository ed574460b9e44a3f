package workers

import (
	"context"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// ProofDeleter deletes a proof's bytes; the proof store implements it.
type ProofDeleter interface {
	Delete(ctx context.Context, ref string) error
}

// Outbox is the store side of the relay: the conversations with effects
// not yet carried out.
type Outbox interface {
	// ClaimOutboxes returns up to n conversations whose outbox has
	// effects, leasing each for lease so other relays skip it.
	ClaimOutboxes(ctx context.Context, n int, lease time.Duration) ([]bot.Key, error)
	// OutboxEffects returns the effects waiting in key's outbox.
	OutboxEffects(ctx context.Context, key bot.Key) ([]bot.Effect, error)
	// AckEffect removes one carried-out effect from key's outbox.
	AckEffect(ctx context.Context, key bot.Key, e bot.Effect) error
	// ReleaseOutbox drops key from the pending outboxes if its outbox is
	// empty and nothing was committed to it since the claim.
	ReleaseOutbox(ctx context.Context, key bot.Key) error
}

// QueuedAlert is an alert read from the alert queue.
type QueuedAlert struct {
	// QueueID is the queue's own ID of the entry.
	QueueID string
	// ID is the effect ID it came from: the same alert always has it.
	ID       string
	Case     string
	Merchant string
	// Fields are the case fields the merchant may see, as JSON.
	Fields   string
	Reminder bool
	// Deliveries counts how often the queue handed it out.
	Deliveries int64
}

// AlertQueue is the merchant alert stream shared by all alert workers.
type AlertQueue interface {
	// EnqueueAlert adds a once: a second call with the same ID adds
	// nothing.
	EnqueueAlert(ctx context.Context, a QueuedAlert) error
	// ReadAlerts returns up to n alerts for consumer: new ones and those
	// another worker took but did not acknowledge within retry. It waits
	// up to block for new ones.
	ReadAlerts(ctx context.Context, consumer string, n int, block, retry time.Duration) ([]QueuedAlert, error)
	// AckAlert marks a delivered and removes it from the queue.
	AckAlert(ctx context.Context, a QueuedAlert) error
	// DeadLetter moves a to the dead-letter stream, with the reason.
	DeadLetter(ctx context.Context, a QueuedAlert, reason string) error
}

// Timer is a signal due to a conversation at a time.
type Timer struct {
	ID   string  `json:"id"`
	Key  bot.Key `json:"key"`
	Name string  `json:"name"`
	// Value is the signal's value (a case number for case timers).
	Value string `json:"value,omitempty"`
	Due   int64  `json:"due"`
}

// TimerQueue keeps timers so that they survive restarts and fire once.
type TimerQueue interface {
	// ScheduleTimer adds t, or changes nothing if t.ID is scheduled.
	ScheduleTimer(ctx context.Context, t Timer) error
	// CancelTimer drops the timer with id; a missing one is no error.
	CancelTimer(ctx context.Context, id string) error
	// ClaimTimers returns up to n timers due at now, leased for lease:
	// a claimed timer comes back only if it is not done by then.
	ClaimTimers(ctx context.Context, now time.Time, n int, lease time.Duration) ([]Timer, error)
	// DoneTimer drops a fired timer.
	DoneTimer(ctx context.Context, id string) error
}

// OpsQueue is where operators hear of cases that need a person.
type OpsQueue interface {
	// NotifyOps adds an entry once per id.
	NotifyOps(ctx context.Context, id, kind string, data map[string]string) error
	// ForgetConversation removes what the entries hold of a deleted
	// conversation.
	ForgetConversation(ctx context.Context, key bot.Key) error
}
