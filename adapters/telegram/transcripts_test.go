package telegram_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// modes are the two ways updates reach the channel.
var modes = []struct {
	name    string
	webhook bool
}{{"polling", false}, {"webhook", true}}

// TestTranscripts plays every conversation of the shipped flows through
// Telegram, by polling and by webhook, on the real Redis.
func TestTranscripts(t *testing.T) {
	rdb := redistest.Real(t)
	for _, file := range bottest.Files(t, "../../testdata/transcripts") {
		tr, err := bottest.Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range modes {
			t.Run(strings.TrimSuffix(filepath.Base(file), ".txt")+"/"+mode.name, func(t *testing.T) {
				t.Parallel()
				d := redistest.NewDesk(t, rdb, redistest.Options{})
				bottest.Run(t, tr, newDriver(t, d, tr.LangHint, mode.webhook), d.Clock)
			})
		}
	}
}

// TestCaseTranscripts plays the cases of consumer and merchant, each in
// their own Telegram chat: the alert with its answer buttons, the answer
// relayed, reminders, proof files fetched from the API.
func TestCaseTranscripts(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			redistest.RunCaseTranscripts(t, "../../testdata/cases", func(t *testing.T, d *redistest.Desk, langHint string) bottest.Driver {
				return newDriver(t, d, langHint, mode.webhook)
			})
		})
	}
}
