package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

// inboxTTL bounds how long pushed replies wait for a terminal to show
// them.
const inboxTTL = 7 * 24 * time.Hour

// PushInbox queues replies for a user whose channel reads them from
// Redis (the terminal chat): another process's chat shows them live.
func (s *Store) PushInbox(ctx context.Context, to bot.Key, replies []bot.Reply) error {
	buf, err := json.Marshal(replies)
	if err != nil {
		return bot.Errorf(bot.EINTERNAL, "encode replies: %v", err)
	}
	k := s.keys(to).inbox
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.RPush(ctx, k, buf)
		p.PExpire(ctx, k, inboxTTL)
		return nil
	})
	if err != nil {
		return storeError("push replies to "+to.String(), err)
	}
	return nil
}

// PopInbox waits up to wait for replies pushed to key, and returns nil
// when none came; with no wait it only looks.
func (s *Store) PopInbox(ctx context.Context, key bot.Key, wait time.Duration) ([]bot.Reply, error) {
	var (
		buf string
		err error
	)
	if wait <= 0 {
		buf, err = s.rdb.LPop(ctx, s.keys(key).inbox).Result()
	} else {
		var res []string
		res, err = s.rdb.BLPop(ctx, wait, s.keys(key).inbox).Result()
		if err == nil {
			buf = res[1]
		}
	}
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, storeError("read pushed replies of "+key.String(), err)
	}
	var replies []bot.Reply
	if err := json.Unmarshal([]byte(buf), &replies); err != nil {
		return nil, bot.Errorf(bot.EINTERNAL, "decode pushed replies: %v", err)
	}
	return replies, nil
}
