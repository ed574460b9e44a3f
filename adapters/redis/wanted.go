package redisstore

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

var _ bot.WantedMerchants = (*Store)(nil)

// maxWanted bounds the shops counted: past it, the least named go.
const maxWanted = 10000

// The wanted shops share the hash tag {wanted}: a sorted set of counts
// by normalised name, a hash of the names as written, and a once-key per
// effect so that a replayed effect counts once.
func (s *Store) wantedKey(name string) string { return s.globalKey("wanted", name) }

// noteWantedLua counts a shop once per effect.
//
//	KEYS: once key, counts, names
//	ARGV: once TTL (ms), normalised name, name as written, max entries
var noteWantedScript = redis.NewScript(`
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return 0
end
redis.call('ZINCRBY', KEYS[2], 1, ARGV[2])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if extra > 0 then
  local gone = redis.call('ZPOPMIN', KEYS[2], extra)
  for i = 1, #gone, 2 do
    redis.call('HDEL', KEYS[3], gone[i])
  end
end
return 1
`)

// NoteWantedMerchant implements bot.WantedMerchants.
func (s *Store) NoteWantedMerchant(ctx context.Context, id, name string) error {
	norm := bot.NormalizeMerchantName(name)
	if norm == "" {
		return nil
	}
	keys := []string{s.wantedKey("once:" + hashID(id)), s.wantedKey("counts"), s.wantedKey("names")}
	err := noteWantedScript.Run(ctx, s.rdb, keys, millis(onceTTL), norm, name, maxWanted).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		return storeError("count wanted merchant", err)
	}
	return nil
}

// WantedMerchants implements bot.WantedMerchants.
func (s *Store) WantedMerchants(ctx context.Context, limit int64) ([]bot.WantedMerchant, error) {
	zs, err := s.rdb.ZRevRangeWithScores(ctx, s.wantedKey("counts"), 0, limit-1).Result()
	if err != nil {
		return nil, storeError("read wanted merchants", err)
	}
	if len(zs) == 0 {
		return nil, nil
	}
	fields := make([]string, len(zs))
	for i, z := range zs {
		fields[i], _ = z.Member.(string)
	}
	names, err := s.rdb.HMGet(ctx, s.wantedKey("names"), fields...).Result()
	if err != nil {
		return nil, storeError("read wanted merchant names", err)
	}
	out := make([]bot.WantedMerchant, len(zs))
	for i, z := range zs {
		n, _ := names[i].(string)
		if n == "" {
			n = fields[i]
		}
		out[i] = bot.WantedMerchant{Name: n, Cases: int64(z.Score)}
	}
	return out, nil
}
