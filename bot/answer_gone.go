package bot

// consumerGone reports whether the consumer of case no deleted their
// data, as the case index knows it: the shop is then told its answer
// reaches nobody. An index that fails is taken as no: the relay records
// the answer on the anonymous case either way.
func (t *Turn) consumerGone(no string) bool {
	idx := t.e.cfg.CaseIndex
	if idx == nil {
		return false
	}
	c, err := idx.Case(t.ctx, no)
	if err != nil {
		return false
	}
	return c.Consumer == nil
}

// RecordAnonymousAnswer keeps a shop's answer value, given at time at,
// on a case whose consumer deleted their data: nobody is told, but
// operators see how the case ended. The answer's words are not kept, as
// on any anonymous record. It reports false, changing nothing, when the
// case holds an answer already.
func (c *Case) RecordAnonymousAnswer(value string, at int64) bool {
	if c.Answer != nil {
		return false
	}
	c.Answer = &MerchantNote{Value: value, At: at}
	c.answered("merchant:"+c.Merchant, at, value+"; the customer had deleted their data")
	c.Reason = ""
	return true
}
