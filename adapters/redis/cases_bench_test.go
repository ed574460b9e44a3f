package redisstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/workers"
)

// BenchmarkAlertDelivery measures merchant alerts delivered per second on
// the real server: read from the stream by four workers of one consumer
// group, run through each merchant chat's conversation (a turn with its
// commit), pushed through the in-memory test channel, marked delivered
// and acknowledged. The alerts go to 200 merchants round-robin.
func BenchmarkAlertDelivery(b *testing.B) {
	const merchants, replicas = 200, 4
	rdb := redistest.Real(b)
	d := redistest.NewDesk(b, rdb, redistest.CaseFixture(b))
	ids := make([]string, merchants)
	for i := range ids {
		ids[i] = redistest.AddMerchant(b, d, bot.Merchant{Name: fmt.Sprintf("Shop %d", i), Lang: "en"},
			bot.Key{Channel: redistest.ChannelName, User: fmt.Sprintf("shop%d", i)})
	}
	fields, _ := json.Marshal(map[string]string{"amount": "128.50", "when": "2026-11-24 15:30"})
	ctx := context.Background()
	for i := range b.N {
		a := workers.QueuedAlert{ID: fmt.Sprintf("bench:%d", i), Case: bot.NewCaseNo(), Merchant: ids[i%merchants], Fields: string(fields)}
		if err := d.Store.EnqueueAlert(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	delivered := 0
	for w := range replicas {
		wk := d.Workers.Replica(fmt.Sprintf("bench-%d", w))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := wk.AlertsOnce(ctx)
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				delivered += n
				done := delivered >= b.N
				mu.Unlock()
				if n == 0 && done {
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "alerts/s")
	if got := len(d.Channel.Take()); got < b.N {
		b.Fatalf("channel got %d replies for %d alerts", got, b.N)
	}
}

// BenchmarkCasesByMerchant measures looking up a merchant's 20 newest
// cases with 100,000 cases stored over 1,000 merchants.
func BenchmarkCasesByMerchant(b *testing.B) {
	const cases, merchants = 100_000, 1_000
	rdb := redistest.Real(b)
	prefix := redistest.Prefix(b, rdb)
	s := redisstore.New(rdb, prefix)
	ctx := context.Background()
	var wg sync.WaitGroup
	const seeders = 16
	for w := range seeders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < cases; i += seeders {
				k := bot.Key{Channel: "bench", User: fmt.Sprint(i)}
				c := bot.Case{No: benchCaseNo(i), Status: bot.CaseWaitingMerchant, Consumer: &k,
					Merchant: fmt.Sprintf("M%04d", i%merchants), Fields: map[string]string{"amount": "128.50"},
					Opened: int64(1_700_000_000 + i), Updated: int64(1_700_000_000 + i), Seq: 1}
				if err := s.SyncCase(ctx, c); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		got, err := s.CasesByMerchant(ctx, fmt.Sprintf("M%04d", i%merchants), 20)
		if err != nil || len(got) != 20 {
			b.Fatalf("CasesByMerchant = %d cases, %v", len(got), err)
		}
	}
}

// benchCaseNo returns the i-th of distinct valid case numbers.
func benchCaseNo(i int) string {
	const alphabet = "34679ACDEFGHJKMNPQRTWXY"
	var b [bot.CaseNoLen]byte
	for j := range b {
		b[len(b)-1-j] = alphabet[i%len(alphabet)]
		i /= len(alphabet)
	}
	return "PS-" + string(b[:])
}
