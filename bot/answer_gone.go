package bot

import "context"

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

// recordAnonymousAnswer keeps a shop's answer on a case whose consumer
// deleted their data: nobody is told, but operators see how the case
// ended. The answer's words are not kept, as on any anonymous record.
func (w *Workers) recordAnonymousAnswer(ctx context.Context, c Case, e Effect) error {
	if c.Answer != nil {
		return nil
	}
	now := w.Engine.cfg.Now().Unix()
	c.Answer = &MerchantNote{Value: e.Data["value"], At: now}
	note := e.Data["value"] + "; the customer had deleted their data"
	c.answered("merchant:"+c.Merchant, now, note)
	c.Reason = ""
	return w.Cases.SyncCase(ctx, c)
}
