package redisstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
)

// exchange is the first three messages of the shipped consumer journey,
// as slipdesk bench runs them.
var exchange = []string{"你好，小票丢了", "1", "1"}

// maxBytesPerConversation is what an idle conversation may hold in Redis
// after the exchange, summed over all its keys.
const maxBytesPerConversation = 1024

// TestIdleConversationSize runs the exchange through the engine on the
// real Redis, sending each turn's replies as a channel does, and bounds
// MEMORY USAGE over every key of the conversation. The transcript still
// reads back whole, the texts of catalog messages from the catalog, and
// a redelivery runs no turn and sends nothing.
func TestIdleConversationSize(t *testing.T) {
	rdb := redistest.Real(t)
	d := redistest.NewDesk(t, rdb, redistest.Options{})
	key := bot.Key{Channel: "telegram", User: "880001"}
	once := bot.SendOnce{Marks: d.Store}
	var sent []string
	for i, text := range exchange {
		ev := bot.Event{Key: key, Kind: bot.EventText, Text: text, DeliveryID: fmt.Sprint(7000 + i), LangHint: "zh-CN"}
		res, err := d.Engine.Process(bg, ev)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sending.Owner == "" {
			t.Fatalf("turn %d: the commit took no sending lease", i)
		}
		dl := bot.Delivery{Key: key, ID: ev.DeliveryID, Mark: "test:" + ev.DeliveryID}
		err = once.Send(bg, dl, res.Sending, len(res.Replies), func(_ context.Context, j int) error {
			sent = append(sent, res.Replies[j].Text)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	keys := redistest.Keys(t, rdb, d.Prefix+"{c:telegram:880001}")
	var total int64
	for _, k := range keys {
		n, err := rdb.MemoryUsage(bg, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes", strings.TrimPrefix(k, d.Prefix), n)
		total += n
	}
	if total > maxBytesPerConversation {
		t.Errorf("the conversation holds %d bytes in %d keys, want at most %d", total, len(keys), maxBytesPerConversation)
	}

	lines, err := d.Store.Transcript(bg, key)
	if err != nil {
		t.Fatal(err)
	}
	d.Engine.Content().Catalog.FillTexts(lines)
	var users, bots []string
	for _, l := range lines {
		switch l.From {
		case "user":
			users = append(users, l.Text)
		case "bot":
			bots = append(bots, l.Text)
		}
	}
	if strings.Join(users, "\n") != strings.Join(exchange, "\n") {
		t.Errorf("user lines %q, want %q", users, exchange)
	}
	if strings.Join(bots, "\n") != strings.Join(sent, "\n") {
		t.Errorf("bot lines %q, want the texts sent %q", bots, sent)
	}

	before, err := d.Store.Load(bg, key, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range exchange {
		res, err := d.Engine.Process(bg, bot.Event{Key: key, Kind: bot.EventText, Text: exchange[i], DeliveryID: fmt.Sprint(7000 + i)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Replies) != 0 || res.Fresh {
			t.Errorf("redelivery %d answered %d replies (fresh %v), want none", i, len(res.Replies), res.Fresh)
		}
	}
	after, err := d.Store.Load(bg, key, "")
	if err != nil {
		t.Fatal(err)
	}
	if after.Conv.Version != before.Conv.Version {
		t.Errorf("redeliveries moved the conversation from version %d to %d", before.Conv.Version, after.Conv.Version)
	}
}
