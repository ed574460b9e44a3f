package mask_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slipdesk/slipdesk/bot/mask"
)

func FuzzMaskSensitive(f *testing.F) {
	for _, s := range []string{
		"4111 1111 1111 1111", "４１１１１１１１１１１１１１１１", "6222021234567890128 12/28",
		"13812345678 4111-1111-1111-1111", "CVV 123", "密码是：123456", "2026-11-24",
		"pin 123456784111111111111111", "1 2 3 4 5 6 7 8 9 0 1 2 3", "\xff4111111111111111",
		"11010519491231002X", "110105 19491231 002x", "zip code 100020", "4111111111111111 111111112",
		"verification code: 123 456", "PIN码是1234", "4111\xe3\x80\x801111\xe3\x801111 1111", "验证码\xff：123456",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, kinds := mask.SensitiveKinds(s)
		if again, k := mask.SensitiveKinds(got); again != got || k != 0 {
			t.Fatalf("MaskSensitiveKinds(%q) = %q, but masking that gives %q, %v: want it unchanged", s, got, again, k)
		}
		if got2, masked := mask.Sensitive(s); got2 != got || masked != (kinds != 0) {
			t.Fatalf("MaskSensitive(%q) = %q, %v: want %q, %v", s, got2, masked, got, kinds != 0)
		}
		if (got == s) != (kinds == 0) {
			t.Fatalf("MaskSensitiveKinds(%q) = %q, %v: want kinds reported exactly when the text changes", s, got, kinds)
		}
		if len(got) > len(s) {
			t.Fatalf("MaskSensitiveKinds(%q) = %q: want no longer than the input", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("MaskSensitiveKinds(%q) = %q: want valid UTF-8 kept valid", s, got)
		}
		if runs := sensitiveRuns(got); len(runs) > 0 {
			t.Fatalf("MaskSensitiveKinds(%q) = %q: keeps %q", s, got, runs)
		}
	})
}

// FuzzMaskIDNumber puts a valid ID number between any two texts, walled
// off by "|", and checks that it is masked to its last four whatever the
// texts around it, which are masked as they would be alone.
func FuzzMaskIDNumber(f *testing.F) {
	f.Add("我的身份证号是", "，谢谢", uint32(110105), uint16(7304), uint16(2), uint8(0))
	f.Add("ID ", " card 4111111111111111", uint32(440305), uint16(0), uint16(999), uint8(7))
	f.Add("密码", "\xff", uint32(999999), uint16(33238), uint16(500), uint8(255))
	first := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC).Sub(first).Hours()/24) + 1
	f.Fuzz(func(t *testing.T, pre, suf string, region uint32, day, seq uint16, style uint8) {
		var ds []int
		head := []byte(first.AddDate(0, 0, int(day)%days).Format("20060102"))
		for _, c := range digitString([]int{
			int(region / 100000 % 10), int(region / 10000 % 10), int(region / 1000 % 10),
			int(region / 100 % 10), int(region / 10 % 10), int(region % 10),
		}) + string(head) + digitString([]int{int(seq / 100 % 10), int(seq / 10 % 10), int(seq % 10)}) {
			ds = append(ds, int(c-'0'))
		}
		ds = append(ds, idCheckDigit(ds))
		id := writeID(ds, style)

		in := pre + "|" + id + "|" + suf
		got, kinds := mask.SensitiveKinds(in)
		before, bk := mask.SensitiveKinds(pre + "|")
		after, ak := mask.SensitiveKinds("|" + suf)
		want := before + "****" + digitString(ds[14:]) + after
		if got != want || kinds != bk|ak|mask.ID {
			t.Fatalf("MaskSensitiveKinds(%q): got %q, %v, want %q, %v", in, got, kinds, want, bk|ak|mask.ID)
		}
	})
}

// writeID writes the ID number ds as style picks: digit width, grouping,
// separator and the case of an X.
func writeID(ds []int, style uint8) string {
	seps := []string{"", " ", "-", "\u3000"}
	sep := seps[style&3]
	full := style&4 != 0
	var b strings.Builder
	for i, d := range ds {
		if i == 6 || i == 14 {
			b.WriteString(sep)
		}
		switch {
		case d == 10:
			b.WriteString([]string{"X", "x", "Ｘ", "ｘ"}[style>>3&3])
		case full:
			b.WriteRune('０' + rune(d))
		default:
			b.WriteRune('0' + rune(d))
		}
	}
	return b.String()
}

// sensitiveRuns is the fuzz tests' own, simpler reading of what must not
// survive masking: a whole number (digits not glued to letters, maybe an
// X last), or a whole chain of numbers joined by one same separator, that
// is a card number passing Luhn (but for a phone number: up to 15 digits
// after a plus) or a valid ID number.
func sensitiveRuns(s string) []string {
	type token struct {
		start, end int
		ds         []int
	}
	var found []string
	check := func(ds []int, start, end int) {
		phone := len(ds) <= 15 && (strings.HasSuffix(s[:start], "+") || strings.HasSuffix(s[:start], "＋"))
		if n := len(ds); idValid(ds) || n >= 13 && n <= 19 && ds[n-1] != 10 && luhnValid(ds) && !phone {
			found = append(found, s[start:end])
		}
	}
	var chain []token
	var gap string
	sameGaps := true
	flush := func() {
		if len(chain) > 1 && sameGaps {
			var ds []int
			for _, tk := range chain {
				ds = append(ds, tk.ds...)
			}
			check(ds, chain[0].start, chain[len(chain)-1].end)
		}
		chain, gap, sameGaps = nil, "", true
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWord(r) {
			i += n
			continue
		}
		start := i
		for i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			if !isWord(r) {
				break
			}
			i += n
		}
		ds, ok := numberOf(s[start:i])
		if !ok {
			flush()
			continue
		}
		check(ds, start, i)
		if len(chain) > 0 {
			last := chain[len(chain)-1]
			g := s[last.end:start]
			if last.ds[len(last.ds)-1] != 10 && isGap(g) {
				if len(chain) > 1 && g != gap {
					sameGaps = false
				}
				gap = g
				chain = append(chain, token{start, i, ds})
				continue
			}
			flush()
		}
		chain = []token{{start, i, ds}}
	}
	flush()
	return found
}

// isWord reports whether r belongs to a word: a Latin letter or a digit,
// half or full width.
func isWord(r rune) bool {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// numberOf returns the digits of word if it is all digits, maybe with an X
// last (as 10), or an X alone.
func numberOf(word string) ([]int, bool) {
	var ds []int
	for _, r := range word {
		d := digitOf(r)
		if d < 0 || len(ds) > 0 && ds[len(ds)-1] == 10 {
			return nil, false
		}
		ds = append(ds, d)
	}
	return ds, true
}

// isGap reports whether g, between two numbers, joins them: one to three
// spaces, dashes or dots.
func isGap(g string) bool {
	n := utf8.RuneCountInString(g)
	if n < 1 || n > 3 {
		return false
	}
	for _, r := range g {
		if !strings.ContainsRune(" \u00A0\u2007\u2009\u202F\u3000.\uFF0E\u00B7\u30FB-\u2010\u2011\u2012\u2013\u2014\u2212\uFF0D\u30FC", r) {
			return false
		}
	}
	return true
}

func luhnValid(ds []int) bool {
	sum := 0
	for i := range ds {
		d := ds[len(ds)-1-i]
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// idCheckDigit returns the ISO 7064 MOD 11-2 check character of an ID
// number's first 17 digits, 10 standing for X.
func idCheckDigit(ds []int) int {
	sum := 0
	for i := range 17 {
		w := 1
		for range 17 - i {
			w = w * 2 % 11
		}
		sum += ds[i] * w
	}
	return (12 - sum%11) % 11
}

// idValid reports whether ds is 18 characters with a right check
// character and a birth date from 1900 to 2099.
func idValid(ds []int) bool {
	if len(ds) != 18 {
		return false
	}
	for _, d := range ds[:17] {
		if d == 10 {
			return false
		}
	}
	if idCheckDigit(ds) != ds[17] {
		return false
	}
	n := func(ds []int) int {
		v := 0
		for _, d := range ds {
			v = v*10 + d
		}
		return v
	}
	y, m, d := n(ds[6:10]), n(ds[10:12]), n(ds[12:14])
	born := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return y >= 1900 && y <= 2099 && born.Year() == y && int(born.Month()) == m && born.Day() == d
}
