package redisstore

import (
	"context"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// unlinkBatch is how many keys one round trip of DeleteKeys unlinks.
const unlinkBatch = 1000

// KeysUnder lists the keys whose names start with prefix, from every
// master when rdb is a Cluster client, each master holding its own
// slots' keys. It walks the keyspace with SCAN, so it suits tools,
// tests and clean-ups, never a turn. Glob characters in prefix match
// themselves.
func KeysUnder(ctx context.Context, rdb redis.UniversalClient, prefix string) ([]string, error) {
	var (
		mu   sync.Mutex
		keys []string
	)
	pattern := globEscaper.Replace(prefix) + "*"
	scan := func(ctx context.Context, c redis.UniversalClient) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			keys = append(keys, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	var err error
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
	} else {
		err = scan(ctx, rdb)
	}
	if err != nil {
		return nil, storeError("list keys under "+prefix, err)
	}
	return keys, nil
}

// DeleteKeys unlinks keys, a key a command and a thousand a round trip:
// a Cluster refuses one command naming keys of several slots.
func DeleteKeys(ctx context.Context, rdb redis.UniversalClient, keys []string) error {
	for len(keys) > 0 {
		n := min(len(keys), unlinkBatch)
		_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys[:n] {
				p.Unlink(ctx, k)
			}
			return nil
		})
		if err != nil {
			return storeError("delete keys", err)
		}
		keys = keys[n:]
	}
	return nil
}

// globEscaper makes SCAN's MATCH take a prefix as it is written.
var globEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`, `]`, `\]`)
