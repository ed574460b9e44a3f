package bot_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

func TestNormalizeMerchantName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"星巴克（国贸店）", "星巴克国贸店"},
		{"星巴克 国贸店", "星巴克国贸店"},
		{"星巴克·国贸店", "星巴克国贸店"},
		{"  星巴克\u3000国贸店 ", "星巴克国贸店"},
		{"【星巴克】国贸店!!", "星巴克国贸店"},
		{"Starbucks (Guomao)", "starbucksguomao"},
		{"ＳＴＡＲＢＵＣＫＳ", "starbucks"},
		{"Star-Bucks", "starbucks"},
		{"7-Eleven", "7eleven"},
		{"M&S", "ms"},
		{"Café Zoë", "cafézoë"},
		{"KFC肯德基", "kfc肯德基"},
		{"全家FamilyMart", "全家familymart"},
		{"！？。", ""},
		{"", ""},
	} {
		if got := bot.NormalizeMerchantName(tt.in); got != tt.want {
			t.Errorf("NormalizeMerchantName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMerchantQueryKeys(t *testing.T) {
	t.Run("ids", func(t *testing.T) {
		for _, tt := range []struct {
			q        bot.MerchantQuery
			mid, tid string
		}{
			{bot.MerchantQuery{MerchantID: "102100058120001", TerminalID: "12345678"}, "102100058120001", "12345678"},
			{bot.MerchantQuery{MerchantID: "102 1000 5812 0001", TerminalID: "ab12-cd34"}, "102100058120001", "AB12CD34"},
			{bot.MerchantQuery{MerchantID: "１０２１０００５８１２０００１", TerminalID: "１２３４５６７８"}, "102100058120001", "12345678"},
			// Not IDs: wrong length, letters in a merchant number, a
			// number masked as a card number.
			{bot.MerchantQuery{MerchantID: "10210005812000", TerminalID: "1234567"}, "", ""},
			{bot.MerchantQuery{MerchantID: "10210005812000X", TerminalID: "123456789"}, "", ""},
			{bot.MerchantQuery{MerchantID: "****0001", TerminalID: "1234*678"}, "", ""},
		} {
			k := tt.q.Keys()
			if k.MerchantID != tt.mid || k.TerminalID != tt.tid {
				t.Errorf("%+v: keys %q, %q, want %q, %q", tt.q, k.MerchantID, k.TerminalID, tt.mid, tt.tid)
			}
		}
	})
	t.Run("names", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			want []string
		}{
			{"", nil},
			{"!?", nil},
			{"店", []string{"店"}},
			{"星巴克", []string{"星巴克", "星巴", "巴克"}},
			{"KFC 肯德", []string{"kfc肯德", "kfc肯", "kfc", "肯德"}},
		} {
			if got := (bot.MerchantQuery{Name: tt.name}).Keys().Names; !slices.Equal(got, tt.want) {
				t.Errorf("Keys(%q).Names = %q, want %q", tt.name, got, tt.want)
			}
		}
	})
	t.Run("whole words", func(t *testing.T) {
		const name = "i was at 7-Eleven"
		got := bot.MerchantQuery{Name: name}.Keys().Names
		if got[0] != "iwasat7eleven" {
			t.Errorf("Keys(%q).Names[0] = %q, want the whole name", name, got[0])
		}
		for _, p := range []string{"7eleven", "eleven", "wasat"} {
			if !slices.Contains(got, p) {
				t.Errorf("Keys(%q).Names = %q, want %q among them", name, got, p)
			}
		}
		for _, p := range []string{"leven", "i", "7", "asat"} {
			if slices.Contains(got, p) {
				t.Errorf("Keys(%q).Names = %q, want no %q", name, got, p)
			}
		}
	})
	t.Run("bounded", func(t *testing.T) {
		long := strings.Repeat("星巴克国贸店", 700)
		got := bot.MerchantQuery{Name: long}.Keys().Names
		if len(got) > 2000 {
			t.Errorf("a %d-character name gives %d keys, want a bounded number", len([]rune(long)), len(got))
		}
		if got[0] != bot.NormalizeMerchantName(long) {
			t.Errorf("first key is not the whole name")
		}
	})
}

// testMerchants are a small registry: a chain with a branch name and a
// shared alias, and shops whose names hide inside others.
var testMerchants = []bot.Merchant{
	{ID: "MGUOMAO", Name: "星巴克（国贸店）", Aliases: []string{"星巴克", "Starbucks Guomao"}, MerchantIDs: []string{"102100058120001"}, TerminalIDs: []string{"10000001", "10000002"}},
	{ID: "MSANLIT", Name: "星巴克 三里屯店", Aliases: []string{"星巴克", "Starbucks"}, MerchantIDs: []string{"102100058120002"}, TerminalIDs: []string{"20000001"}},
	{ID: "MKFCXDM", Name: "肯德基西单店", Aliases: []string{"KFC"}, MerchantIDs: []string{"308584053110007"}, TerminalIDs: []string{"30000001"}},
	{ID: "MBARXXX", Name: "Bar", TerminalIDs: []string{"ABCD1234"}},
	{ID: "MSEVENX", Name: "7-Eleven 国贸"},
	{ID: "MNOALIA", Name: "全家便利店国贸店"},
}

func merchantIDs(ms []bot.Merchant) []string {
	ids := []string{}
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

// TestMatchMerchantsIn checks the matching rules, which every directory
// shares through Keys and RankMerchants.
func TestMatchMerchantsIn(t *testing.T) {
	for _, tt := range []struct {
		name string
		q    bot.MerchantQuery
		want []string
	}{
		{"full-width brackets match a space", bot.MerchantQuery{Name: "星巴克 国贸店"}, []string{"MGUOMAO", "MSANLIT"}},
		{"exact name", bot.MerchantQuery{Name: "星巴克（国贸店）"}, []string{"MGUOMAO", "MSANLIT"}},
		{"exact name, English, any case", bot.MerchantQuery{Name: "starbucks GUOMAO"}, []string{"MGUOMAO", "MSANLIT"}},
		{"an alias alone matches every merchant with it", bot.MerchantQuery{Name: "星巴克"}, []string{"MGUOMAO", "MSANLIT"}},
		{"registered alias within what was typed", bot.MerchantQuery{Name: "在三里屯的星巴克买的"}, []string{"MGUOMAO", "MSANLIT"}},
		{"registered name within what was typed ranks by length", bot.MerchantQuery{Name: "我在星巴克三里屯店刷的卡"}, []string{"MSANLIT", "MGUOMAO"}},
		{"typed name within a registered one does not match", bot.MerchantQuery{Name: "全家"}, nil},
		{"words out of order do not match", bot.MerchantQuery{Name: "国贸的全家便利店"}, nil},
		{"English alias as a whole word", bot.MerchantQuery{Name: "the KFC near Xidan"}, []string{"MKFCXDM"}},
		{"not inside another word", bot.MerchantQuery{Name: "Starbucks bar"}, []string{"MSANLIT", "MBARXXX"}},
		{"no part of a word", bot.MerchantQuery{Name: "barbecue"}, nil},
		{"mixed script", bot.MerchantQuery{Name: "7 eleven 国贸"}, []string{"MSEVENX"}},
		{"merchant ID", bot.MerchantQuery{MerchantID: "308584053110007"}, []string{"MKFCXDM"}},
		{"merchant ID as copied", bot.MerchantQuery{MerchantID: "3085 8405 3110 007"}, []string{"MKFCXDM"}},
		{"terminal ID", bot.MerchantQuery{TerminalID: "10000002"}, []string{"MGUOMAO"}},
		{"terminal ID any case", bot.MerchantQuery{TerminalID: "abcd1234"}, []string{"MBARXXX"}},
		{"IDs rank before names", bot.MerchantQuery{Name: "KFC", MerchantID: "102100058120002"}, []string{"MSANLIT", "MKFCXDM"}},
		{"merchant ID before terminal ID", bot.MerchantQuery{MerchantID: "102100058120002", TerminalID: "30000001"}, []string{"MSANLIT", "MKFCXDM"}},
		{"both IDs before one", bot.MerchantQuery{MerchantID: "102100058120002", TerminalID: "10000001", Name: "KFC"}, []string{"MSANLIT", "MGUOMAO", "MKFCXDM"}},
		{"matching both IDs ranks first", bot.MerchantQuery{MerchantID: "102100058120001", TerminalID: "10000001"}, []string{"MGUOMAO"}},
		{"unknown ID, known name", bot.MerchantQuery{MerchantID: "999999999999999", Name: "KFC"}, []string{"MKFCXDM"}},
		{"at most a few", bot.MerchantQuery{Name: "星巴克 KFC bar", TerminalID: "ABCD1234"}, []string{"MBARXXX", "MGUOMAO", "MSANLIT"}},
		{"nothing", bot.MerchantQuery{}, nil},
		{"one character names no shop", bot.MerchantQuery{Name: "店"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := merchantIDs(bot.MatchMerchantsIn(testMerchants, tt.q))
			if tt.want == nil {
				tt.want = []string{}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("MatchMerchantsIn(%+v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
}

func TestRankMerchants(t *testing.T) {
	k := bot.MerchantKeys{MerchantID: "102100058120001", TerminalID: "10000001", Names: []string{"星巴克国贸店", "星巴克国贸", "星巴克"}}
	h := bot.MerchantHits{
		MerchantID: []string{"A"},
		TerminalID: []string{"B", "A"},
		Names:      [][]string{{"C"}, nil, {"D", "C", "E"}},
	}
	if got, want := bot.RankMerchants(k, h), []string{"A", "B", "C"}; !slices.Equal(got, want) {
		t.Errorf("RankMerchants = %v, want %v", got, want)
	}
	h.MerchantID, h.TerminalID = nil, nil
	if got, want := bot.RankMerchants(k, h), []string{"C", "D", "E"}; !slices.Equal(got, want) {
		t.Errorf("RankMerchants = %v, want %v", got, want)
	}
	// Hits for keys the query did not have are ignored.
	if got := bot.RankMerchants(bot.MerchantKeys{}, bot.MerchantHits{MerchantID: []string{"A"}, Names: [][]string{{"B"}}}); len(got) != 0 {
		t.Errorf("RankMerchants with no keys = %v, want none", got)
	}
}

func TestMerchantNormalizeValidate(t *testing.T) {
	m := bot.Merchant{
		Name:        "  星巴克   国贸店 ",
		Aliases:     []string{"星巴克（国贸店）", " Starbucks ", "", "STARBUCKS", "星巴克"},
		MerchantIDs: []string{"102 1000 5812 0001", "102100058120001"},
		TerminalIDs: []string{"ab12cd34", "AB12-CD34", "１２３４５６７８"},
		Lang:        "en-GB",
	}.Normalize()
	want := bot.Merchant{
		Name:        "星巴克 国贸店",
		Aliases:     []string{"Starbucks", "星巴克"},
		MerchantIDs: []string{"102100058120001"},
		TerminalIDs: []string{"AB12CD34", "12345678"},
		Lang:        "en",
	}
	if m.Name != want.Name || !slices.Equal(m.Aliases, want.Aliases) || !slices.Equal(m.MerchantIDs, want.MerchantIDs) ||
		!slices.Equal(m.TerminalIDs, want.TerminalIDs) || m.Lang != want.Lang {
		t.Errorf("Normalize = %+v\nwant %+v", m, want)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}

	for _, tt := range []struct {
		name string
		m    bot.Merchant
		want string // in the message
	}{
		{"empty name", bot.Merchant{Name: "  "}, "name is empty"},
		{"punctuation name", bot.Merchant{Name: "！！"}, "no letters or digits"},
		{"long name", bot.Merchant{Name: strings.Repeat("店", 101)}, "longer than"},
		{"bad alias", bot.Merchant{Name: "A", Aliases: []string{"()"}}, "alias"},
		{"short merchant ID", bot.Merchant{Name: "A", MerchantIDs: []string{"12345"}}, "15 digits"},
		{"letters in merchant ID", bot.Merchant{Name: "A", MerchantIDs: []string{"10210005812000A"}}, "15 digits"},
		{"long terminal ID", bot.Merchant{Name: "A", TerminalIDs: []string{"123456789"}}, "8 letters or digits"},
		{"symbol in terminal ID", bot.Merchant{Name: "A", TerminalIDs: []string{"1234_678"}}, "8 letters or digits"},
		{"language", bot.Merchant{Name: "A", Lang: "fr"}, "language"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Normalize().Validate()
			var e *bot.Error
			if !errors.As(err, &e) || e.Code != bot.EINVALID || !strings.Contains(e.Message, tt.want) {
				t.Errorf("Validate() = %v, want an %s error about %q", err, bot.EINVALID, tt.want)
			}
		})
	}
}

func TestLinkCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := bot.RandomLinkCode()
		if len(c) != bot.LinkCodeLen || strings.ContainsAny(c, "01OIL") {
			t.Fatalf("RandomLinkCode() = %q, want %d readable characters", c, bot.LinkCodeLen)
		}
		if got, ok := bot.NormalizeLinkCode(c); !ok || got != c {
			t.Fatalf("NormalizeLinkCode(%q) = %q, %v", c, got, ok)
		}
		seen[c] = true
		id := bot.RandomMerchantID()
		if len(id) != 7 || id[0] != 'M' || strings.ContainsAny(id[1:], "01OIL") {
			t.Fatalf("RandomMerchantID() = %q", id)
		}
	}
	if len(seen) < 199 {
		t.Errorf("200 codes hold only %d different ones", len(seen))
	}
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"abcd2345", "ABCD2345", true},
		{"ABCD-2345", "ABCD2345", true},
		{" abcd 2345 ", "ABCD2345", true},
		{"ＡＢＣＤ２３４５", "ABCD2345", true},
		{"ABCD234", "", false},
		{"ABCD23450", "", false},
		{"ABCD2340", "", false}, // 0 is not in the alphabet
		{"ABCD234L", "", false},
		{"", "", false},
	} {
		if got, ok := bot.NormalizeLinkCode(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeLinkCode(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalizeMerchantRef(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"M4KX7PQ", "M4KX7PQ", true},
		{" m4kx7pq ", "M4KX7PQ", true},
		{"Ｍ４ＫＸ７ＰＱ", "M4KX7PQ", true},
		{"M4KX7P", "", false},
		{"X4KX7PQ", "", false},
		{"M4KX7P0", "", false},
		{"M{m}:ab", "", false},
	} {
		if got, ok := bot.NormalizeMerchantRef(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeMerchantRef(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
