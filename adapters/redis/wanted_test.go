package redisstore_test

import (
	"testing"

	"github.com/redis/go-redis/v9"
	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
)

// TestWantedMerchants counts shops by their normalised name, once per
// effect however often it is replayed, most named first.
func TestWantedMerchants(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		s := redisstore.New(rdb, redistest.Prefix(t, rdb))
		for _, n := range []struct{ id, name string }{
			{"e1", "Moon Bakery"}, {"e1", "Moon Bakery"}, {"e2", "moon  bakery"}, {"e3", "太阳商店"}, {"e4", "!!!"},
		} {
			if err := s.NoteWantedMerchant(bg, n.id, n.name); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.WantedMerchants(bg, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Name != "moon  bakery" || got[0].Cases != 2 || got[1].Name != "太阳商店" || got[1].Cases != 1 {
			t.Fatalf("WantedMerchants = %+v, want moon bakery 2 (as last written), 太阳商店 1", got)
		}
	})
}
