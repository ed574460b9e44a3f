package bot_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// journey is the shipped consumer journey as slipdesk bench walks it:
// the first message, the consent, the questions, the summary, the advice
// and the end, choices answered by number.
var journey = []string{"你好，小票丢了", "1", "1", "1", "昨天下午3点", "星光超市", "1", "128元", "2", "1234", "1", "1", "1", "2"}

// BenchmarkJourney measures the engine's own work on the shipped flows:
// each iteration is one turn of the journey above, over the in-memory
// store, so that no network, Redis or JSON of a store is counted. A
// conversation walks the journey to its end, then a new one starts.
func BenchmarkJourney(b *testing.B) {
	content, reg := bottest.Content(b, "../flows", "../locales")
	e := bot.NewEngine(bottest.NewMemStore(), content, reg, bot.Config{})
	ctx := context.Background()
	walks := 0
	var key bot.Key
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		step := i % len(journey)
		if step == 0 {
			walks++
			key = bot.Key{Channel: "bench", User: "j" + strconv.Itoa(walks)}
		}
		replies, err := e.Handle(ctx, bot.Event{Key: key, Kind: bot.EventText, Text: journey[step], DeliveryID: "m" + strconv.Itoa(step), LangHint: "zh-CN"})
		if err != nil {
			b.Fatal(err)
		}
		if len(replies) == 0 {
			b.Fatalf("turn %d (%q) of walk %d got no reply", step, journey[step], walks)
		}
	}
}
