package bot

// What a consumer hears about a case comes from the case alone: the
// waiting step, /status and every reminder read its state through
// Outcome, so that an answer that came early, an escalation or a shop
// that cannot be reached are said as they are, whenever they happened.

// Outcomes of a case, as the consumer is told them. The merchant's
// answers (MerchantAnswers) are outcomes too.
const (
	// OutcomeWaiting: the shop was alerted and has not answered.
	OutcomeWaiting = "waiting"
	// OutcomeEscalated: the shop stayed silent; operators have the case.
	OutcomeEscalated = "escalated"
	// OutcomeUnreachable: the shop is registered but no chat of it takes
	// messages; operators have the case.
	OutcomeUnreachable = "unreachable"
	// OutcomeUnregistered: the shop the consumer named does not use the
	// help desk, so nobody told it.
	OutcomeUnregistered = "unregistered"
	// OutcomeNotContacted: the consumer chose not to contact the shop
	// through us, or named none.
	OutcomeNotContacted = "not_contacted"
	// OutcomeResolved and OutcomeClosed: the case is done.
	OutcomeResolved = "resolved"
	OutcomeClosed   = "closed"
)

// Reasons a case needs operators or has no shop, kept in Case.Reason.
const (
	ReasonMerchantSilent       = "merchant_silent"
	ReasonMerchantUnreachable  = "merchant_unreachable"
	ReasonMerchantUnregistered = "merchant_unregistered"
)

// CaseOutcomes lists every outcome, for the validator and the locale
// checks.
var CaseOutcomes = append([]string{
	OutcomeWaiting, OutcomeEscalated, OutcomeUnreachable, OutcomeUnregistered,
	OutcomeNotContacted, OutcomeResolved, OutcomeClosed,
}, MerchantAnswers...)

// Outcome returns what the consumer should be told about c now.
func (c *Case) Outcome() string {
	switch c.Status {
	case CaseResolved:
		return OutcomeResolved
	case CaseClosed:
		return OutcomeClosed
	case CaseEscalated:
		if c.Reason == ReasonMerchantUnreachable {
			return OutcomeUnreachable
		}
		return OutcomeEscalated
	}
	switch {
	case c.Answer != nil:
		return c.Answer.Value
	case c.Reason == ReasonMerchantUnregistered:
		return OutcomeUnregistered
	case c.Merchant == "":
		return OutcomeNotContacted
	}
	return OutcomeWaiting
}

// caseState sets slot case_state to the outcome of the conversation's
// case (see Case.Outcome), and slots merchant_answer and
// merchant_answer_text to the shop's answer, so that the flow branches on
// what is true now rather than on what it expected. With no case,
// case_state is "".
func caseState(t *Turn, _ map[string]string) error {
	c := t.Conv.Case(t.Conv.Slots["case_no"])
	if c == nil {
		c = t.Conv.LatestCase()
	}
	if c == nil {
		t.setSlot(SlotCaseState, "")
		return nil
	}
	t.setCaseSlots(c)
	return nil
}

// setCaseSlots sets the slots a flow reads about case c: case_state,
// and the shop's answer with what it asked for.
func (t *Turn) setCaseSlots(c *Case) {
	t.setSlot(SlotCaseState, c.Outcome())
	if c.Answer != nil {
		t.setSlot(SignalMerchantAnswer, c.Answer.Value)
		t.setSlot("merchant_answer_text", c.Answer.Text)
		t.setSlot(SlotInfoNeed, c.Answer.Need)
		t.setSlot(SlotInfoNeedLabel, t.needLabel(c.Answer.Need))
		// A file sent for the shop's request is filed as what it asked.
		switch {
		case c.Answer.Need == NeedBankSMS:
			t.setSlot("proof_kind", ProofBankSMS)
		case c.Answer.Need == NeedScreenshot && len(c.Expect) > 0:
			t.setSlot("proof_kind", c.Expect[0])
		}
	}
}

// SlotCaseState is the slot case_state sets.
const SlotCaseState = "case_state"

// waitingOn reports whether the conversation stands at a step waiting
// for the shop's answer on case c.
func (t *Turn) waitingOn(c *Case) *Step {
	s := t.step()
	if s == nil || s.Kind != KindWait || s.Wait != SignalMerchantAnswer || t.Conv.Human || t.Conv.Ended {
		return nil
	}
	if no := t.Conv.Slots["case_no"]; no != "" && no != c.No {
		return nil
	}
	return s
}

// moveOn takes a conversation waiting on case c to the step its wait
// names for the case's outcome, and reports whether it did. A flow
// without a step for that outcome keeps waiting.
func (t *Turn) moveOn(c *Case) bool {
	s := t.waitingOn(c)
	if s == nil {
		return false
	}
	outcome := c.Outcome()
	if _, ok := s.On[outcome]; !ok {
		return false
	}
	t.setCaseSlots(c)
	t.Conv.Deadline = 0
	t.jump(s.On[outcome])
	return true
}
