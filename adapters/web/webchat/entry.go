package webchat

import (
	"encoding/json"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// Entry is one message in a conversation's feed, as the page shows it.
type Entry struct {
	// ID orders the feed; the page asks for entries after the last ID it
	// has.
	ID string `json:"id,omitempty"`
	// From is "me" for what the user sent and "bot" for everything else.
	From string `json:"from"`
	Text string `json:"text,omitempty"`
	// Msg is the locale message a bot entry came from.
	Msg string `json:"msg,omitempty"`
	// Options are the choices offered with a bot entry.
	Options []Button `json:"options,omitempty"`
	// File is the name of a file the user sent.
	File string `json:"file,omitempty"`
	// At is when the entry was made, in Unix milliseconds.
	At int64 `json:"at"`
}

// Button is one choice of a bot entry: the flow's value for it, the
// label shown and the data a tap sends back.
type Button struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Data  string `json:"data"`
}

// Entries used from and to the feed's JSON.
const (
	fromMe  = "me"
	fromBot = "bot"
)

// replyEntries turns the engine's replies into feed entries.
func replyEntries(replies []bot.Reply, at int64) []Entry {
	out := make([]Entry, 0, len(replies))
	for _, r := range replies {
		e := Entry{From: fromBot, Text: r.Text, Msg: r.MsgID, At: at}
		for _, o := range r.Options {
			e.Options = append(e.Options, Button{Value: o.Value, Label: o.Label, Data: o.Data})
		}
		out = append(out, e)
	}
	return out
}

// encodeEntries gives the JSON of each entry, as the feed stores it.
func encodeEntries(entries []Entry) [][]byte {
	out := make([][]byte, len(entries))
	for i, e := range entries {
		// An Entry holds strings and slices of strings only: Marshal
		// cannot fail on it.
		out[i], _ = json.Marshal(e)
	}
	return out
}

// nowMillis is the time of a new entry.
func nowMillis() int64 { return time.Now().UnixMilli() }
