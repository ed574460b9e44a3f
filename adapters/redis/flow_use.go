package redisstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/bot"
)

var _ bot.FlowUseCounter = (*Store)(nil)

// The counts of conversations per flow version share the hash tag
// {flowuse}: a sorted set per version of the conversations on it (a
// digest of each conversation's key, scored by when its count lapses),
// and a sorted set of the versions, scored likewise. Lapsed entries are
// trimmed as versions are written and read, and each set expires with
// its newest entry, so nothing outlives the conversations counted. Times
// are the engine's, as the turns tell them.
func (s *Store) flowUseKey(r bot.FlowRef) string {
	return s.globalKey("flowuse", "v:"+escapeKeyPart(r.Flow)+":"+escapeKeyPart(r.Version))
}

func (s *Store) flowVersionsKey() string { return s.globalKey("flowuse", "versions") }

// flowRefMember names a version in the set of versions.
func flowRefMember(r bot.FlowRef) string { return r.Flow + " " + r.Version }

// noteFlowUse queues the commands that record u on p.
func (s *Store) noteFlowUse(ctx context.Context, p redis.Pipeliner, key bot.Key, u bot.FlowUse) {
	member := hashID(convTag(key))
	until := u.Until.UnixMilli()
	now := strconv.FormatInt(u.At.UnixMilli(), 10)
	ttl := u.Until.Sub(u.At)
	if u.From != (bot.FlowRef{}) && u.From != u.To {
		p.ZRem(ctx, s.flowUseKey(u.From), member)
	}
	if u.To != (bot.FlowRef{}) {
		set, versions := s.flowUseKey(u.To), s.flowVersionsKey()
		p.ZAdd(ctx, set, redis.Z{Score: float64(until), Member: member})
		p.ZRemRangeByScore(ctx, set, "-inf", "("+now)
		p.PExpire(ctx, set, ttl)
		p.ZAdd(ctx, versions, redis.Z{Score: float64(until), Member: flowRefMember(u.To)})
		p.ZRemRangeByScore(ctx, versions, "-inf", "("+now)
		p.PExpire(ctx, versions, ttl)
	}
}

// FlowUse implements bot.FlowUseCounter: the versions with conversations
// whose count has not lapsed at now, in two round trips.
func (s *Store) FlowUse(ctx context.Context, at time.Time) ([]bot.FlowVersionUse, error) {
	now := strconv.FormatInt(at.UnixMilli(), 10)
	members, err := s.rdb.ZRangeByScore(ctx, s.flowVersionsKey(), &redis.ZRangeBy{Min: now, Max: "+inf"}).Result()
	if err != nil {
		return nil, storeError("list flow versions in use", err)
	}
	refs := make([]bot.FlowRef, 0, len(members))
	for _, m := range members {
		flow, version, ok := strings.Cut(m, " ")
		if ok {
			refs = append(refs, bot.FlowRef{Flow: flow, Version: version})
		}
	}
	counts := make([]*redis.IntCmd, len(refs))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, r := range refs {
			counts[i] = p.ZCount(ctx, s.flowUseKey(r), now, "+inf")
		}
		return nil
	})
	if err != nil {
		return nil, storeError("count flow version use", err)
	}
	out := make([]bot.FlowVersionUse, 0, len(refs))
	for i, r := range refs {
		if n := counts[i].Val(); n > 0 {
			out = append(out, bot.FlowVersionUse{FlowRef: r, Conversations: n})
		}
	}
	return out, nil
}
