package bot

import "github.com/slipdesk/slipdesk/bot/understand"

// followLang switches the conversation to the language a message is
// clearly written in, unless the user chose one (/lang, "English",
// "中文"). An answer to a free-text question (a shop's name, an ID) says
// nothing about the language: "Starlight" is a name, not English. The
// first message was already read with the channel's hint (DetectLang).
func (t *Turn) followLang(text string) {
	c := &t.Conv
	if c.LangChosen || t.langNew {
		return
	}
	if s := t.step(); s != nil && !c.Ended && s.Kind == KindAsk && s.Type == "text" {
		return
	}
	if l := understand.ClearLang(text); l != "" {
		c.Lang = l
	}
}
