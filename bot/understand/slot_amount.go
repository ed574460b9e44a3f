package understand

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxSlotInput is the most bytes a typed answer to a date, amount or card
// question may have. None needs more, and the bound keeps every parser's
// work small whatever arrives (10,000 digits, a pasted page).
const maxSlotInput = 200

// MaxAmount is the largest amount, in yuan, the amount slot accepts.
const MaxAmount = 10_000_000

// slotInput prepares an answer for a typed slot parser: short and valid
// UTF-8, width folded, lower case, spaces collapsed, closing punctuation
// trimmed. ok is false when there is nothing left to read.
func slotInput(s string) (string, bool) {
	if len(s) > maxSlotInput || !utf8.ValidString(s) {
		return "", false
	}
	w := FoldWord(s)
	return w, w != ""
}

// amountSlot reads a payment amount: "¥128.50", "128元", "RMB 128",
// "1,280", "一千二百八十元五角", "128块5", "两百". Its value has two
// decimals: "128.50".
type amountSlot struct{}

// Parse implements Parser.
func (amountSlot) Parse(_ Env, text string) (string, string) {
	s, ok := slotInput(text)
	if !ok {
		return "", MsgAmount
	}
	s, approx := trimApprox(s)
	s, neg := trimAmountAffixes(s)
	if n, ok := englishNumber(s); ok {
		s = n
	}
	whole, frac, big, ok := parseAmount(s)
	switch {
	case !ok:
		return "", MsgAmount
	case neg || (!big && strings.Trim(whole+frac, "0") == ""):
		return "", MsgAmountNotPositive
	case len(frac) > 2:
		return "", MsgAmountTooManyDecimals
	case big || tooLarge(whole, frac):
		return "", MsgAmountTooLarge
	}
	if whole == "" {
		whole = "0"
	}
	v := whole + "." + (frac + "00")[:2]
	if approx {
		v = "~" + v
	}
	return v, ""
}

// tooLarge compares an amount's digit strings with MaxAmount: strings of
// one length compare as numbers do.
func tooLarge(whole, frac string) bool {
	limit := strconv.Itoa(MaxAmount)
	return len(whole) > len(limit) || (len(whole) == len(limit) && (whole > limit || (whole == limit && frac != "")))
}

var (
	amountPrefixes = []string{"人民币", "rmb", "cny", "¥", "金额", "共"}
	amountSuffixes = []string{"人民币", "rmb", "cny", "yuan", "钱", "整"}
	amountMinus    = []string{"-", "−", "负"}
)

// trimAmountAffixes removes currency words and a minus sign around an
// amount, in any order ("-¥5", "¥-5", "人民币128元整"), and reports the
// sign. The yuan units 元 and 块 stay: they split yuan from jiao.
func trimAmountAffixes(s string) (string, bool) {
	neg := false
	for changed := true; changed; {
		changed = false
		s = strings.TrimSpace(s)
		for _, p := range amountPrefixes {
			if rest, ok := strings.CutPrefix(s, p); ok {
				s, changed = rest, true
			}
		}
		for _, p := range amountSuffixes {
			if rest, ok := strings.CutSuffix(s, p); ok {
				s, changed = rest, true
			}
		}
		for _, p := range amountMinus {
			if rest, ok := strings.CutPrefix(s, p); ok && !neg {
				s, changed, neg = rest, true, true
			}
		}
	}
	return s, neg
}

// parseAmount reads an amount without currency words into its whole yuan
// and its decimals, both as digit strings without leading (whole) or
// trailing (frac) zeros. big is set when the number is too large to
// compute with, far beyond any amount.
func parseAmount(s string) (whole, frac string, big, ok bool) {
	yuan, rest := s, ""
	if i := strings.IndexAny(s, "元块圆"); i >= 0 {
		_, n := utf8.DecodeRuneInString(s[i:])
		yuan, rest = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+n:])
		if yuan == "" {
			return "", "", false, false
		}
	} else if strings.ContainsAny(s, "角毛分") {
		yuan, rest = "", s
	}
	if yuan != "" {
		if whole, frac, big, ok = parseYuan(yuan); !ok || big {
			return whole, frac, big, ok
		}
	}
	if rest != "" {
		if frac != "" {
			return "", "", false, false // "12.5元5角"
		}
		jiao, fen, ok := parseJiaoFen(rest)
		if !ok {
			return "", "", false, false
		}
		frac = strings.TrimRight(string(rune('0'+jiao))+string(rune('0'+fen)), "0")
	}
	return whole, frac, false, yuan != "" || rest != ""
}

// amountScales are the multipliers written after an Arabic number:
// "1.5万", "3千", "2k", as powers of ten.
var amountScales = map[string]int{"十": 1, "百": 2, "千": 3, "k": 3, "万": 4, "w": 4, "亿": 8}

// parseYuan reads the yuan part of an amount: Arabic digits with
// thousands separators and decimals ("1,280.5"), optionally scaled
// ("1.5万"), or Chinese numerals ("一百二十八", "一百点五", "1万2千").
func parseYuan(s string) (whole, frac string, big, ok bool) {
	num, shift := s, 0
	for suffix, n := range amountScales {
		if rest, found := strings.CutSuffix(s, suffix); found && rest != "" && isArabic(rest) {
			num, shift = rest, n
			break
		}
	}
	if isArabic(num) {
		whole, frac, ok = splitArabic(num)
		if !ok {
			return "", "", false, false
		}
		// Move the point shift places to the right.
		if shift > 0 {
			pad := frac + strings.Repeat("0", max(0, shift-len(frac)))
			whole, frac = whole+pad[:shift], pad[shift:]
		}
		whole = strings.TrimLeft(whole, "0")
		return whole, strings.TrimRight(frac, "0"), false, true
	}
	intPart, fracPart, hasPoint := strings.Cut(s, "点")
	n, big, ok := cnInt(intPart)
	if !ok || big {
		return "", "", big, ok
	}
	if hasPoint {
		for _, r := range fracPart {
			d := cnDigit(r)
			if d < 0 {
				return "", "", false, false
			}
			frac += string(rune('0' + d))
		}
		if frac == "" {
			return "", "", false, false
		}
	}
	whole = strconv.FormatUint(n, 10)
	return strings.TrimLeft(whole, "0"), strings.TrimRight(frac, "0"), false, true
}

// isArabic reports whether s holds only ASCII digits, commas and points,
// with at least one digit.
func isArabic(s string) bool {
	return strings.ContainsAny(s, "0123456789") && strings.Trim(s, "0123456789,.") == ""
}

// splitArabic splits "1,280.50" into "1280" and "50". Commas must group
// thousands; ".5" reads as 0.5.
func splitArabic(s string) (whole, frac string, ok bool) {
	whole, frac, hasPoint := strings.Cut(s, ".")
	if strings.Contains(frac, ".") || (hasPoint && frac == "") || strings.Contains(frac, ",") {
		return "", "", false
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return "", "", false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return "", "", false
			}
		}
		whole = strings.Join(groups, "")
	}
	return whole, frac, whole != "" || frac != ""
}

// parseJiaoFen reads what follows the yuan: "5角", "5毛3分", "五角", the
// spoken "5" (5 jiao: 128块5) or "2毛5" (2 jiao 5 fen), "零5分" and "零5"
// (5 fen).
func parseJiaoFen(s string) (jiao, fen int, ok bool) {
	rs := []rune(s)
	i := 0
	zero := false
	for i < len(rs) && (rs[i] == '零' || rs[i] == '〇' || rs[i] == '0') {
		zero = true
		i++
	}
	digit := func() int {
		if i < len(rs) {
			if d := cnDigit(rs[i]); d >= 0 {
				i++
				return d
			}
		}
		return -1
	}
	unit := func(us string) bool {
		if i < len(rs) && strings.ContainsRune(us, rs[i]) {
			i++
			return true
		}
		return false
	}
	d := digit()
	if d < 0 {
		return 0, 0, false
	}
	switch {
	case !zero && unit("角毛"):
		jiao = d
		if f := digit(); f >= 0 {
			unit("分")
			fen = f
		}
	case unit("分"), zero:
		fen = d
	default:
		jiao = d
	}
	return jiao, fen, i == len(rs)
}

// cnDigit returns the value of a digit, Chinese (一, 两, 〇, 壹) or ASCII,
// or -1.
func cnDigit(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	switch r {
	case '零', '〇':
		return 0
	case '一', '壹':
		return 1
	case '二', '两', '貳', '贰', '兩':
		return 2
	case '三', '叁', '參':
		return 3
	case '四', '肆':
		return 4
	case '五', '伍':
		return 5
	case '六', '陆', '陸':
		return 6
	case '七', '柒':
		return 7
	case '八', '捌':
		return 8
	case '九', '玖':
		return 9
	}
	return -1
}

// cnUnit returns the power of ten a Chinese numeral unit stands for, or 0.
func cnUnit(r rune) uint64 {
	switch r {
	case '十', '拾':
		return 10
	case '百', '佰':
		return 100
	case '千', '仟':
		return 1000
	case '万', '萬':
		return 10_000
	case '亿', '億':
		return 100_000_000
	}
	return 0
}

// cnMax bounds the numbers cnInt computes; beyond it, big is reported.
const cnMax = 1_000_000_000_000_000

// cnInt reads a whole number in Chinese numerals: 一百二十八, 两百, 一千零五十,
// the spoken 一千二 (1200) and 一万二 (12000), the financial 壹佰贰拾捌, and
// ASCII digit runs before units (3万5千). Bare digits read one by one:
// 二〇二六 is 2026. big is set, with ok, for numbers beyond cnMax.
func cnInt(s string) (n uint64, big, ok bool) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, false, false
	}
	if !strings.ContainsFunc(s, func(r rune) bool { return cnUnit(r) != 0 }) {
		// Bare digits, read one by one; ASCII alone is not a Chinese numeral.
		if strings.Trim(s, "0123456789") == "" {
			return 0, false, false
		}
		for _, r := range rs {
			d := cnDigit(r)
			if d < 0 {
				return 0, false, false
			}
			if n > (cnMax-uint64(d))/10 {
				return 0, true, true
			}
			n = n*10 + uint64(d)
		}
		return n, false, true
	}
	var total, section, num uint64
	haveNum, zero := false, false
	lastSmall := uint64(10_000) // units within a section go down: 千 > 百 > 十
	lastUnit, lastBig := uint64(0), uint64(0)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r >= '0' && r <= '9':
			if haveNum {
				return 0, false, false
			}
			j := i
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			if j-i > 15 {
				return 0, true, true
			}
			v, _ := strconv.ParseUint(string(rs[i:j]), 10, 64)
			num, haveNum = v, true
			i = j - 1
		case cnDigit(r) == 0:
			if haveNum {
				return 0, false, false
			}
			zero = true
		case cnDigit(r) > 0:
			if haveNum {
				return 0, false, false
			}
			num, haveNum = uint64(cnDigit(r)), true
		case cnUnit(r) >= 10 && cnUnit(r) <= 1000:
			u := cnUnit(r)
			if u >= lastSmall {
				return 0, false, false
			}
			if !haveNum {
				if u != 10 {
					return 0, false, false
				}
				num = 1 // 十二 is 12
			}
			if num > cnMax/u {
				return 0, true, true
			}
			section += num * u
			num, haveNum, zero = 0, false, false
			lastSmall, lastUnit = u, u
		case cnUnit(r) > 1000: // 万, 亿
			u := cnUnit(r)
			if haveNum {
				section += num
			}
			if section == 0 || (lastBig != 0 && u >= lastBig) {
				return 0, false, false
			}
			if section > cnMax/u {
				return 0, true, true
			}
			total += section * u
			section, num, haveNum, zero = 0, 0, false, false
			lastSmall, lastUnit, lastBig = 10_000, u, u
		default:
			return 0, false, false
		}
		if total > cnMax || section > cnMax {
			return 0, true, true
		}
	}
	if haveNum {
		// The spoken short form: a digit right after 百, 千, 万 or 亿
		// counts in the next lower unit (两百五 is 250).
		if !zero && lastUnit >= 100 && num < 10 {
			num *= lastUnit / 10
		}
		section += num
	}
	total += section
	if total > cnMax {
		return 0, true, true
	}
	return total, false, true
}

// cnDigits rewrites every run of Chinese numerals in s as ASCII digits, so
// "三天前" reads "3天前" and "十一月二十四日" "11月24日". A run that is not a
// number is left as it is.
func cnDigits(s string) string {
	isNumeral := func(r rune) bool { return (r > 0x7f && cnDigit(r) >= 0) || (cnUnit(r) != 0 && cnUnit(r) <= 1000) }
	if !strings.ContainsFunc(s, isNumeral) {
		return s
	}
	var b strings.Builder
	for s != "" {
		i := strings.IndexFunc(s, isNumeral)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return !isNumeral(r) })
		if j < 0 {
			j = len(s)
		}
		if n, big, ok := cnInt(s[:j]); ok && !big {
			b.WriteString(strconv.FormatUint(n, 10))
		} else {
			b.WriteString(s[:j])
		}
		s = s[j:]
	}
	return b.String()
}
