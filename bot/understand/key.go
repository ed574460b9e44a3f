package understand

import (
	"strconv"
	"strings"
	"unicode"
)

// Key is the form in which answers and phrases are compared: width
// folded, lower case, punctuation and symbols as spaces, apostrophes
// dropped ("don't" is "dont"), circled and keycap digits as digits
// ("①" and "1️⃣" are "1"), and spaces kept only between two Latin
// letters or digits, so "POS 小票" and "POS小票" are both "pos小票".
func Key(s string) string {
	s = strings.ToLower(FoldWidth(s))
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	var prev rune
	put := func(r rune) {
		if gap && latinAlnum(prev) && latinAlnum(r) {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(r)
		prev = r
	}
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == 0xFE0F || r == 0x20E3 || r == 0x200D:
			// Apostrophes, the emoji variation selector and the keycap
			// mark: "1️⃣" is "1" followed by these.
		case circled(r) > 0:
			gap = b.Len() > 0
			for _, d := range strconv.Itoa(circled(r)) {
				put(d)
			}
			gap = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			put(r)
		default:
			gap = b.Len() > 0
		}
	}
	return b.String()
}

// circled returns the number a circled digit stands for ("①" 1, "❿"
// 10), or 0.
func circled(r rune) int {
	for _, first := range []rune{'①', '❶', '➀'} {
		last := first + 9
		if first == '①' {
			last = '⑳'
		}
		if r >= first && r <= last {
			return int(r-first) + 1
		}
	}
	return 0
}

// latinAlnum reports whether r is an ASCII letter or digit: the
// characters between which a space separates words.
func latinAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
