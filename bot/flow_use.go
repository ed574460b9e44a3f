package bot

import (
	"context"
	"time"
)

// FlowRef names one version of one flow.
type FlowRef struct {
	Flow    string
	Version string
}

// FlowUse is a change in which flow version a conversation is counted on.
type FlowUse struct {
	// From is the version the conversation was counted on, zero when
	// none; To the version it runs now, zero when it ended or was
	// deleted.
	From, To FlowRef
	// At is the time of the turn. Until is when the count of the
	// conversation lapses unless a later turn renews it: a conversation
	// nobody writes to expires without a turn to say so.
	At, Until time.Time
}

// FlowVersionUse is how many conversations run on one flow version.
type FlowVersionUse struct {
	FlowRef
	Conversations int64
}

// FlowUseCounter counts the conversations on each flow version, for the
// operators who change flows: which older versions are still in use,
// and by how many. The Redis store implements it.
type FlowUseCounter interface {
	// NoteFlowUse records u for the conversation key.
	NoteFlowUse(ctx context.Context, key Key, u FlowUse) error
	// FlowUse returns the versions with conversations counted on them
	// at time now.
	FlowUse(ctx context.Context, now time.Time) ([]FlowVersionUse, error)
}

// flowUseRenewals is how many times within the idle TTL a conversation's
// count is renewed: a day for the default 30 days. The count of a
// conversation lapses at most this share of the TTL after the
// conversation itself.
const flowUseRenewals = 32

// flowUse returns what the commit of a turn changes in the counts, or
// nil when nothing: only a turn that moves the conversation to another
// flow version, ends it, deletes it, or is the first in a renewal period
// writes to the counter, so that most turns cost nothing more.
func (e *Engine) flowUse(before Conversation, after Commit) *FlowUse {
	var from, to FlowRef
	if before.Version > 0 && !before.Ended && before.Flow != "" {
		from = FlowRef{before.Flow, before.FlowVersion}
	}
	if !after.Delete && !after.Conv.Ended && after.Conv.Flow != "" {
		to = FlowRef{after.Conv.Flow, after.Conv.FlowVersion}
	}
	period := max(e.cfg.IdleTTL/flowUseRenewals, time.Second)
	now := unixTime(after.Conv.Updated)
	renew := to != FlowRef{} && (before.Updated == 0 || unixTime(before.Updated).Truncate(period) != now.Truncate(period))
	if from == to && !renew {
		return nil
	}
	return &FlowUse{From: from, To: to, At: now, Until: now.Add(e.cfg.IdleTTL + period)}
}

// noteFlowUse tells the counter what the turn just committed changed. A
// failure only delays the count until the next renewal: it is logged,
// and the turn stands.
func (e *Engine) noteFlowUse(ctx context.Context, before Conversation, after Commit) {
	if e.cfg.FlowUse == nil {
		return
	}
	u := e.flowUse(before, after)
	if u == nil {
		return
	}
	if err := e.cfg.FlowUse.NoteFlowUse(ctx, after.Key, *u); err != nil {
		e.cfg.Logger.Warn("flow version count not updated", "err", err)
	}
}
