package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// readyTimeout bounds one readiness check, so that a store that hangs
// fails the probe instead of holding it until the prober gives up.
const readyTimeout = 2 * time.Second

// retryAfter is what an unready server asks a client to wait, in seconds.
const retryAfter = "5"

// health answers the liveness and readiness probes.
type health struct {
	ready  func(ctx context.Context) error
	logger *slog.Logger
}

type healthStatus struct {
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// healthz says the process serves HTTP; it checks nothing else, so a
// store outage does not get the process restarted.
func (h *health) healthz(c echo.Context) error {
	noStore(c)
	return c.JSON(http.StatusOK, healthStatus{Status: "ok"})
}

// readyz says whether the service can take traffic. The store's own error
// goes to the log only: the probe is public.
func (h *health) readyz(c echo.Context) error {
	noStore(c)
	if h.ready != nil {
		ctx, cancel := context.WithTimeout(c.Request().Context(), readyTimeout)
		defer cancel()
		if err := h.ready(ctx); err != nil {
			h.logger.Warn("not ready: the store does not answer", "err", err)
			c.Response().Header().Set("Retry-After", retryAfter)
			return c.JSON(http.StatusServiceUnavailable, healthStatus{Status: "unavailable", Error: "store unreachable"})
		}
	}
	return c.JSON(http.StatusOK, healthStatus{Status: "ready"})
}

// noStore keeps caches between the prober and the server from answering
// for it.
func noStore(c echo.Context) {
	c.Response().Header().Set("Cache-Control", "no-store")
}
