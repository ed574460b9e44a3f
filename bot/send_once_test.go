package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// leaseLog is a bot.Deliveries that grants every claim and keeps the
// calls made to it.
type leaseLog struct {
	claims []string
	marks  []string
}

var _ bot.Deliveries = (*leaseLog)(nil)

func (l *leaseLog) ClaimSend(_ context.Context, _ bot.Delivery, owner string, _ int, _ time.Time, _ time.Duration) (int, bool, error) {
	l.claims = append(l.claims, owner)
	return 0, true, nil
}

func (l *leaseLog) MarkSent(_ context.Context, _ bot.Delivery, owner string, _ int, _ bool, _ time.Time, _, _ time.Duration) error {
	l.marks = append(l.marks, owner)
	return nil
}

func (l *leaseLog) ReleaseSend(context.Context, bot.Delivery, string) error { return nil }

// TestSendOnceCommitLease sends under the lease the commit took, with
// no claim, while it lasts, and claims anew once it ran out.
func TestSendOnceCommitLease(t *testing.T) {
	now := time.Date(2026, 12, 3, 4, 0, 0, 0, time.UTC)
	d := bot.Delivery{Key: bot.Key{Channel: "telegram", User: "1"}, ID: "5", Mark: "telegram:update:5"}
	for _, tt := range []struct {
		name      string
		until     time.Time
		wantClaim bool
	}{
		{"lease running", now.Add(30 * time.Second), false},
		{"lease run out", now.Add(-time.Second), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			log := &leaseLog{}
			once := bot.SendOnce{Marks: log, Lease: 30 * time.Second, Now: func() time.Time { return now }}
			sent := 0
			err := once.Send(context.Background(), d, bot.Lease{Owner: "s-commit", Until: tt.until}, 2, func(context.Context, int) error {
				sent++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if sent != 2 {
				t.Fatalf("sent %d messages, want 2", sent)
			}
			if got := len(log.claims) > 0; got != tt.wantClaim {
				t.Fatalf("claims %v, want a claim: %v", log.claims, tt.wantClaim)
			}
			wantOwner := "s-commit"
			if tt.wantClaim {
				wantOwner = log.claims[0]
			}
			for _, o := range log.marks {
				if o != wantOwner {
					t.Fatalf("marks by %v, want all by %s", log.marks, wantOwner)
				}
			}
		})
	}
}
