package bot_test

import (
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// TestProofPromptsNameTheChannel: the prompts that ask for a file say
// "/attach" in the terminal chat and a photo elsewhere, in both
// languages, from the shipped locale files.
func TestProofPromptsNameTheChannel(t *testing.T) {
	content, _ := bottest.Content(t, "../flows", "../locales")
	for _, id := range []string{"consumer.proof_send", "consumer.info_file", bot.MsgCaseProofRemind} {
		for _, lang := range bot.Languages {
			for _, tt := range []struct {
				channel string
				attach  bool
			}{{"console", true}, {"telegram", false}} {
				got, err := content.Catalog.Render(lang, id, map[string]any{"Channel": tt.channel, "No": "PS-7K3Q9", "Missing": "x"})
				if err != nil {
					t.Fatalf("%s %s: %v", lang, id, err)
				}
				if strings.Contains(got, "/attach") != tt.attach {
					t.Errorf("%s %s on %s: %q; want /attach %v", lang, id, tt.channel, got, tt.attach)
				}
			}
		}
	}
}
