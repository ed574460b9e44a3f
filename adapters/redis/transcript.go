package redisstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/slipdesk/slipdesk/bot"
)

// Transcript returns the transcript of a conversation, oldest line first;
// none when the conversation does not exist (or expired, or was deleted).
// Bot lines of catalog messages come without their text (Lang set); see
// bot.Catalog.FillTexts.
func (s *Store) Transcript(ctx context.Context, key bot.Key) ([]bot.LogLine, error) {
	raw, err := s.rdb.LRange(ctx, s.keys(key).log, 0, -1).Result()
	if err != nil {
		return nil, storeError("read transcript of "+key.String(), err)
	}
	out := make([]bot.LogLine, len(raw))
	for i, r := range raw {
		if out[i], err = decodeLogLine(r); err != nil {
			return nil, fmt.Errorf("read transcript of %s, line %d: %w", key, i, err)
		}
	}
	return out, nil
}

// Outbox returns the effects in a conversation's outbox, oldest first.
func (s *Store) Outbox(ctx context.Context, key bot.Key) ([]bot.Effect, error) {
	return readList[bot.Effect](ctx, s, s.keys(key).outbox, "outbox of "+key.String())
}

// decodeFound decodes the JSON strings of a script's or HMGET's reply,
// skipping the nils of fields that were not there.
func decodeFound[T any](vals []any, what string) ([]T, error) {
	out := make([]T, 0, len(vals))
	for _, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue
		}
		var x T
		if err := json.Unmarshal([]byte(str), &x); err != nil {
			return nil, bot.Errorf(bot.EINTERNAL, "decode %s: %v", what, err)
		}
		out = append(out, x)
	}
	return out, nil
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
