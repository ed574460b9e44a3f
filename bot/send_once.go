package bot

import (
	"context"
	"errors"
	"time"
)

// ErrLeaseLost is what Deliveries.MarkSent returns when the sending
// lease expired and another process may have taken the delivery over.
var ErrLeaseLost = &Error{Code: ECONFLICT, Message: "the sending lease was lost"}

// ErrSendingElsewhere is what SendOnce returns when another process
// holds a delivery's lease for longer than it waits: the delivery is
// being sent, and a later try finds it done or takes it over.
var ErrSendingElsewhere = &Error{Code: EUNAVAIL, Message: "another process is sending these messages"}

// SendOnce sends the messages of a delivery through a channel so that
// each goes out at most once, whichever process or replica sends it:
// it claims the delivery with a lease in the store (or holds the one
// the turn's commit took), sends the messages not marked yet one by one,
// and marks each as soon as the channel took it. Only a message the channel accepted just before its sender died,
// before the mark, can go out twice.
type SendOnce struct {
	// Marks holds the leases and marks; with none, messages are sent
	// with no check, as a single process with no store would.
	Marks Deliveries
	// Lease is how long a claim lasts without a mark (default 30s). A
	// sender that dies holds its delivery that long.
	Lease time.Duration
	// TTL is how long marks are kept (default 7 days); it should cover
	// the channel's redeliveries.
	TTL time.Duration
	// Wait is how long to wait for another process that holds the lease
	// to finish before giving up with ErrSendingElsewhere (default 2s).
	Wait time.Duration
	// Now is the clock of the leases; time.Now when nil.
	Now func() time.Time
	// Channel and Observer report the messages sent and skipped.
	Channel  string
	Observer Observer
}

// pollSending is how often a delivery that another process holds is
// looked at again.
const pollSending = 20 * time.Millisecond

func (o SendOnce) withDefaults() SendOnce {
	if o.Lease <= 0 {
		o.Lease = 30 * time.Second
	}
	if o.TTL <= 0 {
		o.TTL = 7 * 24 * time.Hour
	}
	if o.Wait <= 0 {
		o.Wait = 2 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Observer == nil {
		o.Observer = NopObserver{}
	}
	return o
}

// Send sends messages 0 to n-1 of delivery d through send, skipping
// those marked sent before. It returns nil once all n are marked (by
// this call or another), send's error (the rest stay for a later try;
// ErrUndeliverable marks them all, since trying again changes nothing),
// ErrSendingElsewhere, or a store error. A lease the commit of the turn
// took for this process (Result.Sending) spares the claim while it
// lasts; the zero Lease claims.
func (o SendOnce) Send(ctx context.Context, d Delivery, lease Lease, n int, send func(ctx context.Context, i int) error) error {
	if n == 0 {
		return nil
	}
	o = o.withDefaults()
	if o.Marks == nil {
		for i := range n {
			if err := send(ctx, i); err != nil {
				return err
			}
			o.Observer.Messages(o.Channel, 1, 0)
		}
		return nil
	}
	owner, sent, until := lease.Owner, 0, lease.Until
	var err error
	if owner == "" || !until.After(o.Now()) {
		// No lease from the commit, or one that ran out: claim, which
		// also finds what others sent meanwhile.
		owner = "s-" + randomID()
		sent, until, err = o.claim(ctx, d, owner, n)
	}
	if sent > 0 {
		o.Observer.Messages(o.Channel, 0, min(sent, n))
	}
	if err != nil || sent >= n {
		return err
	}
	for i := sent; i < n; i++ {
		if until.Sub(o.Now()) < o.Lease/2 {
			// Renew before a send could outlast the lease.
			now := o.Now()
			if err := o.Marks.MarkSent(ctx, d, owner, i, false, now, o.Lease, o.TTL); err != nil {
				return err
			}
			until = now.Add(o.Lease)
		}
		// No request starts after the lease: past it, another process
		// may be sending the same message.
		sctx, cancel := context.WithDeadline(ctx, until)
		err := send(sctx, i)
		cancel()
		if errors.Is(err, ErrUndeliverable) {
			if merr := o.Marks.MarkSent(ctx, d, owner, n, true, o.Now(), o.Lease, o.TTL); merr != nil {
				return merr
			}
			return err
		}
		if err != nil {
			_ = o.Marks.ReleaseSend(context.WithoutCancel(ctx), d, owner)
			return err
		}
		o.Observer.Messages(o.Channel, 1, 0)
		now := o.Now()
		if err := o.Marks.MarkSent(ctx, d, owner, i+1, i+1 == n, now, o.Lease, o.TTL); err != nil {
			if errors.Is(err, ErrLeaseLost) {
				return err
			}
			// The store failed after the channel took the message: the
			// lease still holds it, so go on; a redelivery may repeat
			// what was not marked.
			continue
		}
		until = now.Add(o.Lease)
	}
	return nil
}

// claim takes the delivery's lease, waiting up to o.Wait for another
// holder to finish. It returns how many messages were marked sent and,
// when some remain, the end of the lease this call now holds.
func (o SendOnce) claim(ctx context.Context, d Delivery, owner string, n int) (int, time.Time, error) {
	give := o.Now().Add(o.Wait)
	for {
		now := o.Now()
		sent, claimed, err := o.Marks.ClaimSend(ctx, d, owner, n, now, o.Lease)
		switch {
		case err != nil:
			return 0, time.Time{}, err
		case sent >= n:
			return sent, time.Time{}, nil
		case claimed:
			return sent, now.Add(o.Lease), nil
		case !now.Before(give):
			return 0, time.Time{}, ErrSendingElsewhere
		}
		select {
		case <-ctx.Done():
			return 0, time.Time{}, ctx.Err()
		case <-time.After(pollSending):
		}
	}
}
