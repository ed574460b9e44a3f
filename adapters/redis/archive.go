package redisstore

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

// SaveFlow archives the source of a flow version. A version is the hash
// of its source, so an archived one is never overwritten (SET NX); it is
// kept without expiry because a conversation may run on it for as long
// as conversations live.
func (s *Store) SaveFlow(ctx context.Context, version string, src []byte) error {
	if err := s.rdb.SetNX(ctx, s.flowKey(version), src, 0).Err(); err != nil {
		return storeError("archive flow version "+version, err)
	}
	return nil
}

// LoadFlow returns the archived source of a flow version, or an error
// with code bot.ENOTFOUND when it was never archived.
func (s *Store) LoadFlow(ctx context.Context, version string) ([]byte, error) {
	src, err := s.rdb.Get(ctx, s.flowKey(version)).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, bot.Errorf(bot.ENOTFOUND, "flow version %s is not archived", version)
	case err != nil:
		return nil, storeError("load archived flow version "+version, err)
	}
	return src, nil
}
