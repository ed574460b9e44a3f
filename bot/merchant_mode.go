package bot

import (
	"slices"
	"strings"
)

// HomeFlow is the flow a merchant chat starts in, instead of the
// consumer's start flow, when it is in merchant mode: a chat linked to a
// shop is greeted and helped as the shop, not as a customer.
const HomeFlow = "merchant_home"

// homeFlow returns where a new or ended conversation starts.
func (t *Turn) homeFlow() string {
	if t.Conv.Merchant != "" && t.content.Flows[HomeFlow] != nil {
		return HomeFlow
	}
	return t.content.StartFlow
}

// help says with["say"], or with["say_merchant"] in a chat in merchant
// mode.
func help(t *Turn, with map[string]string) error {
	msg := with["say"]
	if t.Conv.Merchant != "" && with["say_merchant"] != "" {
		msg = with["say_merchant"]
	}
	t.sayIf(msg, nil)
	return nil
}

// maxMerchantStatus bounds the cases a shop's /status lists.
const maxMerchantStatus = 10

// merchantStatus lists the shop's cases that are not done, newest
// first, each with what the shop does next: answer it (the alert is
// waiting in this chat), or correct the answer given.
func merchantStatus(t *Turn) error {
	idx := t.e.cfg.CaseIndex
	if idx == nil {
		t.Say(MsgMerchantNoCases, nil)
		return nil
	}
	cases, err := idx.CasesByMerchant(t.ctx, t.Conv.Merchant, 5*maxMerchantStatus)
	if err != nil {
		return err
	}
	shown := 0
	for i := range cases {
		c := &cases[i]
		if c.Status.Done() || shown == maxMerchantStatus {
			continue
		}
		shown++
		f := c.SharedFields()
		data := map[string]any{
			"No": c.No, "When": f["when"], "Amount": f["amount"], "Last4": f["last4"],
			"Opened": t.shortDate(c.Opened), "Answer": "",
			"Queued": slices.ContainsFunc(t.Conv.Alerts, func(a Alert) bool { return a.Case == c.No }),
			"Mine":   slices.ContainsFunc(t.Conv.Answered, func(a Alert) bool { return a.Case == c.No }),
		}
		if c.Answer != nil {
			data["Answer"] = t.answerLabel(c.Answer.Value)
		}
		t.Say(MsgMerchantCaseLine, data)
	}
	if shown == 0 {
		t.Say(MsgMerchantNoCases, nil)
	}
	return nil
}

// answerAlert shows the alert of the case named after the command
// ("/answer PS-7K3Q9") at once, ahead of the others waiting; with no
// case named, the oldest waiting one.
func answerAlert(t *Turn, _ map[string]string) error {
	c := &t.Conv
	no := NormalizeCaseNo(t.CommandArg())
	i := 0
	if no != "" {
		i = slices.IndexFunc(c.Alerts, func(a Alert) bool { return a.Case == no })
	}
	if i < 0 || len(c.Alerts) == 0 {
		if no == "" {
			no = strings.TrimSpace(t.CommandArg())
		}
		t.Say(MsgMerchantNoAlert, map[string]any{"No": no})
		return nil
	}
	a := c.Alerts[i]
	c.Alerts = slices.Delete(c.Alerts, i, i+1)
	c.Alerts = slices.Insert(c.Alerts, 0, a)
	t.presentAlert(a)
	t.moved = true
	return nil
}
