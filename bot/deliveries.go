package bot

import (
	"context"
	"time"
)

// Deliveries claims the messages of a delivery for sending and
// remembers how many went out, so that each goes out once whichever
// process sends it; see SendOnce.
type Deliveries interface {
	// ClaimSend takes the sending lease of delivery d, of n messages,
	// for owner until now+lease, unless all n are marked sent or another
	// owner holds an unexpired lease. It returns how many messages were
	// marked sent and whether owner holds the lease now.
	ClaimSend(ctx context.Context, d Delivery, owner string, n int, now time.Time, lease time.Duration) (sent int, claimed bool, err error)
	// MarkSent records, while owner holds the lease, that the delivery's
	// first n messages went out, and renews the lease until now+lease;
	// done ends the lease. The marks are kept for ttl. It fails with an
	// error matching ErrLeaseLost when owner holds the lease no longer.
	MarkSent(ctx context.Context, d Delivery, owner string, n int, done bool, now time.Time, lease, ttl time.Duration) error
	// ReleaseSend ends owner's lease without marking more, so that
	// another try may start at once.
	ReleaseSend(ctx context.Context, d Delivery, owner string) error
}

// Delivery names the messages of one delivery for Deliveries.
type Delivery struct {
	// Key and ID are the conversation and the delivery ID of the turn
	// whose replies the messages are: a store may keep the lease and
	// the marks in that turn's record.
	Key Key
	ID  string
	// Mark names the lease and the marks when no record of a committed
	// turn holds them: replies given without a commit, or a turn an
	// older version committed. It must not change between versions.
	Mark string
}

// Lease is a claim to send a delivery's messages: Owner may send them
// until Until.
type Lease struct {
	Owner string
	Until time.Time
}
