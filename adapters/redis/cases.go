package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

var _ bot.CaseIndex = (*Store)(nil)

// The case index shares the hash tag {cases}: the sync script touches the
// record, its sequence number and every index at once.
func (s *Store) caseKey(name string) string { return s.globalKey("cases", name) }

func (s *Store) caseDataKey() string        { return s.caseKey("data") }
func (s *Store) caseSeqKey() string         { return s.caseKey("seq") }
func (s *Store) caseOwnerKey() string       { return s.caseKey("owner") }
func (s *Store) caseNumbersKey() string     { return s.caseKey("numbers") }
func (s *Store) caseNeedsPersonKey() string { return s.caseKey("needs_person") }
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
// newer one, and moves it between the indexes. The index of cases that
// need a person keeps the time a case came into it, so that the queue
// lists them in the order they began to wait.
//
//	KEYS: data, seq, owner, merchant index, needs-person index, status
//	      indexes...
//	ARGV: case no, seq, JSON, status index position (1-based), score,
//	      consumer index key or "", "1" if the case has a merchant,
//	      "1" if it needs a person, the time it is synced
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
for i = 6, #KEYS do
  if i - 5 == pos then
    redis.call('ZADD', KEYS[i], ARGV[5], ARGV[1])
  else
    redis.call('ZREM', KEYS[i], ARGV[1])
  end
end
if ARGV[7] == '1' then
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
end
if ARGV[8] == '1' then
  redis.call('ZADD', KEYS[5], 'NX', ARGV[9], ARGV[1])
else
  redis.call('ZREM', KEYS[5], ARGV[1])
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
	keys := []string{s.caseDataKey(), s.caseSeqKey(), s.caseOwnerKey(), merchantIdx, s.caseNeedsPersonKey()}
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
	needs := "0"
	if c.NeedsPerson() {
		needs = "1"
	}
	err = syncCaseScript.Run(ctx, s.rdb, keys, c.No, c.Seq, buf, pos, c.Opened, consumerIdx, hasMerchant, needs, max(c.Updated, c.Opened)).Err()
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

// CasesNeedingPerson returns the cases operators must act on (see
// bot.Case.NeedsPerson), those waiting longest first: an index the case
// sync keeps, so that nothing else is read.
func (s *Store) CasesNeedingPerson(ctx context.Context, limit int) ([]bot.Case, error) {
	return s.readCases(ctx, casesOldestScript, s.caseNeedsPersonKey(), limit)
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

// casesOldestScript reads the oldest members of an index instead.
var casesOldestScript = redis.NewScript(strings.Replace(casesByIndexLua, "ZREVRANGE", "ZRANGE", 1))

func (s *Store) casesIn(ctx context.Context, index string, limit int) ([]bot.Case, error) {
	return s.readCases(ctx, casesByIndexScript, index, limit)
}

func (s *Store) readCases(ctx context.Context, script *redis.Script, index string, limit int) ([]bot.Case, error) {
	if limit <= 0 {
		limit = 100
	}
	vals, err := script.Run(ctx, s.rdb, []string{index, s.caseDataKey()}, strconv.Itoa(limit)).Slice()
	if err != nil {
		return nil, storeError("list cases", err)
	}
	return decodeFound[bot.Case](vals, "case")
}

// forgetCaseLua removes a case from the index: its record, its sequence
// number, its number and its place in every index.
//
//	KEYS: data, seq, owner, numbers, needs-person index, merchant index,
//	      status indexes...
//	ARGV: case no
const forgetCaseLua = `
local owner = redis.call('HGET', KEYS[3], ARGV[1])
if owner then
  redis.call('ZREM', owner, ARGV[1])
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
for i = 5, #KEYS do
  redis.call('ZREM', KEYS[i], ARGV[1])
end
return 1
`

var forgetCaseScript = redis.NewScript(forgetCaseLua)

// ForgetCase implements bot.CaseIndex.
func (s *Store) ForgetCase(ctx context.Context, no string) error {
	c, err := s.Case(ctx, no)
	switch {
	case bot.ErrorCode(err) == bot.ENOTFOUND:
		c = bot.Case{No: no}
	case err != nil:
		return err
	}
	merchantIdx := s.caseKey("merchant")
	if c.Merchant != "" {
		merchantIdx = s.caseMerchantKey(c.Merchant)
	}
	keys := []string{s.caseDataKey(), s.caseSeqKey(), s.caseOwnerKey(), s.caseNumbersKey(), s.caseNeedsPersonKey(), merchantIdx}
	for _, st := range bot.CaseStatuses {
		keys = append(keys, s.caseStatusKey(st))
	}
	if err := forgetCaseScript.Run(ctx, s.rdb, keys, no).Err(); err != nil {
		return storeError("forget case "+no, err)
	}
	return nil
}
