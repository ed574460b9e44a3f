package redisstore

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/redis/go-redis/v9"
)

// LogTo sends go-redis's own messages (a pool that cannot dial, a
// cluster's topology changes) to logger as warnings, instead of the
// standard logger's plain lines, which would break a JSON log. go-redis
// keeps one logger for the whole process, so the last call wins.
func LogTo(logger *slog.Logger) {
	redis.SetLogger(slogLogging{logger})
}

type slogLogging struct{ l *slog.Logger }

// Printf implements go-redis's internal.Logging.
func (s slogLogging) Printf(ctx context.Context, format string, v ...any) {
	msg := strings.TrimPrefix(fmt.Sprintf(format, v...), "redis: ")
	s.l.WarnContext(ctx, "redis client", "detail", msg)
}
