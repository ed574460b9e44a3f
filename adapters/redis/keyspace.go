package redisstore

import (
	"context"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// unlinkBatch is how many keys one round trip of DeleteUnder unlinks.
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

// DeleteUnder deletes the keys whose names start with prefix (as
// KeysUnder lists them) and returns how many it found. Keys go a key a
// command and a thousand a round trip: a Cluster refuses one command
// naming keys of several slots.
func DeleteUnder(ctx context.Context, rdb redis.UniversalClient, prefix string) (int, error) {
	keys, err := KeysUnder(ctx, rdb, prefix)
	if err != nil {
		return 0, err
	}
	n := len(keys)
	for len(keys) > 0 {
		batch := keys[:min(len(keys), unlinkBatch)]
		_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range batch {
				p.Unlink(ctx, k)
			}
			return nil
		})
		if err != nil {
			return n, storeError("delete keys under "+prefix, err)
		}
		keys = keys[len(batch):]
	}
	return n, nil
}

// globEscaper makes SCAN's MATCH take a prefix as it is written.
var globEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`, `]`, `\]`)
