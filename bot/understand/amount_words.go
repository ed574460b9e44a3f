package understand

import (
	"strconv"
	"strings"
)

var (
	approxPrefixes = []string{"~", "约", "大约", "大概", "差不多", "approximately", "approx", "about", "around", "roughly", "maybe"}
	approxSuffixes = []string{"左右", "上下", "多", "来", "ish", "or so"}
)

// trimApprox removes the words that make an amount approximate ("约",
// "128元左右", "一百多块", "about 100", and the "~" of a value this
// slot gave) and reports whether there were any.
func trimApprox(s string) (string, bool) {
	approx := false
	for changed := true; changed; {
		changed = false
		s = strings.TrimSpace(s)
		for _, p := range approxPrefixes {
			if rest, ok := strings.CutPrefix(s, p); ok && rest != "" {
				s, changed, approx = rest, true, true
			}
		}
		for _, p := range approxSuffixes {
			if rest, ok := strings.CutSuffix(s, p); ok && rest != "" {
				s, changed, approx = rest, true, true
			}
		}
		// "一百多块", "100多元": the "多" sits before the unit.
		for _, u := range []string{"多块", "多元", "来块"} {
			if strings.Contains(s, u) {
				s, changed, approx = strings.Replace(s, u, u[len(u)-3:], 1), true, true
			}
		}
	}
	return s, approx
}

var englishUnits = map[string]uint64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// englishNumber reads a whole amount written in English words ("one
// hundred twenty-eight", "two thousand and five") as digits.
func englishNumber(s string) (string, bool) {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' })
	if len(words) == 0 || len(words) > 12 {
		return "", false
	}
	var total, cur uint64
	seen := false
	for _, w := range words {
		switch {
		case w == "and":
			continue
		case w == "hundred":
			if cur == 0 {
				cur = 1
			}
			cur *= 100
		case w == "thousand":
			if cur == 0 {
				cur = 1
			}
			total += cur * 1000
			cur = 0
		default:
			n, ok := englishUnits[w]
			if !ok {
				return "", false
			}
			cur += n
		}
		seen = true
	}
	if !seen {
		return "", false
	}
	return strconv.FormatUint(total+cur, 10), true
}
