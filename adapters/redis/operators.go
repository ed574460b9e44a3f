package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/bot"
)

// Operators, their sessions and the audit log of the console live under
// the "ops" hash tag.
func (s *Store) operatorsKey() string        { return s.globalKey("ops", "operators") }
func (s *Store) sessionKey(id string) string { return s.globalKey("ops", "session:"+hashID(id)) }
func (s *Store) auditKey() string            { return s.globalKey("ops", "audit") }

// auditLen bounds the audit log.
const auditLen = 100_000

// SetOperator stores an operator's password hash, adding the operator or
// replacing the password.
func (s *Store) SetOperator(ctx context.Context, name string, hash []byte) error {
	if err := s.rdb.HSet(ctx, s.operatorsKey(), name, hash).Err(); err != nil {
		return storeError("store operator", err)
	}
	return nil
}

// OperatorHash returns an operator's password hash, or an ENOTFOUND
// error.
func (s *Store) OperatorHash(ctx context.Context, name string) ([]byte, error) {
	b, err := s.rdb.HGet(ctx, s.operatorsKey(), name).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, bot.Errorf(bot.ENOTFOUND, "no operator %q", name)
	}
	if err != nil {
		return nil, storeError("read operator", err)
	}
	return b, nil
}

// Operators lists the operators' names.
func (s *Store) Operators(ctx context.Context) ([]string, error) {
	names, err := s.rdb.HKeys(ctx, s.operatorsKey()).Result()
	if err != nil {
		return nil, storeError("list operators", err)
	}
	return names, nil
}

// Session is a signed-in operator's session.
type Session struct {
	Operator string `json:"op"`
	// CSRF is the token every form of the session must carry.
	CSRF string `json:"csrf"`
}

// PutSession keeps a session under id for ttl. Only a digest of id is in
// the key, so that the keys do not give sessions away.
func (s *Store) PutSession(ctx context.Context, id string, sess Session, ttl time.Duration) error {
	b, _ := json.Marshal(sess)
	if err := s.rdb.Set(ctx, s.sessionKey(id), b, ttl).Err(); err != nil {
		return storeError("store session", err)
	}
	return nil
}

// SessionOf returns the session of id, or an ENOTFOUND error.
func (s *Store) SessionOf(ctx context.Context, id string) (Session, error) {
	b, err := s.rdb.Get(ctx, s.sessionKey(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Session{}, bot.Errorf(bot.ENOTFOUND, "no session")
	}
	if err != nil {
		return Session{}, storeError("read session", err)
	}
	var sess Session
	if err := json.Unmarshal(b, &sess); err != nil {
		return Session{}, bot.Errorf(bot.EINTERNAL, "session: %v", err)
	}
	return sess, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if err := s.rdb.Del(ctx, s.sessionKey(id)).Err(); err != nil {
		return storeError("delete session", err)
	}
	return nil
}

// AuditEntry is one operator action.
type AuditEntry struct {
	At       int64  `json:"at"`
	Operator string `json:"op"`
	Action   string `json:"action"`
	Target   string `json:"target,omitempty"`
	Detail   string `json:"detail,omitempty"`
}

// Audit adds an entry to the audit log, newest first, keeping the last
// 100,000.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	b, _ := json.Marshal(e)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.LPush(ctx, s.auditKey(), b)
		p.LTrim(ctx, s.auditKey(), 0, auditLen-1)
		return nil
	})
	if err != nil {
		return storeError("write audit log", err)
	}
	return nil
}

// AuditLog returns the newest n entries of the audit log.
func (s *Store) AuditLog(ctx context.Context, n int64) ([]AuditEntry, error) {
	raw, err := s.rdb.LRange(ctx, s.auditKey(), 0, n-1).Result()
	if err != nil {
		return nil, storeError("read audit log", err)
	}
	out := make([]AuditEntry, 0, len(raw))
	for _, r := range raw {
		var e AuditEntry
		if json.Unmarshal([]byte(r), &e) == nil {
			out = append(out, e)
		}
	}
	return out, nil
}
