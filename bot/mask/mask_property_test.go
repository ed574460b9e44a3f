package mask_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot/mask"
)

// cardSentences and idSentences hold a number, at %s, among words and
// other numbers that must come through masking untouched.
var (
	cardSentences = []string{
		"%s",
		"my card is %s, thanks",
		"Paid with card %s at Starlight Mart on 2026-11-24, ¥1,280.50.",
		"Card %s exp 12/28",
		"card:%s\nbye",
		"(%s)",
		"我的卡号是%s，谢谢",
		"卡号：%s。",
		"昨天2026-11-24在星光超市用%s刷了128元，小票丢了",
		"%s 是我的卡，尾号1234那张不是",
	}
	idSentences = []string{
		"%s",
		"我的身份证号是%s，谢谢",
		"身份证：%s。手机13812345678",
		"ID number %s, name Li Lei",
		"（%s）",
	}
)

// TestMaskSensitiveCardProperty masks random Luhn-valid numbers of every
// length from 13 to 19, written with random groupings, separators and
// digit widths, in English and Chinese sentences.
func TestMaskSensitiveCardProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(20261124, 1530))
	prefixes := []string{"4", "51", "52", "55", "62"}
	for i := range 5000 {
		n := 13 + i%7
		ds := randomCard(r, prefixes[r.IntN(len(prefixes))], n)
		checkMasked(t, r, ds, cardSentences, cardKind(ds))
	}
	// UnionPay's 19-digit cards start with 62.
	for range 1000 {
		checkMasked(t, r, randomCard(r, "62", 19), cardSentences, mask.Card)
	}
}

// TestMaskSensitiveIDProperty does the same with random resident ID
// numbers born from 1930 to 2020, every fourth with an X check character.
func TestMaskSensitiveIDProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(19491231, 2))
	xs := 0
	for i := range 4000 {
		ds := randomID(r, i%4 == 0)
		if ds[17] == 10 {
			xs++
		}
		checkMasked(t, r, ds, idSentences, mask.ID)
	}
	if xs < 1000 {
		t.Fatalf("got %d ID numbers with an X, want at least 1000", xs)
	}
}

// checkMasked writes ds at random into one of sentences and checks that
// masking leaves the sentence as it was but for "****" and the last four.
func checkMasked(t *testing.T, r *rand.Rand, ds []int, sentences []string, kind mask.Masked) {
	t.Helper()
	sentence := sentences[r.IntN(len(sentences))]
	pre, suf, _ := strings.Cut(sentence, "%s")
	in := pre + writeNumber(r, ds) + suf
	got, kinds := mask.SensitiveKinds(in)
	if kinds != kind || !strings.HasPrefix(got, pre) || !strings.HasSuffix(got, suf) || len(got) < len(pre)+len(suf) {
		t.Fatalf("MaskSensitiveKinds(%q): got %q, %v, want %v and the text around the number kept", in, got, kinds, kind)
	}
	number := got[len(pre) : len(got)-len(suf)]
	if run := longestRun(number, ds); run > 4 {
		t.Fatalf("MaskSensitiveKinds(%q) = %q: keeps %d characters of the number in a row, want at most 4", in, got, run)
	}
	if want := "****" + digitString(ds[len(ds)-4:]); number != want {
		t.Fatalf("MaskSensitiveKinds(%q) = %q: got the number as %q, want %q", in, got, number, want)
	}
}

// cardKind is what masking must report for card number ds: an ID number
// if it is one too (one in a hundred or so of 18 digits), else a card.
func cardKind(ds []int) mask.Masked {
	if idValid(ds) {
		return mask.ID
	}
	return mask.Card
}

// randomCard returns n digits starting with prefix whose last is the Luhn
// check digit.
func randomCard(r *rand.Rand, prefix string, n int) []int {
	ds := make([]int, n)
	for i := range n - 1 {
		if i < len(prefix) {
			ds[i] = int(prefix[i] - '0')
		} else {
			ds[i] = r.IntN(10)
		}
	}
	for c := range 10 {
		ds[n-1] = c
		if luhnValid(ds) {
			return ds
		}
	}
	panic("no Luhn check digit")
}

// randomID returns the 18 characters of a resident ID number born from
// 1930 to 2020, 10 standing for X; with x, one whose check is X.
func randomID(r *rand.Rand, x bool) []int {
	regions := []string{"110105", "310104", "440305", "510107", "650102", "330106"}
	first := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24)
	for {
		region := regions[r.IntN(len(regions))]
		if r.IntN(3) == 0 {
			region = digitString([]int{1 + r.IntN(8), r.IntN(10), r.IntN(10), r.IntN(10), r.IntN(10), r.IntN(10)})
		}
		born := first.AddDate(0, 0, r.IntN(days+1)).Format("20060102")
		var ds []int
		for _, c := range region + born {
			ds = append(ds, int(c-'0'))
		}
		ds = append(ds, r.IntN(10), r.IntN(10), r.IntN(10))
		ds = append(ds, idCheckDigit(ds))
		if !x || ds[17] == 10 {
			return ds
		}
	}
}

// writeNumber writes ds (10 standing for X) with ASCII, full-width or
// mixed digits, grouped in fours, 6-8-4, 4-6-5 or at random, or not at
// all, with one kind of separator between groups.
func writeNumber(r *rand.Rand, ds []int) string {
	seps := [][]string{{" "}, {"-"}, {"\u3000"}, {"\uFF0D"}, {"."}, {" - "}, {" ", "\u3000"}, {"  "}}
	sep := seps[r.IntN(len(seps))]
	width := r.IntN(3) // 0 ASCII, 1 full-width, 2 mixed
	var cuts map[int]bool
	switch r.IntN(5) {
	case 1:
		cuts = map[int]bool{4: true, 8: true, 12: true, 16: true}
	case 2:
		cuts = map[int]bool{6: true, 14: true}
	case 3:
		cuts = map[int]bool{4: true, 10: true}
	case 4:
		cuts = map[int]bool{}
		for i := 1; i < len(ds); i++ {
			if r.IntN(4) == 0 {
				cuts[i] = true
			}
		}
	}
	var b strings.Builder
	for i, d := range ds {
		if cuts[i] && i > 0 {
			b.WriteString(sep[r.IntN(len(sep))])
		}
		full := width == 1 || width == 2 && r.IntN(2) == 0
		switch {
		case d == 10 && full:
			b.WriteString([]string{"Ｘ", "ｘ"}[r.IntN(2)])
		case d == 10:
			b.WriteString([]string{"X", "x"}[r.IntN(2)])
		case full:
			b.WriteRune('０' + rune(d))
		default:
			b.WriteRune('0' + rune(d))
		}
	}
	return b.String()
}

// longestRun returns the most characters of number ds that s holds in a
// row, separators aside.
func longestRun(s string, ds []int) int {
	got := digitString(digitsOf(s))
	want := digitString(ds)
	best := 0
	for i := range want {
		for j := i + best + 1; j <= len(want); j++ {
			if !strings.Contains(got, want[i:j]) {
				break
			}
			best = j - i
		}
	}
	return best
}

func digitOf(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	case r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ':
		return 10
	}
	return -1
}

// digitsOf returns the digits and X characters of s.
func digitsOf(s string) []int {
	var ds []int
	for _, r := range s {
		if d := digitOf(r); d >= 0 {
			ds = append(ds, d)
		}
	}
	return ds
}

func digitString(ds []int) string {
	var b strings.Builder
	for _, d := range ds {
		if d == 10 {
			b.WriteByte('X')
		} else {
			b.WriteByte(byte('0' + d))
		}
	}
	return b.String()
}
