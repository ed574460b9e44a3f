// Package web is the HTTP server of slipdesk serve: one echo instance that
// carries the health probes, the Telegram webhook, the web chat and the
// operator API, each registered on it by its own package.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/labstack/echo/v4"
)

// Timeouts and limits of the server. A webhook may wait for a store retry
// before it answers, so writes get more time than reads.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 75 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 10 * time.Second
)

// Options configures the server New builds.
type Options struct {
	// Ready reports whether the service can take traffic (the store
	// answers); /readyz calls it with a short timeout. Nil means always
	// ready.
	Ready func(ctx context.Context) error
	// Logger receives panics, failed requests and, at debug level, one
	// line per request. Nil discards them.
	Logger *slog.Logger
}

// New returns the echo instance with the middleware every route shares
// and the health probes: GET /healthz and GET /readyz.
func New(opts Options) *echo.Echo {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.StdLogger = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	// The request log is outside recovery so that it sees the 500 a
	// panic turns into.
	e.Use(requestLog(logger))
	e.Use(recoverPanic(logger))
	h := &health{ready: opts.Ready, logger: logger}
	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)
	return e
}

// requestLog logs each request at debug level by its route template, never
// by its URL: webhook paths carry secrets, and queries and bodies may hold
// what users typed.
func requestLog(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				// An *echo.HTTPError is an answer a handler chose; any
				// other error is a failure that echo's error handler
				// turns into a bare 500, so its detail goes to the log.
				if _, ok := err.(*echo.HTTPError); !ok {
					logger.Error("request failed", "method", c.Request().Method, "route", route(c), "err", err)
				}
				// Writing the error response here makes its status
				// known to the log line below.
				c.Error(err)
			}
			ctx := c.Request().Context()
			if !logger.Enabled(ctx, slog.LevelDebug) {
				// The line's attributes would be built for nothing.
				return nil
			}
			logger.LogAttrs(ctx, slog.LevelDebug, "request",
				slog.String("method", c.Request().Method),
				slog.String("route", route(c)),
				slog.Int("status", c.Response().Status),
				slog.Duration("duration", time.Since(start)),
			)
			return nil
		}
	}
}

// recoverPanic turns a handler's panic into a 500 and logs it with its
// stack. The panic's text stays in the log: the client learns only that
// the server failed.
func recoverPanic(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				r := recover()
				if r == nil {
					return
				}
				if r == http.ErrAbortHandler {
					// net/http's way to abort a response on purpose.
					panic(r)
				}
				stack := make([]byte, 8<<10)
				stack = stack[:runtime.Stack(stack, false)]
				logger.Error("panic serving a request", "method", c.Request().Method, "route", route(c), "panic", fmt.Sprint(r), "stack", string(stack))
				err = echo.ErrInternalServerError
			}()
			return next(c)
		}
	}
}

// route is the template of the route that matched, such as
// "/telegram/:secret", or "-" when none did.
func route(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return "-"
}

// Serve listens on addr and serves e until ctx is done, then shuts down
// gracefully, giving requests in flight up to 10 seconds. If ready is not
// nil, the address bound (useful with port 0) is sent on it once the
// server listens. Serve returns nil after a clean shutdown, and the error
// that stopped it otherwise.
func Serve(ctx context.Context, e *echo.Echo, addr string, ready chan<- net.Addr) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           e,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          e.StdLogger,
		// Requests keep ctx's values but not its end: a shutdown lets
		// the requests in flight finish.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		select {
		case ready <- ln.Addr():
		case <-ctx.Done():
		}
	}
	select {
	case err := <-served:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shut down the server on %s: %w", ln.Addr(), err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	return nil
}
