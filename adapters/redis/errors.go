package redisstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

// storeError turns a go-redis error into one the engine and the channels
// understand. Failures a retry later may cure (no connection, a timeout,
// a server loading or failing over) match bot.ErrUnavailable so that a
// channel can say "try again later"; an error reply that no retry cures
// (a wrong type, a script error) stays internal. go-redis's own error
// values are formatted, not wrapped, so that none of them, redis.Nil
// above all, can be matched outside this package.
func storeError(op string, err error) error {
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: %w", op, err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w: %w", op, bot.ErrUnavailable, err)
	case isReplyError(err) && !isTransientReply(err):
		return fmt.Errorf("%s: redis: %v", op, err)
	default:
		return fmt.Errorf("%s: %w: %v", op, bot.ErrUnavailable, err)
	}
}

func isReplyError(err error) bool {
	var re redis.Error
	return errors.As(err, &re)
}

// isTransientReply reports error replies of a server that cannot serve
// now but will: loading, failing over, out of memory or clients.
func isTransientReply(err error) bool {
	return redis.IsLoadingError(err) || redis.IsReadOnlyError(err) ||
		redis.IsMasterDownError(err) || redis.IsClusterDownError(err) ||
		redis.IsTryAgainError(err) || redis.IsMaxClientsError(err) ||
		redis.IsOOMError(err) || redis.IsNoReplicasError(err) ||
		redis.HasErrorPrefix(err, "BUSY")
}
