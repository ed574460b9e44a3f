package redisstore_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
)

// TestSendLease walks a delivery of three messages through two senders:
// a claim excludes the other, marks count, an expired lease passes to
// the other with the count kept, the old owner's mark is refused, and a
// finished delivery cannot be claimed.
func TestSendLease(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		prefix := redistest.Prefix(t, rdb)
		s := redisstore.New(rdb, prefix)
		const lease, ttl = 10 * time.Second, time.Hour
		// No turn recorded this delivery: the lease has a record of its own.
		id := bot.Delivery{Key: bot.Key{Channel: "telegram", User: "1"}, ID: "1", Mark: "telegram:update:1"}
		now := time.Now()
		claim := func(owner string, at time.Time) (int, bool) {
			t.Helper()
			sent, ok, err := s.ClaimSend(bg, id, owner, 3, at, lease)
			if err != nil {
				t.Fatal(err)
			}
			return sent, ok
		}
		if sent, ok := claim("a", now); sent != 0 || !ok {
			t.Fatalf("first claim: sent %d, claimed %v", sent, ok)
		}
		if sent, ok := claim("b", now.Add(time.Second)); sent != 0 || ok {
			t.Fatalf("claim while a holds it: sent %d, claimed %v", sent, ok)
		}
		if err := s.MarkSent(bg, id, "a", 1, false, now.Add(2*time.Second), lease, ttl); err != nil {
			t.Fatal(err)
		}
		// The mark renewed a's lease to 12 s.
		if _, ok := claim("b", now.Add(11*time.Second)); ok {
			t.Fatal("b claimed a renewed lease")
		}
		if sent, ok := claim("b", now.Add(13*time.Second)); sent != 1 || !ok {
			t.Fatalf("claim after the lease: sent %d, claimed %v; want 1, true", sent, ok)
		}
		if err := s.MarkSent(bg, id, "a", 2, false, now.Add(13*time.Second), lease, ttl); !errors.Is(err, bot.ErrLeaseLost) {
			t.Fatalf("mark by the old owner: %v, want ErrLeaseLost", err)
		}
		if err := s.ReleaseSend(bg, id, "b"); err != nil {
			t.Fatal(err)
		}
		if sent, ok := claim("c", now.Add(14*time.Second)); sent != 1 || !ok {
			t.Fatalf("claim after a release: sent %d, claimed %v", sent, ok)
		}
		if err := s.MarkSent(bg, id, "c", 3, true, now.Add(14*time.Second), lease, ttl); err != nil {
			t.Fatal(err)
		}
		if sent, ok := claim("d", now.Add(time.Hour/2)); sent != 3 || ok {
			t.Fatalf("claim of a finished delivery: sent %d, claimed %v", sent, ok)
		}
		if left := rdb.PTTL(bg, redistest.Keys(t, rdb, prefix)[0]).Val(); left <= lease || left > ttl {
			t.Fatalf("record kept %v, want the marks' age %v", left, ttl)
		}
	})
}

// TestSendOnceConcurrent sends one delivery of five messages from eight
// goroutines at once, the first of which fails half way: every message
// goes out exactly once.
func TestSendOnceConcurrent(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		s := redisstore.New(rdb, redistest.Prefix(t, rdb))
		var (
			mu     sync.Mutex
			counts [5]int
			failed atomic.Bool
		)
		once := bot.SendOnce{Marks: s, Wait: 5 * time.Second}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				errs <- once.Send(bg, bot.Delivery{Mark: "d1"}, bot.Lease{}, 5, func(_ context.Context, i int) error {
					if i == 2 && failed.CompareAndSwap(false, true) {
						return bot.Errorf(bot.EUNAVAIL, "api down")
					}
					time.Sleep(2 * time.Millisecond)
					mu.Lock()
					counts[i]++
					mu.Unlock()
					return nil
				})
			})
		}
		wg.Wait()
		close(errs)
		fails := 0
		for err := range errs {
			if err != nil {
				fails++
			}
		}
		if fails != 1 {
			t.Fatalf("%d senders failed, want the one the API failed", fails)
		}
		if counts != [5]int{1, 1, 1, 1, 1} {
			t.Fatalf("messages sent %v, want each once", counts)
		}
	})
}
