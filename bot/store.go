package bot

import (
	"context"
	"time"
)

// Store keeps conversations. Implementations live in adapters (Redis) and
// in tests; the engine needs exactly these two calls per turn.
type Store interface {
	// Load returns the conversation of key and, when deliveryID was
	// committed before, the replies recorded for it.
	Load(ctx context.Context, key Key, deliveryID string) (Snapshot, error)
	// Commit writes one turn atomically: the new state, its transcript
	// lines, its effects and the delivery record. It fails with an error
	// matching ErrConflict when the stored version is no longer
	// c.Expect, or when c.DeliveryID was committed meanwhile.
	Commit(ctx context.Context, c Commit) error
}

// Snapshot is what Store.Load found.
type Snapshot struct {
	// Conv is the stored conversation; zero with Version 0 if none.
	Conv Conversation
	// Replayed is non-nil when the delivery was committed before: the
	// replies to send again.
	Replayed []Reply
}

// Commit is everything one turn writes.
type Commit struct {
	Key Key
	// Expect is the version loaded (0: the conversation did not exist).
	Expect int64
	// Conv is the new state; the store sets its version to Expect+1.
	Conv Conversation
	// Delete removes the conversation and its transcript instead of
	// writing Conv; the delivery record is still written.
	Delete bool
	// DeliveryID and Replies are recorded so that a redelivery gets the
	// same replies. An empty DeliveryID records nothing.
	DeliveryID string
	Replies    []Reply
	// SendOwner, when set, takes the sending lease of Replies from the
	// commit on, for SendLease, for the process that commits: its
	// SendOnce need not claim them (see Sending).
	SendOwner string
	SendLease time.Duration
	// Log holds the turn's transcript lines.
	Log []LogLine
	// Effects holds the turn's effects for the outbox.
	Effects []Effect
	// TTL is how long an idle conversation is kept.
	TTL time.Duration
	// DedupeTTL is how long a delivery record is kept.
	DedupeTTL time.Duration
	// MaxLog is how many transcript lines the conversation keeps, the
	// newest; 0 keeps them all.
	MaxLog int
	// FlowUse, when set, changes the counts of conversations per flow
	// version (see FlowUseCounter). The counts are advice for operators,
	// not state: a store may write them beside the commit rather than in
	// it, and a failure to write them does not fail the commit.
	FlowUse *FlowUse
}

// LogLine is one line of a conversation's transcript. User text in it has
// been masked already.
type LogLine struct {
	At    int64  `json:"at"`
	From  string `json:"from"` // "user", "bot" or "system"
	Text  string `json:"text,omitempty"`
	MsgID string `json:"id,omitempty"`
	// Lang, set on a bot line, says that its text is message MsgID of
	// that language as the catalog has it, with nothing filled in: a
	// store may keep the line without its text, and a reader gets the
	// text back from the catalog (Catalog.FillTexts).
	Lang string `json:"lang,omitempty"`
}

// Effect is something a turn caused outside the conversation (a handover,
// a timer, later a case or an alert). It is written to the conversation's
// outbox in the same commit and carried out from there, keyed by ID so
// that doing it twice has the effect of doing it once.
type Effect struct {
	// ID is unique per conversation, turn and effect.
	ID   string            `json:"id"`
	Kind string            `json:"kind"`
	Data map[string]string `json:"data,omitempty"`
	// Due is when a timer effect fires (Unix seconds), 0 for now.
	Due int64 `json:"due,omitempty"`
}
