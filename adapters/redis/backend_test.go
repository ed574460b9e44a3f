package redisstore

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisURL is the real server the tests use: REDIS_URL, or the local
// default that CI starts.
func redisURL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379"
}

// realRedis returns a client for the real server. A server that does not
// answer fails the test: skipping would let CI pass without ever running
// the store against Redis.
func realRedis(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	rdb, err := NewClient(redisURL())
	if err != nil {
		tb.Fatalf("NewClient(REDIS_URL): %v", err)
	}
	tb.Cleanup(func() { rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		tb.Fatalf("Redis at %s does not answer: %v (start redis-server or set REDIS_URL)", redactURL(redisURL()), err)
	}
	return rdb
}

// embeddedRedis returns a client for a fresh in-process miniredis.
func embeddedRedis(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	rdb, closeAll, err := Embedded()
	if err != nil {
		tb.Fatalf("Embedded: %v", err)
	}
	tb.Cleanup(func() {
		if err := closeAll(); err != nil {
			tb.Errorf("close embedded redis: %v", err)
		}
	})
	return rdb
}

// forEachBackend runs f against the real server and the embedded one:
// every command and script the store uses must work on both.
func forEachBackend(t *testing.T, f func(t *testing.T, rdb redis.UniversalClient)) {
	t.Run("redis", func(t *testing.T) { f(t, realRedis(t)) })
	t.Run("embedded", func(t *testing.T) { f(t, embeddedRedis(t)) })
}

// newTestStore returns a store with a key prefix of its own and deletes
// every key under that prefix when the test ends, and no other.
func newTestStore(tb testing.TB, rdb redis.UniversalClient) *Store {
	tb.Helper()
	prefix := "test:" + rand.Text() + ":"
	tb.Cleanup(func() { deletePrefix(tb, rdb, prefix) })
	return New(rdb, prefix)
}

// deletePrefix deletes the keys that start with prefix, on every master
// when rdb is a cluster client.
func deletePrefix(tb testing.TB, rdb redis.UniversalClient, prefix string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := DeleteUnder(ctx, rdb, prefix); err != nil {
		tb.Errorf("delete test keys %s*: %v", prefix, err)
	}
}

// keysUnder lists the keys that start with prefix, sorted, from every
// master when rdb is a cluster client.
func keysUnder(tb testing.TB, rdb redis.UniversalClient, prefix string) []string {
	tb.Helper()
	keys, err := KeysUnder(context.Background(), rdb, prefix)
	if err != nil {
		tb.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

// redactURL hides a password before a URL reaches a test log.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable REDIS_URL)"
	}
	return u.Redacted()
}
