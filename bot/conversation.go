package bot

import (
	"slices"
	"time"
)

// Key names one conversation: a user on a channel.
type Key struct {
	Channel string
	User    string
}

// String returns "channel:user".
func (k Key) String() string { return k.Channel + ":" + k.User }

// Conversation is the state of one user's dialogue with the bot. It is what
// the store keeps between turns.
type Conversation struct {
	// Version is the store's version of this state, checked on commit.
	Version int64 `json:"-"`
	// Lang is the conversation's language tag ("zh-CN" or "en").
	Lang string `json:"lang"`
	// LangChosen is set once the user chose the language (/lang, or by
	// naming it): from then on, what they write no longer switches it.
	LangChosen bool `json:"lang_set,omitempty"`
	// ConsentAt is when the user last agreed to the privacy terms (Unix
	// seconds), kept across reports so that it is not asked for again
	// while it is recent.
	ConsentAt int64 `json:"consent_at,omitempty"`
	// Flow and FlowVersion name the flow the conversation runs and the
	// version it started on; Step is the step it is at.
	Flow        string `json:"flow,omitempty"`
	FlowVersion string `json:"fv,omitempty"`
	Step        string `json:"step,omitempty"`
	// Slots are the values collected so far, by slot name.
	Slots map[string]string `json:"slots,omitempty"`
	// Prefill lists the slots a first message or a pasted notification
	// filled before their questions came: each question is then taken
	// as answered, once, instead of asked.
	Prefill []string `json:"pre,omitempty"`
	// Tries counts failed answers to the current question.
	Tries int `json:"tries,omitempty"`
	// Token is the current question's token; buttons carry it so that a
	// button of an older question is recognised as stale.
	Token uint32 `json:"tok,omitempty"`
	// Deadline is when a waiting step times out (Unix seconds), 0 if none.
	Deadline int64 `json:"dl,omitempty"`
	// Return is where a called command flow resumes.
	Return *Resume `json:"ret,omitempty"`
	// Human is set while a person has taken the conversation over.
	Human bool `json:"human,omitempty"`
	// Ended is set when the flow reached an end step.
	Ended bool `json:"ended,omitempty"`
	// Started and Updated are Unix seconds.
	Started int64 `json:"started,omitempty"`
	Updated int64 `json:"updated,omitempty"`
	// Turns counts committed turns.
	Turns int64 `json:"turns,omitempty"`
	// Epoch is random per conversation life: a conversation deleted and
	// started again gets a new one, so its effect IDs never repeat.
	Epoch string `json:"epoch,omitempty"`
	// Cases are the cases this consumer opened, newest last.
	Cases []Case `json:"cases,omitempty"`
	// Proofs are files sent before a case was opened; they move into
	// the case when it opens.
	Proofs []Proof `json:"proofs,omitempty"`
	// Merchant is the ID of the merchant this chat is linked to: the chat
	// is then in merchant mode (see HomeFlow).
	Merchant string `json:"merchant,omitempty"`
	// Alerts are the cases this merchant chat was alerted to and has not
	// answered yet, oldest first.
	Alerts []Alert `json:"alerts,omitempty"`
	// Answered are the alerts this merchant chat answered, newest last
	// and at most maxAnswered, so that it can correct an answer.
	Answered []Alert `json:"answered,omitempty"`
	// Timers are the IDs of timers this conversation set, newest last,
	// so that deleting the conversation can cancel them.
	Timers []string `json:"timers,omitempty"`
}

// Alert is a case a merchant chat was told about.
type Alert struct {
	Case     string            `json:"case"`
	Merchant string            `json:"merchant"`
	Fields   map[string]string `json:"fields,omitempty"`
	At       int64             `json:"at"`
}

// Resume is a position to come back to.
type Resume struct {
	Flow        string `json:"flow"`
	FlowVersion string `json:"fv"`
	Step        string `json:"step"`
}

// clone returns a deep copy, so that a failed turn never changes the state
// it was handed.
func (c Conversation) clone() Conversation {
	if c.Slots != nil {
		s := make(map[string]string, len(c.Slots))
		for k, v := range c.Slots {
			s[k] = v
		}
		c.Slots = s
	}
	if c.Return != nil {
		r := *c.Return
		c.Return = &r
	}
	if c.Cases != nil {
		cases := make([]Case, len(c.Cases))
		for i, cs := range c.Cases {
			cases[i] = cs.clone()
		}
		c.Cases = cases
	}
	c.Proofs = slices.Clone(c.Proofs)
	c.Alerts = slices.Clone(c.Alerts)
	c.Answered = slices.Clone(c.Answered)
	c.Timers = slices.Clone(c.Timers)
	return c
}

// Case returns the conversation's case no, or nil.
func (c *Conversation) Case(no string) *Case {
	for i := range c.Cases {
		if c.Cases[i].No == no {
			return &c.Cases[i]
		}
	}
	return nil
}

// LatestCase returns the newest case that is not done, or nil.
func (c *Conversation) LatestCase() *Case {
	for i := len(c.Cases) - 1; i >= 0; i-- {
		if !c.Cases[i].Status.Done() {
			return &c.Cases[i]
		}
	}
	return nil
}

func unixTime(sec int64) time.Time { return time.Unix(sec, 0) }
