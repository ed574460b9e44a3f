package webchat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/mask"
)

// startRequest is the body of POST /api/chat/start.
type startRequest struct {
	// Shop is a signed shop reference from a QR code's link, if any.
	Shop string `json:"shop"`
}

// randomMark tells one opening of a shop's link from another.
func randomMark() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// startResponse gives the browser its conversation.
type startResponse struct {
	Token string `json:"token"`
	Lang  string `json:"lang"`
}

// sendRequest is the body of POST /api/chat/send: a typed text or a
// tapped button (its data, and its label to show as what the user said).
type sendRequest struct {
	// ID is the client's ID of the message, the same on every retry.
	ID     string `json:"id"`
	Text   string `json:"text"`
	Button string `json:"button"`
	Label  string `json:"label"`
}

// sendResponse carries the replies of the turn, as {"replies": [...]}.
// The page shows them from the feed; API clients may read them here. It
// is written from the entries' JSON as the feed stores it, so a turn
// encodes its entries once.
func sendResponse(encoded [][]byte) []byte {
	n := len(`{"replies":[]}`)
	for _, e := range encoded {
		n += len(e) + 1
	}
	out := make([]byte, 0, n)
	out = append(out, `{"replies":[`...)
	for i, e := range encoded {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, e...)
	}
	return append(out, "]}"...)
}

// clientIDPattern is what a client's message ID may be: short, and safe
// inside a Redis key.
var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// start opens a conversation for a browser and gives it its token; a
// browser that has one keeps it. With a shop reference from a QR code's
// link, the conversation starts afresh with that shop known, and the
// page shows the greeting at once.
func (c *Chat) start(ec echo.Context) error {
	key, ok := c.conversation(ec.Request())
	if !ok {
		if ok, wait := c.allowNew(ec); !ok {
			return c.refuseLimited(ec, wait)
		}
	}
	var req startRequest
	if ok, err := c.decode(ec, &req); !ok {
		return err
	}
	merchant, linked := "", false
	if req.Shop != "" {
		if merchant, linked = c.signer.OpenMerchant(req.Shop); !linked {
			return c.refuse(ec, http.StatusBadRequest, "bad_shop", MsgBadRequest, nil)
		}
	}
	tok := token(ec.Request())
	if !ok {
		var id string
		id, tok = c.signer.NewConversation()
		key = KeyOf(id)
	}
	if linked {
		mark := "shop:" + merchant + ":" + randomMark()
		ev := bot.Event{Key: key, Kind: bot.EventSignal, Name: bot.SignalShopLink, Data: merchant, DeliveryID: "web:" + mark, LangHint: langHint(ec.Request())}
		res, err := c.proc.Process(ec.Request().Context(), ev)
		if err != nil {
			return c.refuseFailure(ec, "shop link", err)
		}
		if err := c.appendFeed(ec.Request().Context(), key, ev.DeliveryID, replyEntries(res.Replies, nowMillis()), res.Replies); err != nil {
			return c.refuseFailure(ec, "append to feed", err)
		}
	}
	return ec.JSON(http.StatusOK, startResponse{Token: tok, Lang: c.lang(ec.Request())})
}

// send runs one message of the user through the engine.
func (c *Chat) send(ec echo.Context) error {
	key, ok := c.conversation(ec.Request())
	if !ok {
		return c.refuse(ec, http.StatusUnauthorized, "session", MsgSession, nil)
	}
	var req sendRequest
	if ok, err := c.decode(ec, &req); !ok {
		return err
	}
	if !clientIDPattern.MatchString(req.ID) || (req.Text != "" && req.Button != "") {
		return c.refuse(ec, http.StatusBadRequest, "bad_request", MsgBadRequest, nil)
	}
	ev := bot.Event{Key: key, Kind: bot.EventText, Text: req.Text, DeliveryID: "web:" + req.ID, LangHint: langHint(ec.Request())}
	me := Entry{From: fromMe, Text: shown(req.Text)}
	if req.Button != "" {
		ev.Kind, ev.Text, ev.Data = bot.EventButton, "", req.Button
		me.Text = shown(req.Label)
	}
	limits := c.limits(ec, key.User)
	lt, canLoad := c.opts.Limiter.(turnLimiter)
	lp, canRun := c.proc.(loadedProcessor)
	if !canLoad || !canRun {
		if ok, wait := c.check(ec.Request().Context(), limits); !ok {
			return c.refuseLimited(ec, wait)
		}
		return c.run(ec, ev, me, c.proc.Process)
	}
	// The limits go in the round trip that loads the conversation, and
	// the turn runs on what it loaded.
	snap, lim, err := lt.LoadLimited(ec.Request().Context(), key, ev.DeliveryID, limits...)
	if err != nil {
		return c.refuseFailure(ec, "process", err)
	}
	if ok, wait := c.verdict(lim.OK, lim.Wait, lim.Err); !ok {
		return c.refuseLimited(ec, wait)
	}
	return c.run(ec, ev, me, func(ctx context.Context, ev bot.Event) (bot.Result, error) {
		return lp.ProcessLoaded(ctx, ev, snap)
	})
}

// run processes ev with process, adds what the user sent and the replies
// to the feed once per client message, and answers with the replies.
func (c *Chat) run(ec echo.Context, ev bot.Event, me Entry, process func(context.Context, bot.Event) (bot.Result, error)) error {
	ctx := ec.Request().Context()
	res, err := process(ctx, ev)
	if err != nil {
		return c.refuseFailure(ec, "process", err)
	}
	at := nowMillis()
	me.At = at
	encoded := encodeEntries(append([]Entry{me}, replyEntries(res.Replies, at)...))
	if err := c.appendEncoded(ctx, ev.Key, ev.DeliveryID, encoded, res.Replies); err != nil {
		// The turn is committed; the retry the page makes is answered
		// from the engine's record and adds the entries then.
		return c.refuseFailure(ec, "append to feed", err)
	}
	return ec.JSONBlob(http.StatusOK, sendResponse(encoded[1:]))
}

// decode reads a JSON body of at most MaxBody bytes into v. When it
// cannot, it answers the request itself and reports false.
func (c *Chat) decode(ec echo.Context, v any) (bool, error) {
	r := ec.Request()
	r.Body = http.MaxBytesReader(ec.Response(), r.Body, c.opts.MaxBody)
	dec := json.NewDecoder(r.Body)
	err := dec.Decode(v)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return false, c.refuse(ec, http.StatusRequestEntityTooLarge, "too_large", MsgTooLarge, nil)
	case err != nil:
		return false, c.refuse(ec, http.StatusBadRequest, "bad_request", MsgBadRequest, nil)
	}
	return true, nil
}

// shown is what the feed keeps of a text the user sent: masked as the
// engine masks it, cut to the engine's limit first.
func shown(s string) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	if utf8.RuneCountInString(s) > bot.MaxTextLen {
		s = string([]rune(s)[:bot.MaxTextLen])
	}
	s, _ = mask.Sensitive(s)
	return s
}
