package redisstore

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

// commitLua writes one turn. Checking the version and the delivery record
// and writing everything in one script is what makes a turn atomic: two
// replicas handling events of one conversation cannot both win, and a
// redelivery cannot commit twice.
//
// The JSON arrives encoded, so the script needs neither cjson nor
// cmsgpack, and versions are compared as the strings Go wrote, so Lua's
// floating-point numbers never touch them.
//
// The state is one string, "<version>|<conversation JSON>". Older
// versions kept it as a hash (fields v and d); the script reads that
// form too and replaces it by the string on the next commit.
//
// A deleting turn removes the state, the transcript, pushed replies not
// yet shown and every delivery record (they hold replies, which may
// repeat what the user said); it keeps the outbox and adds its own
// effects, which delete what lives outside the conversation's keys.
//
// The transcript keeps its newest lines only. A delivery is committed
// when its member is in the index, a sorted set by commit time; its
// record (see record.go), written only when the turn has replies, holds
// them until they are all sent. Index entries older than the dedupe TTL
// are dropped, and past the most records a conversation keeps, the
// oldest records go with their entries.
//
//	KEYS: state, log, outbox, seen index, inbox[, seen]
//	ARGV: expect, next version, delete ("1"/"0"), conversation JSON,
//	      ttl ms, dedupe ttl ms, record ("" for none), number of log
//	      lines, seen key prefix, delivery ID, log lines..., effects...
//	      and, after them, as ARGV[#ARGV-2..#ARGV]: transcript lines
//	      kept (0: all), delivery records kept, now ms
//
// It returns 1 when written, -1 on a version conflict and -2 when the
// delivery was committed already.
const commitLua = `
local v = '0'
local cur = redis.pcall('GET', KEYS[1])
if type(cur) == 'table' and cur.err then
  v = redis.call('HGET', KEYS[1], 'v') or '0'
elseif cur then
  v = string.match(cur, '^(%d+)|')
  if not v then
    return redis.error_reply('ERR stored state has no version')
  end
end
if v ~= ARGV[1] then
  return -1
end
local maxlog, maxseen, now = tonumber(ARGV[#ARGV-2]), tonumber(ARGV[#ARGV-1]), tonumber(ARGV[#ARGV])
if KEYS[6] then
  -- An index an older version wrote as a set answers WRONGTYPE: it goes,
  -- and its records expire on their own.
  local member = redis.pcall('ZSCORE', KEYS[4], ARGV[10])
  if type(member) == 'table' and member.err then
    redis.call('DEL', KEYS[4])
  elseif member then
    return -2
  end
  if redis.call('EXISTS', KEYS[6]) == 1 then
    return -2
  end
end
local nlog = tonumber(ARGV[8])
if ARGV[3] == '1' then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[5])
  local ids = redis.pcall('ZRANGE', KEYS[4], 0, -1)
  if not ids.err then
    for _, id in ipairs(ids) do
      redis.call('DEL', ARGV[9] .. id)
    end
  end
  redis.call('DEL', KEYS[4])
else
  redis.call('SET', KEYS[1], ARGV[2] .. '|' .. ARGV[4], 'PX', ARGV[5])
  if nlog > 0 then
    local n = redis.call('RPUSH', KEYS[2], unpack(ARGV, 11, 10 + nlog))
    if maxlog > 0 and n > maxlog then
      redis.call('LTRIM', KEYS[2], -maxlog, -1)
    end
  end
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
if #ARGV > 13 + nlog then
  redis.call('RPUSH', KEYS[3], unpack(ARGV, 11 + nlog, #ARGV - 3))
end
-- A missing outbox has nothing to keep: PEXPIRE does nothing then.
redis.call('PEXPIRE', KEYS[3], ARGV[5])
if KEYS[6] then
  if ARGV[7] ~= '' then
    redis.call('SET', KEYS[6], ARGV[7], 'PX', ARGV[6])
  end
  redis.call('ZADD', KEYS[4], now, ARGV[10])
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[6]))
  local over = redis.call('ZCARD', KEYS[4]) - maxseen
  if over > 0 then
    for _, id in ipairs(redis.call('ZRANGE', KEYS[4], 0, over - 1)) do
      redis.call('DEL', ARGV[9] .. id)
    end
    redis.call('ZREMRANGEBYRANK', KEYS[4], 0, over - 1)
  end
  redis.call('PEXPIRE', KEYS[4], ARGV[5])
end
return 1
`

// commitScript runs by EVALSHA, falling back to EVAL once per server
// that has not cached it yet.
var commitScript = redis.NewScript(commitLua)

// Commit writes one turn atomically in one round trip: the new state at
// version c.Expect+1 (or, with c.Delete, the removal of the state, the
// transcript and the outbox), the turn's transcript lines and effects,
// and the delivery record, whose sending lease c.SendOwner holds from
// now on for c.SendLease when set. It fails with an error matching
// bot.ErrConflict when the stored version is not c.Expect or the
// delivery was committed already; nothing is written then. A deleting
// commit drops its own transcript lines with the rest and keeps its
// effects.
func (s *Store) Commit(ctx context.Context, c bot.Commit) error {
	if c.TTL <= 0 {
		return bot.Errorf(bot.EINVALID, "commit %s: TTL must be positive, got %v", c.Key, c.TTL)
	}
	if c.DeliveryID != "" && c.DedupeTTL <= 0 {
		return bot.Errorf(bot.EINVALID, "commit %s: DedupeTTL must be positive, got %v", c.Key, c.DedupeTTL)
	}
	ks := s.keys(c.Key)
	keys := []string{ks.state, ks.log, ks.outbox, ks.seenIndex, ks.inbox}
	if c.DeliveryID != "" {
		keys = append(keys, ks.seen(c.DeliveryID))
	}
	now := s.now()
	args, err := commitArgs(c, ks.seen(""), now)
	if err != nil {
		return err
	}
	args = append(args, c.MaxLog, s.limits.DeliveryRecords, now.UnixMilli())
	res, err := s.runCommit(ctx, c, keys, args)
	if err != nil {
		return storeError("commit conversation "+c.Key.String(), err)
	}
	switch res {
	case 1:
		return nil
	case -1:
		return bot.Errorf(bot.ECONFLICT, "commit conversation %s: stored version is not %d", c.Key, c.Expect)
	case -2:
		return bot.Errorf(bot.ECONFLICT, "commit conversation %s: delivery %s was committed already", c.Key, c.DeliveryID)
	default:
		return bot.Errorf(bot.EINTERNAL, "commit conversation %s: script answered %d", c.Key, res)
	}
}

// runCommit runs the commit script. A turn with effects marks its outbox
// pending first, in the same round trip: a relay that finds it empty only
// unmarks it, while a commit whose mark was lost would leave effects
// nobody carries out. A server that lost the script answers NOSCRIPT,
// having run nothing of it; the batcher then runs it by its source.
//
// The counts of conversations per flow version (c.FlowUse) go in the same
// round trip, after the script: they live in another hash slot, so they
// cannot be part of it, and they are advice, so an error of theirs does
// not fail the commit. A turn that loses on a version conflict may have
// counted its conversation once too early; the retry counts it again.
func (s *Store) runCommit(ctx context.Context, c bot.Commit, keys []string, args []any) (int64, error) {
	if len(c.Effects) == 0 && c.FlowUse == nil {
		return s.batch.Run(ctx, commitScript, keys, args...).Int64()
	}
	var res *redis.Cmd
	var mark *redis.IntCmd
	_ = s.batch.Pipelined(ctx, func(p redis.Pipeliner) error {
		if len(c.Effects) > 0 {
			mark = p.ZAdd(ctx, s.pendingKey(), pendingMark(c.Key))
		}
		res = evalShaCmd(ctx, commitScript, keys, args...)
		_ = p.Process(ctx, res)
		if c.FlowUse != nil {
			s.noteFlowUse(ctx, p, c.Key, *c.FlowUse)
		}
		return nil
	})
	if mark != nil && mark.Err() != nil {
		return 0, mark.Err()
	}
	return res.Int64()
}

// commitArgs encodes a commit as commitLua's ARGV.
func commitArgs(c bot.Commit, seenPrefix string, now time.Time) ([]any, error) {
	args := make([]any, 10, 10+len(c.Log)+len(c.Effects))
	args[0] = strconv.FormatInt(c.Expect, 10)
	args[1] = strconv.FormatInt(c.Expect+1, 10)
	args[2] = "0"
	args[3] = ""
	if c.Delete {
		args[2] = "1"
	} else {
		conv, err := json.Marshal(c.Conv)
		if err != nil {
			return nil, bot.Errorf(bot.EINTERNAL, "encode conversation %s: %v", c.Key, err)
		}
		args[3] = conv
	}
	args[4] = strconv.FormatInt(millis(c.TTL), 10)
	args[5] = strconv.FormatInt(millis(c.DedupeTTL), 10)
	args[6] = ""
	if len(c.Replies) > 0 && c.DeliveryID != "" {
		buf, err := encodeRecord(c.Replies, c.SendOwner, now.Add(c.SendLease))
		if err != nil {
			return nil, bot.Errorf(bot.EINTERNAL, "encode replies of %s: %v", c.Key, err)
		}
		args[6] = buf
	}
	args[7] = "0"
	args[8] = seenPrefix
	args[9] = c.DeliveryID
	logLines := c.Log
	if c.Delete {
		// A deleting turn's lines would go with the transcript.
		logLines = nil
	}
	args[7] = strconv.Itoa(len(logLines))
	for _, l := range logLines {
		buf, err := encodeLogLine(l)
		if err != nil {
			return nil, bot.Errorf(bot.EINTERNAL, "encode transcript line of %s: %v", c.Key, err)
		}
		args = append(args, buf)
	}
	for _, e := range c.Effects {
		buf, err := json.Marshal(e)
		if err != nil {
			return nil, bot.Errorf(bot.EINTERNAL, "encode effect %s of %s: %v", e.ID, c.Key, err)
		}
		args = append(args, buf)
	}
	return args, nil
}

// millis rounds d up to whole milliseconds, so that a positive TTL never
// becomes PX 0, which Redis refuses.
func millis(d time.Duration) int64 {
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}
