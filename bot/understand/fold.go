package understand

import (
	"strings"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// FoldWidth turns full-width letters, digits and punctuation into their
// ASCII forms, so "１２３" reads as "123" and "ＹＥＳ" as "YES".
func FoldWidth(s string) string {
	return width.Fold.String(norm.NFC.String(s))
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
