package loadclient_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/web/loadclient"
)

// TestPost: the request arrives whole, with its headers, on one kept
// connection; a server that closes the connection gets the next request
// on a new one.
func TestPost(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != "POST" || r.URL.Path != "/echo" || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Chat-Token") != "tok" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if string(body) == `"bye"` {
			w.Header().Set("Connection", "close")
		}
		w.WriteHeader(http.StatusCreated)
		w.Write(body)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := loadclient.New(srv.URL)
	defer c.Close()
	for i, body := range []string{`{"a":1}`, `{"b":2}`, `"bye"`, `{"c":3}`} {
		status, out, err := c.Post("/echo", []byte(body), "X-Chat-Token", "tok")
		if err != nil || status != http.StatusCreated || string(out) != body {
			t.Fatalf("request %d: %d %q %v", i, status, out, err)
		}
	}
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2 (one kept for three requests, one after the close)", n)
	}
	if status, _, err := c.Post("/echo", []byte(`{}`)); err != nil || status != http.StatusBadRequest {
		t.Fatalf("without the header: %d %v", status, err)
	}
}
