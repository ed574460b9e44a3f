package bot

import "context"

// WantedMerchant is a shop consumers named that the registry does not
// know: operators bring on the ones named most.
type WantedMerchant struct {
	// Name is the name as a consumer last wrote it.
	Name string
	// Cases counts the cases that named it.
	Cases int64
}

// WantedMerchants counts the unregistered shops consumers name. The
// Redis store implements it.
type WantedMerchants interface {
	// NoteWantedMerchant counts name once per id (an effect ID), under
	// its normalised form (see NormalizeMerchantName).
	NoteWantedMerchant(ctx context.Context, id, name string) error
	// WantedMerchants returns the most named shops first, at most limit.
	WantedMerchants(ctx context.Context, limit int64) ([]WantedMerchant, error)
}
