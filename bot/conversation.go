package bot

import "time"

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
	// Flow and FlowVersion name the flow the conversation runs and the
	// version it started on; Step is the step it is at.
	Flow        string `json:"flow,omitempty"`
	FlowVersion string `json:"fv,omitempty"`
	Step        string `json:"step,omitempty"`
	// Slots are the values collected so far, by slot name.
	Slots map[string]string `json:"slots,omitempty"`
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
	return c
}

func unixTime(sec int64) time.Time { return time.Unix(sec, 0) }
