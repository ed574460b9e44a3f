package bot

import (
	"regexp"
	"strings"
)

// secretCode finds a CVV, PIN or one-time code written after its name.
var secretCode = regexp.MustCompile(`(?i)(cvv2?|cvc2?|cvn2?|pin|otp|code|安全码|校验码|密码|验证码|动态码)(\s*(?:is|是|为|:|：|=)?\s*)([0-9０-９]{3,8})`)

// MaskSensitive masks full card numbers (13 to 19 digits passing the Luhn
// check, with or without spaces or dashes, full-width digits too) down to
// their last four digits, and the digits of a CVV, PIN or one-time code
// written after its name. It reports whether anything was masked.
func MaskSensitive(s string) (string, bool) {
	out, cards := maskCards(s)
	out2 := secretCode.ReplaceAllStringFunc(out, func(m string) string {
		sub := secretCode.FindStringSubmatch(m)
		return sub[1] + sub[2] + strings.Repeat("*", len([]rune(sub[3])))
	})
	return out2, cards || out2 != out
}

// maskCards replaces card-number runs with "****" and their last four.
func maskCards(s string) (string, bool) {
	rs := []rune(s)
	var b strings.Builder
	masked := false
	for i := 0; i < len(rs); {
		if digit(rs[i]) < 0 || (i > 0 && digit(rs[i-1]) >= 0) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		// Collect a run of digits with single space or dash separators.
		var ds []int
		end := i
		for j := i; j < len(rs); j++ {
			if d := digit(rs[j]); d >= 0 {
				ds = append(ds, d)
				end = j + 1
				continue
			}
			if (rs[j] == ' ' || rs[j] == '-' || rs[j] == '\u3000') && j+1 < len(rs) && digit(rs[j+1]) >= 0 {
				continue
			}
			break
		}
		if len(ds) >= 13 && len(ds) <= 19 && luhn(ds) {
			b.WriteString("****")
			for _, d := range ds[len(ds)-4:] {
				b.WriteByte(byte('0' + d))
			}
			masked = true
		} else {
			b.WriteString(string(rs[i:end]))
		}
		i = end
	}
	return b.String(), masked
}

func digit(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

func luhn(ds []int) bool {
	sum := 0
	double := false
	for i := len(ds) - 1; i >= 0; i-- {
		d := ds[i]
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

