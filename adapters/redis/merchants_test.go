package redisstore

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

func TestMerchants(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		for _, tt := range merchantTests {
			t.Run(tt.name, func(t *testing.T) { tt.run(t, rdb, newTestStore(t, rdb)) })
		}
	})
}

// registry is a small set of merchants: a chain sharing an alias, a shop
// whose name hides inside other words, and one with a terminal ID in
// letters.
var registry = []bot.Merchant{
	{Name: "星巴克（国贸店）", Aliases: []string{"星巴克", "Starbucks Guomao"}, MerchantIDs: []string{"102100058120001"}, TerminalIDs: []string{"10000001", "10000002"}, Lang: "zh-CN"},
	{Name: "星巴克 三里屯店", Aliases: []string{"星巴克", "Starbucks"}, MerchantIDs: []string{"102100058120002"}, TerminalIDs: []string{"20000001"}, Lang: "en"},
	{Name: "肯德基西单店", Aliases: []string{"KFC"}, MerchantIDs: []string{"308584053110007"}, TerminalIDs: []string{"30000001"}},
	{Name: "Bar", TerminalIDs: []string{"ab12cd34"}},
	{Name: "7-Eleven 国贸"},
}

func addAll(t *testing.T, s *Store, ms []bot.Merchant) []bot.Merchant {
	t.Helper()
	var added []bot.Merchant
	for _, m := range ms {
		got, err := s.AddMerchant(ctx, m)
		if err != nil {
			t.Fatalf("AddMerchant(%s): %v", m.Name, err)
		}
		added = append(added, got)
	}
	return added
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if bot.ErrorCode(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
}

func idsOf(ms []bot.Merchant) []string {
	ids := []string{}
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

var merchantTests = []struct {
	name string
	run  func(t *testing.T, rdb redis.UniversalClient, s *Store)
}{
	{"add, get and list", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		if ms, err := s.Merchants(ctx); err != nil || len(ms) != 0 {
			t.Fatalf("Merchants() of an empty registry = %v, %v", ms, err)
		}
		added := addAll(t, s, registry)
		ids := map[string]bool{}
		for i, m := range added {
			if _, ok := bot.NormalizeMerchantRef(m.ID); !ok {
				t.Errorf("new merchant's ID %q is not a readable ID", m.ID)
			}
			ids[m.ID] = true
			if want := registry[i].Normalize(); m.Name != want.Name || !slices.Equal(m.TerminalIDs, want.TerminalIDs) || m.Created == 0 {
				t.Errorf("AddMerchant returned %+v, want %+v with an ID and creation time", m, want)
			}
			got, err := s.Merchant(ctx, strings.ToLower(m.ID))
			if err != nil {
				t.Fatalf("Merchant(%s): %v", m.ID, err)
			}
			if !sameMerchant(got, m) {
				t.Errorf("Merchant(%s) = %+v, want %+v", m.ID, got, m)
			}
		}
		if len(ids) != len(registry) {
			t.Errorf("%d merchants got %d IDs", len(registry), len(ids))
		}
		if added[3].TerminalIDs[0] != "AB12CD34" {
			t.Errorf("terminal ID stored as %q, want it in upper case", added[3].TerminalIDs[0])
		}
		list, err := s.Merchants(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range list {
			names = append(names, m.Name)
		}
		if want := []string{"7-Eleven 国贸", "Bar", "星巴克 三里屯店", "星巴克（国贸店）", "肯德基西单店"}; !slices.Equal(names, want) {
			t.Errorf("Merchants() names %q, want %q", names, want)
		}
		_, err = s.Merchant(ctx, "M222222")
		wantCode(t, err, bot.ENOTFOUND)
		_, err = s.Merchant(ctx, "not an id")
		wantCode(t, err, bot.ENOTFOUND)
		// Every key is the registry's, under the store's prefix and in
		// one hash slot.
		for _, k := range keysUnder(t, rdb, s.prefix) {
			if !strings.HasPrefix(k, s.prefix+"{m}:") {
				t.Errorf("key %q is outside the registry's hash tag", k)
			}
		}
	}},

	{"invalid merchants are refused", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		for _, m := range []bot.Merchant{
			{Name: " "},
			{Name: "（）"},
			{Name: "A", MerchantIDs: []string{"1234"}},
			{Name: "A", TerminalIDs: []string{"1234567"}},
			{Name: "A", Lang: "de"},
		} {
			_, err := s.AddMerchant(ctx, m)
			wantCode(t, err, bot.EINVALID)
		}
		if keys := keysUnder(t, rdb, s.prefix); len(keys) != 0 {
			t.Errorf("refused merchants left keys %v", keys)
		}
	}},

	{"merchant and terminal IDs belong to one merchant", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		added := addAll(t, s, registry[:2])
		before := keysUnder(t, rdb, s.prefix)
		for _, tt := range []struct {
			m    bot.Merchant
			want []string
		}{
			{bot.Merchant{Name: "Copycat", MerchantIDs: []string{"308584053110099", "102 1000 5812 0002"}}, []string{"merchant ID 102100058120002", added[1].ID, "星巴克 三里屯店"}},
			{bot.Merchant{Name: "Copycat", TerminalIDs: []string{"99999999", "10000002"}}, []string{"terminal ID 10000002", added[0].ID, "星巴克（国贸店）"}},
		} {
			_, err := s.AddMerchant(ctx, tt.m)
			var e *bot.Error
			if !errors.As(err, &e) || e.Code != bot.ECONFLICT {
				t.Fatalf("AddMerchant with a taken ID: %v, want %s", err, bot.ECONFLICT)
			}
			for _, w := range tt.want {
				if !strings.Contains(e.Message, w) {
					t.Errorf("conflict message %q does not say %q", e.Message, w)
				}
			}
		}
		after := keysUnder(t, rdb, s.prefix)
		slices.Sort(before)
		slices.Sort(after)
		if !slices.Equal(before, after) {
			t.Errorf("refused merchants changed the keys from %v to %v", before, after)
		}
		if ms, _ := s.Merchants(ctx); len(ms) != 2 {
			t.Errorf("%d merchants after refusals, want 2", len(ms))
		}
		// Names are not unique: a chain's shops share them.
		if _, err := s.AddMerchant(ctx, bot.Merchant{Name: "星巴克（国贸店）", Aliases: []string{"星巴克"}}); err != nil {
			t.Errorf("a second merchant of the same name: %v", err)
		}
	}},

	{"match", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		added := addAll(t, s, registry)
		for _, tt := range []struct {
			q    bot.MerchantQuery
			want []int // indexes into added
		}{
			{bot.MerchantQuery{Name: "星巴克 国贸店"}, []int{0, 1}},
			{bot.MerchantQuery{Name: "我在星巴克三里屯店刷的卡"}, []int{1, 0}},
			{bot.MerchantQuery{Name: "the KFC near Xidan"}, []int{2}},
			{bot.MerchantQuery{Name: "barbecue"}, nil},
			{bot.MerchantQuery{Name: "国贸"}, nil},
			{bot.MerchantQuery{MerchantID: "３０８５８４０５３１１０００７"}, []int{2}},
			{bot.MerchantQuery{TerminalID: "ab12-cd34"}, []int{3}},
			{bot.MerchantQuery{Name: "KFC", MerchantID: "102100058120002"}, []int{1, 2}},
			{bot.MerchantQuery{Name: "星巴克 KFC bar", TerminalID: "AB12CD34"}, []int{3, 0, 1}},
			{bot.MerchantQuery{Name: "7 eleven 国贸"}, []int{4}},
			{bot.MerchantQuery{}, nil},
		} {
			got, err := s.MatchMerchants(ctx, tt.q)
			if err != nil {
				t.Fatalf("MatchMerchants(%+v): %v", tt.q, err)
			}
			want := []string{}
			for _, i := range tt.want {
				want = append(want, added[i].ID)
			}
			if !slices.Equal(idsOf(got), want) {
				t.Errorf("MatchMerchants(%+v) = %v, want %v", tt.q, idsOf(got), want)
			}
			// The indexes give what matching in memory gives.
			if mem := idsOf(bot.MatchMerchantsIn(added, tt.q)); !slices.Equal(idsOf(got), mem) {
				t.Errorf("MatchMerchants(%+v) = %v, but MatchMerchantsIn gives %v", tt.q, idsOf(got), mem)
			}
			for _, m := range got {
				if m.Name == "" {
					t.Errorf("matched merchant %s is not loaded", m.ID)
				}
			}
		}
	}},

	{"a link code links one chat", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		m := addAll(t, s, registry[2:3])[0]
		code, err := s.NewLinkCode(ctx, strings.ToLower(m.ID), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if c, ok := bot.NormalizeLinkCode(code); !ok || c != code {
			t.Fatalf("NewLinkCode() = %q, not a readable code", code)
		}
		shop := bot.Key{Channel: "telegram", User: "42"}
		for range 2 {
			got, err := s.Link(ctx, " "+strings.ToLower(code)+" ", shop)
			if err != nil {
				t.Fatalf("Link by the chat that holds the code: %v", err)
			}
			if got.ID != m.ID || !slices.Equal(got.Chats, []bot.Key{shop}) {
				t.Errorf("Link() = %+v, want %s with chats [%v]", got, m.ID, shop)
			}
		}
		_, err = s.Link(ctx, code, bot.Key{Channel: "telegram", User: "43"})
		wantCode(t, err, bot.ENOTFOUND)
		if strings.Contains(err.Error(), code) {
			t.Errorf("error %q quotes the code", err)
		}
		// A second code links a second chat; chats keep their link order.
		code2, _ := s.NewLinkCode(ctx, m.ID, time.Hour)
		web := bot.Key{Channel: "web", User: "a:b {c}"}
		if _, err := s.Link(ctx, code2, web); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Merchant(ctx, m.ID)
		if len(got.Chats) != 2 || !slices.Contains(got.Chats, shop) || !slices.Contains(got.Chats, web) {
			t.Errorf("merchant's chats %v, want %v and %v", got.Chats, shop, web)
		}
		// The used code is remembered for the rest of its lifetime, not
		// for ever.
		if ttl := rdb.TTL(ctx, s.linkKey(code)).Val(); ttl <= 0 || ttl > time.Hour {
			t.Errorf("used code's TTL %v, want what is left of an hour", ttl)
		}
	}},

	{"bad codes and merchants", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		m := addAll(t, s, registry[2:3])[0]
		chat := bot.Key{Channel: "telegram", User: "42"}
		for _, code := range []string{"", "ABCD2345", "short", "ABCD-2345-X", "{m}:x"} {
			_, err := s.Link(ctx, code, chat)
			wantCode(t, err, bot.ENOTFOUND)
		}
		_, err := s.NewLinkCode(ctx, "M222222", time.Hour)
		wantCode(t, err, bot.ENOTFOUND)
		_, err = s.NewLinkCode(ctx, m.ID, 0)
		wantCode(t, err, bot.EINVALID)
	}},

	{"a link code expires", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		m := addAll(t, s, registry[2:3])[0]
		code, err := s.NewLinkCode(ctx, m.ID, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		// The embedded store counts TTLs down once a second.
		deadline := time.Now().Add(5 * time.Second)
		for rdb.Exists(ctx, s.linkKey(code)).Val() == 1 {
			if time.Now().After(deadline) {
				t.Fatal("the link code outlived its TTL")
			}
			time.Sleep(50 * time.Millisecond)
		}
		_, err = s.Link(ctx, code, bot.Key{Channel: "telegram", User: "42"})
		wantCode(t, err, bot.ENOTFOUND)
		if got, _ := s.Merchant(ctx, m.ID); len(got.Chats) != 0 {
			t.Errorf("an expired code linked %v", got.Chats)
		}
	}},

	{"two chats racing for one code", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		m := addAll(t, s, registry[2:3])[0]
		const chats = 8
		for round := range 10 {
			code, err := s.NewLinkCode(ctx, m.ID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			var (
				wg      sync.WaitGroup
				mu      sync.Mutex
				winners []bot.Key
			)
			start := make(chan struct{})
			for i := range chats {
				chat := bot.Key{Channel: "race", User: string(rune('a'+round)) + string(rune('a'+i))}
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, err := s.Link(ctx, code, chat)
					switch bot.ErrorCode(err) {
					case "":
						mu.Lock()
						winners = append(winners, chat)
						mu.Unlock()
					case bot.ENOTFOUND:
					default:
						t.Errorf("Link: %v", err)
					}
				}()
			}
			close(start)
			wg.Wait()
			if len(winners) != 1 {
				t.Fatalf("round %d: %d chats linked with one code, want exactly one: %v", round, len(winners), winners)
			}
		}
		if got, _ := s.Merchant(ctx, m.ID); len(got.Chats) != 10 {
			t.Errorf("merchant has %d chats after 10 codes, want 10", len(got.Chats))
		}
	}},

	{"concurrent adds of one terminal", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
		)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.AddMerchant(ctx, bot.Merchant{Name: "Shop " + string(rune('A'+i)), TerminalIDs: []string{"55555555"}})
				switch bot.ErrorCode(err) {
				case "":
					mu.Lock()
					wins++
					mu.Unlock()
				case bot.ECONFLICT:
				default:
					t.Errorf("AddMerchant: %v", err)
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d merchants registered one terminal, want 1", wins)
		}
	}},
}

func sameMerchant(a, b bot.Merchant) bool {
	return a.ID == b.ID && a.Name == b.Name && slices.Equal(a.Aliases, b.Aliases) &&
		slices.Equal(a.MerchantIDs, b.MerchantIDs) && slices.Equal(a.TerminalIDs, b.TerminalIDs) &&
		a.Lang == b.Lang && slices.Equal(a.Chats, b.Chats) && a.Created == b.Created
}
