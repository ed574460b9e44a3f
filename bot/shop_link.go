package bot

// SignalShopLink is the signal a channel sends when a consumer opens the
// chat from a shop's QR code or link; Data is the merchant's ID, which
// the channel has checked is signed by the service.
const SignalShopLink = "shop_link"

// Slots a shop link sets, besides the merchant's name (SlotMerchantName)
// and match (SlotMerchantMatch, SlotMerchantMatchName).
const (
	// SlotShopLinked is "yes" in a conversation opened from a shop's
	// link: the flows skip asking which shop it was.
	SlotShopLinked = "shop_linked"
	// SlotMerchantName is the slot of the shop's name as the consumer
	// would have typed it.
	SlotMerchantName = "merchant"
	// SlotMerchantConfirmed is "yes" once the consumer's shop is known
	// for sure, so that a case goes to it.
	SlotMerchantConfirmed = "merchant_confirmed"
)

// onShopLink starts a conversation afresh with its shop known: the shop
// of the link is the one the case goes to, and nobody asks which it was.
// A link to a merchant not (or no longer) registered starts the
// conversation as if there were no link. It reports whether the signal
// was a shop link.
func (t *Turn) onShopLink(name, merchantID string) bool {
	if name != SignalShopLink {
		return false
	}
	var m Merchant
	if dir := t.e.cfg.Merchants; dir != nil && merchantID != "" {
		found, err := dir.Merchant(t.ctx, merchantID)
		switch {
		case err == nil:
			m = found
		case ErrorCode(err) != ENOTFOUND:
			t.e.cfg.Logger.Error("shop link: merchant lookup failed", "merchant", merchantID, "err", err)
		}
	}
	t.start()
	if m.ID == "" {
		return true
	}
	t.setSlot(SlotShopLinked, "yes")
	t.setSlot(SlotMerchantName, m.Name)
	t.setSlot(SlotMerchantMatch, m.ID)
	t.setSlot(SlotMerchantMatchName, m.Name)
	t.setSlot(SlotMerchantConfirmed, "yes")
	t.Note("opened from the link of merchant " + m.ID)
	return true
}
