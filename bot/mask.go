package bot

import (
	"regexp"
	"strings"
)

// secretCode finds a CVV, PIN or one-time code written after its name.
var secretCode = regexp.MustCompile(`(?i)(cvv2?|cvc2?|cvn2?|pin|otp|code|安全码|校验码|密码|验证码|动态码)((?:\s|is|是|为|:|：|=)*)([0-9０-９]{3,8})`)

// MaskSensitive masks full card numbers (13 to 19 digits passing the Luhn
// check, with or without spaces or dashes, full-width too) down to their
// last four digits, and the digits of a CVV, PIN or one-time code written
// after its name. It reports whether anything was masked.
func MaskSensitive(s string) (string, bool) {
	masked := false
	// Masking a code can leave a long tail of digits that is a card number
	// of its own ("pin 12345678" followed by more digits), so mask until
	// nothing changes; every pass that masks removes digits, so it ends.
	for {
		out, cards := maskCards(s)
		out2 := secretCode.ReplaceAllStringFunc(out, func(m string) string {
			sub := secretCode.FindStringSubmatch(m)
			return sub[1] + sub[2] + strings.Repeat("*", len([]rune(sub[3])))
		})
		if !cards && out2 == out {
			return out2, masked
		}
		s, masked = out2, true
	}
}

// cardSep reports whether r may stand between the digit groups of a card
// number: a space or a dash, half or full width.
func cardSep(r rune) bool {
	return r == ' ' || r == '-' || r == '\u3000' || r == '\uFF0D'
}

// maskCards replaces card numbers with "****" and their last four.
func maskCards(s string) (string, bool) {
	rs := []rune(s)
	var b strings.Builder
	masked := false
	for i := 0; i < len(rs); {
		if digit(rs[i]) < 0 {
			b.WriteRune(rs[i])
			i++
			continue
		}
		// Collect a run of digit groups joined by single separators.
		var groups [][2]int
		j := i
		for {
			start := j
			for j < len(rs) && digit(rs[j]) >= 0 {
				j++
			}
			groups = append(groups, [2]int{start, j})
			if j+1 < len(rs) && cardSep(rs[j]) && digit(rs[j+1]) >= 0 {
				j++
				continue
			}
			break
		}
		if writeRun(&b, rs, groups) {
			masked = true
		}
		i = j
	}
	return b.String(), masked
}

// writeRun writes one run of digit groups with every card number in it
// masked. A card is any stretch of whole groups with 13 to 19 digits that
// passes Luhn, not only the whole run: a card followed by its expiry date
// or CVV ("4111 1111 1111 1111 12/28") or after a phone number is a longer
// run that fails as a whole.
func writeRun(b *strings.Builder, rs []rune, groups [][2]int) bool {
	card := make([]bool, len(groups))
	for a := range groups {
		var ds []int
		for z := a; z < len(groups) && len(ds) <= 19; z++ {
			for _, r := range rs[groups[z][0]:groups[z][1]] {
				ds = append(ds, digit(r))
			}
			if len(ds) >= 13 && len(ds) <= 19 && luhn(ds) {
				for k := a; k <= z; k++ {
					card[k] = true
				}
			}
		}
	}
	masked := false
	for g := 0; g < len(groups); {
		if g > 0 {
			b.WriteRune(rs[groups[g][0]-1]) // the separator before the group
		}
		if !card[g] {
			b.WriteString(string(rs[groups[g][0]:groups[g][1]]))
			g++
			continue
		}
		end := g
		for end+1 < len(groups) && card[end+1] {
			end++
		}
		var last []byte
		for k := end; k >= g && len(last) < 4; k-- {
			for p := groups[k][1] - 1; p >= groups[k][0] && len(last) < 4; p-- {
				last = append([]byte{byte('0' + digit(rs[p]))}, last...)
			}
		}
		b.WriteString("****")
		b.Write(last)
		masked = true
		g = end + 1
	}
	return masked
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
