package bot

import (
	"crypto/rand"
	"strings"
)

// ReadableAlphabet holds the characters of the IDs and codes people read
// aloud or type from a screen: digits and capitals without 0, O, 1, I and
// L, which are mistaken for one another.
const ReadableAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// LinkCodeLen is the length of a link code: 31^8, about 8.5e11 codes,
// is far beyond guessing within a code's lifetime.
const LinkCodeLen = 8

// merchantIDLen is the length of a merchant ID after its "M".
const merchantIDLen = 6

// RandomMerchantID returns a new merchant ID: "M" and six readable
// characters. The registry checks it is free.
func RandomMerchantID() string { return "M" + readable(merchantIDLen) }

// RandomLinkCode returns a new link code of LinkCodeLen readable
// characters. The registry checks it is free.
func RandomLinkCode() string { return readable(LinkCodeLen) }

// NormalizeLinkCode reads a link code as a person may type it: in any
// case, full-width, with spaces or dashes between its characters. It
// reports false when s cannot be a code.
func NormalizeLinkCode(s string) (string, bool) {
	c := strings.ToUpper(stripSeparators(foldWidth(s)))
	if len(c) != LinkCodeLen || strings.IndexFunc(c, func(r rune) bool { return !strings.ContainsRune(ReadableAlphabet, r) }) >= 0 {
		return "", false
	}
	return c, true
}

// readable returns n characters of ReadableAlphabet from crypto/rand,
// without modulo bias.
func readable(n int) string {
	const limit = 256 - 256%len(ReadableAlphabet)
	out := make([]byte, 0, n)
	var buf [16]byte
	for len(out) < n {
		_, _ = rand.Read(buf[:]) // never fails, per its documentation
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, ReadableAlphabet[int(b)%len(ReadableAlphabet)])
			}
		}
	}
	return string(out)
}

// NormalizeMerchantRef reads the registry's own ID of a merchant
// (Merchant.ID, such as "M4KX7PQ") as a person may type it, in any case.
// It reports false when s cannot be one.
func NormalizeMerchantRef(s string) (string, bool) {
	id := strings.ToUpper(strings.TrimSpace(foldWidth(s)))
	if len(id) != 1+merchantIDLen || id[0] != 'M' || strings.IndexFunc(id[1:], func(r rune) bool { return !strings.ContainsRune(ReadableAlphabet, r) }) >= 0 {
		return "", false
	}
	return id, true
}
