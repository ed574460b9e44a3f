package webchat_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// loadClient is one simulated browser of the benchmarks: one kept-alive
// connection, a request written in one piece and its answer read on the
// sender's goroutine. The benchmarks share two cores with the server and
// Redis, so the load should cost as little of them as it can;
// net/http's client spends two goroutines and their hand-offs a
// connection, which a browser spends on its phone, not on the server.
type loadClient struct {
	addr string
	conn net.Conn
	br   *bufio.Reader
	req  []byte
}

func newLoadClient(url string) *loadClient {
	return &loadClient{addr: strings.TrimPrefix(url, "http://")}
}

// post sends body to path with the given headers (name, value, ...) and
// returns the status and the answer's body. A connection the server
// closed is opened again once.
func (c *loadClient) post(path string, body []byte, headers ...string) (int, []byte, error) {
	c.req = fmt.Appendf(c.req[:0], "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", path, c.addr, len(body))
	for i := 0; i+1 < len(headers); i += 2 {
		c.req = append(c.req, headers[i]...)
		c.req = append(c.req, ": "...)
		c.req = append(c.req, headers[i+1]...)
		c.req = append(c.req, "\r\n"...)
	}
	c.req = append(c.req, "\r\n"...)
	c.req = append(c.req, body...)
	for attempt := 0; ; attempt++ {
		status, out, err := c.roundTrip()
		if err == nil || attempt == 1 {
			return status, out, err
		}
		c.close()
	}
}

func (c *loadClient) roundTrip() (int, []byte, error) {
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
		c.close()
	}
	return resp.StatusCode, out, nil
}

func (c *loadClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// sendHeaders are the headers of a message of conversation tok.
func sendHeaders(tok string) []string {
	return []string{"X-Chat-Token", tok, "X-Chat-Lang", "en"}
}
