package redisstore

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/bot"
)

// TestRateLimitBurst: a limit of n lets n requests through at once, then
// refuses with the time until the next one may come, which it then does.
func TestRateLimitBurst(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		s := newTestStore(t, rdb)
		r := s.NewRateLimiter()
		l := RateLimit{Key: "burst", N: 3, Period: 600 * time.Millisecond}
		for i := range 3 {
			if ok, wait, err := r.AllowAll(ctx, l); !ok || wait != 0 || err != nil {
				t.Fatalf("request %d: %v, %v, %v; want let through", i+1, ok, wait, err)
			}
		}
		ok, wait, err := r.AllowAll(ctx, l)
		if ok || err != nil || wait <= 0 || wait > 200*time.Millisecond {
			t.Fatalf("fourth request: %v, wait %v, %v; want refused with a wait of at most one interval (200ms)", ok, wait, err)
		}
		time.Sleep(wait)
		if ok, _, err := r.AllowAll(ctx, l); !ok || err != nil {
			t.Fatalf("after the wait: %v, %v; want let through", ok, err)
		}
		keys := keysUnder(t, rdb, s.Prefix())
		if len(keys) != 1 || keys[0] != s.Prefix()+"rate:burst" {
			t.Fatalf("keys %v, want the one limit's key under the store's prefix", keys)
		}
		if ttl := rdb.PTTL(ctx, keys[0]).Val(); ttl <= 0 || ttl > l.Period {
			t.Errorf("the key expires in %v, want within the period %v", ttl, l.Period)
		}
	})
}

// TestRateLimitBoth: one call takes a request under a conversation's
// limit and its address's. Each holds on its own: a conversation at its
// limit does not hold back another from the same address, and the
// address's limit holds back every conversation from it but none from
// elsewhere. A request one limit refuses counts against neither, both
// when the limits are taken in one script and when each is taken by its
// own, as on Redis Cluster, where the limits that let it through give it
// back.
func TestRateLimitBoth(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		for name, each := range map[string]bool{"one script": false, "a script each": true} {
			t.Run(name, func(t *testing.T) {
				r := newTestStore(t, rdb).NewRateLimiter()
				if each {
					r.cluster = true // taken as on a Cluster
				}
				limits := func(ip, conv string) []RateLimit {
					return []RateLimit{{Key: "ip:" + ip, N: 5, Period: time.Minute}, {Key: "conv:" + conv, N: 3, Period: time.Minute}}
				}
				count := func(ip, conv string, tries int) int {
					t.Helper()
					n := 0
					for range tries {
						ok, wait, err := r.AllowAll(ctx, limits(ip, conv)...)
						if err != nil {
							t.Fatal(err)
						}
						if ok != (wait == 0) {
							t.Fatalf("%s %s: let through %v with a wait of %v", ip, conv, ok, wait)
						}
						if ok {
							n++
						}
					}
					return n
				}
				if n := count("1.1.1.1", "a", 6); n != 3 {
					t.Errorf("conversation a let through %d of 6, want its limit, 3", n)
				}
				// The address has let 3 through; a's 3 refusals took nothing.
				if n := count("1.1.1.1", "b", 6); n != 2 {
					t.Errorf("conversation b let through %d of 6, want the 2 left of the address's 5", n)
				}
				if n := count("2.2.2.2", "c", 6); n != 3 {
					t.Errorf("conversation c from another address let through %d of 6, want 3", n)
				}
				// A conversation's limit follows it to another address.
				if n := count("3.3.3.3", "a", 2); n != 0 {
					t.Errorf("conversation a from a new address let through %d, want 0", n)
				}
			})
		}
	})
}

// TestRateLimitEach: the way limits are taken on Redis Cluster, one
// script per limit in one pipeline, counts the same, and loads the
// script where it is missing (the embedded store starts without it).
// A limit given a request back keeps no key once it holds nothing back.
func TestRateLimitEach(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		s := newTestStore(t, rdb)
		r := s.NewRateLimiter()
		// Taken as on a Cluster, whatever the server.
		r.cluster = true
		limits := []RateLimit{{Key: "ip:x", N: 4, Period: time.Minute}, {Key: "conv:y", N: 2, Period: time.Minute}}
		var got []bool
		for range 3 {
			ok, wait, err := r.AllowAll(ctx, limits...)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (wait == 0) {
				t.Fatalf("let through %v with a wait of %v", ok, wait)
			}
			got = append(got, ok)
		}
		if !got[0] || !got[1] || got[2] {
			t.Fatalf("let through %v, want the first two only", got)
		}
		// A limit that let one request through and was given it back
		// holds nothing back: its key goes.
		fresh := []RateLimit{{Key: "ip:z", N: 4, Period: time.Minute}, {Key: "conv:y", N: 2, Period: time.Minute}}
		if ok, _, err := r.AllowAll(ctx, fresh...); ok || err != nil {
			t.Fatalf("let through %v, %v; want refused by the conversation's limit", ok, err)
		}
		if n := rdb.Exists(ctx, s.Prefix()+"rate:ip:z").Val(); n != 0 {
			t.Fatalf("the refunded limit kept its key")
		}
	})
}

// TestRateLimitKeyPrefix: a limiter counts under its store's prefix, so
// that two deployments sharing a server do not share limits.
func TestRateLimitKeyPrefix(t *testing.T) {
	rdb := realRedis(t)
	a, b := newTestStore(t, rdb).NewRateLimiter(), newTestStore(t, rdb).NewRateLimiter()
	l := RateLimit{Key: "k", N: 1, Period: time.Minute}
	for _, r := range []*RateLimiter{a, b} {
		if ok, _, err := r.AllowAll(ctx, l); !ok || err != nil {
			t.Fatalf("%s: %v, %v; want let through", strings.TrimSuffix(r.prefix, "rate:"), ok, err)
		}
	}
}

// TestLoadLimited takes a turn's limits in the round trip that loads its
// conversation: one batched call, the same snapshot Load gives (a
// conversation, or the replies of a delivery committed before), and the
// same counting as AllowAll: a request one limit refuses counts against
// neither, also where each limit is a script of its own, as on a Cluster.
func TestLoadLimited(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		ways := []bool{false, true}
		if _, cluster := rdb.(*redis.ClusterClient); cluster {
			// One script cannot name the keys of several slots.
			ways = []bool{true}
		}
		for _, each := range ways {
			t.Run(fmt.Sprintf("a script each %v", each), func(t *testing.T) {
				s := newTestStore(t, rdb)
				r := s.NewRateLimiter()
				r.cluster = each
				key := bot.Key{Channel: "web", User: "w1"}
				mustCommit(t, s, turn(key, 0, "d1"))
				limits := func(ip string) []RateLimit {
					return []RateLimit{{Key: "ip:" + ip, N: 3, Period: time.Minute}, {Key: "conv:w1", N: 2, Period: time.Minute}}
				}
				calls := s.Batcher().Stats().Calls
				snap, lim, err := r.LoadLimited(ctx, key, "d2", limits("a")...)
				if err != nil || !lim.OK || lim.Err != nil {
					t.Fatalf("first: %v, %+v", err, lim)
				}
				if got := s.Batcher().Stats().Calls - calls; got != 1 {
					t.Fatalf("%d batched calls, want the load and the limits in one", got)
				}
				if want := mustLoad(t, s, key, "d2"); !reflect.DeepEqual(snap, want) {
					t.Fatalf("snapshot %+v, want Load's %+v", snap, want)
				}
				replay, lim, err := r.LoadLimited(ctx, key, "d1", limits("a")...)
				if err != nil || !lim.OK || replay.Replayed == nil {
					t.Fatalf("a committed delivery: %v, %+v, replayed %v", err, lim, replay.Replayed)
				}
				// The conversation's limit of 2 is reached: refused,
				// with a wait, and the address's limit keeps its third.
				if _, lim, err := r.LoadLimited(ctx, key, "d3", limits("a")...); err != nil || lim.OK || lim.Wait <= 0 {
					t.Fatalf("third: %v, %+v; want refused with a wait", err, lim)
				}
				other := bot.Key{Channel: "web", User: "w2"}
				ok, _, err := r.AllowAll(ctx, RateLimit{Key: "ip:a", N: 3, Period: time.Minute})
				if err != nil || !ok {
					t.Fatalf("the address's third request: %v, %v; a refused one took it", ok, err)
				}
				if _, lim, err := r.LoadLimited(ctx, other, "d1", RateLimit{Key: "ip:a", N: 3, Period: time.Minute}); err != nil || lim.OK {
					t.Fatalf("the address's fourth request: %v, %+v; want refused", err, lim)
				}
			})
		}
	})
}
