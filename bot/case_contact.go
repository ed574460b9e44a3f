package bot

import "time"

// contactMerchant decides, when a case opens, whether and how the shop
// hears of it, and records that on the case: a registered shop with a
// linked chat is alerted; a registered shop no chat of which is linked
// cannot be told, so operators get the case at once; a shop the consumer
// named that the registry does not know is recorded as wanted, so that
// operators can bring it on; a consumer who chose not to contact the shop
// gets no alert.
func (t *Turn) contactMerchant(c *Case) {
	now := t.now.Unix()
	slots := t.Conv.Slots
	m := slots[SlotMerchantMatch]
	switch {
	case m != "" && slots["merchant_confirmed"] == "yes":
		c.Merchant = m
		if !t.merchantLinked(m) {
			c.Reason = ReasonMerchantUnreachable
			c.setStatus(CaseEscalated, "consumer", now, "merchant has no linked chat")
			t.Effect(EffectEscalate, map[string]string{"case": c.No, "reason": ReasonMerchantUnreachable}, time.Time{})
			return
		}
		c.setStatus(CaseWaitingMerchant, "consumer", now, "merchant alerted")
		t.alertMerchant(c, false)
		t.schedule(SignalMerchantRemind, c.No, t.now.Add(t.e.cfg.Cases.MerchantRemindAfter))
	case m == "" && slots["merchant"] != "":
		c.Reason = ReasonMerchantUnregistered
		c.Log = append(c.Log, CaseChange{At: now, Status: c.Status, Actor: "consumer", Note: "merchant not registered"})
		t.Effect(EffectMerchantWanted, map[string]string{"case": c.No, "name": slots["merchant"]}, time.Time{})
	}
}

// merchantLinked reports whether merchant id has a chat to alert. A
// registry that fails is taken as yes: the alert worker finds out for
// sure, and escalates when no chat takes the alert.
func (t *Turn) merchantLinked(id string) bool {
	dir := t.e.cfg.Merchants
	if dir == nil {
		return true
	}
	m, err := dir.Merchant(t.ctx, id)
	if err != nil {
		t.e.cfg.Logger.Warn("merchant lookup failed; alerting anyway", "code", ErrorCode(err), "err", err)
		return true
	}
	return len(m.Chats) > 0
}
