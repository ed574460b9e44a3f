package bot

import "strconv"

// takeAnswer records the shop's answer a on case c in the consumer's
// turn. The first answer counts; another one changes the case only when
// the shop marked it as a correction, and the consumer is told it is
// one. A consumer waiting for the answer is moved on by the waiting
// step; one still busy elsewhere (answering the proof questions, say)
// hears it at once, and the waiting step reads it from the case later.
func (t *Turn) takeAnswer(c *Case, a AnswerSignal) {
	now := t.now.Unix()
	if max(a.Round, 1) != c.round() {
		// An answer, or a correction, of a round the case has left.
		t.e.cfg.Logger.Info("answer on an earlier round ignored", "case", c.No)
		return
	}
	if c.Answer != nil && !a.Correction {
		// Only one answer per case is relayed; a second one is a
		// replay or a race the claim already decided.
		t.e.cfg.Logger.Info("second answer on a case ignored", "case", c.No)
		return
	}
	corrected := c.Answer != nil
	c.Answer = &MerchantNote{Value: a.Value, Text: a.Text, Need: a.Need, Round: c.round(), At: now, Corrected: corrected}
	note := a.Value
	if a.Need != "" {
		note += ": " + a.Need
	}
	if c.round() > 1 {
		note += " (round " + strconv.Itoa(c.round()) + ")"
	}
	if corrected {
		note = "corrected: " + a.Value
	}
	c.answered("merchant:"+c.Merchant, now, note)
	c.Reason = ""
	t.syncCase(c)
	if corrected {
		t.Say(MsgCaseCorrected, map[string]any{"No": c.No})
	} else if t.moveOn(c) {
		return
	}
	t.Say(MsgCaseAnswerPrefix+a.Value, map[string]any{"No": c.No, "Text": a.Text, "Need": t.needLabel(a.Need)})
}
