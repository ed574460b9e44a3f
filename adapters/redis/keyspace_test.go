package redisstore

import (
	"slices"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TestKeysUnder lists and deletes (DeleteUnder) the keys under a prefix, across hash
// slots (on a Cluster, across masters), more than one round trip of
// them, and only them: a prefix with glob characters matches itself, not
// the keys its pattern would.
func TestKeysUnder(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		base := newTestStore(t, rdb).Prefix()
		prefix := base + "a*["
		var want []string
		p := rdb.Pipeline()
		for i := range unlinkBatch + 10 {
			k := prefix + "{" + strconv.Itoa(i) + "}"
			want = append(want, k)
			p.Set(ctx, k, "1", 0)
		}
		// A key the pattern a*[ would take as a glob, and that is not
		// under the prefix.
		other := base + "abc"
		p.Set(ctx, other, "1", 0)
		if _, err := p.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := KeysUnder(ctx, rdb, prefix)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("listed %d keys, want the %d under %q", len(got), len(want), prefix)
		}
		if n, err := DeleteUnder(ctx, rdb, prefix); err != nil || n != len(want) {
			t.Fatalf("deleted %d keys, %v; want the %d under %q", n, err, len(want), prefix)
		}
		if left, _ := KeysUnder(ctx, rdb, prefix); len(left) != 0 {
			t.Fatalf("%d keys left after deleting them", len(left))
		}
		if n := rdb.Exists(ctx, other).Val(); n != 1 {
			t.Fatal("a key outside the prefix was deleted")
		}
	})
}
