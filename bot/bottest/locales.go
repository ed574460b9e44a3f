package bottest

import (
	"fmt"
	"strings"

	"github.com/slipdesk/slipdesk/bot"
)

// systemPlaceholders are the fields the engine fills in its own messages.
var systemPlaceholders = map[string]string{
	bot.MsgTooLong:          " {{.Max}}",
	bot.MsgStatus:           " {{.State}} {{.Answers}}",
	bot.MsgProofTooLarge:    " {{.Max}}",
	bot.MsgProofMissingFile: " {{.Name}}",
}

// SystemLocale returns a [sys] TOML section with every message the engine
// says on its own, for test locale files that add their flows' messages
// after it. Each text names its ID and lang, so a test can tell them apart.
func SystemLocale(lang string) string {
	var b strings.Builder
	b.WriteString("[sys]\n")
	for _, id := range bot.SystemMessages {
		key := strings.TrimPrefix(id, "sys.")
		fmt.Fprintf(&b, "%s = %q\n", key, id+" ("+lang+")"+systemPlaceholders[id])
	}
	return b.String()
}
