package webchat

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/bot"
)

// turnLimiter takes a message's limits in the round trip that loads its
// conversation; *redisstore.RateLimiter is one.
type turnLimiter interface {
	LoadLimited(ctx context.Context, key bot.Key, deliveryID string, limits ...redisstore.RateLimit) (bot.Snapshot, redisstore.Limited, error)
}

// loadedProcessor runs a turn on the conversation its channel loaded;
// *bot.Engine is one.
type loadedProcessor interface {
	ProcessLoaded(ctx context.Context, ev bot.Event, snap bot.Snapshot) (bot.Result, error)
}

// allow checks the limits of a message or an upload, per address and per
// conversation, in one call to the limiter. It reports how long to wait
// when a limit is reached; a failing limiter lets the request through,
// logged, rather than taking the chat down with it.
func (c *Chat) allow(ec echo.Context, conv string) (bool, time.Duration) {
	return c.check(ec.Request().Context(), c.limits(ec, conv))
}

// limits are the limits of a message or an upload of conv: its address's
// and its own.
func (c *Chat) limits(ec echo.Context, conv string) []redisstore.RateLimit {
	return append(c.limit("ip:"+c.opts.ClientIP(ec.Request()), c.opts.PerIP), c.limit("conv:"+conv, c.opts.PerConversation)...)
}

// allowNew checks the limit on conversations started from one address.
func (c *Chat) allowNew(ec echo.Context) (bool, time.Duration) {
	return c.check(ec.Request().Context(), c.limit("new:"+c.opts.ClientIP(ec.Request()), c.opts.NewPerIP))
}

// limit is l under key, or nothing to check when l has no limit.
func (c *Chat) limit(key string, l Limit) []redisstore.RateLimit {
	if l.N < 0 {
		return nil
	}
	return []redisstore.RateLimit{{Key: "web:" + key, N: l.N, Period: l.Period}}
}

func (c *Chat) check(ctx context.Context, limits []redisstore.RateLimit) (bool, time.Duration) {
	if c.opts.Limiter == nil || len(limits) == 0 {
		return true, 0
	}
	return c.verdict(c.opts.Limiter.AllowAll(ctx, limits...))
}

// verdict reads the limiter's answer: a failing limiter lets the
// request through, logged.
func (c *Chat) verdict(ok bool, wait time.Duration, err error) (bool, time.Duration) {
	if err != nil {
		c.log.Warn("web chat: rate limiter failed; request let through", "err", err)
		return true, 0
	}
	return ok, wait
}
