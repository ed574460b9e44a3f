package telegram

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"time"
)

// idleConns is how many connections to the Bot API stay open for reuse.
// Every message is a request: with too few, most sends would open a new
// connection (Go's default keeps 2 per host). Paced, a bot sends at most
// PerSecond messages a second, but Telegram posts updates on up to 40
// webhook connections at once, each of which may send; unpaced (a local
// Bot API, a benchmark), concurrency is the caller's.
func idleConns(perSecond int) int {
	if perSecond <= 0 {
		return 256
	}
	return max(perSecond, 40)
}

// newTransport returns the transport of the Bot API client.
func newTransport(perSecond int) *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          2 * idleConns(perSecond),
		MaxIdleConnsPerHost:   idleConns(perSecond),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// bufferedClient sends each request with its whole body in one buffer
// and a Content-Length. go-telegram/bot writes a request's form through a
// pipe from a goroutine, which the client would stream in chunks, several
// writes per message; read into a buffer first, it goes out in one.
type bufferedClient struct {
	next doer
}

// doer makes HTTP requests: an *http.Client, or a wrapper of one.
type doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Do implements go-telegram/bot's HttpClient.
func (c bufferedClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody || req.ContentLength > 0 {
		return c.next.Do(req)
	}
	// Not pooled: the transport may still read a body after Do returns,
	// and reads it again through GetBody for a retry.
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.ContentLength = int64(len(body))
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return c.next.Do(out)
}
