package bot

import (
	"crypto/rand"
	"slices"
	"strings"
)

// CaseStatus is where a case stands.
type CaseStatus string

// The statuses of a case. A case is open until the merchant is alerted,
// waits for the merchant, has the merchant's answer, and is resolved or
// closed; it is escalated to operators when the merchant stays silent.
const (
	CaseOpen             CaseStatus = "open"
	CaseWaitingMerchant  CaseStatus = "waiting_merchant"
	CaseMerchantAnswered CaseStatus = "merchant_answered"
	CaseResolved         CaseStatus = "resolved"
	CaseClosed           CaseStatus = "closed"
	CaseEscalated        CaseStatus = "escalated"
)

// CaseStatuses lists every status, for indexes and operators.
var CaseStatuses = []CaseStatus{CaseOpen, CaseWaitingMerchant, CaseMerchantAnswered, CaseResolved, CaseClosed, CaseEscalated}

// Done reports whether the case needs nobody any more.
func (s CaseStatus) Done() bool { return s == CaseResolved || s == CaseClosed }

// NeedsPerson reports whether operators must act on the case: it was
// escalated (the shop stayed silent, or no chat of it can be reached), or
// the shop the consumer named is not registered, and it is not done. The
// console's queue lists these.
func (c *Case) NeedsPerson() bool {
	if c.Status.Done() {
		return false
	}
	return c.Status == CaseEscalated || c.Reason == ReasonMerchantUnregistered
}

// Case is one lost slip the help desk works on, from the confirmed summary
// until it is resolved or closed. The consumer's conversation owns it: every
// change happens in one of its turns and reaches the case index through
// the outbox.
type Case struct {
	No     string     `json:"no"`
	Status CaseStatus `json:"status"`
	// Consumer is the conversation that opened the case; nil once the
	// consumer deleted their data.
	Consumer *Key   `json:"consumer,omitempty"`
	Lang     string `json:"lang,omitempty"`
	// Merchant is the ID of the merchant the consumer confirmed, if any.
	Merchant string `json:"merchant,omitempty"`
	// Fields are the answers of the confirmed summary; Shared names those
	// the merchant may see.
	Fields map[string]string `json:"fields,omitempty"`
	Shared []string          `json:"shared,omitempty"`
	// Expect lists the proof kinds the checklist asks for.
	Expect []string      `json:"expect,omitempty"`
	Proofs []Proof       `json:"proofs,omitempty"`
	Log    []CaseChange  `json:"history"`
	Answer *MerchantNote `json:"answer,omitempty"`
	// Round counts the rounds of asking the shop: 1 for the first
	// alert, one more each time the consumer answers the shop's request
	// for more information.
	Round int `json:"round,omitempty"`
	// Reason says why a case went to operators, or why no shop was
	// told (one of the Reason constants).
	Reason string `json:"reason,omitempty"`
	Opened int64  `json:"opened"`
	// Updated is the time of the last activity (Unix seconds).
	Updated int64 `json:"updated"`
	// Seq counts changes; the index keeps the highest it saw, so a stale
	// or repeated sync changes nothing.
	Seq int64 `json:"seq"`
	// Anonymous is set once the consumer's personal fields are gone.
	Anonymous bool `json:"anonymous,omitempty"`
}

// CaseChange is one entry of a case's history.
type CaseChange struct {
	At     int64      `json:"at"`
	Status CaseStatus `json:"status"`
	// Actor is who changed it: "consumer", "merchant:<id>", "timer" or
	// "operator:<name>".
	Actor string `json:"actor"`
	Note  string `json:"note,omitempty"`
}

// MerchantNote is the merchant's answer on a case.
type MerchantNote struct {
	Value string `json:"value"`
	Text  string `json:"text,omitempty"`
	// Need is what the shop asked for with a need_info answer (one of
	// InfoNeeds).
	Need string `json:"need,omitempty"`
	// Round is the round the answer was given in.
	Round int   `json:"round,omitempty"`
	At    int64 `json:"at"`
	// Corrected is set when the shop changed its first answer.
	Corrected bool `json:"corrected,omitempty"`
}

// Proof is a file attached to a case as proof of payment.
type Proof struct {
	Kind string `json:"kind"`
	At   int64  `json:"at"`
	// Shared is set once the consumer agreed to pass the file on to
	// the shop.
	Shared bool `json:"shared,omitempty"`
	Attachment
}

// setStatus records a change of status by actor at time at.
func (c *Case) setStatus(s CaseStatus, actor string, at int64, note string) {
	c.Status = s
	c.touch(at)
	c.Log = append(c.Log, CaseChange{At: at, Status: s, Actor: actor, Note: note})
}

// answered records the shop's answer in the history: the case becomes
// merchant_answered, or, when it is resolved or closed already, keeps
// its status and notes the answer.
func (c *Case) answered(actor string, at int64, note string) {
	if c.Status.Done() {
		c.touch(at)
		c.Log = append(c.Log, CaseChange{At: at, Status: c.Status, Actor: actor, Note: note})
		return
	}
	c.setStatus(CaseMerchantAnswered, actor, at, note)
}

// touch marks activity at time at.
func (c *Case) touch(at int64) {
	c.Updated = at
	c.Seq++
}

// ProofsIn returns the kinds of proof attached, without repeats, in the
// order of Expect and then of arrival.
func (c *Case) ProofsIn() []string {
	var in []string
	for _, k := range c.Expect {
		if c.hasProof(k) {
			in = append(in, k)
		}
	}
	for _, p := range c.Proofs {
		if !slices.Contains(in, p.Kind) {
			in = append(in, p.Kind)
		}
	}
	return in
}

// ProofsMissing returns the expected kinds not attached yet.
func (c *Case) ProofsMissing() []string {
	var missing []string
	for _, k := range c.Expect {
		if !c.hasProof(k) {
			missing = append(missing, k)
		}
	}
	return missing
}

func (c *Case) hasProof(kind string) bool {
	return slices.ContainsFunc(c.Proofs, func(p Proof) bool { return p.Kind == kind })
}

// SharedFields returns the fields the merchant may see.
func (c *Case) SharedFields() map[string]string {
	out := make(map[string]string, len(c.Shared))
	for _, k := range c.Shared {
		if v, ok := c.Fields[k]; ok {
			out[k] = v
		}
	}
	return out
}

// Anonymized returns the record that stays after the consumer deleted
// their data: the shared fields minus personal ones, the status and its
// history, the merchant's answer; no consumer, no proofs.
func (c Case) Anonymized(personal []string, at int64) Case {
	a := c.clone()
	a.Consumer = nil
	a.Anonymous = true
	a.Proofs = nil
	a.Fields = map[string]string{}
	for k, v := range c.SharedFields() {
		if !slices.Contains(personal, k) {
			a.Fields[k] = v
		}
	}
	a.Shared = nil
	for k := range a.Fields {
		a.Shared = append(a.Shared, k)
	}
	slices.Sort(a.Shared)
	if a.Answer != nil {
		n := *a.Answer
		n.Text = ""
		a.Answer = &n
	}
	a.touch(at)
	a.Log = append(a.Log, CaseChange{At: at, Status: a.Status, Actor: "consumer", Note: "personal data deleted"})
	return a
}

func (c Case) clone() Case {
	if c.Consumer != nil {
		k := *c.Consumer
		c.Consumer = &k
	}
	if c.Fields != nil {
		m := make(map[string]string, len(c.Fields))
		for k, v := range c.Fields {
			m[k] = v
		}
		c.Fields = m
	}
	c.Shared = slices.Clone(c.Shared)
	c.Expect = slices.Clone(c.Expect)
	c.Proofs = slices.Clone(c.Proofs)
	c.Log = slices.Clone(c.Log)
	if c.Answer != nil {
		a := *c.Answer
		c.Answer = &a
	}
	return c
}

// caseNoAlphabet has no characters people confuse when read aloud or
// written down: no 0/O, 1/I/L, 5/S, 8/B, 2/Z, U/V.
const caseNoAlphabet = "34679ACDEFGHJKMNPQRTWXY"

// CaseNoLen is the number of characters after "PS-".
const CaseNoLen = 5

// NewCaseNo returns a random case number such as "PS-7K3Q9".
func NewCaseNo() string {
	var b [CaseNoLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	var s strings.Builder
	s.WriteString("PS-")
	for _, x := range b {
		s.WriteByte(caseNoAlphabet[int(x)%len(caseNoAlphabet)])
	}
	return s.String()
}

var caseNoSeparators = strings.NewReplacer(" ", "", "-", "", "_", "")

// NormalizeCaseNo turns what a person typed ("ps 7k3q9", "7K3Q9") into a
// case number, or "" if it cannot be one.
func NormalizeCaseNo(s string) string {
	s = strings.ToUpper(foldWidth(strings.TrimSpace(s)))
	s = caseNoSeparators.Replace(s)
	s = strings.TrimPrefix(s, "PS")
	if len(s) != CaseNoLen {
		return ""
	}
	for _, r := range s {
		if !strings.ContainsRune(caseNoAlphabet, r) {
			return ""
		}
	}
	return "PS-" + s
}
