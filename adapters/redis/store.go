package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

// Store keeps conversations, their transcripts, outboxes and delivery
// records, archived flow sources, the case index, the merchant registry,
// the alert stream and the timers, in Redis. It is safe for concurrent
// use by any number of goroutines and processes: it holds no state of its
// own but a note that the alert group exists, and the scripts check
// versions on the server.
type Store struct {
	rdb    redis.UniversalClient
	batch  *Batcher
	prefix string
	limits Limits

	alertGroupReady atomic.Bool
}

var (
	_ bot.Store       = (*Store)(nil)
	_ bot.FlowArchive = (*Store)(nil)
)

// New returns a store over rdb whose keys all start with prefix (such as
// "slipdesk:"), so that several deployments or tests can share one
// database. A prefix with a brace panics: Redis Cluster would take the
// brace as the hash tag and scatter a conversation's keys over slots.
func New(rdb redis.UniversalClient, prefix string) *Store {
	if strings.ContainsAny(prefix, "{}") {
		panic(fmt.Sprintf("redisstore: key prefix %q contains a brace, which would break the conversations' hash tags", prefix))
	}
	return &Store{rdb: rdb, batch: NewBatcher(rdb), prefix: prefix, limits: DefaultLimits}
}

// Batcher returns the batcher that carries the store's hot commands.
func (s *Store) Batcher() *Batcher { return s.batch }

// Prefix returns the prefix of every key the store writes.
func (s *Store) Prefix() string { return s.prefix }

// Ping checks that the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return storeError("ping redis", err)
	}
	return nil
}

// Load returns the conversation of key and, when deliveryID was committed
// before, the replies recorded for it: none once they were all sent. It
// costs one round trip (two for a conversation an older version stored).
// The reads need not be atomic: Commit checks them again, so a delivery
// committed meanwhile is answered from the record after the conflict.
func (s *Store) Load(ctx context.Context, key bot.Key, deliveryID string) (bot.Snapshot, error) {
	return s.LoadWith(ctx, key, deliveryID)
}

// LoadWith is Load with cmds sent first, in the same round trip: work a
// channel does with every turn (the web chat's rate limits), which then
// costs no round trip of its own. Each of cmds holds its own reply; the
// snapshot's error is the load's only.
func (s *Store) LoadWith(ctx context.Context, key bot.Key, deliveryID string, cmds ...redis.Cmder) (bot.Snapshot, error) {
	ks := s.keys(key)
	var (
		state, seen *redis.StringCmd
		member      *redis.FloatCmd
	)
	// Do's own error is the first failed command's, which may be a
	// GET's redis.Nil; each command is checked below.
	//
	// A pipeline is not atomic: a commit, or the mark that drops a
	// record once its replies are sent, may run between its commands. So
	// the index is read before the record: a member then a missing record
	// is a delivery sent in full, whatever happened between; read the
	// other way round, a commit landing between the two would look like
	// one, and its replies would never be sent.
	all := make([]redis.Cmder, 0, len(cmds)+3)
	state = redis.NewStringCmd(ctx, "get", ks.state)
	all = append(append(all, cmds...), state)
	if deliveryID != "" {
		member = redis.NewFloatCmd(ctx, "zscore", ks.seenIndex, deliveryID)
		seen = redis.NewStringCmd(ctx, "get", ks.seen(deliveryID))
		all = append(all, member, seen)
	}
	_ = s.batch.Do(ctx, all...)
	if seen != nil {
		switch buf, err := seen.Bytes(); {
		case err == nil:
			replies, err := decodeRecord(buf)
			if err != nil {
				return bot.Snapshot{}, fmt.Errorf("load delivery %s of %s: %w", deliveryID, key, err)
			}
			return bot.Snapshot{Replayed: replies}, nil
		case !errors.Is(err, redis.Nil):
			return bot.Snapshot{}, storeError("load delivery "+deliveryID+" of "+key.String(), err)
		}
		// An index an older version wrote as a set answers WRONGTYPE:
		// its records are keys of their own, read above.
		switch err := member.Err(); {
		case err == nil:
			return bot.Snapshot{Replayed: []bot.Reply{}}, nil
		case !errors.Is(err, redis.Nil) && !redis.HasErrorPrefix(err, "WRONGTYPE"):
			return bot.Snapshot{}, storeError("load delivery "+deliveryID+" of "+key.String(), err)
		}
	}
	conv, err := s.decodeState(ctx, key, state)
	if err != nil {
		return bot.Snapshot{}, err
	}
	return bot.Snapshot{Conv: conv}, nil
}

// decodeState reads the state, "<version>|<JSON>"; a missing
// conversation is the zero one at version 0. A state an older version
// kept as a hash (fields v and d) is read with a second round trip.
func (s *Store) decodeState(ctx context.Context, key bot.Key, state *redis.StringCmd) (bot.Conversation, error) {
	raw, err := state.Result()
	switch {
	case errors.Is(err, redis.Nil):
		return bot.Conversation{}, nil
	case redis.HasErrorPrefix(err, "WRONGTYPE"):
		vals, err := s.rdb.HMGet(ctx, s.keys(key).state, "v", "d").Result()
		if err != nil {
			return bot.Conversation{}, storeError("load conversation "+key.String(), err)
		}
		conv, err := decodeStateHash(vals)
		if err != nil {
			return bot.Conversation{}, fmt.Errorf("load conversation %s: %w", key, err)
		}
		return conv, nil
	case err != nil:
		return bot.Conversation{}, storeError("load conversation "+key.String(), err)
	}
	v, d, ok := strings.Cut(raw, "|")
	if !ok {
		return bot.Conversation{}, fmt.Errorf("load conversation %s: %w", key, bot.Errorf(bot.EINTERNAL, "stored state has no version"))
	}
	conv, err := decodeStateHash([]any{v, d})
	if err != nil {
		return bot.Conversation{}, fmt.Errorf("load conversation %s: %w", key, err)
	}
	return conv, nil
}

// decodeStateHash reads HMGET v d; a missing conversation is the zero
// one at version 0.
func decodeStateHash(vals []any) (bot.Conversation, error) {
	var conv bot.Conversation
	if len(vals) != 2 {
		return conv, bot.Errorf(bot.EINTERNAL, "HMGET answered %d values, want 2", len(vals))
	}
	if d, ok := vals[1].(string); ok {
		if err := decodeConversation(d, &conv); err != nil {
			return bot.Conversation{}, bot.Errorf(bot.EINTERNAL, "stored conversation is not valid JSON: %v", err)
		}
	}
	if v, ok := vals[0].(string); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return bot.Conversation{}, bot.Errorf(bot.EINTERNAL, "stored version %q is not a number", v)
		}
		conv.Version = n
	}
	return conv, nil
}
