package bot

import (
	"slices"
	"time"
)

// dropRefused deletes the bytes of a file the engine refused after the
// channel stored them (a case over its file limit): the engine decides
// intake, so whatever it refuses must not stay in the proof store. Bytes
// that a kept proof of this conversation shares (the same file sent
// again) stay: refs are content-addressed per conversation.
func (t *Turn) dropRefused(a *Attachment) {
	if a.StoreRef == "" || t.storeRefKept(a.StoreRef) {
		return
	}
	t.Effect(EffectProofDelete, map[string]string{"ref": a.StoreRef}, time.Time{})
}

// storeRefKept reports whether a proof the conversation keeps, before a
// case or in one, has its bytes under ref.
func (t *Turn) storeRefKept(ref string) bool {
	same := func(p Proof) bool { return p.StoreRef == ref }
	if slices.ContainsFunc(t.Conv.Proofs, same) {
		return true
	}
	for _, c := range t.Conv.Cases {
		if slices.ContainsFunc(c.Proofs, same) {
			return true
		}
	}
	return false
}
