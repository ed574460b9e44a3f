package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// target is one bot under load.
type target struct {
	name string
	proc *server
	chat chat
}

// result is what one run measured.
type result struct {
	turns    int
	elapsed  time.Duration
	lat      []time.Duration // sorted
	errors   int
	firstErr error
	cpu      time.Duration
}

// measure runs convs conversations at once against t for d: each sends
// the intake, one message after the other's answer, then starts again as
// a new user. A conversation cut short by the end of the run counts the
// turns it finished.
func (t target) measure(ctx context.Context, ips *sourceIPs, convs int, d time.Duration) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu    sync.Mutex
		res   result
		turns atomic.Int64
		wg    sync.WaitGroup
	)
	cpu0, start := t.proc.cpu(), time.Now()
	for range convs {
		wg.Go(func() {
			var lat []time.Duration
			errs, first := 0, error(nil)
			for ctx.Err() == nil {
				c := ips.client()
				conv, err := t.chat.begin(c)
				for i := 0; err == nil && i < len(intake) && ctx.Err() == nil; i++ {
					t0 := time.Now()
					if err = t.chat.say(c, conv, i); err == nil {
						lat = append(lat, time.Since(t0))
						turns.Add(1)
					}
				}
				if err != nil && ctx.Err() == nil {
					errs++
					if first == nil {
						first = err
					}
				}
				c.CloseIdleConnections()
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.errors += errs
			if res.firstErr == nil {
				res.firstErr = first
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed, res.cpu = time.Since(start), t.proc.cpu()-cpu0
	res.turns = int(turns.Load())
	slices.Sort(res.lat)
	return res
}

func (r result) perSecond() float64 { return float64(r.turns) / r.elapsed.Seconds() }

// p returns the q-quantile of the turn times.
func (r result) p(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[min(len(r.lat)-1, int(q*float64(len(r.lat))))]
}

func (r result) row() string {
	perCPU := "-"
	if r.cpu > 0 {
		perCPU = fmt.Sprintf("%.0f", float64(r.turns)/r.cpu.Seconds())
	}
	return fmt.Sprintf("%9.0f %9s %9s %7d %8.1f %11s", r.perSecond(), r.p(0.50).Round(10*time.Microsecond),
		r.p(0.99).Round(10*time.Microsecond), r.errors, r.cpu.Seconds(), perCPU)
}

// median returns, of rs, the run with the median turns per second.
func median(rs []result) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int {
		switch {
		case a.perSecond() < b.perSecond():
			return -1
		case a.perSecond() > b.perSecond():
			return 1
		}
		return 0
	})
	return s[len(s)/2]
}

// sourceIPs hands out loopback addresses, one per conversation, from
// 127.1.0.1 on: every conversation connects from an address of its own,
// as every user does from theirs.
type sourceIPs struct{ next atomic.Uint32 }

// client returns an HTTP client whose connections come from the next
// address.
func (s *sourceIPs) client() *http.Client {
	n := s.next.Add(1)
	ip := net.IPv4(127, byte(1+n>>16%254), byte(n>>8), byte(n))
	if byte(n) == 0 {
		ip[15] = 1
	}
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConnsPerHost: 1,
			DisableCompression:  true,
		},
	}
}
