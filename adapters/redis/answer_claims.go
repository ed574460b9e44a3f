package redisstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

var _ bot.AnswerClaims = (*Store)(nil)

// answerKey is the claim of case no's answer; it shares the case index's
// hash tag.
func (s *Store) answerKey(no string) string { return s.caseKey("answer:" + no) }

// claimAnswerScript keeps the first claim and returns whichever is kept.
//
//	KEYS: the claim
//	ARGV: the claim as JSON, its TTL in milliseconds
var claimAnswerScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur then
  return cur
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
`)

// ClaimAnswer implements bot.AnswerClaims.
func (s *Store) ClaimAnswer(ctx context.Context, no string, claim bot.AnswerClaim, ttl time.Duration) (bot.AnswerClaim, error) {
	buf, err := json.Marshal(claim)
	if err != nil {
		return bot.AnswerClaim{}, err
	}
	got, err := claimAnswerScript.Run(ctx, s.rdb, []string{s.answerKey(no)}, buf, millis(ttl)).Text()
	if err != nil {
		return bot.AnswerClaim{}, storeError("claim answer on "+no, err)
	}
	var kept bot.AnswerClaim
	if err := json.Unmarshal([]byte(got), &kept); err != nil {
		return bot.AnswerClaim{}, storeError("decode answer claim on "+no, err)
	}
	return kept, nil
}
