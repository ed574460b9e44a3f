package understand

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// FoldWidth turns full-width letters, digits and punctuation into their
// ASCII forms, so "１２３" reads as "123" and "ＹＥＳ" as "YES".
func FoldWidth(s string) string {
	if isASCII(s) {
		// Nothing to compose, and no ASCII character has another width.
		return s
	}
	return width.Fold.String(norm.NFC.String(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// FoldWord normalises a short answer for comparison: width folded, lower
// case, trimmed of space and closing punctuation, inner spaces collapsed.
func FoldWord(s string) string {
	s = strings.ToLower(FoldWidth(s))
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRightFunc(s, func(r rune) bool {
		return r == '.' || r == '!' || r == '?' || r == '。' || r == '！' || r == '？' || r == '~'
	})
}
