package console_test

import (
	"testing"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// TestCaseTranscripts plays the case transcripts in terminal chats, one
// per user, sharing one store: the consumer's and the merchant's.
func TestCaseTranscripts(t *testing.T) {
	redistest.RunCaseTranscripts(t, "../../testdata/cases", func(t *testing.T, d *redistest.Desk, langHint string) bottest.Driver {
		return newPartyDriver(t, d, langHint)
	})
}
