package admin

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/bot"
)

// queueItem is one conversation or case that needs a person.
type queueItem struct {
	Kind         string // MsgWantsPerson, or a MsgCase... kind of case
	At           int64
	Conversation string
	Case         string
	Detail       string
}

// queue lists, oldest first, the conversations whose users asked for a
// person and are still held for one, and the cases that need a person:
// escalated (the shop stayed silent or cannot be reached) and those of
// a shop that is not registered.
func (c *Console) queue(ec echo.Context) error {
	ctx := ec.Request().Context()
	events, err := c.opts.Store.OpsEvents(ctx, 500)
	if err != nil {
		return err
	}
	var items []queueItem
	seen := map[string]bool{}
	for _, ev := range events {
		conv := ev.Data["conversation"]
		if ev.Kind != bot.EffectHandover || conv == "" || seen[conv] {
			continue
		}
		seen[conv] = true
		key, ok := parseKey(conv)
		if !ok {
			continue
		}
		snap, err := c.opts.Store.Load(ctx, key, "")
		if err != nil {
			return err
		}
		if !snap.Conv.Human {
			continue
		}
		items = append(items, queueItem{Kind: MsgWantsPerson, At: streamTime(ev.ID), Conversation: conv, Detail: ev.Data["reason"]})
	}
	cases, err := c.opts.Store.CasesNeedingPerson(ctx, 200)
	if err != nil {
		return err
	}
	// Cases escalated before the index of cases needing a person existed
	// are in the index of their status only.
	escalated, err := c.opts.Store.CasesByStatus(ctx, bot.CaseEscalated, 200)
	if err != nil {
		return err
	}
	listed := map[string]bool{}
	for _, cs := range cases {
		listed[cs.No] = true
	}
	for _, cs := range escalated {
		if !listed[cs.No] {
			cases = append(cases, cs)
		}
	}
	for _, cs := range cases {
		it := queueItem{Kind: MsgCaseNeeds, At: caseWaitingSince(cs), Case: cs.No, Detail: string(cs.Status)}
		switch {
		case cs.Reason == bot.ReasonMerchantUnreachable:
			it.Kind = MsgCaseUnreachable
		case cs.Reason == bot.ReasonMerchantUnregistered:
			it.Kind, it.Detail = MsgCaseUnregistered, cs.Fields["merchant"]
		}
		if cs.Consumer != nil {
			it.Conversation = cs.Consumer.String()
		}
		items = append(items, it)
	}
	slices.SortStableFunc(items, func(a, b queueItem) int { return cmp.Compare(a.At, b.At) })
	return c.render(ec, http.StatusOK, "queue.html", map[string]any{"Items": items, "Session": session(ec)})
}

// caseWaitingSince is when case cs began to need a person: its last
// change to escalated, or its opening.
func caseWaitingSince(cs bot.Case) int64 {
	for i := len(cs.Log) - 1; i >= 0; i-- {
		if cs.Log[i].Status == bot.CaseEscalated && (i == 0 || cs.Log[i-1].Status != bot.CaseEscalated) {
			return cs.Log[i].At
		}
	}
	return cs.Opened
}

// streamTime is the time of a Redis stream ID, in Unix seconds.
func streamTime(id string) int64 {
	var ms int64
	fmt.Sscan(strings.SplitN(id, "-", 2)[0], &ms)
	return ms / 1000
}

// parseKey reads a conversation key written as channel:user.
func parseKey(s string) (bot.Key, bool) {
	ch, user, ok := strings.Cut(s, ":")
	if !ok || ch == "" || user == "" || len(s) > 200 {
		return bot.Key{}, false
	}
	return bot.Key{Channel: ch, User: user}, true
}

// conversation shows a conversation's masked transcript and whether the
// bot holds it, with the forms to take it over, reply and hand it back.
func (c *Console) conversation(ec echo.Context) error {
	key, ok := parseKey(ec.QueryParam("key"))
	if !ok {
		return echo.ErrNotFound
	}
	ctx := ec.Request().Context()
	snap, err := c.opts.Store.Load(ctx, key, "")
	if err != nil {
		return err
	}
	lines, err := c.opts.Store.Transcript(ctx, key)
	if err != nil {
		return err
	}
	if len(lines) > 300 {
		lines = lines[len(lines)-300:]
	}
	if c.opts.Engine != nil {
		c.opts.Engine.Content().Catalog.FillTexts(lines)
	}
	return c.render(ec, http.StatusOK, "conversation.html", map[string]any{
		"Key": key.String(), "Conv": snap.Conv, "Lines": lines, "Session": session(ec),
		"Exists": snap.Conv.Version > 0, "Operator": snap.Conv.Slots[bot.SlotOperator],
	})
}

// operatorEvent runs an operator's signal as a turn of the conversation
// and delivers its replies through the conversation's channel.
func (c *Console) operatorEvent(ec echo.Context, signal, data, action string) error {
	key, ok := parseKey(ec.FormValue("key"))
	if !ok {
		return echo.ErrNotFound
	}
	ctx := ec.Request().Context()
	sess := session(ec)
	// The form's own token makes a resubmitted form one turn.
	ev := bot.Event{Key: key, Kind: bot.EventSignal, Name: signal, Data: data, DeliveryID: "admin:" + ec.FormValue("nonce")}
	if !nonceOK(ec.FormValue("nonce")) {
		return c.render(ec, http.StatusBadRequest, "error.html", map[string]any{"Error": MsgBadForm})
	}
	res, err := c.opts.Engine.Process(ctx, ev)
	if err != nil {
		return err
	}
	if err := c.deliver(ctx, key, res); err != nil {
		return err
	}
	detail := ""
	if signal == bot.SignalOperatorHandBack {
		detail = data
	}
	c.record(ec, sess.Operator, action, key.String(), detail)
	return ec.Redirect(http.StatusSeeOther, "/admin/conversation?key="+url.QueryEscape(key.String()))
}

// deliver sends what a turn an operator caused says to the user, through
// the conversation's channel; a turn answered from the record was sent
// before.
func (c *Console) deliver(ctx context.Context, key bot.Key, res bot.Result) error {
	if !res.Fresh || len(res.Replies) == 0 {
		return nil
	}
	s := c.opts.Senders[key.Channel]
	if s == nil {
		c.log.Warn("console: no sender for the channel; replies kept in the transcript only", "channel", key.Channel)
		return nil
	}
	if err := s.Send(ctx, key, res.Replies); err != nil && !isGone(err) {
		return err
	}
	return nil
}

func isGone(err error) bool { return bot.ErrorCode(err) == bot.ErrorCode(bot.ErrUndeliverable) }

// nonceOK checks a form's one-time token: it becomes part of a delivery
// ID.
func nonceOK(n string) bool {
	if len(n) < 16 || len(n) > 64 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (c *Console) takeOver(ec echo.Context) error {
	return c.operatorEvent(ec, bot.SignalOperatorTakeOver, session(ec).Operator, "take_over")
}

func (c *Console) reply(ec echo.Context) error {
	return c.operatorEvent(ec, bot.SignalOperatorReply, ec.FormValue("text"), "reply")
}

func (c *Console) handBack(ec echo.Context) error {
	return c.operatorEvent(ec, bot.SignalOperatorHandBack, strings.TrimSpace(ec.FormValue("step")), "hand_back")
}

// audit shows the newest operator actions.
func (c *Console) audit(ec echo.Context) error {
	entries, err := c.opts.Store.AuditLog(ec.Request().Context(), 200)
	if err != nil {
		return err
	}
	return c.render(ec, http.StatusOK, "audit.html", map[string]any{"Entries": entries, "Session": session(ec)})
}

// splitAccept lists the tags of an Accept-Language header in order.
func splitAccept(h string) []string {
	var out []string
	for _, part := range strings.Split(h, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if tag != "" {
			out = append(out, tag)
		}
	}
	return out
}
