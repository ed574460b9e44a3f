package bot

import "time"

// recordConsent notes that the user agreed to the privacy terms now. The
// time is kept across reports (startAt keeps it), so that a user who
// comes back soon is not asked again.
func recordConsent(t *Turn, _ map[string]string) error {
	t.Conv.ConsentAt = t.now.Unix()
	return nil
}

// checkConsent sets slot with["slot"] (default "consent") to
// with["value"] (default "agree") when the user agreed to the privacy
// terms within the time an idle conversation is kept, the time the
// terms themselves promise; otherwise it leaves the slot empty.
func checkConsent(t *Turn, with map[string]string) error {
	slot, value := with["slot"], with["value"]
	if slot == "" {
		slot = "consent"
	}
	if value == "" {
		value = "agree"
	}
	at := t.Conv.ConsentAt
	if at > 0 && t.now.Sub(time.Unix(at, 0)) < t.e.cfg.IdleTTL {
		t.setSlot(slot, value)
	}
	return nil
}
