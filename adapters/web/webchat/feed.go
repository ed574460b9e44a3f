package webchat

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/bot"
)

// feedPage is the most entries one read returns; the page asks again
// for the rest.
const feedPage = 200

// feedIDPattern is a Redis stream ID, the only thing "after" may be.
var feedIDPattern = regexp.MustCompile(`^[0-9]{1,20}-[0-9]{1,20}$`)

// feedResponse is the answer of GET /api/chat/feed.
type feedResponse struct {
	Entries []Entry `json:"entries"`
}

// appendFeed adds a turn's entries to the feed, once per mark. A turn
// that deleted the conversation empties the feed first, so that nothing
// the user said stays behind, and keeps only the replies.
func (c *Chat) appendFeed(ctx context.Context, key bot.Key, mark string, entries []Entry, replies []bot.Reply) error {
	return c.appendEncoded(ctx, key, mark, encodeEntries(entries), replies)
}

// appendEncoded is appendFeed for entries already encoded.
func (c *Chat) appendEncoded(ctx context.Context, key bot.Key, mark string, encoded [][]byte, replies []bot.Reply) error {
	for _, r := range replies {
		if r.MsgID == bot.MsgDeleted {
			if err := c.opts.Feeds.DeleteFeed(ctx, key); err != nil {
				return err
			}
			encoded = encodeEntries(replyEntries(replies, nowMillis()))
			break
		}
	}
	_, err := c.opts.Feeds.AppendFeed(ctx, key, mark, encoded, c.opts.FeedLen, c.opts.FeedTTL)
	return err
}

// read returns the entries of key's feed after the entry after.
func (c *Chat) read(ctx context.Context, key bot.Key, after string) ([]Entry, error) {
	stored, err := c.opts.Feeds.Feed(ctx, key, after, feedPage)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(stored))
	for _, s := range stored {
		var e Entry
		if err := json.Unmarshal(s.Data, &e); err != nil {
			return nil, bot.Errorf(bot.EINTERNAL, "feed entry %s of %s: %v", s.ID, key, err)
		}
		e.ID = s.ID
		out = append(out, e)
	}
	return out, nil
}

// after is the last entry the page has: Last-Event-ID, which a browser
// sends when it opens an event stream again, or after in the query.
func after(r *http.Request) (string, bool) {
	a := r.Header.Get("Last-Event-ID")
	if a == "" {
		a = r.URL.Query().Get("after")
	}
	return a, a == "" || feedIDPattern.MatchString(a)
}

// feedRequest reads what both ways of reading the feed take: the
// conversation from the token and the entry to start after. When either
// is wrong, refused answers the request.
func (c *Chat) feedRequest(ec echo.Context) (key bot.Key, from string, refused func() error) {
	key, ok := c.conversation(ec.Request())
	if !ok {
		return key, "", func() error { return c.refuse(ec, http.StatusUnauthorized, "session", MsgSession, nil) }
	}
	from, ok = after(ec.Request())
	if !ok {
		return key, "", func() error { return c.refuse(ec, http.StatusBadRequest, "bad_request", MsgBadRequest, nil) }
	}
	return key, from, nil
}

// feed answers GET /api/chat/feed: the entries after "after", at once,
// or with wait=1 as a long poll that answers as soon as there are any,
// or empty after the Wait.
func (c *Chat) feed(ec echo.Context) error {
	key, from, refused := c.feedRequest(ec)
	if refused != nil {
		return refused()
	}
	ctx := ec.Request().Context()
	var woke <-chan struct{}
	if ec.QueryParam("wait") == "1" {
		ch, release := c.hub.watch(key)
		defer release()
		woke = ch
	}
	entries, err := c.read(ctx, key, from)
	if err != nil {
		return c.refuseFailure(ec, "read feed", err)
	}
	if len(entries) == 0 && woke != nil {
		t := time.NewTimer(c.opts.Wait)
		defer t.Stop()
		select {
		case <-woke:
			if entries, err = c.read(ctx, key, from); err != nil {
				return c.refuseFailure(ec, "read feed", err)
			}
		case <-t.C:
		case <-ctx.Done():
			return nil
		}
	}
	ec.Response().Header().Set("Cache-Control", "no-store")
	return ec.JSON(http.StatusOK, feedResponse{Entries: entries})
}

// events answers GET /api/chat/events: the feed as server-sent events,
// one entry an event with its ID, from the entry after "after" on, live,
// for StreamFor; then the stream ends and the browser opens it again
// from the last ID it got. Comments keep proxies from closing an idle
// stream.
func (c *Chat) events(ec echo.Context) error {
	key, from, refused := c.feedRequest(ec)
	if refused != nil {
		return refused()
	}
	ctx := ec.Request().Context()
	woke, release := c.hub.watch(key)
	defer release()
	w := ec.Response()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// nginx buffers responses unless told not to.
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// A retry hint of 2s, and a first byte so the browser knows the
	// stream is open.
	fmt.Fprint(w, "retry: 2000\n\n")
	w.Flush()
	end := time.NewTimer(c.opts.StreamFor)
	defer end.Stop()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		entries, err := c.read(ctx, key, from)
		if err != nil {
			c.log.Warn("web chat: event stream ended", "err", err)
			return nil
		}
		for _, e := range entries {
			data, _ := json.Marshal(e)
			fmt.Fprintf(w, "id: %s\ndata: %s\n\n", e.ID, data)
			from = e.ID
		}
		if len(entries) > 0 {
			w.Flush()
		}
		if len(entries) == feedPage {
			continue
		}
		select {
		case <-woke:
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
			w.Flush()
		case <-end.C:
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}
