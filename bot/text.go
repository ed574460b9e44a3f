package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slipdesk/slipdesk/bot/mask"
	"github.com/slipdesk/slipdesk/bot/understand"
)

// MaxTextLen is the longest message, in characters, the engine accepts.
const MaxTextLen = 4096

// maskMargin is how far past a cut a text is masked: more than the
// longest thing the masker looks for (a card number with separators), so
// that a number across the cut is masked whole before the cut drops the
// rest.
const maskMargin = 256

// cutForMasking shortens a text to what a cut at n runes keeps plus
// maskMargin, so that masking, which is costly on long texts, runs over
// the part kept only. Cut the masked text at n afterwards.
func cutForMasking(s string, n int) string {
	return truncateRunes(s, n+maskMargin)
}

// cutBytes shortens s to at most n bytes, on a character boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// foldWidth is understand.FoldWidth: "１２３" reads as "123".
func foldWidth(s string) string { return understand.FoldWidth(s) }

// foldWord is understand.FoldWord: how the engine compares short answers
// and command words.
func foldWord(s string) string { return understand.FoldWord(s) }

// textProblem names what is wrong with a text message, or "" if nothing.
// The message IDs it returns are system messages every locale must have.
func textProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return MsgBadText
	case strings.TrimSpace(s) == "":
		return MsgEmpty
	case utf8.RuneCountInString(s) > MaxTextLen:
		return MsgTooLong
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return MsgBadText
		}
	}
	return ""
}

// safeText makes any input fit to keep in a transcript: invalid UTF-8
// becomes U+FFFD, control characters are dropped, card numbers masked.
func safeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, s)
	masked, _ := mask.Sensitive(s)
	return masked
}

// hasHan reports whether s contains a Han character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
