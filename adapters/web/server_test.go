package web_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/adapters/web"
)

// syncBuffer is a log destination that handlers on several goroutines may
// write to while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func debugLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// get sends one GET to e in process and returns the recorded answer.
func get(e *echo.Echo, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

func TestHealthz(t *testing.T) {
	e := web.New(web.Options{Ready: func(context.Context) error { return errors.New("down") }})
	rec := get(e, "/healthz")
	if rec.Code != http.StatusOK {
		t.Errorf("status = %d, want 200 even when the store is down", rec.Code)
	}
	if got, want := strings.TrimSpace(rec.Body.String()), `{"status":"ok"}`; got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
	if got := rec.Header().Get(echo.HeaderContentType); !strings.HasPrefix(got, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", got)
	}
}

func TestReadyz(t *testing.T) {
	const internal = "dial tcp 10.1.2.3:6379: connect: connection refused"
	tests := []struct {
		name       string
		ready      func(context.Context) error
		wantCode   int
		wantBody   string
		wantRetry  string
		wantLogged string
	}{
		{name: "no check", ready: nil, wantCode: http.StatusOK, wantBody: `{"status":"ready"}`},
		{name: "store answers", ready: func(context.Context) error { return nil }, wantCode: http.StatusOK, wantBody: `{"status":"ready"}`},
		{
			name:       "store unreachable",
			ready:      func(context.Context) error { return errors.New(internal) },
			wantCode:   http.StatusServiceUnavailable,
			wantBody:   `{"status":"unavailable","error":"store unreachable"}`,
			wantRetry:  "5",
			wantLogged: internal,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := debugLogger()
			e := web.New(web.Options{Ready: tt.ready, Logger: logger})
			rec := get(e, "/readyz")
			if rec.Code != tt.wantCode {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantCode)
			}
			body := strings.TrimSpace(rec.Body.String())
			if body != tt.wantBody {
				t.Errorf("body = %s, want %s", body, tt.wantBody)
			}
			if strings.Contains(body, "10.1.2.3") || strings.Contains(body, "refused") {
				t.Errorf("body leaks the internal error: %s", body)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.wantRetry {
				t.Errorf("Retry-After = %q, want %q", got, tt.wantRetry)
			}
			if tt.wantLogged != "" && !strings.Contains(logs.String(), tt.wantLogged) {
				t.Errorf("log lacks the internal error %q:\n%s", tt.wantLogged, logs)
			}
		})
	}
}

// TestReadyzTimeout checks the readiness check gets a deadline, so that a
// hanging store cannot hold the probe.
func TestReadyzTimeout(t *testing.T) {
	var deadline time.Time
	var ok bool
	e := web.New(web.Options{Ready: func(ctx context.Context) error {
		deadline, ok = ctx.Deadline()
		return nil
	}})
	get(e, "/readyz")
	if !ok {
		t.Fatal("the readiness check has no deadline")
	}
	if left := time.Until(deadline); left <= 0 || left > 10*time.Second {
		t.Errorf("deadline %v away, want a short one", left)
	}
}

// TestRequestLogHidesURL checks the request log names the route template,
// never the path's values or the query.
func TestRequestLogHidesURL(t *testing.T) {
	logger, logs := debugLogger()
	e := web.New(web.Options{Logger: logger})
	e.POST("/telegram/:secret", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })

	get(e, "/healthz?token=tok-query-1")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/telegram/tok-path-1?x=tok-query-2", strings.NewReader("tok-body")))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("webhook status = %d, want 204", rec.Code)
	}
	get(e, "/nowhere/tok-path-2?y=tok-query-3")

	out := logs.String()
	for _, want := range []string{
		"method=GET route=/healthz status=200",
		"method=POST route=/telegram/:secret status=204",
		"status=404",
		"duration=",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "tok-") || strings.Contains(out, "?") {
		t.Errorf("log holds part of a URL or body:\n%s", out)
	}
}

// startServer runs Serve on a free loopback port until the test ends and
// returns the server's base URL and Serve's result.
func startServer(t *testing.T, e *echo.Echo) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		done <- web.Serve(ctx, e, "127.0.0.1:0", ready)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(15 * time.Second):
			t.Error("Serve did not return after the context ended")
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr.String(), cancel, done
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not report its address")
	}
	return "", nil, nil
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

// TestPanicAnswers500 checks a panicking or failing handler answers a bare
// 500, its detail goes to the log only, and the server keeps serving.
func TestPanicAnswers500(t *testing.T) {
	logger, logs := debugLogger()
	e := web.New(web.Options{Logger: logger})
	e.GET("/boom", func(echo.Context) error { panic("boom: secret detail") })
	e.GET("/fail", func(echo.Context) error { return errors.New("fail: secret detail") })
	base, _, _ := startServer(t, e)

	for _, path := range []string{"/boom", "/fail", "/boom"} {
		code, body := fetch(t, base+path)
		if code != http.StatusInternalServerError {
			t.Errorf("GET %s: status = %d, want 500", path, code)
		}
		if strings.Contains(body, "secret") {
			t.Errorf("GET %s: body leaks the failure: %s", path, body)
		}
	}
	if code, _ := fetch(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("after the panics: /healthz status = %d, want 200", code)
	}
	out := logs.String()
	for _, want := range []string{"panic serving a request", "boom: secret detail", "request failed", "fail: secret detail", "route=/boom status=500"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestServeStopsOnCancel(t *testing.T) {
	e := web.New(web.Options{})
	base, cancel, done := startServer(t, e)
	if code, body := fetch(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz: %d %s", code, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel = %v, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve did not return after the context ended")
	}
	if resp, err := http.Get(base + "/healthz"); err == nil {
		resp.Body.Close()
		t.Error("the server still answers after shutting down")
	}
}

// TestServeShutdownWaits checks a request in flight when the context ends
// is answered, not cut off.
func TestServeShutdownWaits(t *testing.T) {
	e := web.New(web.Options{})
	started := make(chan struct{})
	e.GET("/slow", func(c echo.Context) error {
		close(started)
		time.Sleep(200 * time.Millisecond)
		return c.String(http.StatusOK, "done")
	})
	base, cancel, done := startServer(t, e)
	type result struct {
		code int
		body string
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			got <- result{body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- result{resp.StatusCode, string(b)}
	}()
	<-started
	cancel()
	r := <-got
	if r.code != http.StatusOK || r.body != "done" {
		t.Errorf("request in flight at shutdown: %d %q, want 200 \"done\"", r.code, r.body)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
}

func TestServeListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = web.Serve(ctx, web.New(web.Options{}), ln.Addr().String(), nil)
	if err == nil || ctx.Err() != nil {
		t.Fatalf("Serve on a taken address = %v, want a listen error at once", err)
	}
	if !strings.Contains(err.Error(), "listen") {
		t.Errorf("error %q does not say it could not listen", err)
	}
}
