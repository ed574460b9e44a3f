package bot

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMerchantMatches is the most candidates a match returns: enough to
// ask "did you mean one of these?", few enough to offer as buttons.
const MaxMerchantMatches = 3

// Bounds on the parts of a typed name that are looked up as possible
// registered names: a long message must not turn into thousands of
// lookups, and one character ("店", "a") names no shop.
const (
	maxQueryTokens = 64
	maxPartTokens  = 24
	minPartRunes   = 2
)

// NormalizeMerchantName returns the form in which names are compared:
// full-width folded, lower case, without spaces, punctuation or symbols.
// "星巴克（国贸店）", "星巴克 国贸店" and "星巴克·国贸店" are one name,
// as are "Star-Bucks" and "starbucks".
func NormalizeMerchantName(s string) string { return strings.Join(nameTokens(s), "") }

// nameTokens splits s into the units a registered name found inside a
// longer text must align with: words of the scripts that put spaces
// between words, and single characters of those that do not (Han, kana).
// So "星巴克" is found in "星巴克国贸店" while "bar" is not found in
// "starbucks".
func nameTokens(s string) []string {
	var (
		tokens []string
		word   strings.Builder
	)
	flush := func() {
		if word.Len() > 0 {
			tokens = append(tokens, word.String())
			word.Reset()
		}
	}
	for _, r := range strings.ToLower(foldWidth(s)) {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flush()
			tokens = append(tokens, string(r))
		case unicode.IsLetter(r) || unicode.IsNumber(r) || (unicode.IsMark(r) && word.Len() > 0):
			word.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return tokens
}

// IndexNames returns the entries m has in the name index: its name and
// aliases in NormalizeMerchantName's form, without empty ones or
// duplicates.
func (m Merchant) IndexNames() []string {
	var names []string
	for _, s := range append([]string{m.Name}, m.Aliases...) {
		if n := NormalizeMerchantName(s); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// MerchantKeys are the index entries a MerchantQuery looks up, all
// normalised. An ID that cannot be one (wrong length, masked) is left
// out rather than looked up.
type MerchantKeys struct {
	MerchantID string
	TerminalID string
	// Names holds the whole typed name first, for an exact match, then
	// each part of it that could be a registered name or alias, longest
	// first.
	Names []string
}

// Keys returns the index entries q looks up.
func (q MerchantQuery) Keys() MerchantKeys {
	var k MerchantKeys
	if id := NormalizeMerchantID(q.MerchantID); ValidMerchantID(id) {
		k.MerchantID = id
	}
	if id := NormalizeTerminalID(q.TerminalID); ValidTerminalID(id) {
		k.TerminalID = id
	}
	k.Names = nameKeys(q.Name)
	return k
}

// nameKeys returns the whole of s normalised, then the parts of it made of
// whole tokens, longest first, in the order they occur.
func nameKeys(s string) []string {
	tokens := nameTokens(s)
	if len(tokens) == 0 {
		return nil
	}
	whole := strings.Join(tokens, "")
	keys := []string{whole}
	seen := map[string]bool{whole: true}
	tokens = tokens[:min(len(tokens), maxQueryTokens)]
	var parts []string
	for n := min(len(tokens), maxPartTokens); n >= 1; n-- {
		for i := 0; i+n <= len(tokens); i++ {
			p := strings.Join(tokens[i:i+n], "")
			if utf8.RuneCountInString(p) < minPartRunes || seen[p] {
				continue
			}
			seen[p] = true
			parts = append(parts, p)
		}
	}
	// Token counts and character counts differ ("kfc" is one token of
	// three characters): "longest" is in characters.
	slices.SortStableFunc(parts, func(a, b string) int {
		return utf8.RuneCountInString(b) - utf8.RuneCountInString(a)
	})
	return append(keys, parts...)
}

// MerchantHits are what the registry's indexes hold under MerchantKeys:
// the IDs of the merchants under each entry, in registration order.
type MerchantHits struct {
	MerchantID []string
	TerminalID []string
	// Names runs parallel to MerchantKeys.Names.
	Names [][]string
}

// How well a merchant matched, best first.
const (
	rankBothIDs = iota
	rankMerchantID
	rankTerminalID
	rankExactName
	rankContainedName
)

// RankMerchants orders the merchants found for k and returns the IDs of
// the best MaxMerchantMatches: those matching both merchant and terminal
// ID, then the merchant ID, then the terminal ID (IDs on a slip are
// unambiguous), then an exact name or alias, then a name or alias found
// within the typed name, longer ones first (a longer name says more).
// Ties keep the order of the hits.
func RankMerchants(k MerchantKeys, h MerchantHits) []string {
	type cand struct {
		id                  string
		rank, length, order int
	}
	best := map[string]*cand{}
	var cands []*cand
	offer := func(id string, rank, length int) {
		c := best[id]
		if c == nil {
			c = &cand{id: id, rank: rank, length: length, order: len(cands)}
			best[id] = c
			cands = append(cands, c)
			return
		}
		if rank < c.rank || (rank == c.rank && length > c.length) {
			c.rank, c.length = rank, length
		}
	}
	if k.MerchantID != "" {
		for _, id := range h.MerchantID {
			rank := rankMerchantID
			if k.TerminalID != "" && slices.Contains(h.TerminalID, id) {
				rank = rankBothIDs
			}
			offer(id, rank, 0)
		}
	}
	if k.TerminalID != "" {
		for _, id := range h.TerminalID {
			offer(id, rankTerminalID, 0)
		}
	}
	for i, ids := range h.Names {
		if i >= len(k.Names) {
			break
		}
		rank := rankContainedName
		if i == 0 {
			rank = rankExactName
		}
		for _, id := range ids {
			offer(id, rank, utf8.RuneCountInString(k.Names[i]))
		}
	}
	slices.SortFunc(cands, func(a, b *cand) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(b.length, a.length), cmp.Compare(a.order, b.order))
	})
	ids := make([]string, 0, min(len(cands), MaxMerchantMatches))
	for _, c := range cands[:min(len(cands), MaxMerchantMatches)] {
		ids = append(ids, c.id)
	}
	return ids
}

// MatchMerchantsIn matches q against ms by the rules of RankMerchants, in
// memory: for a registry small enough to hold, and for tests. A directory
// with indexes gets the same answer from Keys, its indexes and
// RankMerchants.
func MatchMerchantsIn(ms []Merchant, q MerchantQuery) []Merchant {
	k := q.Keys()
	h := MerchantHits{Names: make([][]string, len(k.Names))}
	at := make(map[string]int, len(k.Names))
	for i, n := range k.Names {
		at[n] = i
	}
	byID := make(map[string]Merchant, len(ms))
	for _, m := range ms {
		byID[m.ID] = m
		n := m.Normalize()
		if k.MerchantID != "" && slices.Contains(n.MerchantIDs, k.MerchantID) {
			h.MerchantID = append(h.MerchantID, m.ID)
		}
		if k.TerminalID != "" && slices.Contains(n.TerminalIDs, k.TerminalID) {
			h.TerminalID = append(h.TerminalID, m.ID)
		}
		for _, name := range n.IndexNames() {
			if i, ok := at[name]; ok {
				h.Names[i] = append(h.Names[i], m.ID)
			}
		}
	}
	var out []Merchant
	for _, id := range RankMerchants(k, h) {
		out = append(out, byID[id])
	}
	return out
}
