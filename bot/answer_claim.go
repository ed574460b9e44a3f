package bot

import (
	"context"
	"time"
)

// AnswerClaim is the answer one merchant chat gave on a case, as the
// claim keeps it.
type AnswerClaim struct {
	// Chat names the chat that answered, by KeyDigest: the claim is
	// shared and must not carry a user's ID.
	Chat  string `json:"chat"`
	Value string `json:"value"`
	At    int64  `json:"at"`
}

// AnswerClaims decides, atomically across chats and replicas, which
// answer on a case counts: the first. The Redis store implements it.
type AnswerClaims interface {
	// ClaimAnswer records claim as the answer on case no unless one is
	// recorded, keeping it for ttl, and returns the recorded one: claim
	// itself when it won, or when the same chat claimed before (a turn
	// run again after a version conflict, or a redelivered tap).
	ClaimAnswer(ctx context.Context, no string, claim AnswerClaim, ttl time.Duration) (AnswerClaim, error)
}

// claimAnswer claims the answer value on case no for this chat and
// returns the answer that counts. Without a claim store (a single
// process on tests' memory store) this chat's answer counts.
func (t *Turn) claimAnswer(no, value string) (AnswerClaim, bool, error) {
	mine := AnswerClaim{Chat: KeyDigest(t.Event.Key), Value: value, At: t.now.Unix()}
	claims := t.e.cfg.AnswerClaims
	if claims == nil {
		return mine, true, nil
	}
	got, err := claims.ClaimAnswer(t.ctx, no, mine, t.e.cfg.Cases.Retention)
	if err != nil {
		return AnswerClaim{}, false, err
	}
	return got, got.Chat == mine.Chat, nil
}
