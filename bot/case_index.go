package bot

import "context"

// CaseIndex keeps the case records operators and merchants look up.
type CaseIndex interface {
	// ReserveCaseNo claims a case number; false if it is taken.
	ReserveCaseNo(ctx context.Context, no string) (bool, error)
	// SyncCase stores c unless the index holds the same or a newer Seq,
	// and keeps the indexes by merchant, status and consumer.
	SyncCase(ctx context.Context, c Case) error
	// Case returns the case no, or an ENOTFOUND error.
	Case(ctx context.Context, no string) (Case, error)
	// CasesByMerchant returns the merchant's cases, newest first.
	CasesByMerchant(ctx context.Context, merchantID string, limit int) ([]Case, error)
	// CasesByStatus returns the cases in status, newest first.
	CasesByStatus(ctx context.Context, status CaseStatus, limit int) ([]Case, error)
	// ForgetCase removes case no from every index, its number with it;
	// a case that is not there is no error.
	ForgetCase(ctx context.Context, no string) error
}
