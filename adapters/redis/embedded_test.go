package redisstore

import (
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// TestEmbeddedExpires checks that the embedded server forgets idle
// conversations and delivery records in wall time, as Redis does.
func TestEmbeddedExpires(t *testing.T) {
	rdb, closeAll, err := embedded(10 * time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := closeAll(); err != nil {
			t.Errorf("close: %v", err)
		}
		if err := closeAll(); err != nil {
			t.Errorf("second close: %v", err)
		}
	}()
	s := New(rdb, "test:")
	key := bot.Key{Channel: "tg", User: "42"}
	c := turn(key, 0, "d1")
	c.TTL, c.DedupeTTL = 50*time.Millisecond, 50*time.Millisecond
	mustCommit(t, s, c)
	if snap := mustLoad(t, s, key, "d1"); snap.Replayed == nil {
		t.Fatalf("Load right after the commit = %+v, want a replay", snap)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		snap := mustLoad(t, s, key, "d1")
		if snap.Replayed == nil && snap.Conv.Version == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still there 5s after a 50ms TTL: %+v", snap)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The pending-outbox mark is the relay's to drop: it finds the
	// outbox gone with the rest.
	claimed, err := s.ClaimOutboxes(ctx, 10, time.Minute)
	if err != nil || len(claimed) != 1 || claimed[0] != key {
		t.Fatalf("ClaimOutboxes = %v, %v, want [%v]", claimed, err, key)
	}
	if err := s.ReleaseOutbox(ctx, key); err != nil {
		t.Fatal(err)
	}
	if keys := keysUnder(t, rdb, "test:"); len(keys) != 0 {
		t.Errorf("keys left after expiry: %v", keys)
	}
}
