package redisstore

import (
	"fmt"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Embedded starts a Redis-compatible server (miniredis) inside the process,
// listening on a random loopback port, and returns a client for it and a
// func that closes both. It lets slipdesk run with no REDIS_URL on the
// very code path it runs on a real server; nothing it holds survives the
// process.
func Embedded() (redis.UniversalClient, func() error, error) {
	m := miniredis.NewMiniRedis()
	// miniredis only counts TTLs down when told to; the store relies on
	// idle conversations and delivery records expiring in wall time.
	m.ClockTTL(true)
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, nil, fmt.Errorf("start embedded redis: %w", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	closeAll := func() error {
		err := rdb.Close()
		m.Close()
		return err
	}
	return rdb, closeAll, nil
}
