package bot

import (
	"slices"
	"strconv"
	"strings"
)

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
// case the conversation will open, under the kind in slot proof_kind. A
// file the channel refused is answered with the refusal. The caption is
// kept in the transcript with the file, masked like any text; it answers
// no question, since it speaks of the file.
func (t *Turn) onFile(a *Attachment, refusal, caption string) {
	label := "[file refused]"
	if a != nil {
		label = "[file " + safeText(a.Mime) + " " + strconv.FormatInt(a.Size, 10) + " bytes]"
	}
	t.logUserContent(label, caption)
	if a == nil {
		switch refusal {
		case MsgProofTooLarge, MsgProofType, MsgProofFetchFailed:
			t.Say(refusal, map[string]any{"Max": FormatSize(t.e.cfg.Cases.MaxProofSize)})
		default:
			t.Say(MsgUnsupported, nil)
		}
		t.reprompt()
		return
	}
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
		t.dropRefused(a)
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
