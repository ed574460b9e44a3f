package redisstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// hangingServer accepts connections and never answers, as a paused or
// overloaded Redis does.
func hangingServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// TestDeadlineHonoured pings a server that never answers with a short
// deadline and a read timeout of an hour: the call ends with the
// deadline, not with go-redis's own read timeout, so that a readiness
// probe keeps to its limit.
func TestDeadlineHonoured(t *testing.T) {
	rdb, err := NewClient("redis://" + hangingServer(t) + "?read_timeout=1h&max_retries=-1")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- New(rdb, "t:").Ping(ctx) }()
	select {
	case err := <-done:
		if !errors.Is(err, bot.ErrUnavailable) {
			t.Fatalf("Ping of a hanging server: %v, want unavailable", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Ping of a hanging server waited for the read timeout, past its deadline")
	}
}

// TestRedisLogsThroughSlog checks that go-redis's own messages reach the
// configured logger as structured records.
func TestRedisLogsThroughSlog(t *testing.T) {
	var buf bytes.Buffer
	LogTo(slog.New(slog.NewJSONHandler(&buf, nil)))
	defer LogTo(slog.New(slog.DiscardHandler))
	slogLogging{slog.New(slog.NewJSONHandler(&buf, nil))}.Printf(context.Background(), "redis: %s:%d: connection pool: failed to dial", "pool.go", 770)
	var rec map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(bytes.Split(buf.Bytes(), []byte("\n"))[0]), &rec); err != nil {
		t.Fatalf("not a JSON record: %q", buf.String())
	}
	if rec["level"] != "WARN" || !strings.HasPrefix(rec["detail"].(string), "pool.go:770") {
		t.Fatalf("record %v", rec)
	}
}
