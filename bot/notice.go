package bot

import (
	"maps"
	"slices"

	"github.com/slipdesk/slipdesk/bot/understand"
)

// takeNotice reads text, at question s, as a pasted bank or payment
// notification and reports whether it was one. Its fields fill the
// slots the flow's notice: map names; questions not asked yet are then
// skipped, answers given before are corrected. The bot says what it
// read, then goes on: past the current question when the notice
// answered it, else asking it again.
func (t *Turn) takeNotice(s *Step, text string) bool {
	if t.flow == nil {
		return false
	}
	n, slots, ok := t.flow.ReadNotice(t.slotEnv(), text)
	if !ok {
		return false
	}
	c := &t.Conv
	for _, k := range slices.Sorted(maps.Keys(slots)) {
		if _, had := c.Slots[k]; !had && !slices.Contains(c.Prefill, k) {
			c.Prefill = append(c.Prefill, k)
		}
		t.setSlot(k, slots[k])
	}
	t.sayNotice(n)
	if _, filled := slots[s.Slot]; filled && s.Slot != "" {
		if !slices.Contains(c.Prefill, s.Slot) {
			c.Prefill = append(c.Prefill, s.Slot)
		}
		if t.takePrefilled(s) {
			return true
		}
	}
	t.reprompt()
	return true
}

// sayNotice tells the user what was read from their notification.
func (t *Turn) sayNotice(n understand.Notice) {
	t.Say(MsgNoticeRead, map[string]any{"When": n.When, "Amount": n.Amount, "Last4": n.Last4, "Merchant": n.Merchant, "PaidBy": n.PaidBy})
}

// ReadNotice reads text as a bank or payment notification pasted at a
// question of f, and returns it with the slots it fills (f's notice:
// map); false when f takes no notices or text is none.
func (f *Flow) ReadNotice(env SlotEnv, text string) (understand.Notice, map[string]string, bool) {
	if len(f.Notice) == 0 {
		return understand.Notice{}, nil, false
	}
	n, ok := understand.ParseNotice(env, text)
	if !ok {
		return understand.Notice{}, nil, false
	}
	return n, noticeSlots(f, n), true
}
