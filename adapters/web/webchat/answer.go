package webchat

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/slipdesk/slipdesk/bot"
)

// errorBody is what a refused request gets: a code the page can act on
// and the reason in the user's language.
type errorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// refuse answers with status, code and the message msgID in the
// request's language.
func (c *Chat) refuse(ec echo.Context, status int, code, msgID string, data map[string]any) error {
	r := c.opts.Engine.Content().Catalog.ChannelReply(c.lang(ec.Request()), msgID, data)
	return ec.JSON(status, errorBody{Error: code, Message: r.Text})
}

// refuseLimited answers a request over a rate limit with 429 and when to
// try again.
func (c *Chat) refuseLimited(ec echo.Context, wait time.Duration) error {
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	ec.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	return c.refuse(ec, http.StatusTooManyRequests, "rate_limited", MsgRateLimited, map[string]any{"Seconds": secs})
}

// refuseFailure answers an engine or store failure: 503 with
// Retry-After when a retry may cure it, 500 otherwise; the detail goes
// to the log only.
func (c *Chat) refuseFailure(ec echo.Context, what string, err error) error {
	if errors.Is(err, bot.ErrUnavailable) || errors.Is(err, bot.ErrConflict) {
		c.log.Warn("web chat: store unavailable", "op", what, "err", err)
		ec.Response().Header().Set("Retry-After", "1")
		return c.refuse(ec, http.StatusServiceUnavailable, "unavailable", MsgUnavailable, nil)
	}
	c.log.Error("web chat: request failed", "op", what, "err", err)
	return c.refuse(ec, http.StatusInternalServerError, "internal", bot.MsgInternal, nil)
}

// lang is the language of a request's page and refusals: its hint, else
// the default.
func (c *Chat) lang(r *http.Request) string {
	if l := langHint(r); l != "" {
		return l
	}
	return c.opts.DefaultLang
}

// langHint is what the browser says of its user's language: the page's
// choice (X-Chat-Lang, or lang in the query), else Accept-Language; ""
// when neither names a language the chat speaks, so that the engine
// goes by what the user writes.
func langHint(r *http.Request) string {
	for _, v := range []string{r.Header.Get("X-Chat-Lang"), r.URL.Query().Get("lang")} {
		if l := bot.NormalizeLang(v); l != "" {
			return l
		}
	}
	return acceptLang(r.Header.Get("Accept-Language"))
}

// acceptLang returns the first language of an Accept-Language header, by
// preference, that the chat speaks.
func acceptLang(h string) string {
	if h == "" || len(h) > 512 {
		return ""
	}
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil {
		return ""
	}
	for _, t := range tags {
		if l := bot.NormalizeLang(t.String()); l != "" {
			return l
		}
	}
	return ""
}

// token is the conversation token of a request: the X-Chat-Token header,
// or t in the query for an event stream, which cannot set headers.
func token(r *http.Request) string {
	if t := r.Header.Get("X-Chat-Token"); t != "" {
		return t
	}
	return r.URL.Query().Get("t")
}

// conversation returns the conversation the request's token opens.
func (c *Chat) conversation(r *http.Request) (bot.Key, bool) {
	id, ok := c.signer.Conversation(strings.TrimSpace(token(r)))
	if !ok {
		return bot.Key{}, false
	}
	return KeyOf(id), true
}
