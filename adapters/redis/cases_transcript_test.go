package redisstore_test

import (
	"testing"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// TestCaseTranscripts plays the case transcripts (a consumer and a
// merchant working on one case through the workers) on the in-memory
// test channel.
func TestCaseTranscripts(t *testing.T) {
	redistest.RunCaseTranscripts(t, "../../testdata/cases", func(_ *testing.T, d *redistest.Desk, langHint string) bottest.Driver {
		return redistest.NewParty(d, langHint)
	})
}
