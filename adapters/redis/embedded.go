package redisstore

import (
	"fmt"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Embedded starts a Redis-compatible server (miniredis) inside the process,
// listening on a random loopback port, and returns a client for it and a
// func that closes both. It lets slipdesk run with no REDIS_URL on the
// very code path it runs on a real server; nothing it holds survives the
// process.
func Embedded() (redis.UniversalClient, func() error, error) {
	return embedded(time.Second)
}

// embedded is Embedded with TTLs counted down every tick.
func embedded(tick time.Duration) (redis.UniversalClient, func() error, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, nil, fmt.Errorf("start embedded redis: %w", err)
	}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go countDownTTLs(m, tick, stop, stopped)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr(), ContextTimeoutEnabled: true})
	var (
		once sync.Once
		err  error
	)
	closeAll := func() error {
		once.Do(func() {
			close(stop)
			<-stopped
			err = rdb.Close()
			m.Close()
		})
		return err
	}
	return rdb, closeAll, nil
}

// maxClockShare bounds the share of one core the clock may take: after a
// count-down that took d, the next waits at least d*maxClockShare.
const maxClockShare = 50

// countDownTTLs makes keys expire in wall time, as idle conversations and
// delivery records must; miniredis alone counts TTLs down only when told.
// Each count-down visits and sorts every key under the server's lock, so
// it runs only when commands ran since the last one (an idle store costs
// nothing: what was written idles too, and the next command's tick
// catches up on the whole time passed), and never more often than keeps
// its cost under 1/maxClockShare of a core: with many keys, TTLs are
// counted down less often, which TTLs of minutes to days allow. Its
// ClockTTL option would count down on every command instead.
func countDownTTLs(m *miniredis.Miniredis, tick time.Duration, stop <-chan struct{}, stopped chan<- struct{}) {
	defer close(stopped)
	t := time.NewTicker(tick)
	defer t.Stop()
	last, commands := time.Now(), m.CommandCount()
	next := last
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			if now.Before(next) {
				continue
			}
			if n := m.CommandCount(); n == commands {
				continue
			} else {
				commands = n
			}
			m.FastForward(now.Sub(last))
			last = now
			next = now.Add(maxClockShare * time.Since(now))
		}
	}
}
