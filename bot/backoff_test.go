package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

func TestBackoff(t *testing.T) {
	b := bot.Backoff{Min: 100 * time.Millisecond, Max: time.Second}
	var got []time.Duration
	for range 6 {
		got = append(got, b.Fail())
	}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i := range want {
		if got[i] != want[i]*time.Millisecond {
			t.Fatalf("pauses %v, want %v ms", got, want)
		}
	}
	b.Reset()
	if d := b.Fail(); d != 100*time.Millisecond {
		t.Fatalf("after a reset: %v, want the least pause", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (&bot.Backoff{Min: time.Hour}).Wait(ctx); err == nil {
		t.Fatal("Wait outlived its context")
	}
}

func TestBackoffJitter(t *testing.T) {
	b := bot.Backoff{Min: 100 * time.Microsecond, Max: time.Millisecond, Jitter: true}
	for i, limit := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		if d := b.Fail(); d <= 0 || d > limit*time.Microsecond {
			t.Fatalf("pause %d: %v, want more than 0 and at most %v µs", i, d, limit)
		}
	}
}
