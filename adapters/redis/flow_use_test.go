package redisstore_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
)

// TestFlowUseCountsConversations: conversations are counted on the
// version of the flow they run; the count lapses with the conversations
// nobody wrote to for the idle TTL, and a new turn counts one again.
func TestFlowUseCountsConversations(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := redistest.NewDesk(t, rdb, redistest.Options{})
		for _, user := range []string{"alice", "bob"} {
			if _, err := d.Engine.Handle(bg, bot.Event{Key: chat(user), Kind: bot.EventText, Text: "hello", LangHint: "en"}); err != nil {
				t.Fatal(err)
			}
		}
		// A second turn in the same period writes nothing more.
		if _, err := d.Engine.Handle(bg, bot.Event{Key: chat("alice"), Kind: bot.EventText, Text: "hello again", LangHint: "en"}); err != nil {
			t.Fatal(err)
		}
		consumer := bot.FlowRef{Flow: "consumer", Version: d.Engine.Content().Flows["consumer"].Version}
		wantUse(t, d, bot.FlowVersionUse{FlowRef: consumer, Conversations: 2})
		d.Clock.Advance(32 * 24 * time.Hour)
		wantUse(t, d)
		if _, err := d.Engine.Handle(bg, bot.Event{Key: chat("alice"), Kind: bot.EventText, Text: "hello", LangHint: "en"}); err != nil {
			t.Fatal(err)
		}
		wantUse(t, d, bot.FlowVersionUse{FlowRef: consumer, Conversations: 1})
		// A user who deletes their data leaves the count.
		for _, text := range []string{"/delete", "yes"} {
			if _, err := d.Engine.Handle(bg, bot.Event{Key: chat("alice"), Kind: bot.EventText, Text: text, LangHint: "en"}); err != nil {
				t.Fatal(err)
			}
		}
		if snap, _ := d.Store.Load(bg, chat("alice"), ""); snap.Conv.Version != 0 {
			t.Fatalf("the conversation was not deleted")
		}
		wantUse(t, d)
	})
}

// TestFlowUseMoves: a conversation moved to another version leaves the
// count of the first; one that ended or was deleted leaves every count.
func TestFlowUseMoves(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := redistest.NewDesk(t, rdb, redistest.Options{})
		now := d.Clock.Now()
		v1, v2 := bot.FlowRef{Flow: "consumer", Version: "aaaa"}, bot.FlowRef{Flow: "consumer", Version: "bbbb"}
		note := func(user string, from, to bot.FlowRef) {
			t.Helper()
			if err := d.Store.NoteFlowUse(bg, chat(user), bot.FlowUse{From: from, To: to, At: now, Until: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		note("alice", bot.FlowRef{}, v1)
		note("bob", bot.FlowRef{}, v1)
		wantUse(t, d, bot.FlowVersionUse{FlowRef: v1, Conversations: 2})
		note("alice", v1, v2)
		wantUse(t, d, bot.FlowVersionUse{FlowRef: v1, Conversations: 1}, bot.FlowVersionUse{FlowRef: v2, Conversations: 1})
		note("bob", v1, bot.FlowRef{})
		wantUse(t, d, bot.FlowVersionUse{FlowRef: v2, Conversations: 1})
		if ttl := rdb.PTTL(bg, d.Prefix+"{flowuse}:versions").Val(); ttl <= 0 || ttl > time.Hour {
			t.Errorf("the set of versions expires in %v, want within the hour its entries last", ttl)
		}
	})
}

func wantUse(t *testing.T, d *redistest.Desk, want ...bot.FlowVersionUse) {
	t.Helper()
	got, err := d.Store.FlowUse(bg, d.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, func(a, b bot.FlowVersionUse) int { return compareRef(a.FlowRef, b.FlowRef) })
	if !slices.Equal(got, want) {
		t.Fatalf("flow use %+v, want %+v", got, want)
	}
}

func compareRef(a, b bot.FlowRef) int {
	return cmp.Or(strings.Compare(a.Flow, b.Flow), strings.Compare(a.Version, b.Version))
}
