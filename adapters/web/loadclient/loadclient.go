// Package loadclient is the HTTP client of the load benchmarks: one
// kept-alive HTTP/1.1 connection per simulated user, each request
// written in one piece and its answer read on the caller's goroutine.
//
// The benchmarks run on the same two cores as the server and Redis, so
// the load they make should cost as little of those cores as it can.
// net/http's client spends two goroutines a connection and hands every
// request and answer between them; a browser spends that on its phone,
// not on the server. With this client the web chat benchmark's process
// spends about a fifth less CPU per turn (BENCHMARKS.md).
package loadclient

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// Client is one simulated user's connection. It is not safe for
// concurrent use: a user waits for each answer before sending again.
type Client struct {
	addr string
	conn net.Conn
	br   *bufio.Reader
	req  []byte
}

// New returns a client of the server at url ("http://host:port"). It
// connects on its first request.
func New(url string) *Client {
	return &Client{addr: strings.TrimPrefix(url, "http://")}
}

// Post sends a JSON body to path with the given headers (name, value,
// ...) and returns the answer's status and body. A connection the server
// closed is opened again, once.
func (c *Client) Post(path string, body []byte, headers ...string) (int, []byte, error) {
	c.req = fmt.Appendf(c.req[:0], "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", path, c.addr, len(body))
	for i := 0; i+1 < len(headers); i += 2 {
		c.req = append(c.req, headers[i]...)
		c.req = append(c.req, ": "...)
		c.req = append(c.req, headers[i+1]...)
		c.req = append(c.req, "\r\n"...)
	}
	c.req = append(c.req, "\r\n"...)
	c.req = append(c.req, body...)
	status, out, err := c.roundTrip()
	if err != nil {
		c.Close()
		status, out, err = c.roundTrip()
	}
	return status, out, err
}

func (c *Client) roundTrip() (int, []byte, error) {
	if c.conn == nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return 0, nil, err
		}
		c.conn, c.br = conn, bufio.NewReaderSize(conn, 8<<10)
	}
	if _, err := c.conn.Write(c.req); err != nil {
		return 0, nil, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return 0, nil, err
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, nil, err
	}
	if resp.Close {
		c.Close()
	}
	return resp.StatusCode, out, nil
}

// Close closes the connection; the next request opens another.
func (c *Client) Close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}
