package bot

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AlertStep is the step a merchant chat is taken to when an alert
// arrives: a choice of the one-tap answers whose action is answer_case.
const AlertStep = "merchant_desk.alert"

// maxTimers bounds the timer IDs a conversation remembers.
const maxTimers = 64

// CaseConfig holds the timings and limits of cases.
type CaseConfig struct {
	// MerchantRemindAfter is how long a merchant may stay silent before
	// the alert is sent again as a reminder (default 24h).
	MerchantRemindAfter time.Duration
	// EscalateAfter is how long after the reminder a silent merchant's
	// case goes to operators (default 24h).
	EscalateAfter time.Duration
	// ProofRemindAfter is when a consumer with missing proof is reminded
	// (default 24h).
	ProofRemindAfter time.Duration
	// IdleCloseAfter closes a case without activity (default 14 days).
	IdleCloseAfter time.Duration
	// MaxProofs is the most files one case takes (default 10).
	MaxProofs int
	// Personal names the case fields dropped from the anonymous record
	// when a consumer deletes their data (default last4).
	Personal []string
	// Retention is how long after opening a case keeps its consumer,
	// personal fields and proofs; then only the anonymous record stays
	// (default 90 days).
	Retention time.Duration
}

func (c *CaseConfig) setDefaults() {
	if c.MerchantRemindAfter <= 0 {
		c.MerchantRemindAfter = 24 * time.Hour
	}
	if c.EscalateAfter <= 0 {
		c.EscalateAfter = 24 * time.Hour
	}
	if c.ProofRemindAfter <= 0 {
		c.ProofRemindAfter = 24 * time.Hour
	}
	if c.IdleCloseAfter <= 0 {
		c.IdleCloseAfter = 14 * 24 * time.Hour
	}
	if c.MaxProofs <= 0 {
		c.MaxProofs = DefaultMaxProofs
	}
	if c.Personal == nil {
		c.Personal = []string{"last4"}
	}
	if c.Retention <= 0 {
		c.Retention = 90 * 24 * time.Hour
	}
}

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
	if m := t.Conv.Slots["merchant_match"]; m != "" && t.Conv.Slots["merchant_confirmed"] == "yes" {
		c.Merchant = m
		c.setStatus(CaseWaitingMerchant, "consumer", now, "merchant alerted")
		t.alertMerchant(&c, false)
		t.schedule(SignalMerchantRemind, no, t.now.Add(cfg.MerchantRemindAfter))
	}
	if len(c.ProofsMissing()) > 0 {
		t.schedule(SignalProofRemind, no, t.now.Add(cfg.ProofRemindAfter))
	}
	t.schedule(SignalIdleClose, no, t.now.Add(cfg.IdleCloseAfter))
	t.schedule(TimerCasePurge, no, t.now.Add(cfg.Retention))
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

// proofChecklist says which proofs the newest case has and which are
// missing, and sets slots proofs_in and proofs_missing (comma lists).
func proofChecklist(t *Turn, with map[string]string) error {
	c := t.Conv.LatestCase()
	if c == nil {
		t.setSlot("proofs_in", "")
		t.setSlot("proofs_missing", "")
		t.Say(MsgProofNone, nil)
		return nil
	}
	in, missing := c.ProofsIn(), c.ProofsMissing()
	t.setSlot("proofs_in", strings.Join(in, ","))
	t.setSlot("proofs_missing", strings.Join(missing, ","))
	msg := with["say"]
	if msg == "" {
		msg = MsgProofChecklist
	}
	t.Say(msg, t.checklistData(c))
	return nil
}

func (t *Turn) checklistData(c *Case) map[string]any {
	return map[string]any{
		"No":      c.No,
		"In":      t.kindList(c.ProofsIn()),
		"Missing": t.kindList(c.ProofsMissing()),
		"Count":   len(c.Proofs),
	}
}

// kindList renders proof kinds as a list in the conversation's language;
// "" for none.
func (t *Turn) kindList(kinds []string) string {
	labels := make([]string, 0, len(kinds))
	for _, k := range kinds {
		l, err := t.content.Catalog.Render(t.Conv.Lang, MsgProofKindPrefix+k, nil)
		if err != nil {
			l = k
		}
		labels = append(labels, l)
	}
	sep := ", "
	if t.Conv.Lang == "zh-CN" {
		sep = "、"
	}
	return strings.Join(labels, sep)
}

// onFile attaches a file to the newest open case, or keeps it for the
// case the conversation will open, under the kind in slot proof_kind.
func (t *Turn) onFile(a *Attachment) {
	if a == nil {
		t.Say(MsgUnsupported, nil)
		t.reprompt()
		return
	}
	t.log = append(t.log, LogLine{At: t.now.Unix(), From: "user", Text: "[file " + safeText(a.Mime) + " " + strconv.FormatInt(a.Size, 10) + " bytes]"})
	kind := t.Conv.Slots["proof_kind"]
	if !slices.Contains(ProofKinds, kind) {
		kind = "other"
	}
	p := Proof{Kind: kind, At: t.now.Unix(), Attachment: *a}
	p.Name = truncateRunes(safeText(p.Name), 100)
	c := t.Conv.LatestCase()
	proofs := &t.Conv.Proofs
	if c != nil {
		proofs = &c.Proofs
	}
	switch {
	case a.SHA256 != "" && slices.ContainsFunc(*proofs, func(q Proof) bool { return q.SHA256 == a.SHA256 }):
		t.Say(MsgProofDuplicate, nil)
	case len(*proofs) >= t.e.cfg.Cases.MaxProofs:
		t.Say(MsgProofLimit, map[string]any{"Max": t.e.cfg.Cases.MaxProofs})
	default:
		*proofs = append(*proofs, p)
		data := map[string]any{"Kind": t.kindList([]string{kind}), "No": "", "In": "", "Missing": ""}
		if c != nil {
			c.touch(t.now.Unix())
			t.syncCase(c)
			for k, v := range t.checklistData(c) {
				data[k] = v
			}
			data["Kind"] = t.kindList([]string{kind})
		}
		t.Say(MsgProofReceived, data)
	}
	t.reprompt()
}

// onCaseSignal handles the signals the engine owns; it reports whether
// name was one of them.
func (t *Turn) onCaseSignal(name, data string) bool {
	switch name {
	case SignalCaseAlert:
		t.onAlert(data)
	case SignalMerchantAnswer:
		t.onMerchantAnswer(data)
	case SignalMerchantRemind, SignalEscalate, SignalMerchantUnreachable, SignalProofRemind, SignalIdleClose:
		t.onCaseTimer(name, data)
	case SignalTick:
		t.fireTimeout()
	default:
		return false
	}
	return true
}

// answerSignal is the data of a merchant_answer signal.
type answerSignal struct {
	Case  string `json:"case"`
	Value string `json:"value"`
	Text  string `json:"text,omitempty"`
}

func (t *Turn) onMerchantAnswer(data string) {
	var a answerSignal
	if !strings.HasPrefix(data, "{") {
		// An operator or a test names just the answer: it is for the
		// case the conversation opened last.
		a.Value = data
	} else if err := json.Unmarshal([]byte(data), &a); err != nil {
		t.e.cfg.Logger.Warn("bad merchant answer signal", "err", err)
		return
	}
	if !slices.Contains(MerchantAnswers, a.Value) {
		t.e.cfg.Logger.Warn("unknown merchant answer", "value", a.Value)
		return
	}
	if a.Case == "" {
		a.Case = t.Conv.Slots["case_no"]
	}
	c := t.Conv.Case(a.Case)
	if c == nil {
		// No case to update: only a flow waiting for the answer hears it.
		if s := t.step(); s != nil && s.Kind == KindWait && s.Wait == SignalMerchantAnswer {
			t.setSlot("merchant_answer_text", a.Text)
			t.onWaitSignal(s, SignalMerchantAnswer, a.Value)
		}
		return
	}
	now := t.now.Unix()
	c.Answer = &MerchantNote{Value: a.Value, Text: a.Text, At: now}
	if !c.Status.Done() {
		c.setStatus(CaseMerchantAnswered, "merchant:"+c.Merchant, now, a.Value)
	}
	t.syncCase(c)
	t.setSlot("merchant_answer_text", a.Text)
	s := t.step()
	if s != nil && s.Kind == KindWait && s.Wait == SignalMerchantAnswer && t.Conv.Slots["case_no"] == c.No && !t.Conv.Human {
		t.onWaitSignal(s, SignalMerchantAnswer, a.Value)
		return
	}
	t.Say(MsgCaseAnswerPrefix+a.Value, map[string]any{"No": c.No, "Text": a.Text})
}

func (t *Turn) onCaseTimer(name, no string) {
	c := t.Conv.Case(no)
	if c == nil {
		return
	}
	now := t.now.Unix()
	cfg := t.e.cfg.Cases
	switch name {
	case SignalMerchantRemind:
		if c.Status != CaseWaitingMerchant {
			return
		}
		c.Log = append(c.Log, CaseChange{At: now, Status: c.Status, Actor: "timer", Note: "merchant reminded"})
		c.touch(now)
		t.alertMerchant(c, true)
		t.schedule(SignalEscalate, c.No, t.now.Add(cfg.EscalateAfter))
		t.syncCase(c)
	case SignalEscalate, SignalMerchantUnreachable:
		if c.Status != CaseWaitingMerchant {
			return
		}
		reason := "merchant silent"
		if name == SignalMerchantUnreachable {
			reason = "merchant unreachable"
		}
		c.setStatus(CaseEscalated, "timer", now, reason)
		t.Effect(EffectEscalate, map[string]string{"case": c.No, "reason": strings.ReplaceAll(reason, " ", "_")}, time.Time{})
		t.syncCase(c)
		t.Say(MsgCaseEscalated, map[string]any{"No": c.No})
	case SignalProofRemind:
		if c.Status.Done() || len(c.ProofsMissing()) == 0 {
			return
		}
		t.Say(MsgCaseProofRemind, t.checklistData(c))
	case SignalIdleClose:
		// Closed cases stay closed; operators hold escalated ones.
		if c.Status == CaseClosed || c.Status == CaseEscalated {
			return
		}
		if idle := t.now.Sub(unixTime(c.Updated)); idle < cfg.IdleCloseAfter {
			t.schedule(SignalIdleClose, c.No, unixTime(c.Updated).Add(cfg.IdleCloseAfter))
			return
		}
		resolved := c.Status == CaseResolved
		c.setStatus(CaseClosed, "timer", now, "no activity")
		t.syncCase(c)
		if !resolved {
			// A resolved case closes quietly: there is nothing to tell.
			t.Say(MsgCaseIdleClosed, map[string]any{"No": c.No, "Days": int(cfg.IdleCloseAfter.Hours() / 24)})
		}
	}
}

// alertSignal is the data of a case_alert signal.
type alertSignal struct {
	Case     string            `json:"case"`
	Merchant string            `json:"merchant"`
	Fields   map[string]string `json:"fields,omitempty"`
	Reminder bool              `json:"reminder,omitempty"`
}

// onAlert takes a merchant chat to the alert step, or queues the alert
// behind the one the merchant is answering.
func (t *Turn) onAlert(data string) {
	var a alertSignal
	if err := json.Unmarshal([]byte(data), &a); err != nil || a.Case == "" {
		t.e.cfg.Logger.Warn("bad case alert signal", "err", err)
		return
	}
	c := &t.Conv
	i := slices.IndexFunc(c.Alerts, func(x Alert) bool { return x.Case == a.Case })
	if i < 0 {
		if a.Reminder {
			// The merchant answered meanwhile.
			return
		}
		c.Alerts = append(c.Alerts, Alert{Case: a.Case, Merchant: a.Merchant, Fields: a.Fields, At: t.now.Unix()})
		i = len(c.Alerts) - 1
	}
	if a.Reminder {
		t.Say(MsgAlertReminder, map[string]any{"No": a.Case})
	}
	if c.Human {
		// A person has the chat: the alert waits until they release it.
		if !a.Reminder {
			t.Say(MsgAlertQueued, map[string]any{"No": a.Case, "Waiting": len(c.Alerts)})
		}
		return
	}
	if t.presenting() != "" {
		if t.presenting() != a.Case {
			t.Say(MsgAlertQueued, map[string]any{"No": a.Case, "Waiting": len(c.Alerts) - 1})
		}
		return
	}
	t.presentAlert(c.Alerts[i])
}

// presenting returns the case whose alert the chat is answering, or "".
func (t *Turn) presenting() string {
	f, _, _ := strings.Cut(AlertStep, ".")
	if t.flow == nil || t.flow.Name != f || t.Conv.Ended {
		return ""
	}
	return t.Conv.Slots["alert_case"]
}

func (t *Turn) presentAlert(a Alert) {
	c := &t.Conv
	desk, _, _ := strings.Cut(AlertStep, ".")
	if t.flow != nil && t.flow.Name != desk && !c.Ended && !c.Human && c.Return == nil {
		c.Return = &Resume{Flow: c.Flow, FlowVersion: c.FlowVersion, Step: c.Step}
	}
	for k := range c.Slots {
		if strings.HasPrefix(k, "alert_") {
			delete(c.Slots, k)
		}
	}
	t.setSlot("alert_case", a.Case)
	for k, v := range a.Fields {
		t.setSlot("alert_"+k, v)
	}
	t.jump(AlertStep)
}

// presentWaitingAlert shows the oldest unanswered alert, if any, and
// reports whether it did.
func (t *Turn) presentWaitingAlert() bool {
	if len(t.Conv.Alerts) == 0 || t.Conv.Human || t.presenting() != "" {
		return false
	}
	t.presentAlert(t.Conv.Alerts[0])
	return true
}

// answerCase sends the merchant's answer on the alert being presented to
// the case's consumer: the value in slot alert_answer, the words in slot
// alert_text. It says with["say"], then shows the next waiting alert or
// goes back to where the merchant was.
func answerCase(t *Turn, with map[string]string) error {
	c := &t.Conv
	no := c.Slots["alert_case"]
	i := slices.IndexFunc(c.Alerts, func(x Alert) bool { return x.Case == no })
	if i < 0 {
		t.Say(MsgAlertGone, map[string]any{"No": no})
		t.leaveDesk()
		return nil
	}
	a := c.Alerts[i]
	value := c.Slots["alert_answer"]
	if !slices.Contains(MerchantAnswers, value) {
		return Errorf(EINVALID, "answer_case: slot alert_answer holds %q", value)
	}
	data := map[string]string{"case": a.Case, "value": value, "merchant": a.Merchant}
	if value == "text" {
		data["text"] = c.Slots["alert_text"]
	}
	t.Effect(EffectMerchantAnswer, data, time.Time{})
	c.Alerts = slices.Delete(c.Alerts, i, i+1)
	if msg := with["say"]; msg != "" {
		t.Say(msg, nil)
	}
	for k := range c.Slots {
		if strings.HasPrefix(k, "alert_") {
			delete(c.Slots, k)
		}
	}
	if len(c.Alerts) > 0 {
		t.presentAlert(c.Alerts[0])
		t.moved = true
		return nil
	}
	t.leaveDesk()
	return nil
}

// leaveDesk goes back to where the merchant was before the alerts, or
// ends quietly when they were nowhere.
func (t *Turn) leaveDesk() {
	if t.Conv.Return == nil {
		t.moved = true
		t.Conv.Ended, t.Conv.Deadline = true, 0
		return
	}
	t.Goto(ReturnTarget)
}
