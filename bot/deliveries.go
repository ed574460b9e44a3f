package bot

import (
	"context"
	"time"
)

// Deliveries claims pushed messages for sending and remembers how many
// of them a channel accepted, across processes: a claim is a lease in
// the store, so that two replicas handling one delivery never both send,
// and a delivery done again after a crash sends only what was not marked.
type Deliveries interface {
	// ClaimSend takes the sending lease of delivery id, of n messages,
	// for owner until now+lease, unless all n are marked sent or another
	// owner holds an unexpired lease. It returns how many messages were
	// marked sent and whether owner holds the lease now.
	ClaimSend(ctx context.Context, id, owner string, n int, now time.Time, lease time.Duration) (sent int, claimed bool, err error)
	// MarkSent records, while owner holds the lease, that the delivery's
	// first n messages went out, and renews the lease until now+lease;
	// done ends the lease. The record is kept for ttl. It fails with an
	// error matching ErrLeaseLost when owner holds the lease no longer.
	MarkSent(ctx context.Context, id, owner string, n int, done bool, now time.Time, lease, ttl time.Duration) error
	// ReleaseSend ends owner's lease without marking more, so that
	// another try may start at once.
	ReleaseSend(ctx context.Context, id, owner string) error
}
