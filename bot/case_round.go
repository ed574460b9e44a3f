package bot

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The things a shop may ask for when it needs more information to find
// a payment: the exact time, the amount, the card's last four digits, a
// payment screenshot, the bank's SMS, or something in its own words.
const (
	NeedTime       = "time"
	NeedAmount     = "amount"
	NeedLast4      = "last4"
	NeedScreenshot = "screenshot"
	NeedBankSMS    = "bank_sms"
	NeedWords      = "words"
)

// InfoNeeds lists what a shop may ask for.
var InfoNeeds = []string{NeedTime, NeedAmount, NeedLast4, NeedScreenshot, NeedBankSMS, NeedWords}

// MsgInfoNeedPrefix names what the shop asked for, in words: + an
// InfoNeeds entry.
const MsgInfoNeedPrefix = "sys.case.need_"

// Slots of a need-info round, for the consumer flow to branch on and its
// messages to show.
const (
	// SlotInfoNeed is what the shop asked for, SlotInfoNeedLabel the
	// same in words.
	SlotInfoNeed      = "info_need"
	SlotInfoNeedLabel = "info_need_label"
)

// round returns the case's current round: 1 before any was counted.
func (c *Case) round() int { return max(c.Round, 1) }

// roundRef names a round of a case in timers and claims: "PS-7K3Q9" for
// the first, "PS-7K3Q9/2" for the next.
func roundRef(no string, round int) string {
	if round <= 1 {
		return no
	}
	return no + "/" + strconv.Itoa(round)
}

// parseRoundRef is the inverse of roundRef.
func parseRoundRef(ref string) (string, int) {
	no, r, ok := strings.Cut(ref, "/")
	if !ok {
		return ref, 1
	}
	n, err := strconv.Atoi(r)
	if err != nil || n < 1 {
		return no, 1
	}
	return no, n
}

// sendInfo answers the shop's request for more information on the
// conversation's case and starts the next round: the shop gets a new
// alert with the case's details and what the consumer added, and its
// reminder and escalation timers start again. The answer is in the slot
// with["slot"] names (already masked, as every text is), and files the
// consumer sent since the request go with it when with["files"] is
// "yes": they agreed to share them; with none sent, it says
// with["fail"] and starts no round. It sets slot info_sent to "yes" or
// "no", and says with["say"].
func sendInfo(t *Turn, with map[string]string) error {
	c := t.Conv.Case(t.Conv.Slots["case_no"])
	if c == nil || c.Answer == nil || c.Answer.Value != "need_info" {
		// Nothing was asked, or the case moved on meanwhile.
		return nil
	}
	now := t.now.Unix()
	info := strings.TrimSpace(t.slotOf(with["slot"]))
	var shared []sharedFile
	if with["files"] == "yes" {
		for i := range c.Proofs {
			if p := &c.Proofs[i]; p.At >= c.Answer.At {
				p.Shared = true
				shared = append(shared, sharedFile{Kind: p.Kind, Attachment: p.Attachment})
			}
		}
		if len(shared) == 0 {
			t.setSlot("info_sent", "no")
			t.sayIf(with["fail"], nil)
			return nil
		}
	}
	t.setSlot("info_sent", "yes")
	asked := c.Answer
	c.Round = c.round() + 1
	c.Answer = nil
	note := "information sent: " + asked.Need
	if len(shared) > 0 {
		note += ", " + strconv.Itoa(len(shared)) + " file(s) shared"
	}
	c.setStatus(CaseWaitingMerchant, "consumer", now, note)
	fields := c.SharedFields()
	fields["round"] = strconv.Itoa(c.Round)
	fields["need"] = asked.Need
	fields["info"] = truncateRunes(info, MaxTextLen)
	if len(shared) > 0 {
		buf, _ := json.Marshal(shared)
		fields[sharedField] = string(buf)
	}
	buf, _ := json.Marshal(fields)
	t.Effect(EffectAlert, map[string]string{"case": c.No, "merchant": c.Merchant, "fields": string(buf)}, time.Time{})
	t.schedule(SignalMerchantRemind, roundRef(c.No, c.Round), t.now.Add(t.e.cfg.Cases.MerchantRemindAfter))
	t.syncCase(c)
	t.sayIf(with["say"], nil)
	return nil
}

// needLabel renders what the shop asked for in the conversation's
// language.
func (t *Turn) needLabel(need string) string {
	if !slices.Contains(InfoNeeds, need) {
		return ""
	}
	l, err := t.content.Catalog.Render(t.Conv.Lang, MsgInfoNeedPrefix+need, nil)
	if err != nil {
		return need
	}
	return l
}
