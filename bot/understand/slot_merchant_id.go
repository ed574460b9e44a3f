package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// merchantIDSlot reads a merchant number (商户编号, usually 15 digits)
// or a terminal ID: 6 to 20 letters and digits, spaces and dashes
// dropped, letters in capitals. A card number is refused and never kept:
// what masking left of one ("****1234"), or 16 to 19 digits.
type merchantIDSlot struct{}

// Parse implements Parser.
func (merchantIDSlot) Parse(_ Env, text string) (string, string) {
	s, ok := slotInput(text)
	if !ok {
		return "", MsgMerchantID
	}
	for _, p := range []string{"商户编号", "商户号", "终端号", "merchant number", "merchant id", "mid", "tid", "编号", "是", ":", "："} {
		s = strings.TrimSpace(strings.TrimPrefix(s, p))
	}
	if strings.Contains(s, "*") {
		return "", MsgMerchantIDCard
	}
	id := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	if len(id) < 6 || len(id) > 20 || strings.ContainsFunc(id, func(r rune) bool { return !latinAlnum(r) }) {
		return "", MsgMerchantID
	}
	if strings.Trim(id, "0123456789") == "" && len(id) >= 16 {
		return "", MsgMerchantIDCard
	}
	return id, ""
}

// nameSlot reads a name (a shop's) as the text slot does, but refuses
// one with a long number in it (HasLongNumber): a card or ID number is
// no name, and is neither kept nor echoed back in the summary.
type nameSlot struct{}

// Parse implements Parser.
func (nameSlot) Parse(_ Env, text string) (string, string) {
	if HasLongNumber(text) {
		return "", MsgNumberInText
	}
	if v, ok := parseText(text); ok {
		return v, ""
	}
	return "", MsgRetry
}

// HasLongNumber reports whether text holds what may be a card or ID
// number: a run of 13 to 19 digits (dashes and spaces, line breaks
// included, between groups count as part of the run), or what masking
// left of one ("****1234"). A free text answer with one is refused and
// never echoed.
func HasLongNumber(text string) bool {
	s := FoldWidth(text)
	if strings.Contains(s, "****") {
		return true
	}
	run := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r >= '0' && r <= '9':
			run++
			if run >= 13 {
				return true
			}
		case isGroupSeparator(r) && run > 0 && startsWithDigit(strings.TrimLeftFunc(s[i:], isGroupSeparator)):
		default:
			run = 0
		}
	}
	return false
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// isGroupSeparator reports whether r may stand between the digit groups
// of one number.
func isGroupSeparator(r rune) bool { return r == '-' || unicode.IsSpace(r) }
