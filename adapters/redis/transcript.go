package redisstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slipdesk/slipdesk/bot"
)

// Transcript returns the transcript of a conversation, oldest line first;
// none when the conversation does not exist (or expired, or was deleted).
func (s *Store) Transcript(ctx context.Context, key bot.Key) ([]bot.LogLine, error) {
	return readList[bot.LogLine](ctx, s, s.keys(key).log, "transcript of "+key.String())
}

// Outbox returns the effects in a conversation's outbox, oldest first.
func (s *Store) Outbox(ctx context.Context, key bot.Key) ([]bot.Effect, error) {
	return readList[bot.Effect](ctx, s, s.keys(key).outbox, "outbox of "+key.String())
}

// readList decodes every JSON entry of the list at key.
func readList[T any](ctx context.Context, s *Store, key, what string) ([]T, error) {
	raw, err := s.rdb.LRange(ctx, key, 0, -1).Result()
	if err != nil {
		return nil, storeError("read "+what, err)
	}
	out := make([]T, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal([]byte(r), &out[i]); err != nil {
			return nil, fmt.Errorf("read %s: %w", what, bot.Errorf(bot.EINTERNAL, "entry %d is not valid JSON: %v", i, err))
		}
	}
	return out, nil
}
