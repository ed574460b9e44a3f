package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// fakeDirectory is an in-memory bot.MerchantDirectory with the registry's
// rules for link codes, and an error to fail every call with.
type fakeDirectory struct {
	mu        sync.Mutex
	merchants []bot.Merchant
	codes     map[string]string  // code → merchant ID
	usedBy    map[string]bot.Key // code → the chat that used it
	err       error
}

var _ bot.MerchantDirectory = (*fakeDirectory)(nil)

func newFakeDirectory(ms ...bot.Merchant) *fakeDirectory {
	return &fakeDirectory{merchants: ms, codes: map[string]string{}, usedBy: map[string]bot.Key{}}
}

func (d *fakeDirectory) AddMerchant(_ context.Context, m bot.Merchant) (bot.Merchant, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return bot.Merchant{}, d.err
	}
	m = m.Normalize()
	if err := m.Validate(); err != nil {
		return bot.Merchant{}, err
	}
	m.ID = bot.RandomMerchantID()
	d.merchants = append(d.merchants, m)
	return m, nil
}

func (d *fakeDirectory) find(id string) *bot.Merchant {
	for i := range d.merchants {
		if d.merchants[i].ID == id {
			return &d.merchants[i]
		}
	}
	return nil
}

func (d *fakeDirectory) Merchant(_ context.Context, id string) (bot.Merchant, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return bot.Merchant{}, d.err
	}
	if m := d.find(id); m != nil {
		return *m, nil
	}
	return bot.Merchant{}, bot.Errorf(bot.ENOTFOUND, "no merchant %s", id)
}

func (d *fakeDirectory) Merchants(context.Context) ([]bot.Merchant, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.merchants), d.err
}

func (d *fakeDirectory) MatchMerchants(_ context.Context, q bot.MerchantQuery) ([]bot.Merchant, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return nil, d.err
	}
	return bot.MatchMerchantsIn(d.merchants, q), nil
}

func (d *fakeDirectory) NewLinkCode(_ context.Context, id string, _ time.Duration) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.find(id) == nil {
		return "", bot.Errorf(bot.ENOTFOUND, "no merchant %s", id)
	}
	c := bot.RandomLinkCode()
	d.codes[c] = id
	return c, nil
}

func (d *fakeDirectory) Link(_ context.Context, code string, chat bot.Key) (bot.Merchant, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return bot.Merchant{}, d.err
	}
	c, ok := bot.NormalizeLinkCode(code)
	id := d.codes[c]
	used, wasUsed := d.usedBy[c]
	if !ok || id == "" || (wasUsed && used != chat) {
		return bot.Merchant{}, bot.Errorf(bot.ENOTFOUND, "no such link code")
	}
	d.usedBy[c] = chat
	m := d.find(id)
	if !slices.Contains(m.Chats, chat) {
		m.Chats = append(m.Chats, chat)
	}
	return *m, nil
}

// merchantFlows start with link_merchant, so that "/start CODE" links a
// merchant's chat and anything else leads a consumer to match_merchant.
// "/link" asks for the code instead.
var merchantFlows = map[string]string{
	"commands.yaml": `start_flow: main
commands:
  - name: start
    words:
      any: [/start]
    goto: main
  - name: link
    words:
      any: [/link]
    goto: enter_code
`,
	"main.yaml": `flow: main
steps:
  - id: link
    action: link_merchant
    with: {say: m.linked, fail: m.link_failed}
    next: route
  - id: route
    branch:
      - {if: 'linked_merchant != ""', next: desk}
    next: shop
  - id: desk
    end: m.desk
  - id: shop
    ask: m.shop
    slot: shop
    type: text
    next: mid
  - id: mid
    ask: m.mid
    slot: mid
    type: text
    next: match
  - id: match
    action: match_merchant
    with: {name: shop, merchant_id: mid, terminal_id: tid}
    next: found
  - id: found
    branch:
      - {if: 'merchant_match != ""', next: matched}
    next: unmatched
  - id: matched
    end: m.matched
  - id: unmatched
    end: m.unmatched
`,
	"enter_code.yaml": `flow: enter_code
steps:
  - id: ask
    ask: m.code
    slot: code
    type: text
    next: link
  - id: link
    action: link_merchant
    with: {code: code, say: m.linked, fail: m.link_failed}
    next: done
  - id: done
    end: ""
`,
}

var merchantLocales = map[string]string{
	"en.toml": bottest.SystemLocale("en") + `
[m]
linked = "Linked to {{.Merchant}}."
link_failed = "That code does not work."
desk = "Merchant desk of {{.linked_merchant_name}}."
shop = "Which shop?"
mid = "Merchant number?"
code = "Your code?"
matched = "Found {{.merchant_match_name}}."
unmatched = "No such shop."
`,
	"zh-CN.toml": bottest.SystemLocale("zh-CN") + `
[m]
linked = "已关联{{.Merchant}}。"
link_failed = "这个代码无效。"
desk = "{{.linked_merchant_name}}商户台。"
shop = "哪家店？"
mid = "商户编号？"
code = "您的代码？"
matched = "找到{{.merchant_match_name}}。"
unmatched = "没有找到。"
`,
}

// merchantEngine returns an engine running merchantFlows over dir (nil
// for none) and the buffer its logs go to.
func merchantEngine(t *testing.T, dir bot.MerchantDirectory) (*bot.Engine, *bottest.MemStore, *bytes.Buffer) {
	t.Helper()
	flows, locales := fstest.MapFS{}, fstest.MapFS{}
	for name, src := range merchantFlows {
		flows[name] = &fstest.MapFile{Data: []byte(src)}
	}
	for name, src := range merchantLocales {
		locales[name] = &fstest.MapFile{Data: []byte(src)}
	}
	reg := bot.NewRegistry()
	content, problems := bot.LoadContent(flows, locales, reg)
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	store := bottest.NewMemStore()
	cfg := bot.Config{Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if dir != nil {
		cfg.Merchants = dir
	}
	return bot.NewEngine(store, content, reg, cfg), store, logs
}

func driver(e *bot.Engine, user string) *bottest.EngineDriver {
	return &bottest.EngineDriver{Engine: e, Key: bot.Key{Channel: "test", User: user}, LangHint: "en"}
}

func wantReplies(t *testing.T, got []bot.Reply, ids ...string) {
	t.Helper()
	if !slices.Equal(bottest.IDs(got), ids) {
		t.Fatalf("replies %v, want %v\n%s", bottest.IDs(got), ids, bottest.Texts(got))
	}
}

func slotsOf(t *testing.T, store *bottest.MemStore, d *bottest.EngineDriver) map[string]string {
	t.Helper()
	c, ok := store.Conversation(d.Key)
	if !ok {
		t.Fatal("conversation not stored")
	}
	return c.Slots
}

var kfc = bot.Merchant{ID: "MKFCXDM", Name: "肯德基西单店", Aliases: []string{"KFC"}, MerchantIDs: []string{"308584053110007"}}

func TestMatchMerchantAction(t *testing.T) {
	for _, tt := range []struct {
		name      string
		shop, mid string
		wantID    string
	}{
		{"by name within the text", "the KFC in Xidan", "no idea", "MKFCXDM"},
		{"by exact name", "肯德基（西单店）", "不知道", "MKFCXDM"},
		{"by merchant ID", "a fast food place", "3085 8405 3110 007", "MKFCXDM"},
		{"no match", "a noodle shop", "no idea", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e, store, _ := merchantEngine(t, newFakeDirectory(kfc))
			d := driver(e, "consumer")
			wantReplies(t, d.Text(t, "hello"), "m.shop")
			wantReplies(t, d.Text(t, tt.shop), "m.mid")
			got := d.Text(t, tt.mid)
			slots := slotsOf(t, store, d)
			if slots[bot.SlotMerchantMatch] != tt.wantID {
				t.Errorf("slot %s = %q, want %q", bot.SlotMerchantMatch, slots[bot.SlotMerchantMatch], tt.wantID)
			}
			if tt.wantID == "" {
				wantReplies(t, got, "m.unmatched")
				if v, ok := slots[bot.SlotMerchantMatchName]; !ok || v != "" {
					t.Errorf("slot %s = %q (set %v), want it set to empty", bot.SlotMerchantMatchName, v, ok)
				}
				return
			}
			wantReplies(t, got, "m.matched")
			if got[0].Text != "Found 肯德基西单店." {
				t.Errorf("reply %q, want the merchant's name in it", got[0].Text)
			}
		})
	}
}

func TestMatchMerchantActionWithoutDirectory(t *testing.T) {
	e, store, _ := merchantEngine(t, nil)
	d := driver(e, "consumer")
	d.Text(t, "hello")
	d.Text(t, "KFC")
	wantReplies(t, d.Text(t, "308584053110007"), "m.unmatched")
	if v := slotsOf(t, store, d)[bot.SlotMerchantMatch]; v != "" {
		t.Errorf("slot %s = %q with no directory, want empty", bot.SlotMerchantMatch, v)
	}
}

// A registry that fails does not break the turn: the consumer goes on
// without a match, and the log says why without what they typed.
func TestMatchMerchantActionDirectoryFails(t *testing.T) {
	dir := newFakeDirectory(kfc)
	dir.err = bot.ErrUnavailable
	e, _, logs := merchantEngine(t, dir)
	d := driver(e, "consumer")
	d.Text(t, "hello")
	d.Text(t, "Secret Noodle Bar")
	wantReplies(t, d.Text(t, "308584053110007"), "m.unmatched")
	if !strings.Contains(logs.String(), "merchant lookup failed") {
		t.Errorf("the failure is not logged:\n%s", logs)
	}
	for _, typed := range []string{"Secret Noodle", "308584053110007"} {
		if strings.Contains(logs.String(), typed) {
			t.Errorf("the log holds user text %q:\n%s", typed, logs)
		}
	}
}

func TestLinkMerchantAction(t *testing.T) {
	dir := newFakeDirectory(kfc)
	code, err := dir.NewLinkCode(context.Background(), kfc.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e, store, logs := merchantEngine(t, dir)

	shop := driver(e, "shop")
	got := shop.Text(t, "/start "+strings.ToLower(code))
	wantReplies(t, got, "m.linked", "m.desk")
	if got[0].Text != "Linked to 肯德基西单店." {
		t.Errorf("reply %q, want the merchant's name in it", got[0].Text)
	}
	slots := slotsOf(t, store, shop)
	for slot, want := range map[string]string{bot.SlotLinkedMerchant: kfc.ID, bot.SlotLinkedMerchantName: kfc.Name, bot.SlotRole: bot.RoleMerchant} {
		if slots[slot] != want {
			t.Errorf("slot %s = %q, want %q", slot, slots[slot], want)
		}
	}
	m, _ := dir.Merchant(context.Background(), kfc.ID)
	if !slices.Equal(m.Chats, []bot.Key{shop.Key}) {
		t.Errorf("merchant's chats %v, want %v", m.Chats, []bot.Key{shop.Key})
	}
	if strings.Contains(logs.String(), code) {
		t.Errorf("the log holds the link code:\n%s", logs)
	}

	// The same chat sending the code again is linked again, once.
	wantReplies(t, shop.Text(t, "/start "+code), "m.linked", "m.desk")
	if m, _ := dir.Merchant(context.Background(), kfc.ID); len(m.Chats) != 1 {
		t.Errorf("merchant's chats %v after a second link, want one", m.Chats)
	}

	// Another chat cannot use it.
	other := driver(e, "other")
	wantReplies(t, other.Text(t, "/start "+code), "m.link_failed", "m.shop")
	if v := slotsOf(t, store, other)[bot.SlotRole]; v != "" {
		t.Errorf("slot %s = %q after a refused code, want empty", bot.SlotRole, v)
	}

	// A plain /start is a consumer's.
	wantReplies(t, driver(e, "consumer").Text(t, "/start"), "m.shop")
	wantReplies(t, driver(e, "garbage").Text(t, "/start not-a-code!"), "m.link_failed", "m.shop")
}

func TestLinkMerchantActionCodeFromSlot(t *testing.T) {
	dir := newFakeDirectory(kfc)
	code, _ := dir.NewLinkCode(context.Background(), kfc.ID, time.Hour)
	e, store, _ := merchantEngine(t, dir)
	d := driver(e, "shop")
	wantReplies(t, d.Text(t, "/link"), "m.code")
	wantReplies(t, d.Text(t, code[:4]+" "+code[4:]), "m.linked")
	if v := slotsOf(t, store, d)[bot.SlotRole]; v != bot.RoleMerchant {
		t.Errorf("slot %s = %q, want %q", bot.SlotRole, v, bot.RoleMerchant)
	}
}

func TestLinkMerchantActionFailures(t *testing.T) {
	t.Run("no directory", func(t *testing.T) {
		e, _, _ := merchantEngine(t, nil)
		wantReplies(t, driver(e, "shop").Text(t, "/start ABCD2345"), "m.link_failed", "m.shop")
	})
	t.Run("directory down", func(t *testing.T) {
		dir := newFakeDirectory(kfc)
		code, _ := dir.NewLinkCode(context.Background(), kfc.ID, time.Hour)
		dir.err = bot.ErrUnavailable
		e, store, _ := merchantEngine(t, dir)
		d := driver(e, "shop")
		wantReplies(t, d.Text(t, "/start "+code), bot.MsgInternal, "m.shop")
		if v := slotsOf(t, store, d)[bot.SlotLinkedMerchant]; v != "" {
			t.Errorf("slot %s = %q after a failure, want empty", bot.SlotLinkedMerchant, v)
		}
	})
}
