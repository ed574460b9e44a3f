package bot

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Merchant is a shop the help desk can alert: its names as customers say
// them, the IDs printed on its slips, its language and the chats linked to
// it.
type Merchant struct {
	// ID is the registry's own short ID ("M" and six readable
	// characters), given by AddMerchant.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Aliases are other names customers use ("星巴克", "Starbucks").
	Aliases []string `json:"aliases,omitempty"`
	// MerchantIDs are the 15-digit merchant numbers (商户编号) and
	// TerminalIDs the 8-character terminal numbers (终端号) printed on
	// the shop's slips; a shop with several acquirers has several.
	MerchantIDs []string `json:"merchant_ids,omitempty"`
	TerminalIDs []string `json:"terminal_ids,omitempty"`
	// Lang is the language alerts are written in; "" means the
	// deployment's default.
	Lang string `json:"lang,omitempty"`
	// Chats are the conversations linked with a link code; alerts go to
	// each of them.
	Chats   []Key `json:"chats,omitempty"`
	Created int64 `json:"created,omitempty"`
}

// MaxMerchantNameLen is the longest name or alias, in characters.
const MaxMerchantNameLen = 100

// Normalize returns m with its text tidied for storing: names trimmed and
// inner spaces collapsed, aliases that match no more than the name or an
// earlier alias dropped, merchant and terminal IDs written in their
// canonical form (see NormalizeMerchantID, NormalizeTerminalID) without
// duplicates, and the language as NormalizeLang gives it when supported.
func (m Merchant) Normalize() Merchant {
	m.Name = collapseSpaces(m.Name)
	seen := map[string]bool{NormalizeMerchantName(m.Name): true}
	var aliases []string
	for _, a := range m.Aliases {
		a = collapseSpaces(a)
		n := NormalizeMerchantName(a)
		if a == "" || seen[n] {
			continue
		}
		seen[n] = true
		aliases = append(aliases, a)
	}
	m.Aliases = aliases
	m.MerchantIDs = normalizeIDs(m.MerchantIDs, NormalizeMerchantID)
	m.TerminalIDs = normalizeIDs(m.TerminalIDs, NormalizeTerminalID)
	if l := NormalizeLang(m.Lang); l != "" {
		m.Lang = l
	}
	return m
}

// Validate reports the first thing about m that the registry cannot
// take, as an EINVALID error. It expects m normalised.
func (m Merchant) Validate() error {
	checkName := func(what, s string) error {
		switch {
		case strings.TrimSpace(s) == "":
			return Errorf(EINVALID, "merchant %s is empty", what)
		case NormalizeMerchantName(s) == "":
			return Errorf(EINVALID, "merchant %s %q has no letters or digits to match on", what, s)
		case utf8.RuneCountInString(s) > MaxMerchantNameLen:
			return Errorf(EINVALID, "merchant %s %q is longer than %d characters", what, s, MaxMerchantNameLen)
		}
		return nil
	}
	if err := checkName("name", m.Name); err != nil {
		return err
	}
	for _, a := range m.Aliases {
		if err := checkName("alias", a); err != nil {
			return err
		}
	}
	for _, id := range m.MerchantIDs {
		if !ValidMerchantID(id) {
			return Errorf(EINVALID, "merchant ID %q: want the 15 digits of the 商户编号 printed on the slip", id)
		}
	}
	for _, id := range m.TerminalIDs {
		if !ValidTerminalID(id) {
			return Errorf(EINVALID, "terminal ID %q: want the 8 letters or digits of the 终端号 printed on the slip", id)
		}
	}
	if m.Lang != "" && NormalizeLang(m.Lang) != m.Lang {
		return Errorf(EINVALID, "merchant language %q: use %s", m.Lang, strings.Join(Languages, " or "))
	}
	return nil
}

// NormalizeMerchantID returns a merchant number as the registry keeps it:
// full-width digits folded and spaces and dashes dropped, since people
// copy it from a slip in groups ("102 1000 5812 0001").
func NormalizeMerchantID(s string) string { return stripSeparators(foldWidth(s)) }

// NormalizeTerminalID returns a terminal number as the registry keeps it:
// like NormalizeMerchantID, in upper case.
func NormalizeTerminalID(s string) string {
	return strings.ToUpper(stripSeparators(foldWidth(s)))
}

// ValidMerchantID reports whether s, normalised, is a merchant number:
// 15 digits, as China UnionPay assigns them (acquirer, region, merchant
// category, sequence).
func ValidMerchantID(s string) bool {
	return len(s) == 15 && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// ValidTerminalID reports whether s, normalised, is a terminal number:
// 8 characters, digits on most terminals, letters on some.
func ValidTerminalID(s string) bool {
	return len(s) == 8 && strings.IndexFunc(s, func(r rune) bool {
		return (r < '0' || r > '9') && (r < 'A' || r > 'Z')
	}) < 0
}

func stripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

func collapseSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

func normalizeIDs(ids []string, norm func(string) string) []string {
	var out []string
	for _, id := range ids {
		if id = norm(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// MerchantQuery is what a consumer said about where they paid.
type MerchantQuery struct {
	Name       string
	MerchantID string
	TerminalID string
}

// MerchantDirectory keeps the merchant registry. The Redis store
// implements it.
type MerchantDirectory interface {
	// AddMerchant normalises and validates m (EINVALID), stores it with a
	// new ID and returns it as stored. m's ID, Chats and Created are
	// ignored. A merchant or terminal ID registered to another merchant
	// fails with ECONFLICT; names need not be unique.
	AddMerchant(ctx context.Context, m Merchant) (Merchant, error)
	// Merchant returns the merchant with id, or an ENOTFOUND error.
	Merchant(ctx context.Context, id string) (Merchant, error)
	// Merchants lists every merchant, by name.
	Merchants(ctx context.Context) ([]Merchant, error)
	// MatchMerchants returns the merchants q may mean, best first and at
	// most MaxMerchantMatches, by the rules of RankMerchants.
	MatchMerchants(ctx context.Context, q MerchantQuery) ([]Merchant, error)
	// NewLinkCode returns a one-time code that links a chat to the
	// merchant until ttl has passed; an unknown merchant is ENOTFOUND.
	NewLinkCode(ctx context.Context, merchantID string, ttl time.Duration) (string, error)
	// Link uses code to link chat to its merchant. Using the same code
	// again from the same chat succeeds again; from another chat, or
	// after expiry, it fails with ENOTFOUND. The code is read leniently
	// (see NormalizeLinkCode).
	Link(ctx context.Context, code string, chat Key) (Merchant, error)
}
