package bot

import "github.com/slipdesk/slipdesk/bot/understand"

// Reading is what a question makes of one answer, before anything is
// stored: the value its slot takes, or why it asks again.
type Reading struct {
	// Value is what the step's slot takes; for a choice, Option's value.
	Value string
	// Option is the option chosen at a choice.
	Option *ChoiceOption
	// Problem is the message that asks again when the answer does not
	// do; "" when it does.
	Problem string
	// Why is set when the answer asks why the question is asked: it is
	// answered with the step's why text and the question asked again.
	Why bool
	// Unknown is set when the user said they do not know: the slot is
	// kept empty and the question not asked again.
	Unknown bool
}

// unknownTypes are the slot types that always take "I don't know".
var unknownTypes = map[string]bool{"datetime": true, "amount": true, "last4": true}

// Read returns what ask or choice step s makes of text. data gives the
// conversation's template data, for option labels that use it; it is
// called only when one does. The engine reads every answer this way,
// and `slipdesk flows try` too, so that what it prints is what happens.
func (c *Content) Read(reg *Registry, env SlotEnv, s *Step, text string, data func() map[string]any) Reading {
	// "Why do you need this?" is never an option; at a typed question it
	// is asked when the step says why, so that a free text such as a
	// shop's reply to a customer may still ask why.
	if (s.Kind == KindChoice || s.Why != "") && understand.AsksWhy(text) {
		return Reading{Why: true}
	}
	switch s.Kind {
	case KindAsk:
		if (s.Unknown || unknownTypes[s.Type]) && understand.IsUnknown(text) {
			return Reading{Unknown: true}
		}
		st := reg.SlotTypes[s.Type]
		if st == nil {
			return Reading{Problem: MsgRetry}
		}
		v, problem := st.Parse(env, text)
		if problem != "" {
			return Reading{Problem: problem}
		}
		return Reading{Value: v}
	case KindChoice:
		if o := c.matchOption(s, text, data); o != nil {
			return Reading{Value: o.Value, Option: o}
		}
		return Reading{Problem: MsgChooseOne}
	}
	return Reading{Problem: MsgRetry}
}
