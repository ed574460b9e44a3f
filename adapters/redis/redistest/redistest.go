// Package redistest gives tests a whole help desk over Redis: the store
// under a key prefix of its own, the engine, the workers, a proof store
// and an in-memory channel that records what the workers push, so that a
// test can play a consumer and a merchant working on one case.
package redistest

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/adapters/proofdir"
	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
	"github.com/slipdesk/slipdesk/bot/workers"
)

// URL is the real server tests use: REDIS_URL, or the local default.
func URL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379"
}

// Real returns a client for the real server; a server that does not
// answer fails the test.
func Real(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	rdb, err := redisstore.NewClient(URL())
	if err != nil {
		tb.Fatalf("NewClient(REDIS_URL): %v", err)
	}
	tb.Cleanup(func() { rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		tb.Fatalf("Redis does not answer: %v (start redis-server or set REDIS_URL)", err)
	}
	return rdb
}

// Embedded returns a client for a fresh in-process store.
func Embedded(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	rdb, closeAll, err := redisstore.Embedded()
	if err != nil {
		tb.Fatalf("Embedded: %v", err)
	}
	tb.Cleanup(func() { closeAll() })
	return rdb
}

// Backends runs f against the real server and the embedded one.
func Backends(t *testing.T, f func(t *testing.T, rdb redis.UniversalClient)) {
	t.Run("redis", func(t *testing.T) { f(t, Real(t)) })
	t.Run("embedded", func(t *testing.T) { f(t, Embedded(t)) })
}

// Prefix returns a fresh key prefix and deletes its keys, and only its
// keys, when the test ends.
func Prefix(tb testing.TB, rdb redis.UniversalClient) string {
	tb.Helper()
	prefix := "test:" + rand.Text() + ":"
	tb.Cleanup(func() {
		if _, err := redisstore.DeleteUnder(context.Background(), rdb, prefix); err != nil {
			tb.Errorf("delete test keys %s*: %v", prefix, err)
		}
	})
	return prefix
}

// Keys lists the keys under prefix, on every master of a Cluster.
func Keys(tb testing.TB, rdb redis.UniversalClient, prefix string) []string {
	tb.Helper()
	keys, err := redisstore.KeysUnder(context.Background(), rdb, prefix)
	if err != nil {
		tb.Fatal(err)
	}
	return keys
}

// Desk is a help desk for one test.
type Desk struct {
	RDB     redis.UniversalClient
	Prefix  string
	Store   *redisstore.Store
	Engine  *bot.Engine
	Workers *workers.Workers
	Proofs  *proofdir.Store
	Clock   *bottest.Clock
	// Channel records what the workers push.
	Channel *Channel
}

// Options change a Desk's defaults.
type Options struct {
	// Flows and Locales are the content directories (default the
	// project's, from a package two levels below the root).
	Flows, Locales string
	Cases          bot.CaseConfig
}

// NewDesk builds a desk over rdb.
func NewDesk(t testing.TB, rdb redis.UniversalClient, opt Options) *Desk {
	t.Helper()
	if opt.Flows == "" {
		opt.Flows = "../../flows"
	}
	if opt.Locales == "" {
		opt.Locales = "../../locales"
	}
	content, reg := bottest.Content(t, opt.Flows, opt.Locales)
	prefix := Prefix(t, rdb)
	store := redisstore.New(rdb, prefix)
	proofs, err := proofdir.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	clock := bottest.NewClock()
	d := &Desk{RDB: rdb, Prefix: prefix, Store: store, Proofs: proofs, Clock: clock, Channel: &Channel{}}
	d.Workers = &workers.Workers{
		Outbox: store, Cases: store, Alerts: store, Timers: store, Deliveries: store,
		Ops: store, Merchants: store, Proofs: proofs, Wanted: store,
		Senders: map[string]bot.Sender{ChannelName: d.Channel},
		Config:  workers.Config{Name: "test-" + rand.Text()[:6]},
	}
	d.Engine = bot.NewEngine(store, content, reg, bot.Config{
		Now: clock.Now, SendLease: 30 * time.Second, Archive: store, Merchants: store, CaseIndex: store, AnswerClaims: store,
		Cases: opt.Cases, OnEffects: d.Workers.Kick,
	})
	d.Workers.Engine = d.Engine
	return d
}

// Drain runs the workers until none finds work.
func (d *Desk) Drain(t testing.TB) {
	t.Helper()
	if err := d.Workers.Drain(context.Background()); err != nil {
		t.Fatalf("workers: %v", err)
	}
}

// RunCaseTranscripts plays every transcript in dir through the driver
// driver returns for a fresh desk on the project's content, against the
// real server and the embedded one.
func RunCaseTranscripts(t *testing.T, dir string, driver func(t *testing.T, d *Desk, langHint string) bottest.Driver) {
	for _, file := range bottest.Files(t, dir) {
		tr, err := bottest.Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
				d := NewDesk(t, rdb, Options{})
				bottest.Run(t, tr, driver(t, d, tr.LangHint), d.Clock)
			})
		})
	}
}
