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

// FlowUseCounter reads the counts of conversations on each flow version,
// for the operators who change flows: which older versions are still in
// use, and by how many. The store keeps them from each commit's FlowUse;
// the Redis store implements it.
type FlowUseCounter interface {
	// FlowUse returns the versions with conversations counted on them
	// at time now.
	FlowUse(ctx context.Context, now time.Time) ([]FlowVersionUse, error)
}

// flowUseRenewals is how many times within the idle TTL a conversation's
// count is renewed: a day for the default 30 days. The count of a
// conversation lapses at most this share of the TTL after the
// conversation itself.
const flowUseRenewals = 32

// loadedFlow is what a turn remembers of the conversation as loaded, to
// tell the store what its commit changes in the counts.
type loadedFlow struct {
	ref     FlowRef
	updated int64
}

func loadedFlowOf(c Conversation) loadedFlow {
	if c.Version == 0 || c.Ended || c.Flow == "" {
		return loadedFlow{updated: c.Updated}
	}
	return loadedFlow{ref: FlowRef{c.Flow, c.FlowVersion}, updated: c.Updated}
}

// flowUse returns what a commit changes in the counts, or nil when
// nothing: only a turn that starts the conversation on a flow version,
// moves it to another, ends it, deletes it, or is its first in a renewal
// period has the store write to the counts (in the commit's round trip),
// so that most turns cost nothing more.
func (e *Engine) flowUse(before loadedFlow, after Commit) *FlowUse {
	var to FlowRef
	if !after.Delete && !after.Conv.Ended && after.Conv.Flow != "" {
		to = FlowRef{after.Conv.Flow, after.Conv.FlowVersion}
	}
	period := max(e.cfg.IdleTTL/flowUseRenewals, time.Second)
	now := unixTime(after.Conv.Updated)
	renew := to != FlowRef{} && (before.updated == 0 || unixTime(before.updated).Truncate(period) != now.Truncate(period))
	if before.ref == to && !renew {
		return nil
	}
	return &FlowUse{From: before.ref, To: to, At: now, Until: now.Add(e.cfg.IdleTTL + period)}
}
