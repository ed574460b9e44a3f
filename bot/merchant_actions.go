package bot

import (
	"fmt"
	"strings"
)

// Slots the merchant actions set, for flows to branch on and messages to
// show.
const (
	// SlotMerchantMatch holds the ID of the merchant match_merchant
	// found, or "", and SlotMerchantMatchName its name.
	SlotMerchantMatch     = "merchant_match"
	SlotMerchantMatchName = "merchant_match_name"
	// SlotLinkedMerchant holds the ID of the merchant link_merchant
	// linked this chat to, or "", and SlotLinkedMerchantName its name.
	SlotLinkedMerchant     = "linked_merchant"
	SlotLinkedMerchantName = "linked_merchant_name"
	// SlotRole is RoleMerchant once the chat is linked to a merchant.
	SlotRole     = "role"
	RoleMerchant = "merchant"
)

// matchMerchant finds the merchant a consumer means. with names the slots
// holding what they said: "name", "merchant_id" and "terminal_id", any of
// them. It sets SlotMerchantMatch and SlotMerchantMatchName to the best
// match, or to "". A registry that fails is logged and taken as no match:
// the consumer still gets their advice, only without the merchant.
func matchMerchant(t *Turn, with map[string]string) error {
	q := MerchantQuery{
		Name:       t.slotOf(with["name"]),
		MerchantID: t.slotOf(with["merchant_id"]),
		TerminalID: t.slotOf(with["terminal_id"]),
	}
	var id, name string
	if dir := t.e.cfg.Merchants; dir != nil && q != (MerchantQuery{}) {
		ms, err := dir.MatchMerchants(t.ctx, q)
		switch {
		case err != nil:
			// The error comes from the store and holds no user text.
			t.e.cfg.Logger.Warn("merchant lookup failed; going on without a match", "conv", t.Event.Key.String(), "code", ErrorCode(err), "err", err)
		case len(ms) > 0:
			id, name = ms[0].ID, ms[0].Name
		}
	}
	t.setSlot(SlotMerchantMatch, id)
	t.setSlot(SlotMerchantMatchName, name)
	return nil
}

// linkMerchant links this chat to a merchant with a link code: the
// argument of the command that runs it ("/start CODE"), or the value of
// the slot with["code"] names when that is set. On success it sets
// SlotLinkedMerchant, SlotLinkedMerchantName and SlotRole and says
// with["say"] (with .Merchant, the merchant's name); a code that is
// unknown, expired or used by another chat says with["fail"]. Either
// message may be left out. With no code at all it says nothing and
// leaves SlotLinkedMerchant empty, so that one "/start" command serves
// merchants and consumers alike and the flow branches on the slot.
//
// Linking is written to the registry outside the turn's commit; it is
// idempotent for this chat, so a turn run again after a version conflict,
// or a user sending the code again, links once.
func linkMerchant(t *Turn, with map[string]string) error {
	code := t.CommandArg()
	if v := t.slotOf(with["code"]); v != "" {
		code = v
	}
	t.setSlot(SlotLinkedMerchant, "")
	t.setSlot(SlotLinkedMerchantName, "")
	if strings.TrimSpace(code) == "" {
		// A chat linked before stays in merchant mode.
		t.setSlot(SlotLinkedMerchant, t.Conv.Merchant)
		return nil
	}
	dir := t.e.cfg.Merchants
	if dir == nil {
		t.e.cfg.Logger.Warn("link code sent but no merchant registry is configured", "conv", t.Event.Key.String())
		t.sayIf(with["fail"], nil)
		return nil
	}
	m, err := dir.Link(t.ctx, code, t.Event.Key)
	switch code := ErrorCode(err); {
	case code == ENOTFOUND || code == EINVALID:
		// The code itself is never logged: it is a credential.
		t.e.cfg.Logger.Info("link code refused", "conv", t.Event.Key.String(), "code", code)
		t.sayIf(with["fail"], nil)
		return nil
	case err != nil:
		return fmt.Errorf("link_merchant: %w", err)
	}
	if l := NormalizeLang(m.Lang); l != "" && t.Event.LangHint == "" {
		// Without a hint from the channel, the language the merchant
		// was registered with beats a guess from "/start CODE".
		t.Conv.Lang = l
	}
	t.Conv.Merchant = m.ID
	t.setSlot(SlotLinkedMerchant, m.ID)
	t.setSlot(SlotLinkedMerchantName, m.Name)
	t.setSlot(SlotRole, RoleMerchant)
	t.Note("linked to merchant " + m.ID)
	t.e.cfg.Logger.Info("chat linked to merchant", "conv", t.Event.Key.String(), "merchant", m.ID)
	t.sayIf(with["say"], map[string]any{"Merchant": m.Name})
	return nil
}

// slotOf returns the value of the slot named name, or "" when name is
// empty or the slot is not set.
func (t *Turn) slotOf(name string) string {
	if name == "" {
		return ""
	}
	return t.Conv.Slots[name]
}

// sayIf says message id unless it is empty: an action's optional message.
func (t *Turn) sayIf(id string, data map[string]any) {
	if id != "" {
		t.Say(id, data)
	}
}
