package bot

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff is a pause that doubles after each failure, from Min up to
// Max, and starts over after a success. The workers, the channels and
// the engine use it alike: between failed polls, failed updates, failed
// sends, lost commits. The zero value pauses 100 ms, then up to 30 s.
type Backoff struct {
	Min, Max time.Duration
	// Jitter draws each pause at random up to the doubled one, so that
	// tries that failed together, such as two events of one conversation
	// whose commits collided, do not try again in lockstep.
	Jitter bool
	next   time.Duration
}

// Fail returns the pause before the next try and doubles the one after.
func (b *Backoff) Fail() time.Duration {
	lo, hi := b.Min, b.Max
	if lo <= 0 {
		lo = 100 * time.Millisecond
	}
	if hi <= 0 {
		hi = 30 * time.Second
	}
	if b.next < lo {
		b.next = lo
	}
	d := min(b.next, hi)
	b.next = min(2*d, hi)
	if b.Jitter {
		return rand.N(d) + 1
	}
	return d
}

// Reset starts over after a success.
func (b *Backoff) Reset() { b.next = 0 }

// Wait pauses for the next failure's pause, or until ctx is done.
func (b *Backoff) Wait(ctx context.Context) error {
	return Sleep(ctx, b.Fail())
}

// Sleep pauses for d, or until ctx is done; a d of zero or less returns
// at once.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
