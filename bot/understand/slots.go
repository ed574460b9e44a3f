package understand

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextLen is the longest free-text slot value, in characters.
const MaxTextLen = 500

// Types returns the built-in slot types by the names flows use.
func Types() map[string]Parser {
	return map[string]Parser{
		"text":     Func(parseText),
		"yesno":    Func(parseYesNo),
		"number":   Func(parseNumber),
		"datetime": datetimeSlot{},
		"amount":   amountSlot{},
		"last4":    last4Slot{},
		"name":     nameSlot{},
		// merchant_id: a shop's merchant number or a terminal ID.
		"merchant_id": merchantIDSlot{},
	}
}

// parseText accepts text up to MaxTextLen characters with at least
// one letter or digit in it ("???" or a row of emoji says nothing), with
// its spaces collapsed.
func parseText(s string) (string, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxTextLen || !strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}) {
		return "", false
	}
	return s, true
}

var yesWords = map[string]bool{
	"yes": true, "y": true, "yeah": true, "yep": true, "ok": true, "okay": true, "sure": true, "correct": true, "right": true, "true": true,
	"是": true, "是的": true, "对": true, "对的": true, "好": true, "好的": true, "嗯": true, "确认": true, "可以": true, "行": true, "要": true, "需要": true, "有": true,
	"yup": true, "ya": true, "yea": true, "of course": true, "yes please": true,
	"是啊": true, "是呀": true, "对啊": true, "对呀": true, "嗯嗯": true, "好啊": true, "好呀": true, "可以的": true, "行的": true, "没问题": true, "当然": true, "要的": true, "需要的": true, "有的": true,
}

var noWords = map[string]bool{
	"no": true, "n": true, "nope": true, "not": true, "false": true, "wrong": true,
	"否": true, "不": true, "不是": true, "不对": true, "没有": true, "没": true, "不要": true, "不需要": true, "不用": true, "无": true, "取消": true,
	"nah": true, "no thanks": true, "not really": true,
	"不用了": true, "不要了": true, "不需要了": true, "没有了": true, "不行": true, "不可以": true, "算了": true,
}

// parseYesNo accepts yes and no in Chinese and English: "yes", "是",
// "好的", "no", "不是", "没有"; it yields "yes" or "no".
func parseYesNo(s string) (string, bool) {
	w := FoldWord(s)
	switch {
	case yesWords[w]:
		return "yes", true
	case noWords[w]:
		return "no", true
	}
	return "", false
}

// parseNumber accepts a whole number, full-width digits and thousands
// separators included ("１２", "1,280"); it yields the digits.
func parseNumber(s string) (string, bool) {
	w := strings.ReplaceAll(FoldWord(s), ",", "")
	if w == "" || len(w) > 18 {
		return "", false
	}
	n, err := strconv.ParseUint(w, 10, 64)
	if err != nil {
		return "", false
	}
	return strconv.FormatUint(n, 10), true
}
