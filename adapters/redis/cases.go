package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

var _ bot.CaseIndex = (*Store)(nil)

// The case index shares the hash tag {cases}: the sync script touches the
// record, its sequence number and every index at once.
func (s *Store) caseKey(name string) string { return s.globalKey("cases", name) }

func (s *Store) caseDataKey() string    { return s.caseKey("data") }
func (s *Store) caseSeqKey() string     { return s.caseKey("seq") }
func (s *Store) caseOwnerKey() string   { return s.caseKey("owner") }
func (s *Store) caseNumbersKey() string { return s.caseKey("numbers") }
func (s *Store) caseMerchantKey(id string) string {
	return s.caseKey("merchant:" + escapeKeyPart(id))
}
func (s *Store) caseStatusKey(st bot.CaseStatus) string {
	return s.caseKey("status:" + string(st))
}
func (s *Store) caseConsumerKey(k bot.Key) string {
	return s.caseKey("consumer:" + convTag(k))
}

// ReserveCaseNo implements bot.CaseIndex. Numbers are never handed out
// twice, even after their case is gone.
func (s *Store) ReserveCaseNo(ctx context.Context, no string) (bool, error) {
	n, err := s.rdb.SAdd(ctx, s.caseNumbersKey(), no).Result()
	if err != nil {
		return false, storeError("reserve case number", err)
	}
	return n == 1, nil
}

// syncCaseLua stores a case unless the index has its sequence number or a
// newer one, and moves it between the indexes.
//
//	KEYS: data, seq, owner, merchant index, status indexes...
//	ARGV: case no, seq, JSON, status index position (1-based), score,
//	      consumer index key or "", "1" if the case has a merchant
//
// A case without a merchant still names a merchant index key in the
// {cases} slot (never written): an empty key would hash to another slot
// and Redis Cluster would refuse the script.
const syncCaseLua = `
local cur = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if cur >= tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local pos = tonumber(ARGV[4])
for i = 5, #KEYS do
  if i - 4 == pos then
    redis.call('ZADD', KEYS[i], ARGV[5], ARGV[1])
  else
    redis.call('ZREM', KEYS[i], ARGV[1])
  end
end
if ARGV[7] == '1' then
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
end
local old = redis.call('HGET', KEYS[3], ARGV[1])
if old and old ~= ARGV[6] then
  redis.call('ZREM', old, ARGV[1])
end
if ARGV[6] ~= '' then
  redis.call('ZADD', ARGV[6], ARGV[5], ARGV[1])
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[6])
else
  redis.call('HDEL', KEYS[3], ARGV[1])
end
return 1
`

var syncCaseScript = redis.NewScript(syncCaseLua)

// SyncCase implements bot.CaseIndex.
func (s *Store) SyncCase(ctx context.Context, c bot.Case) error {
	if bot.NormalizeCaseNo(c.No) != c.No {
		return bot.Errorf(bot.EINVALID, "sync case: %q is no case number", c.No)
	}
	buf, err := json.Marshal(c)
	if err != nil {
		return bot.Errorf(bot.EINTERNAL, "encode case %s: %v", c.No, err)
	}
	merchantIdx, hasMerchant := s.caseKey("merchant"), ""
	if c.Merchant != "" {
		merchantIdx, hasMerchant = s.caseMerchantKey(c.Merchant), "1"
	}
	keys := []string{s.caseDataKey(), s.caseSeqKey(), s.caseOwnerKey(), merchantIdx}
	pos := 0
	for i, st := range bot.CaseStatuses {
		keys = append(keys, s.caseStatusKey(st))
		if st == c.Status {
			pos = i + 1
		}
	}
	consumerIdx := ""
	if c.Consumer != nil {
		consumerIdx = s.caseConsumerKey(*c.Consumer)
	}
	err = syncCaseScript.Run(ctx, s.rdb, keys, c.No, c.Seq, buf, pos, c.Opened, consumerIdx, hasMerchant).Err()
	if err != nil {
		return storeError("sync case "+c.No, err)
	}
	return nil
}

// Case implements bot.CaseIndex.
func (s *Store) Case(ctx context.Context, no string) (bot.Case, error) {
	buf, err := s.rdb.HGet(ctx, s.caseDataKey(), no).Bytes()
	if errors.Is(err, redis.Nil) {
		return bot.Case{}, bot.Errorf(bot.ENOTFOUND, "no case %s", no)
	}
	if err != nil {
		return bot.Case{}, storeError("load case "+no, err)
	}
	var c bot.Case
	if err := json.Unmarshal(buf, &c); err != nil {
		return bot.Case{}, bot.Errorf(bot.EINTERNAL, "decode case %s: %v", no, err)
	}
	return c, nil
}

// CasesByMerchant implements bot.CaseIndex.
func (s *Store) CasesByMerchant(ctx context.Context, merchantID string, limit int) ([]bot.Case, error) {
	return s.casesIn(ctx, s.caseMerchantKey(merchantID), limit)
}

// CasesByStatus implements bot.CaseIndex.
func (s *Store) CasesByStatus(ctx context.Context, status bot.CaseStatus, limit int) ([]bot.Case, error) {
	if !slices.Contains(bot.CaseStatuses, status) {
		return nil, bot.Errorf(bot.EINVALID, "unknown case status %q", status)
	}
	return s.casesIn(ctx, s.caseStatusKey(status), limit)
}

// CasesByConsumer returns the cases a conversation opened, newest first.
func (s *Store) CasesByConsumer(ctx context.Context, k bot.Key, limit int) ([]bot.Case, error) {
	return s.casesIn(ctx, s.caseConsumerKey(k), limit)
}

// casesByIndexLua reads the newest members of an index and their records
// in one round trip.
//
//	KEYS: index, data
//	ARGV: limit
const casesByIndexLua = `
local nos = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #nos == 0 then
  return {}
end
return redis.call('HMGET', KEYS[2], unpack(nos))
`

var casesByIndexScript = redis.NewScript(casesByIndexLua)

func (s *Store) casesIn(ctx context.Context, index string, limit int) ([]bot.Case, error) {
	if limit <= 0 {
		limit = 100
	}
	vals, err := casesByIndexScript.Run(ctx, s.rdb, []string{index, s.caseDataKey()}, strconv.Itoa(limit)).Slice()
	if err != nil {
		return nil, storeError("list cases", err)
	}
	return decodeFound[bot.Case](vals, "case")
}
