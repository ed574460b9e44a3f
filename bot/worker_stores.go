package bot

import (
	"context"
	"time"
)

// Sender delivers replies to a user on one channel, outside of a reply to
// that user's own message: merchant alerts, relayed answers, reminders.
type Sender interface {
	Send(ctx context.Context, to Key, replies []Reply) error
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, to Key, replies []Reply) error

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, to Key, replies []Reply) error {
	return f(ctx, to, replies)
}

// Outbox is the store side of the relay: the conversations with effects
// not yet carried out.
type Outbox interface {
	// ClaimOutboxes returns up to n conversations whose outbox has
	// effects, leasing each for lease so other relays skip it.
	ClaimOutboxes(ctx context.Context, n int, lease time.Duration) ([]Key, error)
	// OutboxEffects returns the effects waiting in key's outbox.
	OutboxEffects(ctx context.Context, key Key) ([]Effect, error)
	// AckEffect removes one carried-out effect from key's outbox.
	AckEffect(ctx context.Context, key Key, e Effect) error
	// ReleaseOutbox drops key from the pending outboxes if its outbox is
	// empty and nothing was committed to it since the claim.
	ReleaseOutbox(ctx context.Context, key Key) error
}

// CaseIndex keeps the case records operators and merchants look up.
type CaseIndex interface {
	// ReserveCaseNo claims a case number; false if it is taken.
	ReserveCaseNo(ctx context.Context, no string) (bool, error)
	// SyncCase stores c unless the index holds the same or a newer Seq,
	// and keeps the indexes by merchant, status and consumer.
	SyncCase(ctx context.Context, c Case) error
	// Case returns the case no, or an ENOTFOUND error.
	Case(ctx context.Context, no string) (Case, error)
	// CasesByMerchant returns the merchant's cases, newest first.
	CasesByMerchant(ctx context.Context, merchantID string, limit int) ([]Case, error)
	// CasesByStatus returns the cases in status, newest first.
	CasesByStatus(ctx context.Context, status CaseStatus, limit int) ([]Case, error)
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
	ID   string `json:"id"`
	Key  Key    `json:"key"`
	Name string `json:"name"`
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

// Deliveries claims the messages of a delivery for sending and
// remembers how many went out, so that each goes out once whichever
// process sends it; see SendOnce.
type Deliveries interface {
	// ClaimSend takes the sending lease of delivery d, of n messages,
	// for owner until now+lease, unless all n are marked sent or another
	// owner holds an unexpired lease. It returns how many messages were
	// marked sent and whether owner holds the lease now.
	ClaimSend(ctx context.Context, d Delivery, owner string, n int, now time.Time, lease time.Duration) (sent int, claimed bool, err error)
	// MarkSent records, while owner holds the lease, that the delivery's
	// first n messages went out, and renews the lease until now+lease;
	// done ends the lease. The marks are kept for ttl. It fails with an
	// error matching ErrLeaseLost when owner holds the lease no longer.
	MarkSent(ctx context.Context, d Delivery, owner string, n int, done bool, now time.Time, lease, ttl time.Duration) error
	// ReleaseSend ends owner's lease without marking more, so that
	// another try may start at once.
	ReleaseSend(ctx context.Context, d Delivery, owner string) error
}

// Delivery names the messages of one delivery for Deliveries.
type Delivery struct {
	// Key and ID are the conversation and the delivery ID of the turn
	// whose replies the messages are: a store may keep the lease and
	// the marks in that turn's record.
	Key Key
	ID  string
	// Mark names the lease and the marks when no record of a committed
	// turn holds them: replies given without a commit, or a turn an
	// older version committed. It must not change between versions.
	Mark string
}

// Lease is a claim to send a delivery's messages: Owner may send them
// until Until.
type Lease struct {
	Owner string
	Until time.Time
}

// OpsQueue is where operators hear of cases that need a person.
type OpsQueue interface {
	// NotifyOps adds an entry once per id.
	NotifyOps(ctx context.Context, id, kind string, data map[string]string) error
	// ForgetConversation removes what the entries hold of a deleted
	// conversation.
	ForgetConversation(ctx context.Context, key Key) error
}
