package telegram

import (
	"net/http"
	"strings"
)

// Metrics hears what the channel does at the edge, for metrics.
type Metrics interface {
	// APICall reports one Bot API request: outcome is "ok", "429" or
	// "error" (no answer, or an answer other than 200).
	APICall(method, outcome string)
	// WebhookRefused reports a webhook request answered with an error:
	// reason is "method", "secret", "too_large", "bad_update" or
	// "unavailable".
	WebhookRefused(reason string)
}

type nopMetrics struct{}

func (nopMetrics) APICall(string, string) {}
func (nopMetrics) WebhookRefused(string)  {}

// countingClient reports each request it makes to the Bot API.
type countingClient struct {
	next    doer
	metrics Metrics
}

// Do implements go-telegram/bot's HttpClient.
func (c countingClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.next.Do(req)
	method := req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:]
	if strings.HasPrefix(req.URL.Path, "/file/") {
		method = "file"
	}
	switch {
	case err != nil:
		c.metrics.APICall(method, "error")
	case resp.StatusCode == http.StatusOK:
		c.metrics.APICall(method, "ok")
	case resp.StatusCode == http.StatusTooManyRequests:
		c.metrics.APICall(method, "429")
	default:
		c.metrics.APICall(method, "error")
	}
	return resp, err
}
