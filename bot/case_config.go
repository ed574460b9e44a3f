package bot

import (
	"time"
)

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
	// MaxProofSize is the largest file a channel takes, in bytes, as the
	// user is told when a file is refused (default DefaultMaxProofSize).
	MaxProofSize int64
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
	if c.MaxProofSize <= 0 {
		c.MaxProofSize = DefaultMaxProofSize
	}
	if c.Personal == nil {
		c.Personal = []string{"last4"}
	}
	if c.Retention <= 0 {
		c.Retention = 90 * 24 * time.Hour
	}
}
