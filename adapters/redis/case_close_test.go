package redisstore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
)

// TestOperatorClosesCase: an operator closes a case waiting for the shop;
// the consumer's conversation runs the turn (told once, in the
// transcript), the index has the case closed by the operator, and the
// same form sent again changes nothing more. Closing it again is refused.
func TestOperatorClosesCase(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		no := d.report("alice")
		d.Drain(t)
		d.Channel.Take()
		done, err := d.Engine.CloseCase(bg, no, "ann", "admin:form1")
		if err != nil {
			t.Fatal(err)
		}
		if done.Consumer == nil || *done.Consumer != chat("alice") || !done.Result.Fresh {
			t.Fatalf("closing told %v (fresh %v), want alice's conversation", done.Consumer, done.Result.Fresh)
		}
		want(t, done.Result.Replies, bot.MsgCaseClosedByOperator)
		d.Drain(t)
		c, err := d.Store.Case(bg, no)
		if err != nil {
			t.Fatal(err)
		}
		last := c.Log[len(c.Log)-1]
		if c.Status != bot.CaseClosed || last.Actor != "operator:ann" || last.Status != bot.CaseClosed {
			t.Fatalf("case %s, last change %+v; want closed by operator:ann", c.Status, last)
		}
		if conv := d.conv("alice"); conv.Case(no) == nil || conv.Case(no).Status != bot.CaseClosed {
			t.Fatalf("the conversation's own copy of the case is not closed")
		}
		if _, err := d.Engine.CloseCase(bg, no, "ann", "admin:form2"); bot.ErrorCode(err) != bot.EINVALID {
			t.Fatalf("closing a closed case: %v, want EINVALID", err)
		}
		if _, err := d.Engine.CloseCase(bg, "PS-99999", "ann", "admin:form3"); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Fatalf("closing an unknown case: %v, want ENOTFOUND", err)
		}
	})
}

// TestOperatorClosesCaseWithoutConversation: a case whose consumer
// deleted their data has no conversation to run a turn in; it is closed
// on the index, and leaves the queue of cases needing a person.
func TestOperatorClosesCaseWithoutConversation(t *testing.T) {
	d := newCaseDesk(t, redistest.Real(t))
	c := bot.Case{No: "PS-7K3Q9", Status: bot.CaseEscalated, Reason: bot.ReasonMerchantSilent, Anonymous: true, Opened: 1, Updated: 2, Seq: 3,
		Log: []bot.CaseChange{{At: 2, Status: bot.CaseEscalated, Actor: "timer"}}}
	if err := d.Store.SyncCase(bg, c); err != nil {
		t.Fatal(err)
	}
	done, err := d.Engine.CloseCase(bg, c.No, "ann", "admin:form1")
	if err != nil || done.Consumer != nil {
		t.Fatalf("close: %v, told %v", err, done.Consumer)
	}
	got, _ := d.Store.Case(bg, c.No)
	if got.Status != bot.CaseClosed || got.Log[len(got.Log)-1].Actor != "operator:ann" {
		t.Fatalf("case %+v, want closed by operator:ann", got)
	}
	if queue, _ := d.Store.CasesNeedingPerson(bg, 10); len(queue) != 0 {
		t.Fatalf("a closed case still needs a person: %v", queue)
	}
}

// TestCasesNeedingPerson: escalated cases (a silent or unreachable shop)
// and cases of an unregistered shop are listed, those waiting longest
// first; cases on their way, resolved or closed are not; a case keeps its
// place while it keeps needing a person, and leaves once it does not.
func TestCasesNeedingPerson(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := redistest.NewDesk(t, rdb, redistest.CaseFixture(t))
		now := time.Now().Unix()
		cases := []bot.Case{
			{No: "PS-33333", Status: bot.CaseEscalated, Reason: bot.ReasonMerchantSilent, Updated: now - 10},
			{No: "PS-44444", Status: bot.CaseOpen, Reason: bot.ReasonMerchantUnregistered, Updated: now - 30},
			{No: "PS-66666", Status: bot.CaseWaitingMerchant, Updated: now - 40},
			{No: "PS-77777", Status: bot.CaseResolved, Reason: bot.ReasonMerchantUnregistered, Updated: now - 50},
			{No: "PS-99999", Status: bot.CaseEscalated, Reason: bot.ReasonMerchantUnreachable, Updated: now - 20},
			{No: "PS-AAAAA", Status: bot.CaseOpen, Updated: now - 60},
		}
		for i := range cases {
			cases[i].Opened, cases[i].Seq = now-100, 1
			if err := d.Store.SyncCase(bg, cases[i]); err != nil {
				t.Fatal(err)
			}
		}
		wantQueue(t, d, "PS-44444", "PS-99999", "PS-33333")
		// Still escalated, later: it keeps its place.
		c := cases[4]
		c.Updated, c.Seq = now, 2
		if err := d.Store.SyncCase(bg, c); err != nil {
			t.Fatal(err)
		}
		wantQueue(t, d, "PS-44444", "PS-99999", "PS-33333")
		// Resolved by the consumer: it leaves.
		c = cases[1]
		c.Status, c.Seq = bot.CaseResolved, 2
		if err := d.Store.SyncCase(bg, c); err != nil {
			t.Fatal(err)
		}
		wantQueue(t, d, "PS-99999", "PS-33333")
	})
}

func wantQueue(t *testing.T, d *redistest.Desk, want ...string) {
	t.Helper()
	got, err := d.Store.CasesNeedingPerson(bg, 10)
	if err != nil {
		t.Fatal(err)
	}
	var nos []string
	for _, c := range got {
		nos = append(nos, c.No)
	}
	if !slices.Equal(nos, want) {
		t.Fatalf("cases needing a person %v, want %v", nos, want)
	}
}
