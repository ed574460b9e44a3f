package redisstore

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/slipdesk/slipdesk/bot"
)

// A transcript line is stored compactly: "<from><at>|<message ID>|<lang>|<text>",
// from being one letter ("u" user, "b" bot, "s" system, "o" operator). A
// bot line with a language is a message of the catalog with nothing
// filled in: its text is left out, and readers take it from the catalog
// (bot.Catalog.FillTexts). A line that does not fit the form (another
// sender, a "|" in its ID) is stored as JSON, which is also how older
// versions stored every line: a line starting with "{" is JSON.

var fromLetters = map[string]byte{"user": 'u', "bot": 'b', "system": 's', "operator": 'o'}

var letterFroms = map[byte]string{'u': "user", 'b': "bot", 's': "system", 'o': "operator"}

// encodeLogLine returns a transcript line's stored form.
func encodeLogLine(l bot.LogLine) ([]byte, error) {
	f, ok := fromLetters[l.From]
	if !ok || strings.Contains(l.MsgID, "|") || strings.Contains(l.Lang, "|") {
		return json.Marshal(l)
	}
	text := l.Text
	if l.Lang != "" && l.MsgID != "" {
		text = ""
	} else {
		l.Lang = ""
	}
	buf := make([]byte, 0, 24+len(l.MsgID)+len(l.Lang)+len(text))
	buf = append(buf, f)
	buf = strconv.AppendInt(buf, l.At, 10)
	buf = append(buf, '|')
	buf = append(buf, l.MsgID...)
	buf = append(buf, '|')
	buf = append(buf, l.Lang...)
	buf = append(buf, '|')
	buf = append(buf, text...)
	return buf, nil
}

// decodeLogLine reads a stored transcript line in either form.
func decodeLogLine(s string) (bot.LogLine, error) {
	var l bot.LogLine
	if strings.HasPrefix(s, "{") {
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			return l, bot.Errorf(bot.EINTERNAL, "transcript line is not valid JSON: %v", err)
		}
		return l, nil
	}
	parts := strings.SplitN(s, "|", 4)
	if len(parts) != 4 || len(parts[0]) < 2 || letterFroms[parts[0][0]] == "" {
		return l, bot.Errorf(bot.EINTERNAL, "transcript line %.12q is in no known form", s)
	}
	at, err := strconv.ParseInt(parts[0][1:], 10, 64)
	if err != nil {
		return l, bot.Errorf(bot.EINTERNAL, "transcript line %.12q has no time", s)
	}
	return bot.LogLine{At: at, From: letterFroms[parts[0][0]], MsgID: parts[1], Lang: parts[2], Text: parts[3]}, nil
}
