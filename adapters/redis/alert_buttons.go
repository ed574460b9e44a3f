package redisstore

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

var _ bot.AlertButtons = (*Store)(nil)

// MaxAlertButtons bounds the messages remembered per chat and case: an
// alert is shown again after a reminder or a correction, and only the
// latest few can still be on the user's screen.
const MaxAlertButtons = 8

// alertButtonsKey lists the messages carrying case no's alert buttons in
// chat; it shares the conversation's hash tag.
func (s *Store) alertButtonsKey(chat bot.Key, no string) string {
	return s.keys(chat).base + ":alertbtn:" + escapeKeyPart(no)
}

// RememberAlertButtons implements bot.AlertButtons.
func (s *Store) RememberAlertButtons(ctx context.Context, chat bot.Key, no, ref string, ttl time.Duration) error {
	key := s.alertButtonsKey(chat, no)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.LRem(ctx, key, 0, ref)
		p.LPush(ctx, key, ref)
		p.LTrim(ctx, key, 0, MaxAlertButtons-1)
		p.PExpire(ctx, key, ttl)
		return nil
	})
	if err != nil {
		return storeError("remember alert buttons of "+no, err)
	}
	return nil
}

// AlertButtonRefs implements bot.AlertButtons.
func (s *Store) AlertButtonRefs(ctx context.Context, chat bot.Key, no string) ([]string, error) {
	refs, err := s.rdb.LRange(ctx, s.alertButtonsKey(chat, no), 0, -1).Result()
	if err != nil {
		return nil, storeError("read alert buttons of "+no, err)
	}
	return refs, nil
}

// ForgetAlertButtons implements bot.AlertButtons.
func (s *Store) ForgetAlertButtons(ctx context.Context, chat bot.Key, no string) error {
	if err := s.rdb.Del(ctx, s.alertButtonsKey(chat, no)).Err(); err != nil {
		return storeError("forget alert buttons of "+no, err)
	}
	return nil
}
