package bot

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// maxTimers bounds the timer IDs a conversation remembers.
const maxTimers = 64

// schedule sets a timer that signals this conversation at due.
func (t *Turn) schedule(name, value string, due time.Time) {
	t.Effect(EffectTimer, map[string]string{"name": name, "value": value}, due)
	id := t.effects[len(t.effects)-1].ID
	t.Conv.Timers = append(t.Conv.Timers, id)
	if n := len(t.Conv.Timers); n > maxTimers {
		t.Conv.Timers = slices.Delete(t.Conv.Timers, 0, n-maxTimers)
	}
}

// syncCase sends the case's new state to the case index.
func (t *Turn) syncCase(c *Case) {
	buf, err := json.Marshal(c)
	if err != nil {
		t.e.cfg.Logger.Error("encode case", "case", c.No, "err", err)
		return
	}
	t.Effect(EffectCaseSync, map[string]string{"case": string(buf)}, time.Time{})
}

func (t *Turn) alertMerchant(c *Case, reminder bool) {
	fields, _ := json.Marshal(c.SharedFields())
	data := map[string]string{"case": c.No, "merchant": c.Merchant, "fields": string(fields)}
	if reminder {
		data["reminder"] = "1"
	}
	t.Effect(EffectAlert, data, time.Time{})
}

// newCaseNo returns a case number the case index has not handed out.
func (t *Turn) newCaseNo() (string, error) {
	idx := t.e.cfg.CaseIndex
	for range 8 {
		no := NewCaseNo()
		if idx == nil {
			return no, nil
		}
		ok, err := idx.ReserveCaseNo(t.ctx, no)
		if err != nil {
			return "", err
		}
		if ok {
			return no, nil
		}
	}
	return "", Errorf(EINTERNAL, "no free case number after 8 tries")
}

// splitList splits a comma-separated list from a flow file, dropping
// blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// openCase opens a case from the answers collected: with["fields"] names
// the slots to keep (default all), with["share"] those the merchant may
// see (default all kept), with["expect"] the proof kinds of the
// checklist (default by slot paid_by), with["say"] the message to say.
// It sets slot case_no. When slot merchant_confirmed is "yes" and slot
// merchant_match names a merchant, the merchant is alerted.
func openCase(t *Turn, with map[string]string) error {
	no, err := t.newCaseNo()
	if err != nil {
		return err
	}
	now := t.now.Unix()
	key := t.Event.Key
	c := Case{No: no, Status: CaseOpen, Consumer: &key, Lang: t.Conv.Lang, Opened: now, Fields: map[string]string{}}
	names := splitList(with["fields"])
	for k, v := range t.Conv.Slots {
		if len(names) == 0 || slices.Contains(names, k) {
			c.Fields[k] = v
		}
	}
	if share := splitList(with["share"]); len(share) > 0 {
		c.Shared = share
	} else {
		for k := range c.Fields {
			c.Shared = append(c.Shared, k)
		}
		slices.Sort(c.Shared)
	}
	c.Expect = splitList(with["expect"])
	if len(c.Expect) == 0 {
		switch t.Conv.Slots["paid_by"] {
		case "alipay", "wechat", "unionpay_qr":
			c.Expect = []string{"mobile_record"}
		default:
			c.Expect = []string{"bank_sms", "statement"}
		}
	}
	c.Proofs, t.Conv.Proofs = t.Conv.Proofs, nil
	c.Log = []CaseChange{{At: now, Status: CaseOpen, Actor: "consumer"}}
	c.Updated, c.Seq = now, 1
	cfg := t.e.cfg.Cases
	t.contactMerchant(&c)
	if len(c.ProofsMissing()) > 0 {
		t.schedule(SignalProofRemind, no, t.now.Add(cfg.ProofRemindAfter))
	}
	t.schedule(SignalIdleClose, no, t.now.Add(cfg.IdleCloseAfter))
	// Not among the conversation's timers: a deletion of the consumer's
	// data leaves it, so that the anonymous record still ages out.
	t.Effect(EffectTimer, map[string]string{"name": TimerCasePurge, "value": no}, t.now.Add(cfg.Retention))
	t.Conv.Cases = append(t.Conv.Cases, c)
	t.syncCase(&c)
	t.setSlot("case_no", no)
	if msg := with["say"]; msg != "" {
		t.Say(msg, nil)
	}
	return nil
}

// resolveCase marks the newest open case resolved (with["status"] may
// say closed instead) and says with["say"].
func resolveCase(t *Turn, with map[string]string) error {
	c := t.Conv.Case(t.Conv.Slots["case_no"])
	if c == nil {
		c = t.Conv.LatestCase()
	}
	status := CaseResolved
	if with["status"] == string(CaseClosed) {
		status = CaseClosed
	}
	if c != nil && !c.Status.Done() {
		c.setStatus(status, "consumer", t.now.Unix(), "")
		t.syncCase(c)
		t.schedule(SignalIdleClose, c.No, t.now.Add(t.e.cfg.Cases.IdleCloseAfter))
	}
	if msg := with["say"]; msg != "" {
		t.Say(msg, nil)
	}
	return nil
}
