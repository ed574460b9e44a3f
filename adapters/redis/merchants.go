package redisstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

var _ bot.MerchantDirectory = (*Store)(nil)

// The merchant registry's keys all carry the hash tag {m}: the scripts
// that add a merchant and use a link code touch several of them at once,
// which Redis Cluster allows only within one slot. The registry is small
// (one entry per shop), so one slot holds it well.
//
//	<prefix>{m}:m:<id>       string: the merchant as JSON, without its chats
//	<prefix>{m}:chats:<id>   sorted set: the linked chats (JSON bot.Key), by link time
//	<prefix>{m}:all          set: every merchant's ID
//	<prefix>{m}:idx:mid      hash: merchant number (商户编号) → merchant's ID
//	<prefix>{m}:idx:tid      hash: terminal number (终端号) → merchant's ID
//	<prefix>{m}:idx:name     hash: normalised name or alias → merchant IDs, space-separated
//	<prefix>{m}:link:<code>  string: "<id>" while unused, "<id> <chat>" once used; expires
func (s *Store) regKey(parts ...string) string { return s.prefix + "{m}:" + strings.Join(parts, ":") }

func (s *Store) merchantKey(id string) string { return s.regKey("m", id) }
func (s *Store) chatsKey(id string) string    { return s.regKey("chats", id) }
func (s *Store) linkKey(code string) string   { return s.regKey("link", code) }

// How many random IDs or codes to try before giving up: with 31^6 IDs
// and 31^8 codes a second try is already rare.
const maxDraws = 8

// addMerchantLua writes a new merchant and its index entries, unless its
// ID is taken or one of its merchant or terminal numbers belongs to
// another merchant; nothing is written then.
//
//	KEYS: merchant, idx:mid, idx:tid, idx:name, all
//	ARGV: id, merchant JSON, number of merchant numbers, merchant
//	      numbers..., number of terminal numbers, terminal numbers...,
//	      names...
//
// It returns {"ok"}, {"id"} when the ID is taken, or {"mid"|"tid",
// number, owner} for a number registered to owner.
const addMerchantLua = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'id'}
end
local id = ARGV[1]
local nmid = tonumber(ARGV[3])
local mid0 = 4
local tid0 = mid0 + nmid + 1
local ntid = tonumber(ARGV[tid0 - 1])
local name0 = tid0 + ntid
for i = mid0, tid0 - 2 do
  local owner = redis.call('HGET', KEYS[2], ARGV[i])
  if owner then return {'mid', ARGV[i], owner} end
end
for i = tid0, name0 - 1 do
  local owner = redis.call('HGET', KEYS[3], ARGV[i])
  if owner then return {'tid', ARGV[i], owner} end
end
redis.call('SET', KEYS[1], ARGV[2])
for i = mid0, tid0 - 2 do
  redis.call('HSET', KEYS[2], ARGV[i], id)
end
for i = tid0, name0 - 1 do
  redis.call('HSET', KEYS[3], ARGV[i], id)
end
for i = name0, #ARGV do
  local ids = redis.call('HGET', KEYS[4], ARGV[i])
  if ids then ids = ids .. ' ' .. id else ids = id end
  redis.call('HSET', KEYS[4], ARGV[i], ids)
end
redis.call('SADD', KEYS[5], id)
return {'ok'}
`

var addMerchantScript = redis.NewScript(addMerchantLua)

// AddMerchant implements bot.MerchantDirectory. The checks and the writes
// run in one script, so two operators registering the same terminal at
// once cannot both succeed.
func (s *Store) AddMerchant(ctx context.Context, m bot.Merchant) (bot.Merchant, error) {
	m = m.Normalize()
	if err := m.Validate(); err != nil {
		return bot.Merchant{}, err
	}
	m.Chats = nil
	m.Created = time.Now().Unix()
	for range maxDraws {
		m.ID = bot.RandomMerchantID()
		buf, err := json.Marshal(m)
		if err != nil {
			return bot.Merchant{}, fmt.Errorf("add merchant: %w", err)
		}
		args := []any{m.ID, buf, len(m.MerchantIDs)}
		for _, id := range m.MerchantIDs {
			args = append(args, id)
		}
		args = append(args, len(m.TerminalIDs))
		for _, id := range m.TerminalIDs {
			args = append(args, id)
		}
		for _, n := range m.IndexNames() {
			args = append(args, n)
		}
		keys := []string{s.merchantKey(m.ID), s.regKey("idx", "mid"), s.regKey("idx", "tid"), s.regKey("idx", "name"), s.regKey("all")}
		res, err := addMerchantScript.Run(ctx, s.rdb, keys, args...).StringSlice()
		if err != nil {
			return bot.Merchant{}, storeError("add merchant", err)
		}
		switch {
		case len(res) == 1 && res[0] == "ok":
			return m, nil
		case len(res) == 1 && res[0] == "id":
			continue
		case len(res) == 3:
			return bot.Merchant{}, s.conflict(ctx, res[0], res[1], res[2])
		default:
			return bot.Merchant{}, bot.Errorf(bot.EINTERNAL, "add merchant: unexpected script answer %q", res)
		}
	}
	return bot.Merchant{}, bot.Errorf(bot.EINTERNAL, "add merchant: no free merchant ID in %d draws", maxDraws)
}

// conflict describes a merchant or terminal number that belongs to
// another merchant, naming that merchant when it can be read.
func (s *Store) conflict(ctx context.Context, kind, number, owner string) error {
	what := "merchant ID"
	if kind == "tid" {
		what = "terminal ID"
	}
	who := owner
	if o, err := s.Merchant(ctx, owner); err == nil {
		who = fmt.Sprintf("%s (%s)", owner, o.Name)
	}
	return bot.Errorf(bot.ECONFLICT, "%s %s is already registered to merchant %s", what, number, who)
}

// Merchant implements bot.MerchantDirectory.
func (s *Store) Merchant(ctx context.Context, id string) (bot.Merchant, error) {
	ref, ok := bot.NormalizeMerchantRef(id)
	if !ok {
		return bot.Merchant{}, bot.Errorf(bot.ENOTFOUND, "no merchant %q: merchant IDs look like M4KX7PQ", id)
	}
	ms, err := s.loadMerchants(ctx, []string{ref})
	if err != nil {
		return bot.Merchant{}, err
	}
	if len(ms) == 0 {
		return bot.Merchant{}, bot.Errorf(bot.ENOTFOUND, "no merchant %s", ref)
	}
	return ms[0], nil
}

// Merchants implements bot.MerchantDirectory.
func (s *Store) Merchants(ctx context.Context) ([]bot.Merchant, error) {
	ids, err := s.rdb.SMembers(ctx, s.regKey("all")).Result()
	if err != nil {
		return nil, storeError("list merchants", err)
	}
	ms, err := s.loadMerchants(ctx, ids)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ms, func(a, b bot.Merchant) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return ms, nil
}

// loadMerchants reads the merchants with ids, in that order, in one round
// trip; an ID with no merchant is left out.
func (s *Store) loadMerchants(ctx context.Context, ids []string) ([]bot.Merchant, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	type read struct {
		m     *redis.StringCmd
		chats *redis.StringSliceCmd
	}
	reads := make([]read, len(ids))
	// The pipeline's own error is the first command's, which may be a
	// GET's redis.Nil; each command is checked below.
	_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			reads[i] = read{p.Get(ctx, s.merchantKey(id)), p.ZRange(ctx, s.chatsKey(id), 0, -1)}
		}
		return nil
	})
	ms := make([]bot.Merchant, 0, len(ids))
	for i, r := range reads {
		buf, err := r.m.Bytes()
		switch {
		case errors.Is(err, redis.Nil):
			continue
		case err != nil:
			return nil, storeError("load merchant "+ids[i], err)
		}
		var m bot.Merchant
		if err := json.Unmarshal(buf, &m); err != nil {
			return nil, bot.Errorf(bot.EINTERNAL, "stored merchant %s is not valid JSON: %v", ids[i], err)
		}
		chats, err := r.chats.Result()
		if err != nil {
			return nil, storeError("load chats of merchant "+ids[i], err)
		}
		m.Chats = nil
		for _, c := range chats {
			var k bot.Key
			if err := json.Unmarshal([]byte(c), &k); err != nil {
				return nil, bot.Errorf(bot.EINTERNAL, "stored chat of merchant %s is not valid JSON: %v", ids[i], err)
			}
			m.Chats = append(m.Chats, k)
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// MatchMerchants implements bot.MerchantDirectory: it looks up the
// entries bot.MerchantQuery.Keys gives in the three indexes in one round
// trip, ranks the hits with bot.RankMerchants and loads the best in a
// second one. Its errors never quote the query, which is user text.
func (s *Store) MatchMerchants(ctx context.Context, q bot.MerchantQuery) ([]bot.Merchant, error) {
	k := q.Keys()
	if k.MerchantID == "" && k.TerminalID == "" && len(k.Names) == 0 {
		return nil, nil
	}
	var mid, tid *redis.StringCmd
	var names *redis.SliceCmd
	_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		if k.MerchantID != "" {
			mid = p.HGet(ctx, s.regKey("idx", "mid"), k.MerchantID)
		}
		if k.TerminalID != "" {
			tid = p.HGet(ctx, s.regKey("idx", "tid"), k.TerminalID)
		}
		if len(k.Names) > 0 {
			names = p.HMGet(ctx, s.regKey("idx", "name"), k.Names...)
		}
		return nil
	})
	var h bot.MerchantHits
	for _, c := range []struct {
		cmd *redis.StringCmd
		to  *[]string
	}{{mid, &h.MerchantID}, {tid, &h.TerminalID}} {
		if c.cmd == nil {
			continue
		}
		switch id, err := c.cmd.Result(); {
		case err == nil:
			*c.to = []string{id}
		case !errors.Is(err, redis.Nil):
			return nil, storeError("match merchants", err)
		}
	}
	if names != nil {
		vals, err := names.Result()
		if err != nil {
			return nil, storeError("match merchants", err)
		}
		h.Names = make([][]string, len(vals))
		for i, v := range vals {
			if ids, ok := v.(string); ok {
				h.Names[i] = strings.Fields(ids)
			}
		}
	}
	return s.loadMerchants(ctx, bot.RankMerchants(k, h))
}

// NewLinkCode implements bot.MerchantDirectory. A code is created with SET
// NX, so that a code drawn twice never hands one merchant's code to
// another.
func (s *Store) NewLinkCode(ctx context.Context, merchantID string, ttl time.Duration) (string, error) {
	if ttl < time.Second {
		return "", bot.Errorf(bot.EINVALID, "link code lifetime %v is too short: at least 1s", ttl)
	}
	m, err := s.Merchant(ctx, merchantID)
	if err != nil {
		return "", err
	}
	for range maxDraws {
		code := bot.RandomLinkCode()
		ok, err := s.rdb.SetNX(ctx, s.linkKey(code), m.ID, ttl).Result()
		if err != nil {
			return "", storeError("new link code for merchant "+m.ID, err)
		}
		if ok {
			return code, nil
		}
	}
	return "", bot.Errorf(bot.EINTERNAL, "new link code for merchant %s: no free code in %d draws", m.ID, maxDraws)
}

// linkLua uses a link code for a chat: the first chat to use it marks
// the code as its own for the rest of the code's lifetime (KEEPTTL) and is
// added to the merchant's chats; the same chat may use it again, others
// may not.
//
//	KEYS: link code, merchant, merchant's chats
//	ARGV: merchant ID the code held when read, chat, link time
//
// It returns 1 when linked, 0 for a code that is gone or another chat's,
// -1 when the code names another merchant than it did (it expired and
// was drawn again: read it again), -2 when the merchant is gone.
const linkLua = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local id, used = v, nil
local sp = string.find(v, ' ', 1, true)
if sp then
  id = string.sub(v, 1, sp - 1)
  used = string.sub(v, sp + 1)
end
if id ~= ARGV[1] then return -1 end
if used and used ~= ARGV[2] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then return -2 end
if not used then
  redis.call('SET', KEYS[1], id .. ' ' .. ARGV[2], 'KEEPTTL')
end
redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[2])
return 1
`

var linkScript = redis.NewScript(linkLua)

// Link implements bot.MerchantDirectory. The code is read first to learn
// its merchant, whose keys the script must be given; the script checks
// the code again, so a code used in between is not used twice. Its errors
// never quote the code, which is a credential.
func (s *Store) Link(ctx context.Context, code string, chat bot.Key) (bot.Merchant, error) {
	notFound := bot.Errorf(bot.ENOTFOUND, "link code unknown, expired or used by another chat")
	c, ok := bot.NormalizeLinkCode(code)
	if !ok {
		return bot.Merchant{}, notFound
	}
	member, err := json.Marshal(chat)
	if err != nil {
		return bot.Merchant{}, fmt.Errorf("link chat %s: %w", chat, err)
	}
	for range maxDraws {
		v, err := s.rdb.Get(ctx, s.linkKey(c)).Result()
		switch {
		case errors.Is(err, redis.Nil):
			return bot.Merchant{}, notFound
		case err != nil:
			return bot.Merchant{}, storeError("read link code", err)
		}
		id, _, _ := strings.Cut(v, " ")
		keys := []string{s.linkKey(c), s.merchantKey(id), s.chatsKey(id)}
		res, err := linkScript.Run(ctx, s.rdb, keys, id, member, time.Now().Unix()).Int()
		if err != nil {
			return bot.Merchant{}, storeError("link chat "+chat.String()+" to merchant "+id, err)
		}
		switch res {
		case 1:
			return s.Merchant(ctx, id)
		case 0:
			return bot.Merchant{}, notFound
		case -2:
			return bot.Merchant{}, bot.Errorf(bot.EINTERNAL, "link code names merchant %s, which does not exist", id)
		}
	}
	return bot.Merchant{}, bot.Errorf(bot.EINTERNAL, "link chat %s: the code kept changing", chat)
}
