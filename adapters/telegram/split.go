package telegram

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// utf16Len is the length of s in UTF-16 code units, the unit of the Bot
// API's limits: a rune from U+10000 up is a surrogate pair, two units;
// any other rune is one, and so is each byte that is not valid UTF-8,
// which goes out as U+FFFD.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Units(r)
	}
	return n
}

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// splitText cuts s into messages of at most limit UTF-16 units. Text
// within the limit comes back whole and unchanged, blank text as no
// message at all: the API refuses an empty one. Longer text is cut at
// the last line break that fits, else at the last space, else between
// two runes that do not belong together. Only whitespace is lost at a
// cut: the line break or spaces there, trailing spaces, blank lines.
//
// A limit below 2 could not hold a surrogate pair, so it panics.
func splitText(s string, limit int) []string {
	if limit < 2 {
		panic(fmt.Sprintf("telegram: splitText limit %d: want at least 2 UTF-16 units", limit))
	}
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if utf16Len(s) <= limit {
		return []string{s}
	}
	var parts []string
	for rest := dropBlankLines(s); rest != ""; {
		var part string
		part, rest = cutPart(rest, limit)
		if part = strings.TrimRightFunc(part, unicode.IsSpace); part != "" {
			parts = append(parts, part)
		}
	}
	return parts
}

// cutPart cuts the first message off rest and returns it with what is
// left for the next ones. The message may end in spaces, or be nothing
// but spaces when a line starts with more indentation than the limit:
// the caller trims and skips.
func cutPart(rest string, limit int) (part, next string) {
	w := fitUnits(rest, limit)
	if w == len(rest) {
		return rest, ""
	}
	// rest[w] may be the line break itself: the part before it fits.
	if i := strings.LastIndexByte(rest[:w+1], '\n'); i > 0 {
		return rest[:i], dropBlankLines(rest[i+1:])
	}
	if i := cutAtSpace(rest, w); i > 0 {
		return rest[:i], dropBlankLines(strings.TrimLeftFunc(rest[i:], isLineSpace))
	}
	i := cutAtRune(rest, w)
	return rest[:i], rest[i:]
}

// fitUnits is the length in bytes of the longest prefix of s that is
// within limit UTF-16 units.
func fitUnits(s string, limit int) int {
	n := 0
	for i, r := range s {
		if n += utf16Units(r); n > limit {
			return i
		}
	}
	return len(s)
}

// cutAtSpace is the offset of the last breaking space in s at or before
// w, or 0 if there is none. A space that carries a combining mark is not
// one: cutting there would leave the mark on nothing.
func cutAtSpace(s string, w int) int {
	for i := w; i > 0; {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isBreakSpace(r) {
			if next, _ := utf8.DecodeRuneInString(s[i+n:]); !extendsCluster(next) {
				return i
			}
		}
		_, n = utf8.DecodeLastRuneInString(s[:i])
		i -= n
	}
	return 0
}

// cutAtRune is the last offset at or before w that falls between two
// user-perceived characters, or w itself when the whole of s[:w] is one
// sequence (a runaway chain of combining marks) and must be cut anyway.
// Offsets are rune boundaries, so a surrogate pair is never split.
func cutAtRune(s string, w int) int {
	for i := w; i > 0; {
		prev, n := utf8.DecodeLastRuneInString(s[:i])
		next, _ := utf8.DecodeRuneInString(s[i:])
		if !clusterJoins(s[:i], prev, next) {
			return i
		}
		i -= n
	}
	return w
}

const zeroWidthJoiner = '\u200d'

// clusterJoins reports whether prev, the last rune of before, and next
// belong to one character, by the cheap part of Unicode's grapheme rules:
// marks and modifiers attach to what precedes them, a zero-width joiner
// to both sides, and regional indicators pair up into flags.
func clusterJoins(before string, prev, next rune) bool {
	switch {
	case extendsCluster(next), prev == zeroWidthJoiner:
		return true
	case isRegionalIndicator(prev) && isRegionalIndicator(next):
		n := 0
		for before != "" {
			r, size := utf8.DecodeLastRuneInString(before)
			if !isRegionalIndicator(r) {
				break
			}
			n++
			before = before[:len(before)-size]
		}
		return n%2 == 1
	}
	return false
}

// extendsCluster reports whether r attaches to the rune before it:
// combining marks and variation selectors, the joiner, skin tones, and
// the tag characters of subdivision flags.
func extendsCluster(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc, unicode.Other_Grapheme_Extend) ||
		r == zeroWidthJoiner ||
		r >= 0x1f3fb && r <= 0x1f3ff ||
		r >= 0xe0020 && r <= 0xe007f
}

func isRegionalIndicator(r rune) bool { return r >= 0x1f1e6 && r <= 0x1f1ff }

// isBreakSpace reports whether a line may be cut at r: whitespace other
// than the no-break spaces, which are there to keep their neighbours on
// one line.
func isBreakSpace(r rune) bool {
	return unicode.IsSpace(r) && r != '\u00a0' && r != '\u2007' && r != '\u202f'
}

func isLineSpace(r rune) bool { return r != '\n' && unicode.IsSpace(r) }

// dropBlankLines drops the blank lines at the start of s but keeps the
// indentation of its first line with text, which may be code.
func dropBlankLines(s string) string {
	lead := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
	if i := strings.LastIndexByte(s[:lead], '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
