package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
	"github.com/slipdesk/slipdesk/bot/workers"
)

var bg = context.Background()

// caseDesk is a desk on the fixture flows with a merchant "Starlight"
// linked to the chat of user "shop".
type caseDesk struct {
	*redistest.Desk
	t        *testing.T
	merchant string
}

func newCaseDesk(t *testing.T, rdb redis.UniversalClient) *caseDesk {
	d := redistest.NewDesk(t, rdb, redistest.CaseFixture(t))
	id := redistest.AddMerchant(t, d, bot.Merchant{Name: "Starlight", Aliases: []string{"星光超市"}, Lang: "en"}, chat("shop"))
	return &caseDesk{Desk: d, t: t, merchant: id}
}

func chat(user string) bot.Key { return bot.Key{Channel: redistest.ChannelName, User: user} }

var deliveries int

func (d *caseDesk) send(user string, ev bot.Event) []bot.Reply {
	d.t.Helper()
	deliveries++
	ev.Key = chat(user)
	if ev.DeliveryID == "" {
		ev.DeliveryID = "d" + strings.Repeat("x", 0) + time.Now().Format("150405.000000000")
	}
	replies, err := d.Engine.Handle(bg, ev)
	if err != nil {
		d.t.Fatalf("handle %+v: %v", ev, err)
	}
	return replies
}

func (d *caseDesk) text(user, text string) []bot.Reply {
	d.t.Helper()
	return d.send(user, bot.Event{Kind: bot.EventText, Text: text, LangHint: "en"})
}

func (d *caseDesk) tap(user string, replies []bot.Reply, value string) []bot.Reply {
	d.t.Helper()
	return d.send(user, bot.Event{Kind: bot.EventButton, Data: bottest.ButtonData(d.t, replies, value)})
}

// report plays the consumer up to the open case, confirming the
// merchant, and returns the case number.
func (d *caseDesk) report(user string) string {
	d.t.Helper()
	want(d.t, d.text(user, "hi"), "report.shop")
	got := d.text(user, "Starlight")
	want(d.t, got, "report.confirm")
	got = d.tap(user, got, "yes")
	want(d.t, got, "report.opened", "report.waiting")
	conv := d.conv(user)
	no := conv.Slots["case_no"]
	if bot.NormalizeCaseNo(no) != no || no == "" {
		d.t.Fatalf("case_no = %q", no)
	}
	return no
}

func (d *caseDesk) conv(user string) bot.Conversation {
	d.t.Helper()
	snap, err := d.Store.Load(bg, chat(user), "")
	if err != nil {
		d.t.Fatal(err)
	}
	return snap.Conv
}

func want(t *testing.T, got []bot.Reply, ids ...string) {
	t.Helper()
	if !slices.Equal(bottest.IDs(got), ids) {
		t.Fatalf("replies %v, want %v\n%s", bottest.IDs(got), ids, bottest.Texts(got))
	}
}

func wantPushed(t *testing.T, got []bottest.Pushed, want ...string) {
	t.Helper()
	if !slices.Equal(pushedIDs(got), want) {
		t.Fatalf("pushed %v, want %v", pushedIDs(got), want)
	}
}

func pushedIDs(got []bottest.Pushed) []string {
	var have []string
	for _, p := range got {
		have = append(have, "@"+p.To+" "+p.Reply.MsgID)
	}
	return have
}

// wantPushedAnyOrder is wantPushed for replies of timers due together,
// which workers may fire in any order.
func wantPushedAnyOrder(t *testing.T, got []bottest.Pushed, want ...string) {
	t.Helper()
	have := pushedIDs(got)
	slices.Sort(have)
	slices.Sort(want)
	if !slices.Equal(have, want) {
		t.Fatalf("pushed %v, want %v", have, want)
	}
}

func TestCaseAlertAndAnswer(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		no := d.report("alice")
		d.Drain(t)
		pushed := d.Channel.Take()
		wantPushed(t, pushed, "@shop desk.alert")
		alert := pushed[0].Reply
		if !strings.Contains(alert.Text, no) || len(alert.Options) != 4 {
			t.Fatalf("alert %q with %d options", alert.Text, len(alert.Options))
		}
		c, err := d.Store.Case(bg, no)
		if err != nil || c.Status != bot.CaseWaitingMerchant || c.Merchant != d.merchant {
			t.Fatalf("Case(%s) = %+v, %v", no, c, err)
		}
		if cs, err := d.Store.CasesByMerchant(bg, d.merchant, 10); err != nil || len(cs) != 1 || cs[0].No != no {
			t.Fatalf("CasesByMerchant = %v, %v", cs, err)
		}

		// The merchant taps "found"; the consumer hears it.
		want(t, d.tap("shop", []bot.Reply{alert}, "found"), "desk.sent")
		d.Drain(t)
		wantPushed(t, d.Channel.Take(), "@alice report.found", "@alice report.bye")
		c, _ = d.Store.Case(bg, no)
		if c.Status != bot.CaseMerchantAnswered || c.Answer == nil || c.Answer.Value != "found" {
			t.Fatalf("case after the answer: %+v", c)
		}
		if cs, _ := d.Store.CasesByStatus(bg, bot.CaseMerchantAnswered, 10); len(cs) != 1 {
			t.Errorf("CasesByStatus(merchant_answered) = %d cases, want 1", len(cs))
		}
		if cs, _ := d.Store.CasesByStatus(bg, bot.CaseWaitingMerchant, 10); len(cs) != 0 {
			t.Errorf("CasesByStatus(waiting_merchant) = %d cases, want 0", len(cs))
		}
		// /status lists the case in the consumer's language.
		got := d.text("alice", "/status")
		want(t, got, bot.MsgCaseLine)
		// A stale tap on the old alert changes nothing.
		want(t, d.tap("shop", []bot.Reply{alert}, "not_found"), bot.MsgStaleButton)
		d.Drain(t)
		wantPushed(t, d.Channel.Take())
	})
}

func TestMerchantWritesAnswer(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		d.report("alice")
		d.Drain(t)
		alert := d.Channel.Take()[0].Reply
		want(t, d.tap("shop", []bot.Reply{alert}, "text"), "desk.compose")
		want(t, d.text("shop", "Come tomorrow, card 6222 0212 3456 7894 is fine"), bot.MsgMasked, "desk.sent")
		d.Drain(t)
		pushed := d.Channel.Take()
		wantPushed(t, pushed, "@alice report.answered", "@alice report.bye")
		if !strings.Contains(pushed[0].Reply.Text, "Come tomorrow") || strings.Contains(pushed[0].Reply.Text, "6222 0212") {
			t.Errorf("relayed answer %q", pushed[0].Reply.Text)
		}
	})
}

// failingAcks makes AckAlert fail, as a worker killed between delivering
// an alert and acknowledging it would.
type failingAcks struct{ workers.AlertQueue }

func (failingAcks) AckAlert(context.Context, workers.QueuedAlert) error {
	return errors.New("killed before the acknowledgement")
}

func TestAlertRedeliveredAfterCrashIsNotSentTwice(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		d.report("alice")
		if _, err := d.Workers.RelayOnce(bg); err != nil {
			t.Fatal(err)
		}
		crashed := d.Workers.Replica("crashed")
		crashed.Alerts = failingAcks{d.Store}
		if _, err := crashed.AlertsOnce(bg); err == nil {
			t.Fatal("the crashing worker acknowledged")
		}
		wantPushed(t, d.Channel.Take(), "@shop desk.alert")

		// Another worker takes the unacknowledged alert over.
		other := d.Workers.Replica("other")
		other.Config.AlertRetry = time.Millisecond
		time.Sleep(5 * time.Millisecond)
		n, err := other.AlertsOnce(bg)
		if err != nil || n != 1 {
			t.Fatalf("AlertsOnce = %d, %v, want 1 acknowledged", n, err)
		}
		wantPushed(t, d.Channel.Take())
		if n, _ := other.AlertsOnce(bg); n != 0 {
			t.Errorf("alert still queued after acknowledgement")
		}
	})
}

func TestAlertDeadLetters(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		d.report("alice")
		d.Channel.Fail = errors.New("channel down")
		d.Workers.Config.AlertRetry = time.Millisecond
		d.Workers.Config.AlertMaxTries = 2
		if _, err := d.Workers.RelayOnce(bg); err != nil {
			t.Fatal(err)
		}
		for range 4 {
			d.Workers.AlertsOnce(bg)
			time.Sleep(3 * time.Millisecond)
		}
		dead, err := d.Store.DeadAlerts(bg, 10)
		if err != nil || len(dead) != 1 || dead[0].Merchant != d.merchant {
			t.Fatalf("DeadAlerts = %+v, %v", dead, err)
		}
		if d.Channel.Sends < 2 {
			t.Errorf("channel tried %d times, want retries", d.Channel.Sends)
		}
	})
}

func TestTimersFireOnceWithThreeWorkers(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		no := d.report("alice")
		d.Drain(t)
		wantPushed(t, d.Channel.Take(), "@shop desk.alert")

		run := func(dur time.Duration) {
			ctx, cancel := context.WithTimeout(bg, dur)
			defer cancel()
			var wg sync.WaitGroup
			for i := range 3 {
				w := d.Workers.Replica("w" + string(rune('a'+i)))
				w.Config.Poll = 5 * time.Millisecond
				wg.Add(1)
				go func() { defer wg.Done(); w.Run(ctx) }()
			}
			wg.Wait()
			// What the workers left when they were stopped (the effects
			// of the last turn they ran) is settled before looking.
			d.Drain(t)
		}
		// The merchant stays silent past the reminder...
		d.Clock.Advance(25 * time.Hour)
		run(400 * time.Millisecond)
		// (The consumer is reminded of the missing proof at the same time.)
		wantPushedAnyOrder(t, d.Channel.Take(), "@shop "+bot.MsgAlertReminder, "@alice "+bot.MsgCaseProofRemind)
		// ... and past the escalation.
		d.Clock.Advance(25 * time.Hour)
		run(400 * time.Millisecond)
		wantPushed(t, d.Channel.Take(), "@alice "+bot.MsgCaseEscalated)
		c, _ := d.Store.Case(bg, no)
		if c.Status != bot.CaseEscalated {
			t.Errorf("status %s, want escalated", c.Status)
		}
		ops, err := d.Store.OpsEvents(bg, 10)
		if err != nil || len(ops) != 1 || ops[0].Kind != bot.EffectEscalate {
			t.Errorf("ops events %+v, %v", ops, err)
		}
		// The waiting step's own timeout fires once too.
		d.Clock.Advance(48 * time.Hour)
		run(400 * time.Millisecond)
		wantPushed(t, d.Channel.Take(), "@alice report.silent", "@alice report.bye")
	})
}

// dumpKey returns everything stored under k, as text.
func dumpKey(t *testing.T, rdb redis.UniversalClient, k string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(k + "\n")
	switch typ := rdb.Type(bg, k).Val(); typ {
	case "string":
		b.WriteString(rdb.Get(bg, k).Val())
	case "hash":
		for f, v := range rdb.HGetAll(bg, k).Val() {
			b.WriteString(f + "=" + v + "\n")
		}
	case "list":
		b.WriteString(strings.Join(rdb.LRange(bg, k, 0, -1).Val(), "\n"))
	case "set":
		b.WriteString(strings.Join(rdb.SMembers(bg, k).Val(), "\n"))
	case "zset":
		b.WriteString(strings.Join(rdb.ZRange(bg, k, 0, -1).Val(), "\n"))
	case "stream":
		for _, m := range rdb.XRange(bg, k, "-", "+").Val() {
			for f, v := range m.Values {
				b.WriteString(f + "=" + v.(string) + "\n")
			}
		}
	case "none":
	default:
		t.Fatalf("key %s has type %s", k, typ)
	}
	return b.String()
}

func TestDeleteLeavesNothingOfTheUser(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		user := "alice-" + strings.ToLower(redistest.Prefix(t, rdb)[5:15])
		no := d.report(user)
		a := redistest.ReadFile(t, d.Desk, chat(user), "sms.png", bottest.SampleFile(t, "png"))
		want(t, d.send(user, bot.Event{Kind: bot.EventFile, File: &a}), bot.MsgProofReceived, bot.MsgWaiting)
		d.Drain(t)
		d.Channel.Take()
		if rc, err := d.Proofs.Open(bg, a.StoreRef); err != nil {
			t.Fatalf("proof not stored: %v", err)
		} else {
			rc.Close()
		}

		want(t, d.text(user, "/delete"), bot.MsgDeleted)
		d.Drain(t)
		for _, k := range redistest.Keys(t, rdb, d.Prefix) {
			if dump := dumpKey(t, rdb, k); strings.Contains(dump, user) {
				t.Errorf("after /delete, %s still holds the user:\n%s", k, dump)
			}
		}
		if _, err := d.Proofs.Open(bg, a.StoreRef); err == nil {
			t.Errorf("proof %s still stored after /delete", a.StoreRef)
		}
		// The merchant keeps an anonymous record of the case.
		c, err := d.Store.Case(bg, no)
		if err != nil || !c.Anonymous || c.Consumer != nil || len(c.Proofs) != 0 || c.Merchant != d.merchant {
			t.Fatalf("case after /delete = %+v, %v", c, err)
		}
		if _, ok := c.Fields["last4"]; ok {
			t.Errorf("anonymous case keeps last4")
		}
		// Timers of the deleted conversation are gone; the case's purge
		// stays, naming no user (the dump above), so that the anonymous
		// record still ages out of the index.
		if n, _ := d.Store.PendingTimers(bg); n != 1 {
			t.Errorf("%d timers left after /delete, want the case's purge alone", n)
		}
		d.Clock.Advance(91 * 24 * time.Hour)
		d.Drain(t)
		d.Clock.Advance(731 * 24 * time.Hour)
		d.Drain(t)
		if _, err := d.Store.Case(bg, no); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("case %s two years after its retention: %v, want it forgotten", no, err)
		}
		if n, _ := d.Store.PendingTimers(bg); n != 0 {
			t.Errorf("%d timers left once the case is forgotten", n)
		}
	})
}

func TestReportAgainAfterDelete(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		first := d.report("alice")
		d.Drain(t)
		wantPushed(t, d.Channel.Take(), "@shop desk.alert")
		want(t, d.text("alice", "/delete"), bot.MsgDeleted)
		d.Drain(t)
		// The new conversation's effects are new too: its alert is
		// delivered, not taken for the deleted one's.
		second := d.report("alice")
		if second == first {
			t.Fatalf("case number %s handed out twice", first)
		}
		d.Drain(t)
		wantPushed(t, d.Channel.Take(), "@shop "+bot.MsgAlertQueued)
	})
}

func TestRetentionPurgesCase(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		no := d.report("alice")
		a := redistest.ReadFile(t, d.Desk, chat("alice"), "statement.pdf", bottest.SampleFile(t, "pdf"))
		d.send("alice", bot.Event{Kind: bot.EventFile, File: &a})
		d.Drain(t)
		d.Channel.Take()
		d.Clock.Advance(91 * 24 * time.Hour)
		d.Drain(t)
		c, err := d.Store.Case(bg, no)
		if err != nil || !c.Anonymous || c.Consumer != nil || len(c.Proofs) != 0 {
			t.Fatalf("case after its retention = %+v, %v", c, err)
		}
		if _, err := d.Proofs.Open(bg, a.StoreRef); err == nil {
			t.Errorf("proof kept after the case's retention")
		}
		if cs, _ := d.Store.CasesByConsumer(bg, chat("alice"), 10); len(cs) != 0 {
			t.Errorf("consumer index still lists %d cases", len(cs))
		}

		// The anonymous record stays for the shop and the figures until
		// workers.Config.KeepCases (730 days) has passed; then it goes
		// from every index, and so does its number.
		d.Clock.Advance(729 * 24 * time.Hour)
		d.Drain(t)
		if _, err := d.Store.Case(bg, no); err != nil {
			t.Fatalf("anonymous case gone before its time: %v", err)
		}
		d.Clock.Advance(2 * 24 * time.Hour)
		d.Drain(t)
		if _, err := d.Store.Case(bg, no); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Fatalf("case %s after it was kept: %v, want it forgotten", no, err)
		}
		if cs, _ := d.Store.CasesByMerchant(bg, d.merchant, 10); len(cs) != 0 {
			t.Errorf("merchant index still lists %d cases", len(cs))
		}
		for _, st := range bot.CaseStatuses {
			if cs, _ := d.Store.CasesByStatus(bg, st, 10); len(cs) != 0 {
				t.Errorf("status index %s still lists %d cases", st, len(cs))
			}
		}
		for _, k := range redistest.Keys(t, rdb, d.Prefix+"{cases}") {
			if dump := dumpKey(t, rdb, k); strings.Contains(dump, no) {
				t.Errorf("%s still names case %s:\n%s", k, no, dump)
			}
		}
		if err := d.Store.ForgetCase(bg, no); err != nil {
			t.Errorf("forgetting a forgotten case: %v", err)
		}
	})
}

func TestUnlinkedMerchantEscalatesAtOpening(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := redistest.NewDesk(t, rdb, redistest.CaseFixture(t))
		// Registered, but no chat linked: nobody can be alerted, so the
		// case goes to operators as it opens, with no alert queued.
		redistest.AddMerchant(t, d, bot.Merchant{Name: "Starlight", Lang: "en"}, bot.Key{})
		cd := &caseDesk{Desk: d, t: t}
		no := cd.report("alice")
		d.Drain(t)
		wantPushed(t, d.Channel.Take())
		c, _ := d.Store.Case(bg, no)
		if c.Status != bot.CaseEscalated || c.Reason != bot.ReasonMerchantUnreachable || c.Outcome() != bot.OutcomeUnreachable {
			t.Errorf("case %s / %s / %s, want escalated / merchant_unreachable / unreachable", c.Status, c.Reason, c.Outcome())
		}
		if dead, _ := d.Store.DeadAlerts(bg, 10); len(dead) != 0 {
			t.Errorf("dead alerts %+v, want none: no alert was queued", dead)
		}
		ops, _ := d.Store.OpsEvents(bg, 10)
		if len(ops) != 1 || ops[0].Data["reason"] != "merchant_unreachable" {
			t.Errorf("ops events %+v", ops)
		}
	})
}

func TestWorkerWithoutTheChannelLeavesTheAlert(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		d.report("alice")
		if _, err := d.Workers.RelayOnce(bg); err != nil {
			t.Fatal(err)
		}
		// A replica serving other channels only cannot deliver it...
		other := d.Workers.Replica("other-channels")
		other.Senders = map[string]bot.Sender{}
		if n, err := other.AlertsOnce(bg); err == nil || n != 0 {
			t.Fatalf("AlertsOnce without the channel = %d, %v; want an error and nothing done", n, err)
		}
		// ... so one that serves it does, once it may take it over.
		d.Workers.Config.AlertRetry = time.Millisecond
		time.Sleep(5 * time.Millisecond)
		if n, err := d.Workers.AlertsOnce(bg); err != nil || n != 1 {
			t.Fatalf("AlertsOnce = %d, %v, want 1", n, err)
		}
		wantPushed(t, d.Channel.Take(), "@shop desk.alert")
	})
}

// TestAlertToBlockedMerchant has the shop's only chat refuse messages for
// good (the shop blocked the bot): the alert is not retried, and the case
// goes to operators at once.
func TestAlertToBlockedMerchant(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		no := d.report("alice")
		d.Channel.Fail = fmt.Errorf("telegram sendMessage: %w", bot.ErrUndeliverable)
		if _, err := d.Workers.RelayOnce(bg); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Workers.AlertsOnce(bg); err != nil {
			t.Fatalf("AlertsOnce: %v", err)
		}
		if d.Channel.Sends != 1 {
			t.Errorf("channel tried %d times, want once", d.Channel.Sends)
		}
		dead, err := d.Store.DeadAlerts(bg, 10)
		if err != nil || len(dead) != 1 {
			t.Fatalf("DeadAlerts = %+v, %v", dead, err)
		}
		d.Channel.Fail = nil
		d.Drain(t)
		wantPushed(t, d.Channel.Take(), "@alice "+bot.MsgCaseUnreachable)
		c, err := d.Store.Case(bg, no)
		if err != nil || c.Status != bot.CaseEscalated || c.Reason != bot.ReasonMerchantUnreachable {
			t.Fatalf("case %+v %s, %v: want escalated, merchant_unreachable", c.Status, c.Reason, err)
		}
	})
}
