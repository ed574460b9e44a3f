package redisstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
)

// TestAlertButtonsBoundedAndExpiring records more messages for one alert
// than are kept: the newest stay, newest first, a message recorded again
// is kept once, the record carries its TTL, another chat or case sees
// nothing, and forgetting drops it.
func TestAlertButtonsBoundedAndExpiring(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		ctx := context.Background()
		prefix := redistest.Prefix(t, rdb)
		s := redisstore.New(rdb, prefix)
		ttl := time.Hour
		n := redisstore.MaxAlertButtons + 3
		for i := range n {
			if err := s.RememberAlertButtons(ctx, chat("till"), "PS-7K3Q9", fmt.Sprintf("7001:%d", i), ttl); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RememberAlertButtons(ctx, chat("till"), "PS-7K3Q9", fmt.Sprintf("7001:%d", n-1), ttl); err != nil {
			t.Fatal(err)
		}
		refs, err := s.AlertButtonRefs(ctx, chat("till"), "PS-7K3Q9")
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for i := n - 1; i >= n-redisstore.MaxAlertButtons; i-- {
			want = append(want, fmt.Sprintf("7001:%d", i))
		}
		if !slices.Equal(refs, want) {
			t.Fatalf("refs = %v, want %v", refs, want)
		}
		keys, err := rdb.Keys(ctx, prefix+"*alertbtn*").Result()
		if err != nil || len(keys) != 1 {
			t.Fatalf("keys = %v, %v; want one record", keys, err)
		}
		if left, err := rdb.PTTL(ctx, keys[0]).Result(); err != nil || left <= 0 || left > ttl {
			t.Fatalf("record TTL = %v, %v; want within %v", left, err, ttl)
		}
		for _, other := range []struct{ user, no string }{{"shop", "PS-7K3Q9"}, {"till", "PS-AAAAA"}} {
			if refs, err := s.AlertButtonRefs(ctx, chat(other.user), other.no); err != nil || len(refs) != 0 {
				t.Fatalf("refs of %v = %v, %v; want none", other, refs, err)
			}
		}
		if err := s.ForgetAlertButtons(ctx, chat("till"), "PS-7K3Q9"); err != nil {
			t.Fatal(err)
		}
		if refs, err := s.AlertButtonRefs(ctx, chat("till"), "PS-7K3Q9"); err != nil || len(refs) != 0 {
			t.Fatalf("refs after forget = %v, %v", refs, err)
		}
	})
}
