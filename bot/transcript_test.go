package bot_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// TestTranscripts plays every transcript under testdata/transcripts
// straight through the engine.
func TestTranscripts(t *testing.T) {
	content, reg := bottest.Content(t, "../flows", "../locales")
	for _, file := range bottest.Files(t, "../testdata/transcripts") {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			tr, err := bottest.Parse(file)
			if err != nil {
				t.Fatal(err)
			}
			clock := bottest.NewClock()
			store := bottest.NewMemStore()
			e := bot.NewEngine(store, content, reg, bot.Config{Now: clock.Now})
			d := &bottest.EngineDriver{Engine: e, Key: bot.Key{Channel: "test", User: t.Name()}, LangHint: tr.LangHint}
			bottest.Run(t, tr, d, clock)
		})
	}
}
