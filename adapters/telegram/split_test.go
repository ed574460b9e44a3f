package telegram

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSplitCountsUTF16(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"hello", 5},
		{"你好", 2},
		{"😀", 2},
		{"a😀b", 4},
		{"e\u0301", 2},
		{"👨‍👩‍👧", 8},
		{"🇨🇳", 4},
		{"\xff\xfe", 2},
		{"\ufffd", 1},
	}
	for _, tt := range tests {
		if got := utf16Len(tt.in); got != tt.want {
			t.Errorf("utf16Len(%q): got %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestSplitText(t *testing.T) {
	lines := strings.Repeat("строка\n", 1000)
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"short ASCII", "hello", 10, []string{"hello"}},
		{"exactly at the limit", "abcde", 5, []string{"abcde"}},
		{"limit+1", "abcdef", 5, []string{"abcde", "f"}},
		{"limit+1 with a space", "abc def", 6, []string{"abc", "def"}},
		{"space just past the limit", "abcd efgh", 4, []string{"abcd", "efgh"}},
		{"spaces at the cut", "ab   cd", 4, []string{"ab", "cd"}},
		{"edges kept within the limit", " hi \n", 10, []string{" hi \n"}},
		{"empty", "", 10, nil},
		{"blank", "  \n\t \n", 10, nil},
		{"blank and long", strings.Repeat(" \n", 20), 10, nil},
		{"last line break that fits", "one\ntwo\nthree", 8, []string{"one\ntwo", "three"}},
		{"line break just past the limit", "abcde\nfgh", 5, []string{"abcde", "fgh"}},
		{"line break before a space", "ab cd\nef gh ij", 7, []string{"ab cd", "ef gh", "ij"}},
		{"many short lines", "a\nb\nc\nd\ne", 3, []string{"a\nb", "c\nd", "e"}},
		{"CRLF", "abc\r\ndef\r\n", 5, []string{"abc", "def"}},
		{"blank lines at the cut", "abc\n\n\n  def", 6, []string{"abc", "  def"}},
		{"trailing blank lines", "abc\ndef\n\n\n", 4, []string{"abc", "def"}},
		{"single long line without spaces", strings.Repeat("x", 10), 4, []string{"xxxx", "xxxx", "xx"}},
		{"no cut at a no-break space", "ab\u00a0cd", 4, []string{"ab\u00a0c", "d"}},
		{"no cut at a space with a mark", "abc \u0301de", 6, []string{"abc \u0301d", "e"}},
		{"Chinese", "你好世界", 3, []string{"你好世", "界"}},
		{"Chinese lines", "第一行\n第二行", 4, []string{"第一行", "第二行"}},
		{"Chinese with an ideographic space", "你好\u3000世界", 4, []string{"你好", "世界"}},
		{"surrogate pair across the limit", "ab😀c", 3, []string{"ab", "😀c"}},
		{"surrogate pair up to the limit", "a😀b", 3, []string{"a😀", "b"}},
		{"only surrogate pairs", "😀😀😀", 3, []string{"😀", "😀", "😀"}},
		{"combining mark", "abe\u0301", 3, []string{"ab", "e\u0301"}},
		{"skin tone", "ok👍🏽", 4, []string{"ok", "👍🏽"}},
		{"variation selector", "ab❤\ufe0f", 3, []string{"ab", "❤\ufe0f"}},
		{"ZWJ sequence", "ab👨‍👩‍👧", 9, []string{"ab", "👨‍👩‍👧"}},
		{"flags between pairs", "a🇨🇳🇯🇵", 5, []string{"a🇨🇳", "🇯🇵"}},
		{"flags not halved", "a🇨🇳🇯🇵", 4, []string{"a", "🇨🇳", "🇯🇵"}},
		{"marks longer than the limit", "e\u0301\u0301\u0301", 2, []string{"e\u0301", "\u0301\u0301"}},
		{"invalid UTF-8", "ab\xffcd", 3, []string{"ab\xff", "cd"}},
		{"Telegram's limit", lines, maxMessageLen, []string{
			strings.Repeat("строка\n", 584) + "строка",
			strings.Repeat("строка\n", 414) + "строка",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitText(tt.in, tt.limit)
			if !slices.Equal(got, tt.want) {
				t.Errorf("splitText(%q, %d):\n got %q\nwant %q", tt.in, tt.limit, got, tt.want)
			}
			checkSplit(t, tt.in, tt.limit, got)
		})
	}
}

func TestSplitTextPanicsOnTinyLimit(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("splitText(\"abc\", 1): want a panic")
		}
	}()
	splitText("abc", 1)
}

// splitAtoms are what the property tests build text from: every kind of
// rune and cut the splitter treats apart, and some that it must not.
var splitAtoms = []string{
	"a", "b", "word", "x", "中", "文字", "😀", "👍🏽", "❤\ufe0f", "e\u0301", "👨‍👩‍👧", "🇨🇳",
	" ", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00a0", "\u3000",
	"\u0301", "\u200d", "\ufe0f", "🇯", "\U0001f3fb", "\xff", "\xe4\xb8",
}

// splitClusters are whole user-perceived characters and the spaces
// between them; text made of them alone has no sequence longer than 8
// units, so no cut needs to fall inside one.
var splitClusters = []string{
	"a", "word", "中", "😀", "👍🏽", "❤\ufe0f", "e\u0301", "👨‍👩‍👧", "🇨🇳", "🇯🇵", " ", "\n",
}

func randomText(r *rand.Rand, atoms []string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(atoms[r.IntN(len(atoms))])
	}
	return b.String()
}

func TestSplitTextProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(20261125, 4096))
	for range 1000 {
		s := randomText(r, splitAtoms, r.IntN(200))
		limit := 2 + r.IntN(40)
		checkSplit(t, s, limit, splitText(s, limit))
	}
}

func TestSplitTextKeepsClusters(t *testing.T) {
	r := rand.New(rand.NewPCG(20261125, 8))
	for range 1000 {
		s := randomText(r, splitClusters, r.IntN(200))
		limit := 8 + r.IntN(30)
		parts := splitText(s, limit)
		checkSplit(t, s, limit, parts)
		pos := 0
		for i, part := range parts {
			start := partStart(s, pos, part)
			if i > 0 && start == pos && splitsCluster(s, start) {
				t.Fatalf("splitText(%q, %d) = %q: part %d starts inside a character", s, limit, parts, i)
			}
			pos = start + len(part)
		}
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("hello world", uint16(4))
	f.Add("one\ntwo\n\nthree  four", uint16(5))
	f.Add("你好，世界。这是一个很长的句子", uint16(3))
	f.Add("a😀b😀c👨‍👩‍👧🇨🇳🇯🇵", uint16(3))
	f.Add("e\u0301\u0301\u0301 x\u200d\u200dy", uint16(2))
	f.Add("  \n\t\n  indented\n", uint16(4))
	f.Add("ab\xffcd\xe4\xb8ef", uint16(2))
	f.Add(strings.Repeat("строка ", 700), uint16(maxMessageLen))
	f.Fuzz(func(t *testing.T, s string, n uint16) {
		limit := 2 + int(n)%(maxMessageLen-1)
		checkSplit(t, s, limit, splitText(s, limit))
	})
}

// checkSplit checks what splitText must promise whatever the text: each
// part within limit and not blank; s made of the parts in order with
// only whitespace between and around them; a text within the limit
// whole; valid UTF-8 kept valid.
func checkSplit(t *testing.T, s string, limit int, parts []string) {
	t.Helper()
	if strings.TrimSpace(s) != "" && utf16Len(s) <= limit && !slices.Equal(parts, []string{s}) {
		t.Fatalf("splitText(%q, %d) = %q: want it whole", s, limit, parts)
	}
	valid := utf8.ValidString(s)
	pos := 0
	for i, part := range parts {
		if n := utf16Len(part); n > limit {
			t.Fatalf("splitText(%q, %d) = %q: part %d is %d units", s, limit, parts, i, n)
		}
		if strings.TrimSpace(part) == "" {
			t.Fatalf("splitText(%q, %d) = %q: part %d is blank", s, limit, parts, i)
		}
		if valid && !utf8.ValidString(part) {
			t.Fatalf("splitText(%q, %d) = %q: part %d is not valid UTF-8", s, limit, parts, i)
		}
		start := partStart(s, pos, part)
		if start < 0 {
			t.Fatalf("splitText(%q, %d) = %q: part %d is not next in the text after whitespace", s, limit, parts, i)
		}
		pos = start + len(part)
	}
	if strings.TrimSpace(s[pos:]) != "" {
		t.Fatalf("splitText(%q, %d) = %q: loses %q", s, limit, parts, s[pos:])
	}
}

// partStart is where part, which is not blank, starts in s when it comes
// after s[:pos] and whitespace; -1 if it does not. The part's first
// non-space rune must be the first non-space rune from pos on, which
// leaves one place to look.
func partStart(s string, pos int, part string) int {
	rest := strings.TrimLeftFunc(s[pos:], unicode.IsSpace)
	lead := len(part) - len(strings.TrimLeftFunc(part, unicode.IsSpace))
	start := len(s) - len(rest) - lead
	if start < pos || !strings.HasPrefix(s[start:], part) {
		return -1
	}
	return start
}

// splitsCluster reports whether offset i of s falls inside a character,
// by rules written apart from the splitter's: before a combining mark,
// a variation selector, a skin tone or a joiner, after a joiner, and
// after an odd number of regional indicators (the flags of
// splitClusters always come in pairs).
func splitsCluster(s string, i int) bool {
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	next, _ := utf8.DecodeRuneInString(s[i:])
	switch {
	case unicode.Is(unicode.Mn, next), next == '\u200d', next >= 0x1f3fb && next <= 0x1f3ff, prev == '\u200d':
		return true
	case next >= 0x1f1e6 && next <= 0x1f1ff:
		n := 0
		for _, r := range s[:i] {
			if r >= 0x1f1e6 && r <= 0x1f1ff {
				n++
			}
		}
		return n%2 == 1
	}
	return false
}
