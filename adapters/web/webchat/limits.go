package webchat

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"
)

// allow checks the limits of a message or an upload: per conversation and
// per address. It reports how long to wait when a limit is reached; a
// failing limiter lets the request through, logged, rather than taking
// the chat down with it.
func (c *Chat) allow(ec echo.Context, conv string) (bool, time.Duration) {
	ctx := ec.Request().Context()
	if ok, wait := c.check(ctx, "ip:"+c.opts.ClientIP(ec.Request()), c.opts.PerIP); !ok {
		return false, wait
	}
	return c.check(ctx, "conv:"+conv, c.opts.PerConversation)
}

// allowNew checks the limit on conversations started from one address.
func (c *Chat) allowNew(ec echo.Context) (bool, time.Duration) {
	return c.check(ec.Request().Context(), "new:"+c.opts.ClientIP(ec.Request()), c.opts.NewPerIP)
}

func (c *Chat) check(ctx context.Context, key string, l Limit) (bool, time.Duration) {
	if c.opts.Limiter == nil || l.N < 0 {
		return true, 0
	}
	ok, wait, err := c.opts.Limiter.Allow(ctx, "web:"+key, l.N, l.Period)
	if err != nil {
		c.log.Warn("web chat: rate limiter failed; request let through", "err", err)
		return true, 0
	}
	return ok, wait
}
