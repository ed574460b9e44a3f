package understand

import (
	"strings"
	"unicode"
)

// sharedWords are Latin words Chinese writers use as often as English
// ones: they say nothing about the language of a message.
var sharedWords = map[string]bool{
	"ok": true, "okay": true, "pos": true, "app": true, "qr": true, "sms": true, "id": true, "atm": true,
	"visa": true, "mastercard": true, "amex": true, "jcb": true, "unionpay": true, "alipay": true, "wechat": true,
	"am": true, "pm": true, "rmb": true, "cny": true, "usd": true, "vip": true, "wifi": true, "pdf": true,
}

// ClearLang returns the language a message is clearly written in:
// "zh-CN" for Chinese characters and no English word, "en" for English
// words and no Chinese character, "" otherwise (digits, emoji, a mix).
// Words written in capitals ("POS", "KFC") and words Chinese writers use
// too ("ok", "visa", "app") are no English words here.
func ClearLang(text string) string {
	han, english := false, false
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if strings.ContainsFunc(w, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			han = true
			continue
		}
		if englishWord(w) {
			english = true
		}
	}
	switch {
	case han && !english:
		return "zh-CN"
	case english && !han:
		return "en"
	}
	return ""
}

// englishWord reports whether w, a run of letters, is an English word
// for ClearLang: two ASCII letters or more, not all capitals, not shared.
func englishWord(w string) bool {
	if len(w) < 2 || strings.ContainsFunc(w, func(r rune) bool { return !latinAlnum(r) }) {
		return false
	}
	if strings.ToUpper(w) == w {
		return false
	}
	return !sharedWords[strings.ToLower(w)]
}
