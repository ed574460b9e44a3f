package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/adapters/web"
	"github.com/slipdesk/slipdesk/adapters/web/loadclient"
)

// BenchmarkServerFloor measures what the server costs with nothing behind
// it: 64 clients post a message-sized JSON body to a route that reads it
// and answers with a reply-sized one, each posting again the moment it is
// answered, as the web chat and webhook benchmarks do. No path through
// the server is faster, so its requests/s bound theirs on this machine,
// and its p99 over its mean is the tail that 64 requests always in flight
// get from the runtime and the kernel alone.
func BenchmarkServerFloor(b *testing.B) {
	e := web.New(web.Options{})
	reply := []byte(`{"replies":[{"from":"bot","text":"Thank you. When did you pay? A date and time, as near as you remember.","at":1764750000000}]}`)
	e.POST("/floor", func(c echo.Context) error {
		if _, err := io.Copy(io.Discard, c.Request().Body); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, reply)
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	const conc = 64
	body := []byte(`{"id":"b12-3","text":"yesterday 3pm"}`)
	var next atomic.Int64
	lat := make([][]time.Duration, conc)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range conc {
		wg.Go(func() {
			client := loadclient.New(srv.URL)
			defer client.Close()
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				status, _, err := client.Post("/floor", body)
				if err != nil || status != http.StatusOK {
					b.Errorf("status %d, %v", status, err)
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	if len(all) == 0 {
		return
	}
	slices.Sort(all)
	var sum time.Duration
	for _, d := range all {
		sum += d
	}
	p99 := all[len(all)*99/100]
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "requests/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(p99)/(float64(sum)/float64(len(all))), "p99/mean")
}
