package mask

import (
	"strings"
	"unicode/utf8"
)

// Masked is the set of kinds of sensitive data SensitiveKinds removed
// from a text, so that the turn can tell the user what it removed and why.
type Masked uint8

const (
	// Card marks a card number, cut to "****" and its last four.
	Card Masked = 1 << iota
	// Code marks the digits of a CVV, PIN, password or one-time
	// code, each replaced by "*".
	Code
	// ID marks a mainland resident identity card number (身份证号),
	// cut to "****" and its last four like a card number.
	ID
)

// Has reports whether m includes kind k.
func (m Masked) Has(k Masked) bool { return m&k != 0 }

// Kinds lists the kinds in m one by one, in the order a reply should name
// them: card, ID number, code.
func (m Masked) Kinds() []Masked {
	var ks []Masked
	for _, k := range []Masked{Card, ID, Code} {
		if m.Has(k) {
			ks = append(ks, k)
		}
	}
	return ks
}

// String names the kinds in m for logs: "card|id|code", or "" for none.
func (m Masked) String() string {
	names := map[Masked]string{Card: "card", ID: "id", Code: "code"}
	var parts []string
	for _, k := range m.Kinds() {
		parts = append(parts, names[k])
	}
	return strings.Join(parts, "|")
}

// Sensitive masks s as SensitiveKinds does and reports whether it
// masked anything.
func Sensitive(s string) (string, bool) {
	out, kinds := SensitiveKinds(s)
	return out, kinds != 0
}

// SensitiveKinds masks what must never be kept from a user's text
// (DESIGN invariant 5) and reports which kinds it masked:
//
//   - a card number: 13 to 19 digits passing the Luhn check, becomes
//     "****" and its last four digits, in ASCII;
//   - a resident ID number: 17 digits and a check character (0-9 or X,
//     ISO 7064 MOD 11-2) with a birth date from 1900 to 2099 in characters
//     7 to 14, becomes "****" and its last four, X in upper case. It is cut
//     like a card so that one rule holds for every number we mask: nothing
//     but the last four is kept, and a user or an agent can still tell two
//     numbers apart. An 18-digit number that is both is reported as an ID;
//   - the digits of a code written after its name (CVV, CVV2, CVC, CVN,
//     PIN, OTP, code, password, passcode, 安全码, 校验码, 密码, 验证码, 动态码,
//     短信码, 口令, traditional forms too), each becomes "*". Between name
//     and digits there may be up to a few characters of punctuation, space
//     and words such as "is", 是 or 为. The whole run of digits after
//     the name is masked if it has three or more, two runs of three
//     ("123 456") counting as one code. An English name must be a whole
//     word ("cvv123" counts, "postcode 100020" does not).
//
// Digits may be ASCII or full width. A number is judged as a whole: a run
// of digits glued to Latin letters ("ORD4111111111111111", "ab12") is a
// word, not a number, and a run of digits is never cut in two, so an
// order number with a Luhn-valid head is kept whole. Han characters are
// not letters here: "卡号4111111111111111" is masked. Old 15-digit ID
// numbers have no check character and are not recognised as such. Digit
// groups joined by one to three separators (spaces, dashes or dots, half
// or full width, the ideographic space included) are read together; any
// stretch of whole groups with one kind of separator may be a card, so a
// card followed by its expiry date or CVV, or after a phone number, is
// still found, but a space-joined stretch never takes part of a
// dash-joined number ("13812345678 2026-11-24" is a phone and a date).
// A number written after a plus with at most 15 digits is a phone number.
// "code" must be a whole word and not the code of something harmless:
// "zip code 100020", "postcode", "auth code" and the like are kept.
//
// Masking repeats until nothing changes, so masking twice gives what
// masking once gives and the result never holds a number it would mask.
// Bytes outside what it masks, invalid UTF-8 included, are kept as they
// are.
func SensitiveKinds(s string) (string, Masked) {
	var kinds Masked
	// Every pass that masks removes digits, so the loop ends.
	for hasDigit(s) {
		out, nk := maskNumbers(s)
		out, ck := maskCodes(out)
		if nk|ck == 0 {
			break
		}
		s, kinds = out, kinds|nk|ck
	}
	return s, kinds
}

// hasDigit reports whether s has an ASCII or a full-width digit.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c-'0' < 10 {
			return true
		}
		// U+FF10 to U+FF19 are EF BC 90 to EF BC 99 in UTF-8.
		if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2]-0x90 < 10 {
			return true
		}
	}
	return false
}

// span is a byte range of a text and what replaces it.
type span struct {
	start, end int
	repl       string
}

// replaceSpans replaces the spans, in order and apart, in s.
func replaceSpans(s string, spans []span) string {
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.start])
		b.WriteString(sp.repl)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// sepKind is the kind of separator that joins two digit groups.
type sepKind uint8

const (
	noSep sepKind = iota
	spaceSep
	dotSep
	dashSep
)

// level tells how tightly a separator binds: "138 1234-5678" is two
// numbers, the second written with a dash.
func (k sepKind) level() int {
	if k == spaceSep {
		return 0
	}
	return 1
}

// sepOf returns the kind of separator r is, or noSep.
func sepOf(r rune) sepKind {
	switch r {
	case ' ', '\u00A0', '\u2007', '\u2009', '\u202F', '\u3000':
		return spaceSep
	case '.', '\uFF0E', '\u00B7', '\u30FB':
		return dotSep
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\uFF0D', '\u30FC':
		return dashSep
	}
	return noSep
}

// gapKind returns the kind of separator gap is when it joins two digit
// groups: one to three separator runes, a dash or a dot among them
// deciding the kind. It returns noSep if gap joins nothing.
func gapKind(gap string) sepKind {
	if len(gap) > 3*utf8.UTFMax {
		return noSep
	}
	kind, n := noSep, 0
	for _, r := range gap {
		k := sepOf(r)
		if k == noSep {
			return noSep
		}
		if k > kind {
			kind = k
		}
		n++
	}
	if n > 3 {
		return noSep
	}
	return kind
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

// mayBeWord reports whether byte c of a text may start a word rune: an
// ASCII letter or digit, or the first byte of a full-width one (U+FF10 to
// U+FF5A start with EF). Skipping other bytes one by one is safe: no byte
// inside a multi-byte character is ASCII or EF.
func mayBeWord(c byte) bool {
	return c-'0' < 10 || c|0x20-'a' < 26 || c == 0xEF
}

// latin reports whether r is a Latin letter, half or full width.
func latin(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 'ａ' && r <= 'ｚ' || r >= 'Ａ' && r <= 'Ｚ'
}

// wordRune reports whether r is part of a word for masking: a Latin letter
// or a digit. Han characters are not: Chinese puts no space between "卡号"
// and the number.
func wordRune(r rune) bool { return digit(r) >= 0 || latin(r) }

func isX(r rune) bool { return r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' }

// checkX stands for an ID number's X check character among digit values.
const checkX = 10

// group is one run of digits, maybe ending in an X, in a chain of runs
// joined by separators.
type group struct {
	start, end int     // its bytes in the text
	d0, d1     int     // its characters in the chain's digit values
	x          bool    // it ends in an X check character
	join       sepKind // the separator before it; noSep for the first
	plus       bool    // a "+" stands before it, as before a phone number
}

// maskNumbers masks card and ID numbers once.
func maskNumbers(s string) (string, Masked) {
	var (
		chain []group
		ds    []byte // digit values of the chain's groups, checkX for X
		spans []span
		kinds Masked
	)
	flush := func() {
		var k Masked
		spans, k = chainSpans(chain, ds, spans)
		kinds |= k
		chain = chain[:0]
	}
	for i := 0; i < len(s); {
		if !mayBeWord(s[i]) {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !wordRune(r) {
			i += n
			continue
		}
		// Read the whole word: digits, optionally one X last, or an X
		// alone ("110105 19491231 002 X").
		start, d0 := i, len(ds)
		number, x := true, false
	word:
		for i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			switch d := digit(r); {
			case d >= 0:
				number = number && !x
				ds = append(ds, byte(d))
			case isX(r) && !x:
				x = true
				ds = append(ds, checkX)
			case latin(r):
				number = false
			default:
				break word
			}
			i += n
		}
		if !number {
			ds = ds[:d0]
			flush()
			continue
		}
		g := group{start: start, end: i, d0: d0, d1: len(ds), x: x}
		if k := len(chain); k > 0 && !chain[k-1].x {
			if g.join = gapKind(s[chain[k-1].end:start]); g.join != noSep {
				chain = append(chain, g)
				continue
			}
		}
		// Start a new chain with g, its digits moved to the front.
		flush()
		ds = ds[:copy(ds, ds[g.d0:g.d1])]
		g.d0, g.d1, g.join = 0, len(ds), noSep
		g.plus = strings.HasSuffix(s[:start], "+") || strings.HasSuffix(s[:start], "＋")
		chain = append(chain, g)
	}
	flush()
	if kinds == 0 {
		return s, 0
	}
	return replaceSpans(s, spans), kinds
}

// chainSpans appends to spans the numbers found in one chain of digit
// groups. A number is a stretch of whole groups with one kind of separator
// that does not take part of a group joined more tightly to its neighbour.
// Numbers that overlap are masked as one; a number inside a longer one (a
// Luhn-valid head of an ID number) does not count as a kind of its own.
func chainSpans(chain []group, ds []byte, spans []span) ([]span, Masked) {
	type stretch struct {
		a, z int
		kind Masked
	}
	var found []stretch
	for a := range chain {
		sep := noSep
		for z := a; z < len(chain); z++ {
			if z > a {
				if sep == noSep {
					sep = chain[z].join
				} else if chain[z].join != sep {
					break
				}
			}
			n := chain[z].d1 - chain[a].d0
			if n > 19 {
				break
			}
			if n < 13 || z > a && !fits(chain, a, z, sep) {
				continue
			}
			// "+86 138 1234 5678" is a phone number: E.164 allows 15
			// digits, no card is written after a plus.
			if a == 0 && chain[0].plus && n <= 15 {
				continue
			}
			if k := numberKind(ds[chain[a].d0:chain[z].d1]); k != 0 {
				found = append(found, stretch{a, z, k})
			}
		}
	}
	var kinds Masked
	// Stretches come sorted by their first group, then by their last.
	for i := 0; i < len(found); {
		a, z := found[i].a, found[i].z
		var k Masked
		j := i
		for ; j < len(found) && found[j].a <= z; j++ {
			z = max(z, found[j].z)
		}
		for _, f := range found[i:j] {
			inside := false
			for _, g := range found[i:j] {
				inside = inside || g != f && g.a <= f.a && f.z <= g.z
			}
			if !inside {
				k |= f.kind
			}
		}
		spans = append(spans, span{chain[a].start, chain[z].end, lastFour(ds[:chain[z].d1])})
		kinds |= k
		i = j
	}
	return spans, kinds
}

// lastFour returns "****" and the last four of digit values ds.
func lastFour(ds []byte) string {
	repl := []byte("****0000")
	for i, d := range ds[len(ds)-4:] {
		if d == checkX {
			repl[4+i] = 'X'
		} else {
			repl[4+i] = '0' + d
		}
	}
	return string(repl)
}

// fits reports whether the stretch of groups a to z, joined by separators
// of kind, leaves alone the groups around it: a neighbour joined by the
// same kind or a looser one may be another number, one joined more
// tightly (or by another kind as tight) makes a number with the edge
// group, which the stretch must not cut.
func fits(chain []group, a, z int, kind sepKind) bool {
	edge := func(j sepKind) bool { return j == kind || j.level() < kind.level() }
	if a > 0 && !edge(chain[a].join) {
		return false
	}
	if z+1 < len(chain) && !edge(chain[z+1].join) {
		return false
	}
	return true
}

// numberKind tells whether the digit values ds are a resident ID number,
// a card number, or neither (0).
func numberKind(ds []byte) Masked {
	switch {
	case residentID(ds):
		return ID
	case ds[len(ds)-1] != checkX && len(ds) >= 13 && len(ds) <= 19 && luhn(ds):
		return Card
	}
	return 0
}

func luhn(ds []byte) bool {
	sum := 0
	double := false
	for i := len(ds) - 1; i >= 0; i-- {
		d := int(ds[i])
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

// idWeights are the ISO 7064 MOD 11-2 weights of an ID number's first 17
// digits; idCheck is its check character for each sum modulo 11.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

// residentID reports whether ds is a mainland resident ID number: 17
// digits, the check character, and a birth date in characters 7 to 14.
func residentID(ds []byte) bool {
	if len(ds) != 18 {
		return false
	}
	sum := 0
	for i, w := range idWeights {
		if ds[i] == checkX {
			return false
		}
		sum += int(ds[i]) * w
	}
	want := byte(checkX)
	if c := idCheck[sum%11]; c != 'X' {
		want = c - '0'
	}
	if ds[17] != want {
		return false
	}
	num := func(ds []byte) int {
		n := 0
		for _, d := range ds {
			n = n*10 + int(d)
		}
		return n
	}
	y, m, d := num(ds[6:10]), num(ds[10:12]), num(ds[12:14])
	return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// codeWords are the names after which digits are a secret code. They
// must be whole words.
var codeWords = map[string]bool{
	"cvv": true, "cvv2": true, "cvc": true, "cvc2": true, "cvn": true, "cvn2": true,
	"pin": true, "otp": true, "code": true, "password": true, "passcode": true,
}

// codeWordsHan are the Chinese names of secret codes. Chinese has no
// spaces, so they match at the end of any text.
var codeWordsHan = []string{
	"安全码", "校验码", "密码", "验证码", "动态码", "短信码", "口令",
	"安全碼", "校驗碼", "密碼", "驗證碼", "動態碼", "短信碼",
}

// harmlessCodes are words before "code" that make it a code anyone may
// see: a postcode, a dialling code, a receipt's authorisation code.
var harmlessCodes = map[string]bool{
	"zip": true, "postal": true, "post": true, "area": true, "country": true, "dial": true,
	"dialing": true, "dialling": true, "calling": true, "city": true, "region": true,
	"qr": true, "bar": true, "error": true, "status": true, "response": true, "reason": true,
	"result": true, "product": true, "item": true, "sku": true, "merchant": true,
	"terminal": true, "store": true, "shop": true, "branch": true, "bank": true,
	"swift": true, "bic": true, "sort": true, "routing": true, "tax": true, "promo": true,
	"promotion": true, "promotional": true, "coupon": true, "discount": true,
	"voucher": true, "gift": true, "referral": true, "invite": true, "invitation": true,
	"order": true, "tracking": true, "reference": true, "ref": true, "auth": true,
	"authorization": true, "authorisation": true, "approval": true, "transaction": true,
	"txn": true, "trace": true, "batch": true, "invoice": true, "receipt": true,
	"mcc": true, "category": true, "currency": true, "airport": true, "language": true,
	"source": true, "model": true, "color": true, "colour": true,
}

// fillerWords may stand between a code's name and its digits.
var fillerWords = map[string]bool{
	"is": true, "was": true, "are": true, "number": true, "num": true, "no": true, "nr": true,
}

// fillerRune reports whether r may stand between a code's name and its
// digits: space, a colon or the like, or 是, 为 ("密码是", "PIN码为").
func fillerRune(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\u00A0', '\u3000', ':', '：', '=', '＝', '#', '＃',
		'-', '－', '—', '.', '(', ')', '（', '）', '[', ']', '【', '】',
		'"', '“', '”', '\'', '‘', '’', '「', '」',
		'是', '为', '為', '就', '即', '码', '碼', '号', '號':
		return true
	}
	return false
}

// maxFiller is how many runes may stand between a code's name and its
// digits.
const maxFiller = 12

// maskCodes masks the digits of codes written after their names once.
func maskCodes(s string) (string, Masked) {
	var spans []span
	for i := 0; i < len(s); {
		if !mayBeWord(s[i]) {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if digit(r) < 0 {
			i += n
			continue
		}
		start, count := i, 0
		for i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			if digit(r) < 0 {
				break
			}
			count++
			i += n
		}
		if count < 3 || !afterCodeWord(s[:start]) {
			continue
		}
		// One-time codes often come in two halves: "123 456", "123-456".
		if count == 3 {
			if end, ok := secondHalf(s, i); ok {
				i = end
			}
		}
		var b strings.Builder
		for _, r := range s[start:i] {
			if digit(r) >= 0 {
				b.WriteByte('*')
			} else {
				b.WriteRune(r)
			}
		}
		spans = append(spans, span{start, i, b.String()})
	}
	if len(spans) == 0 {
		return s, 0
	}
	return replaceSpans(s, spans), Code
}

// secondHalf reports whether s at i holds a space or dash and a whole run
// of three digits, and where they end.
func secondHalf(s string, i int) (int, bool) {
	if i >= len(s) || s[i] != ' ' && s[i] != '-' {
		return 0, false
	}
	j, count := i+1, 0
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if digit(r) < 0 {
			break
		}
		count++
		j += n
	}
	return j, count == 3
}

// afterCodeWord reports whether text ends with the name of a secret code
// followed by at most maxFiller runes of filler.
func afterCodeWord(text string) bool {
	q, budget := len(text), maxFiller
	for {
		for _, w := range codeWordsHan {
			if strings.HasSuffix(text[:q], w) {
				return true
			}
		}
		if q == 0 {
			return false
		}
		r, n := utf8.DecodeLastRuneInString(text[:q])
		if wordRune(r) {
			ws := lastWord(text[:q])
			w, ok := asciiLower(text[ws:q])
			switch {
			case !ok:
				return false
			case codeWords[w]:
				return w != "code" || !harmlessCodes[wordBefore(text[:ws])]
			case fillerWords[w] && budget >= len(w):
				budget -= len(w)
				q = ws
				continue
			}
			return false
		}
		if !fillerRune(r) || budget == 0 {
			return false
		}
		budget--
		q -= n
	}
}

// lastWord returns where the word of letters and digits that text ends
// with starts.
func lastWord(text string) int {
	q := len(text)
	for q > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:q])
		if !wordRune(r) {
			break
		}
		q -= n
	}
	return q
}

// asciiLower returns w in lower-case ASCII, or false if w is too long to be
// a name this file knows.
func asciiLower(w string) (string, bool) {
	if len(w) > 16*3 {
		return "", false
	}
	b := make([]byte, 0, len(w))
	for _, r := range w {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0 // full width to ASCII
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if r >= utf8.RuneSelf {
			return "", false
		}
		b = append(b, byte(r))
	}
	return string(b), true
}

// wordBefore returns, folded, the word that text ends with after up to
// two spaces, dashes or underscores ("zip code", "post-code"), or "".
func wordBefore(text string) string {
	q := len(text)
	for range 2 {
		r, n := utf8.DecodeLastRuneInString(text[:q])
		if r != ' ' && r != '-' && r != '_' && r != '\u3000' {
			break
		}
		q -= n
	}
	w, _ := asciiLower(text[lastWord(text[:q]):q])
	return w
}
