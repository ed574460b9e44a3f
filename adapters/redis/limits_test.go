package redisstore

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/workers"
)

// TestLimits runs conversations and streams past every limit the store
// keeps and checks each bound: transcript lines, delivery records (and
// their index, which deletion walks), the operators' stream and the
// dead-letter stream; a deleted conversation leaves nothing of its key
// in the operators' stream.
func TestLimits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		s := newTestStore(t, rdb)
		s.SetLimits(Limits{DeliveryRecords: 10, StreamLength: 10})
		content, reg := countContent(t)
		e := bot.NewEngine(s, content, reg, bot.Config{Archive: s, Limits: bot.Limits{TranscriptLines: 12}})
		keys := []bot.Key{{Channel: "test", User: "a"}, {Channel: "test", User: "b"}}
		for _, key := range keys {
			for i := range 25 {
				if _, err := e.Handle(ctx, bot.Event{Key: key, Kind: bot.EventText, DeliveryID: fmt.Sprint("d", i), Text: fmt.Sprint(i), LangHint: "en"}); err != nil {
					t.Fatal(err)
				}
			}
			ks := s.keys(key)
			if n := rdb.LLen(ctx, ks.log).Val(); n != 12 {
				t.Errorf("%v: %d transcript lines, want the limit, 12", key, n)
			}
			lines, err := s.Transcript(ctx, key)
			if err != nil || len(lines) == 0 || lines[len(lines)-2].Text != "24" {
				t.Errorf("%v: the transcript does not end with the newest turn: %+v, %v", key, lines, err)
			}
			if n := rdb.ZCard(ctx, ks.seenIndex).Val(); n != 10 {
				t.Errorf("%v: %d entries in the delivery index, want the limit, 10", key, n)
			}
			records := 0
			for _, k := range keysUnder(t, rdb, ks.base+":seen:") {
				if strings.HasPrefix(k, ks.base+":seen:") {
					records++
				}
			}
			if records != 10 {
				t.Errorf("%v: %d delivery records, want the limit, 10", key, records)
			}
			// The newest delivery is still recognised, the oldest is not.
			if snap := mustLoad(t, s, key, "d24"); snap.Replayed == nil {
				t.Errorf("%v: the newest delivery is forgotten", key)
			}
			if snap := mustLoad(t, s, key, "d0"); snap.Replayed != nil {
				t.Errorf("%v: the oldest delivery is still kept", key)
			}
		}

		for i := range 25 {
			data := map[string]string{"reason": "wants a person", "conversation": keys[i%2].String()}
			if err := s.NotifyOps(ctx, fmt.Sprint("ops", i), bot.EffectHandover, data); err != nil {
				t.Fatal(err)
			}
		}
		if n := rdb.XLen(ctx, s.opsStream()).Val(); n != 10 {
			t.Errorf("operators' stream holds %d entries, want the limit, 10", n)
		}
		if err := s.ForgetConversation(ctx, keys[0]); err != nil {
			t.Fatal(err)
		}
		events, err := s.OpsEvents(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 5 {
			t.Errorf("%d operator events left, want the other conversation's 5", len(events))
		}
		for _, ev := range events {
			if ev.Data["conversation"] == keys[0].String() {
				t.Errorf("operator event %s still names the deleted conversation", ev.ID)
			}
		}

		for i := range 25 {
			if err := s.EnqueueAlert(ctx, workers.QueuedAlert{ID: fmt.Sprint("alert", i), Case: "PS-1", Merchant: "m1"}); err != nil {
				t.Fatal(err)
			}
		}
		read, err := s.ReadAlerts(ctx, "w1", 100, 0, time.Minute)
		if err != nil || len(read) != 25 {
			t.Fatalf("ReadAlerts: %d alerts, %v", len(read), err)
		}
		for _, a := range read {
			if err := s.DeadLetter(ctx, a, "nobody answers"); err != nil {
				t.Fatal(err)
			}
		}
		if n := rdb.XLen(ctx, s.alertDead()).Val(); n != 10 {
			t.Errorf("dead-letter stream holds %d entries, want the limit, 10", n)
		}
	})
}
