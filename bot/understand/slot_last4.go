package understand

import "strings"

// last4Slot reads the last four digits of a card: "1234", "１２３４",
// "尾号1234", "ending 1234", "****1234". Anything longer, a whole card
// number above all, is refused: only four digits are ever kept.
type last4Slot struct{}

// last4Labels are the words people put before the digits, longest first
// where one starts another.
var last4Labels = []string{
	"last four digits", "last 4 digits", "last four", "last 4", "digits",
	"card ending in", "card ending with", "card ending", "ending in", "ending with", "ending", "ends in", "ends with", "ends",
	"card number", "card no.", "card", "no.", "is",
	"卡号后四位", "卡号后4位", "卡号尾号", "卡尾号", "卡号", "银行卡", "信用卡", "储蓄卡",
	"后四位", "后4位", "末四位", "末4位", "尾号", "尾数", "是", "为",
}

// Parse implements Parser.
func (last4Slot) Parse(_ Env, text string) (string, string) {
	s, ok := slotInput(text)
	if !ok {
		return "", MsgLast4
	}
	// Labels first, then the masking a card number's hidden digits get.
	for trimmed := true; trimmed; {
		trimmed = false
		s = strings.TrimLeft(s, " :#")
		for _, l := range last4Labels {
			if rest, found := strings.CutPrefix(s, l); found {
				s, trimmed = rest, true
				break
			}
		}
	}
	s = strings.TrimLeft(s, " *x×•●·._-#")
	if len(s) != 4 || strings.Trim(s, "0123456789") != "" {
		return "", MsgLast4
	}
	return s, ""
}
