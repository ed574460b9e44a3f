package redisstore

import (
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

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

// TestEmbeddedClockIdle checks that the embedded clock leaves an idle
// store alone, visiting no key, and catches up on the whole time passed
// as soon as a command comes.
func TestEmbeddedClockIdle(t *testing.T) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	stop, stopped := make(chan struct{}), make(chan struct{})
	go countDownTTLs(m, 5*time.Millisecond, stop, stopped)
	defer func() { close(stop); <-stopped }()
	if err := m.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	m.SetTTL("k", 20*time.Millisecond)
	time.Sleep(100 * time.Millisecond)
	if ttl := m.TTL("k"); ttl != 20*time.Millisecond {
		t.Fatalf("TTL after 100ms idle = %v, want it untouched (20ms)", ttl)
	}
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for m.Exists("k") {
		if time.Now().After(deadline) {
			t.Fatal("the key did not expire after a command woke the clock")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
