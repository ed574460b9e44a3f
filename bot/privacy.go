package bot

import (
	"regexp"
	"slices"
	"strings"

	"github.com/slipdesk/slipdesk/bot/mask"
)

// maskAnswer masks what must not be kept (mask.SensitiveKinds), except a
// shop's 15-digit merchant number sent alone at a merchant-number
// question: that is what a shop's ID looks like, though one in ten
// passes the Luhn check a card number does.
func (t *Turn) maskAnswer(raw string) (string, mask.Masked) {
	var s *Step
	if !t.Conv.Ended {
		s = t.step()
	}
	return MaskAnswer(s, raw)
}

// MaskAnswer masks an answer to question s (nil when there is none) as
// the engine does before reading it.
func MaskAnswer(s *Step, raw string) (string, mask.Masked) {
	if s != nil && s.Kind == KindAsk && s.Type == "merchant_id" {
		digits := strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' {
				return -1
			}
			return r
		}, strings.TrimSpace(foldWidth(raw)))
		if mask.MerchantNumber(digits) {
			return raw, 0
		}
	}
	return mask.SensitiveKinds(raw)
}

// maskedCard finds what masking left of a card number: "****" and its
// last four digits.
var maskedCard = regexp.MustCompile(`\*{4}([0-9]{4})`)

// keepLast4 keeps the last four digits of the one card number masked in
// text for the flow's card question (the slot its notice: map names for
// last4), so that the bot does not ask for them again, and says so. At
// that question it answers it, and reports true: the turn is done.
func (t *Turn) keepLast4(text string) bool {
	c := &t.Conv
	if t.flow == nil || c.Ended || c.Human {
		return false
	}
	slot := t.flow.Notice["last4"]
	ms := maskedCard.FindAllStringSubmatch(text, -1)
	if slot == "" || len(ms) == 0 {
		return false
	}
	last4 := ms[0][1]
	for _, m := range ms[1:] {
		if m[1] != last4 {
			return false // two cards: which one paid is not for us to guess
		}
	}
	if _, had := c.Slots[slot]; !had && !slices.Contains(c.Prefill, slot) {
		c.Prefill = append(c.Prefill, slot)
	}
	t.setSlot(slot, last4)
	t.Say(MsgLast4Kept, map[string]any{"Last4": last4})
	s := t.step()
	if s == nil || s.Slot != slot || (s.Kind != KindAsk && s.Kind != KindChoice) {
		return false
	}
	if !slices.Contains(c.Prefill, slot) {
		c.Prefill = append(c.Prefill, slot)
	}
	return t.takePrefilled(s)
}
