package console_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// TestCaseTranscripts plays the case transcripts in terminal chats, one
// per user, sharing one store: the consumer's and the merchant's.
func TestCaseTranscripts(t *testing.T) {
	for _, file := range bottest.Files(t, "../../testdata/cases") {
		tr, err := bottest.Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
				d := redistest.NewDesk(t, rdb, redistest.Options{})
				bottest.Run(t, tr, newPartyDriver(t, d, tr.LangHint), d.Clock)
			})
		})
	}
}
