package redisstore_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// TestTwoChatsRaceForTheAnswer links two chats to one shop and has both
// tap an answer on the same alert at the same moment, on the real Redis,
// many times over: each time exactly one answer reaches the consumer,
// the case keeps that one, the chat that came second is told what its
// colleague answered, and nothing is left for the workers to send.
func TestTwoChatsRaceForTheAnswer(t *testing.T) {
	rdb := redistest.Real(t)
	d := redistest.NewDesk(t, rdb, redistest.CaseFixture(t))
	redistest.AddMerchant(t, d, bot.Merchant{Name: "Starlight", Lang: "en"}, chat("shop"), chat("till"))
	cd := &caseDesk{Desk: d, t: t}
	answers := map[string]string{"shop": "found", "till": "not_found"}
	for round := range 30 {
		consumer := fmt.Sprintf("consumer%d", round)
		no := cd.report(consumer)
		d.Drain(t)
		alerts := map[string][]bot.Reply{}
		for _, p := range d.Channel.Take() {
			alerts[p.To] = append(alerts[p.To], p.Reply)
		}
		if len(alerts["shop"]) != 1 || len(alerts["till"]) != 1 {
			t.Fatalf("round %d: alerts %v, want one to each chat", round, alerts)
		}

		got := map[string][]bot.Reply{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for who, value := range answers {
			ev := bot.Event{
				Key: chat(who), Kind: bot.EventButton, LangHint: "en",
				Data:       bottest.ButtonData(t, alerts[who], value),
				DeliveryID: fmt.Sprintf("race-%d-%s", round, who),
			}
			wg.Go(func() {
				replies, err := d.Engine.Handle(bg, ev)
				if err != nil {
					t.Errorf("round %d: %s taps %s: %v", round, who, value, err)
				}
				mu.Lock()
				got[who] = replies
				mu.Unlock()
			})
		}
		wg.Wait()
		var winner, loser string
		for who := range answers {
			switch ids := bottest.IDs(got[who]); {
			case slices.Equal(ids, []string{"desk.sent"}):
				winner = who
			case slices.Equal(ids, []string{bot.MsgAlertTaken}):
				loser = who
			default:
				t.Fatalf("round %d: %s got %v", round, who, ids)
			}
		}
		if winner == "" || loser == "" {
			t.Fatalf("round %d: winner %q, loser %q: want one of each", round, winner, loser)
		}

		d.Drain(t)
		wantAnswer := "report.found"
		if answers[winner] != "found" {
			wantAnswer = "report.answered"
		}
		// The loser's alert is gone already: the colleague's notice
		// tells it nothing new, and the consumer hears one answer.
		wantPushed(t, d.Channel.Take(), "@"+consumer+" "+wantAnswer, "@"+consumer+" report.bye")
		c, err := d.Store.Case(bg, no)
		if err != nil || c.Answer == nil || c.Answer.Value != answers[winner] {
			t.Fatalf("round %d: case %+v, %v; want the answer %s of %s", round, c.Answer, err, answers[winner], winner)
		}
	}
}

// TestColleagueSeesTheAlertClosed: one chat answers, the shop's other
// chat, still looking at the alert, is told who answered what, and its
// buttons answer nothing any more. The first chat then corrects its
// answer, and the consumer is told it is a correction.
func TestColleagueSeesTheAlertClosed(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := redistest.NewDesk(t, rdb, redistest.CaseFixture(t))
		redistest.AddMerchant(t, d, bot.Merchant{Name: "Starlight", Lang: "en"}, chat("shop"), chat("till"))
		cd := &caseDesk{Desk: d, t: t}
		no := cd.report("alice")
		d.Drain(t)
		alerts := map[string][]bot.Reply{}
		for _, p := range d.Channel.Take() {
			alerts[p.To] = []bot.Reply{p.Reply}
		}
		want(t, cd.tap("shop", alerts["shop"], "found"), "desk.sent")
		d.Drain(t)
		wantPushedAnyOrder(t, d.Channel.Take(), "@till "+bot.MsgAlertClosed, "@alice report.found", "@alice report.bye")
		want(t, cd.tap("till", alerts["till"], "not_found"), bot.MsgStaleButton)

		got := cd.text("shop", "/correct")
		want(t, got, "desk.correcting", "desk.alert")
		want(t, cd.tap("shop", got, "not_found"), "desk.sent")
		d.Drain(t)
		wantPushed(t, d.Channel.Take(), "@alice "+bot.MsgCaseCorrected, "@alice "+bot.MsgCaseAnswerPrefix+"not_found")
		c, _ := d.Store.Case(bg, no)
		if c.Answer == nil || c.Answer.Value != "not_found" || !c.Answer.Corrected {
			t.Fatalf("case answer %+v, want a corrected not_found", c.Answer)
		}
		// The other chat never answered, so it has nothing to correct.
		want(t, cd.text("till", "/correct"), bot.MsgCorrectNone)
	})
}

// TestAnswerAfterDeleteIsRecorded: the consumer deletes their data
// before the shop answers. The shop is told its answer reaches nobody,
// the anonymous case keeps the answer (without words), and nothing is
// pushed to anyone.
func TestAnswerAfterDeleteIsRecorded(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := newCaseDesk(t, rdb)
		no := d.report("alice")
		d.Drain(t)
		alert := d.Channel.Take()[0].Reply
		want(t, d.text("alice", "/delete"), bot.MsgDeleted)
		d.Drain(t)
		want(t, d.tap("shop", []bot.Reply{alert}, "found"), bot.MsgAlertCustomerGone)
		d.Drain(t)
		wantPushed(t, d.Channel.Take())
		c, err := d.Store.Case(bg, no)
		if err != nil || !c.Anonymous || c.Answer == nil || c.Answer.Value != "found" || c.Status != bot.CaseMerchantAnswered {
			t.Fatalf("case %+v, %v; want the anonymous case answered found", c, err)
		}
	})
}
