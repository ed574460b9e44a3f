package bot_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
	"unicode"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
	"github.com/slipdesk/slipdesk/bot/understand"
)

// The engine tests run over a fixture of their own, the starter flows and
// their messages, so that operators can edit the shipped content without
// breaking them; testdata/transcripts covers the shipped flows.
const (
	starterFlows   = "testdata/starter/flows"
	starterLocales = "testdata/starter/locales"
)

// chat is one conversation with an engine over the starter flows, as a
// channel without rendering of its own would hold it.
type chat struct {
	t     *testing.T
	e     *bot.Engine
	store *bottest.MemStore
	clock *bottest.Clock
	key   bot.Key
	hint  string
	n     int
	// asked holds the last replies that offered options.
	asked []bot.Reply
	// last is the last event sent, for redelivery.
	last bot.Event
}

func newChat(t *testing.T, hint string) *chat {
	t.Helper()
	content, reg := bottest.Content(t, starterFlows, starterLocales)
	store := bottest.NewMemStore()
	clock := bottest.NewClock()
	e := bot.NewEngine(store, content, reg, bot.Config{Now: clock.Now})
	return &chat{t: t, e: e, store: store, clock: clock, key: bot.Key{Channel: "test", User: t.Name()}, hint: hint}
}

// another returns a second conversation on the same engine and store.
func (c *chat) another(user, hint string) *chat {
	return &chat{t: c.t, e: c.e, store: c.store, clock: c.clock, key: bot.Key{Channel: "test", User: user}, hint: hint}
}

func (c *chat) send(ev bot.Event) []bot.Reply {
	c.t.Helper()
	c.n++
	ev.Key = c.key
	if ev.LangHint == "" {
		ev.LangHint = c.hint
	}
	if ev.DeliveryID == "" {
		ev.DeliveryID = fmt.Sprintf("d%d", c.n)
	}
	c.last = ev
	replies, err := c.e.Handle(context.Background(), ev)
	if err != nil {
		c.t.Fatalf("handle %+v: %v", ev, err)
	}
	for _, r := range replies {
		if len(r.Options) > 0 {
			c.asked = replies
		}
	}
	return replies
}

func (c *chat) text(s string) []bot.Reply {
	c.t.Helper()
	return c.send(bot.Event{Kind: bot.EventText, Text: s})
}

func (c *chat) tap(value string) []bot.Reply {
	c.t.Helper()
	return c.send(bot.Event{Kind: bot.EventButton, Data: bottest.ButtonData(c.t, c.asked, value)})
}

func (c *chat) redeliver() []bot.Reply {
	c.t.Helper()
	replies, err := c.e.Handle(context.Background(), c.last)
	if err != nil {
		c.t.Fatalf("redeliver: %v", err)
	}
	return replies
}

func (c *chat) conv() bot.Conversation {
	c.t.Helper()
	conv, ok := c.store.Conversation(c.key)
	if !ok {
		c.t.Fatal("conversation not stored")
	}
	return conv
}

func (c *chat) want(got []bot.Reply, ids ...string) {
	c.t.Helper()
	if !slices.Equal(bottest.IDs(got), ids) {
		c.t.Fatalf("got replies %v, want %v\n%s", bottest.IDs(got), ids, bottest.Texts(got))
	}
}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// wantLang fails unless every reply and option label is in lang: Chinese
// text has Han characters, English text none.
func wantLang(t *testing.T, got []bot.Reply, lang string) {
	t.Helper()
	check := func(what, s string) {
		t.Helper()
		if hasHan(s) != (lang == "zh-CN") {
			t.Errorf("%s is %q, want it in %s", what, s, lang)
		}
	}
	for _, r := range got {
		check("reply "+r.MsgID, r.Text)
		for _, o := range r.Options {
			check("option "+o.Value+" of "+r.MsgID, o.Label)
		}
	}
}

// stateOf drops what every turn changes, to compare the rest.
func stateOf(c bot.Conversation) bot.Conversation {
	c.Turns, c.Updated, c.Version = 0, 0, 0
	return c
}

// Where the tests stop: what to send after the greeting to reach a step,
// and what the step says when asked again (a wait step holds rather than
// repeating its announcement).
var stops = []struct {
	step     string
	path     []string
	question string
}{
	{"what_lost", nil, "consumer.what_lost"},
	{"paid_by", []string{"1"}, "consumer.paid_by"},
	{"merchant", []string{"1", "2"}, "consumer.merchant"},
	{"problem", []string{"1", "2", "Starlight"}, "consumer.problem"},
	{"want_note", []string{"1", "2", "Starlight", "1"}, "consumer.want_note"},
	{"wait_merchant", []string{"1", "2", "Starlight", "1", "ok"}, "consumer.wait_hold"},
	{"offer_human", []string{"1", "2", "???", "???", "???"}, "consumer.offer_human"},
	{"delete_confirm", []string{"1", "/delete"}, "system.delete_confirm"},
}

// walk greets the bot and follows path.
func (c *chat) walk(path []string) {
	c.t.Helper()
	c.text("hi")
	for _, s := range path {
		c.text(s)
	}
}

func stopAt(t *testing.T, step string) (path []string, question string) {
	t.Helper()
	for _, s := range stops {
		if s.step == step {
			return s.path, s.question
		}
	}
	t.Fatalf("no stop %q", step)
	return nil, ""
}

var langs = []struct{ name, hint string }{
	{"zh-CN", "zh-CN"},
	{"en", "en"},
}

func TestStopsReachTheirSteps(t *testing.T) {
	for _, s := range stops {
		t.Run(s.step, func(t *testing.T) {
			c := newChat(t, "en")
			c.walk(s.path)
			if got := c.conv().Step; got != s.step {
				t.Errorf("step: got %q, want %q", got, s.step)
			}
		})
	}
}

func TestBadInputLeavesStateUnchanged(t *testing.T) {
	long := strings.Repeat("a", bot.MaxTextLen+1)
	// A card number across the cut at MaxTextLen: what is kept must not
	// hold its first twelve digits.
	cut := strings.Repeat("a", bot.MaxTextLen-15) + " 4111 1111 1111 1111"
	// 100 KB with card numbers at the cut and far past it: masked where
	// kept, and the rest never kept.
	huge := cut + " b" + strings.Repeat(" 4111 1111 1111 1111 b", 4500)
	tests := []struct {
		name string
		// ev is sent as is, except that a button's Data is replaced by
		// a button of an earlier question when stale is set.
		ev    bot.Event
		stale bool
		ids   []string // the replies before the question asked again
		log   string   // the user's transcript line; "" for none
	}{
		{name: "too long", ev: bot.Event{Kind: bot.EventText, Text: long}, ids: []string{bot.MsgTooLong}, log: long[:bot.MaxTextLen]},
		{name: "too long, card at the cut", ev: bot.Event{Kind: bot.EventText, Text: cut}, ids: []string{bot.MsgTooLong}, log: strings.Repeat("a", bot.MaxTextLen-15) + " ****1111"},
		{name: "100 KB, cards at the cut and after", ev: bot.Event{Kind: bot.EventText, Text: huge}, ids: []string{bot.MsgTooLong}, log: (strings.Repeat("a", bot.MaxTextLen-15) + " ****1111 b" + strings.Repeat(" ****1111 b", 400))[:bot.MaxTextLen]},
		{name: "empty", ev: bot.Event{Kind: bot.EventText, Text: ""}, ids: []string{bot.MsgEmpty}},
		{name: "whitespace", ev: bot.Event{Kind: bot.EventText, Text: " \n\t\u3000 "}, ids: []string{bot.MsgEmpty}},
		{name: "NUL", ev: bot.Event{Kind: bot.EventText, Text: "hi\x00there"}, ids: []string{bot.MsgBadText}, log: "hithere"},
		{name: "escape sequence", ev: bot.Event{Kind: bot.EventText, Text: "\x1b[31mred"}, ids: []string{bot.MsgBadText}, log: "[31mred"},
		{name: "invalid UTF-8", ev: bot.Event{Kind: bot.EventText, Text: "caf\xe9"}, ids: []string{bot.MsgBadText}, log: "caf\uFFFD"},
		{name: "stale button", ev: bot.Event{Kind: bot.EventButton}, stale: true, ids: []string{bot.MsgStaleButton}, log: "[button] t1:invoice"},
		{name: "forged button", ev: bot.Event{Kind: bot.EventButton, Data: "garbage"}, ids: []string{bot.MsgStaleButton}, log: "[button] garbage"},
		{name: "forged button over 64 bytes", ev: bot.Event{Kind: bot.EventButton, Data: strings.Repeat("按", 30)}, ids: []string{bot.MsgStaleButton}, log: "[button] " + strings.Repeat("按", 21)},
		{name: "unknown command", ev: bot.Event{Kind: bot.EventText, Text: "/foo"}, ids: []string{bot.MsgUnknownCommand}, log: "/foo"},
		{name: "unknown command with a card", ev: bot.Event{Kind: bot.EventText, Text: "/foo 4111111111111111"}, ids: []string{bot.MsgMasked, bot.MsgUnknownCommand}, log: "/foo ****1111"},
		{name: "unsupported", ev: bot.Event{Kind: bot.EventUnsupported, Data: "sticker"}, ids: []string{bot.MsgUnsupported}, log: "[sticker]"},
	}
	for _, lang := range langs {
		for _, step := range []string{"what_lost", "paid_by", "merchant", "wait_merchant"} {
			for _, tt := range tests {
				t.Run(lang.name+"/"+step+"/"+tt.name, func(t *testing.T) {
					c := newChat(t, lang.hint)
					c.text("hi")
					oldButton := bottest.ButtonData(t, c.asked, "invoice")
					path, question := stopAt(t, step)
					if step == "what_lost" {
						// Ask again, so that the first question's button is stale.
						path = []string{"1", "/start"}
					}
					for _, s := range path {
						c.text(s)
					}
					ev := tt.ev
					if tt.stale {
						ev.Data = oldButton
					}
					before := c.conv()
					logBefore := len(c.store.Transcript(c.key))

					got := c.send(ev)

					c.want(got, append(slices.Clone(tt.ids), question)...)
					wantLang(t, got, lang.name)
					after := c.conv()
					if !reflect.DeepEqual(stateOf(after), stateOf(before)) {
						t.Errorf("state changed:\n got %+v\nwant %+v", stateOf(after), stateOf(before))
					}
					if got, want := after.Turns, before.Turns+1; got != want {
						t.Errorf("turns: got %d, want %d", got, want)
					}
					var user []string
					for _, l := range c.store.Transcript(c.key)[logBefore:] {
						if l.From == "user" {
							user = append(user, l.Text)
						}
					}
					var want []string
					if tt.log != "" {
						want = []string{tt.log}
					}
					if !slices.Equal(user, want) {
						t.Errorf("user lines in the transcript: got %q, want %q", tails(user), tails(want))
					}
				})
			}
		}
	}
}

// tails shortens long lines to their last 40 bytes for messages.
func tails(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) > 40 {
			l = fmt.Sprintf("(%d bytes)...%s", len(l), l[len(l)-40:])
		}
		out[i] = l
	}
	return out
}

func TestMaskedAnswerIsStoredMasked(t *testing.T) {
	c := newChat(t, "en")
	c.walk([]string{"1", "2"})
	got := c.text("Starlight, card 4111 1111 1111 1111, PIN 1234")
	c.want(got, bot.MsgMasked, "consumer.problem")
	if got, want := c.conv().Slots["merchant"], "Starlight, card ****1111, PIN ****"; got != want {
		t.Errorf("merchant slot: got %q, want %q", got, want)
	}
	for _, l := range c.store.Transcript(c.key) {
		if strings.Contains(l.Text, "4111 1111") || strings.Contains(l.Text, "1234") {
			t.Errorf("transcript keeps a secret: %q", l.Text)
		}
	}
}

func TestRedeliveryAnswersFromTheRecord(t *testing.T) {
	c := newChat(t, "en")
	c.walk([]string{"1", "2", "Starlight", "1"})
	first := c.text("yes")
	c.want(first, "consumer.wait_merchant")
	conv, outbox, log := c.conv(), c.store.Outbox(c.key), c.store.Transcript(c.key)
	if kinds := effectKinds(outbox); !slices.Equal(kinds, []string{"merchant_note", "timer"}) {
		t.Fatalf("outbox: got %v, want [merchant_note timer]", kinds)
	}
	for range 3 {
		again := c.redeliver()
		if !reflect.DeepEqual(again, first) {
			t.Errorf("redelivery: got\n%s\nwant\n%s", bottest.Texts(again), bottest.Texts(first))
		}
	}
	if got := c.store.Outbox(c.key); !reflect.DeepEqual(got, outbox) {
		t.Errorf("outbox after redelivery: got %v, want %v", effectKinds(got), effectKinds(outbox))
	}
	if got := c.conv(); !reflect.DeepEqual(got, conv) {
		t.Errorf("conversation after redelivery: got %+v, want %+v", got, conv)
	}
	if got := c.store.Transcript(c.key); len(got) != len(log) {
		t.Errorf("transcript after redelivery: got %d lines, want %d", len(got), len(log))
	}
}

func effectKinds(es []bot.Effect) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Kind
	}
	return out
}

func TestEffectIDsAreUnique(t *testing.T) {
	c := newChat(t, "en")
	c.walk([]string{"1", "2", "Starlight", "1", "yes"})
	c.text("/human")
	seen := map[string]bool{}
	for _, e := range c.store.Outbox(c.key) {
		if seen[e.ID] {
			t.Errorf("effect ID %q used twice", e.ID)
		}
		seen[e.ID] = true
	}
	if len(seen) != 3 {
		t.Errorf("got %d effects, want 3 (note, timer, handover)", len(seen))
	}
}

func TestLanguageDetection(t *testing.T) {
	tests := []struct {
		hint, text, want string
	}{
		{"en-US", "hi", "en"},
		{"en-US", "你好", "en"},
		{"zh-hans", "hello", "zh-CN"},
		{"zh_CN", "hello", "zh-CN"},
		{"", "我丢了小票", "zh-CN"},
		{"", "hello", "en"},
		{"", "123", "zh-CN"},
		{"fr", "bonjour", "en"},
		{"fr", "你好", "zh-CN"},
	}
	for _, tt := range tests {
		t.Run(tt.hint+"/"+tt.text, func(t *testing.T) {
			c := newChat(t, tt.hint)
			got := c.text(tt.text)
			c.want(got, "consumer.welcome", "consumer.what_lost")
			if lang := c.conv().Lang; lang != tt.want {
				t.Errorf("language: got %q, want %q", lang, tt.want)
			}
			wantLang(t, got, tt.want)
		})
	}
}

func TestLanguageStaysOnceSet(t *testing.T) {
	c := newChat(t, "en")
	c.text("hi")
	c.hint = "zh-CN"
	got := c.text("2")
	c.want(got, "consumer.paid_by")
	wantLang(t, got, "en")
}

func TestSwitchLanguageAtEveryStep(t *testing.T) {
	switches := []struct {
		from, word, to string
	}{
		{"zh-CN", "English", "en"},
		{"zh-CN", "ｅｎｇｌｉｓｈ！", "en"},
		{"zh-CN", "/lang", "en"},
		{"en", "中文", "zh-CN"},
		{"en", "/lang", "zh-CN"},
		{"en", "语言", "zh-CN"},
		{"en", "English", "en"},
	}
	for _, stop := range stops {
		for _, sw := range switches {
			t.Run(stop.step+"/"+sw.from+"/"+sw.word, func(t *testing.T) {
				c := newChat(t, sw.from)
				c.walk(stop.path)
				before := c.conv()
				got := c.text(sw.word)
				c.want(got, bot.MsgLangSwitched, stop.question)
				wantLang(t, got, sw.to)
				after := c.conv()
				if after.Lang != sw.to {
					t.Errorf("language: got %q, want %q", after.Lang, sw.to)
				}
				before.Lang, before.LangChosen = sw.to, true
				if !reflect.DeepEqual(stateOf(after), stateOf(before)) {
					t.Errorf("state changed beyond the language:\n got %+v\nwant %+v", stateOf(after), stateOf(before))
				}
			})
		}
	}
}

func TestYesNoAnswers(t *testing.T) {
	tests := []struct {
		in, want string
		next     []string
	}{
		{"是", "yes", []string{"consumer.wait_merchant"}},
		{"否", "no", []string{"consumer.tips", "consumer.bye"}},
		{"yes", "yes", []string{"consumer.wait_merchant"}},
		{"no", "no", []string{"consumer.tips", "consumer.bye"}},
		{"ＹＥＳ", "yes", []string{"consumer.wait_merchant"}},
		{"好的", "yes", []string{"consumer.wait_merchant"}},
		{"不用", "no", []string{"consumer.tips", "consumer.bye"}},
	}
	for _, lang := range langs {
		for _, tt := range tests {
			t.Run(lang.name+"/"+tt.in, func(t *testing.T) {
				c := newChat(t, lang.hint)
				c.walk([]string{"1", "2", "Starlight", "1"})
				got := c.text(tt.in)
				c.want(got, tt.next...)
				// An answer clearly in the other language switches the
				// conversation to it.
				want := lang.name
				if l := understand.ClearLang(tt.in); l != "" {
					want = l
				}
				wantLang(t, got, want)
				if got := c.conv().Slots["note_merchant"]; got != tt.want {
					t.Errorf("note_merchant: got %q, want %q", got, tt.want)
				}
			})
		}
	}
}

func TestYesNoRetry(t *testing.T) {
	c := newChat(t, "zh-CN")
	c.walk([]string{"1", "2", "Starlight", "1"})
	got := c.text("也许")
	c.want(got, "consumer.yesno_retry", "consumer.want_note")
	if got, want := c.conv().Tries, 1; got != want {
		t.Errorf("tries: got %d, want %d", got, want)
	}
}

func TestChoiceByNumber(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"２", "mobile_receipt"},
		{"2", "mobile_receipt"},
		{" 3。", "invoice"},
		{"invoice", "invoice"},
		{"发票", "invoice"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c := newChat(t, "zh-CN")
			c.text("你好")
			c.want(c.text(tt.in), "consumer.paid_by")
			if got := c.conv().Slots["lost_kind"]; got != tt.want {
				t.Errorf("lost_kind: got %q, want %q", got, tt.want)
			}
		})
	}
	for _, in := range []string{"0", "4", "-1", "１０"} {
		t.Run("out of range "+in, func(t *testing.T) {
			c := newChat(t, "zh-CN")
			c.text("你好")
			c.want(c.text(in), bot.MsgChooseOne, "consumer.what_lost")
		})
	}
}

// editedContent returns the starter flows and locales with consumer.yaml
// changed by edit, loaded.
func editedContent(t *testing.T, old, new string) (*bot.Content, []bot.Problem) {
	t.Helper()
	flows, locales := fstest.MapFS{}, fstest.MapFS{}
	for _, d := range []struct {
		dir string
		fs  fstest.MapFS
	}{{starterFlows, flows}, {starterLocales, locales}} {
		entries, err := os.ReadDir(d.dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			buf, err := os.ReadFile(d.dir + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			d.fs[e.Name()] = &fstest.MapFile{Data: buf}
		}
	}
	src := string(flows["consumer.yaml"].Data)
	if strings.Count(src, old) != 1 {
		t.Fatalf("consumer.yaml: %q occurs %d times, want once", old, strings.Count(src, old))
	}
	flows["consumer.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(src, old, new, 1))}
	return bot.LoadContent(flows, locales, bot.NewRegistry())
}

// Version B of the consumer flow offers no "other" way to pay.
const paidOther = "      - {value: other, label: consumer.paid_other}\n"

func optionValues(rs []bot.Reply) []string {
	var vals []string
	for _, r := range rs {
		for _, o := range r.Options {
			vals = append(vals, o.Value)
		}
	}
	return vals
}

func TestFlowVersionChange(t *testing.T) {
	contentB, problems := editedContent(t, paidOther, "")
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	old := newChat(t, "en")
	old.text("hi")
	versionA := old.conv().FlowVersion
	versionB := contentB.Flows["consumer"].Version
	if versionA == versionB || versionA == "" {
		t.Fatalf("versions: A %q, B %q; want two different ones", versionA, versionB)
	}

	if err := old.e.Reload(context.Background(), contentB, problems); err != nil {
		t.Fatalf("reload: %v", err)
	}
	if got := old.e.Content(); got != contentB {
		t.Fatal("reload: the engine does not run content B")
	}

	got := old.text("1")
	old.want(got, "consumer.paid_by")
	if vals := optionValues(got); !slices.Contains(vals, "other") {
		t.Errorf("running conversation: got options %v, want version A's, with other", vals)
	}
	if got := old.conv().FlowVersion; got != versionA {
		t.Errorf("running conversation: flow version %q, want %q", got, versionA)
	}
	// Its answers still work on version A.
	old.want(old.text("6"), "consumer.merchant")
	if got := old.conv().Slots["paid_by"]; got != "other" {
		t.Errorf("paid_by: got %q, want other", got)
	}

	fresh := old.another("fresh", "en")
	fresh.text("hi")
	got = fresh.text("1")
	if vals := optionValues(got); slices.Contains(vals, "other") || len(vals) != 5 {
		t.Errorf("new conversation: got options %v, want version B's five", vals)
	}
	if got := fresh.conv().FlowVersion; got != versionB {
		t.Errorf("new conversation: flow version %q, want %q", got, versionB)
	}

	// A conversation that ended starts again on version B.
	old.text("/start")
	if got := old.conv().FlowVersion; got != versionB {
		t.Errorf("restarted conversation: flow version %q, want %q", got, versionB)
	}
}

// TestFlowVersionFromArchive runs an old version after a restart: the
// new engine has never seen it and reads it from the archive.
func TestFlowVersionFromArchive(t *testing.T) {
	contentB, problems := editedContent(t, paidOther, "")
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	contentA, reg := bottest.Content(t, starterFlows, starterLocales)
	store := bottest.NewMemStore()
	clock := bottest.NewClock()
	ctx := context.Background()
	engineA := bot.NewEngine(store, contentA, reg, bot.Config{Now: clock.Now, Archive: store})
	if err := engineA.ArchiveFlows(ctx); err != nil {
		t.Fatal(err)
	}
	c := &chat{t: t, e: engineA, store: store, clock: clock, key: bot.Key{Channel: "test", User: "archived"}, hint: "en"}
	c.text("hi")
	versionA := c.conv().FlowVersion

	c.e = bot.NewEngine(store, contentB, reg, bot.Config{Now: clock.Now, Archive: store})
	got := c.text("1")
	if vals := optionValues(got); !slices.Contains(vals, "other") {
		t.Errorf("after restart: got options %v, want version A's, with other", vals)
	}
	if got := c.conv().FlowVersion; got != versionA {
		t.Errorf("after restart: flow version %q, want %q", got, versionA)
	}
}

func TestReloadRefusesBrokenContent(t *testing.T) {
	c := newChat(t, "en")
	c.text("hi")
	running := c.e.Content()
	broken, problems := editedContent(t, "next: paid_by\n", "next: paid_bye\n")
	err := c.e.Reload(context.Background(), broken, problems)
	if err == nil {
		t.Fatal("reload of broken content: got nil error")
	}
	var e *bot.Error
	if !errors.As(err, &e) || e.Code != bot.EINVALID {
		t.Errorf("reload error: got %v, want an *Error with code %q", err, bot.EINVALID)
	}
	if !strings.Contains(err.Error(), `"paid_bye"`) {
		t.Errorf("reload error %q: want it to name the bad target", err)
	}
	if c.e.Content() != running {
		t.Fatal("reload of broken content replaced the running content")
	}
	c.want(c.text("1"), "consumer.paid_by")
}

func TestWaitForMerchant(t *testing.T) {
	// "ok" says nothing about the language: the conversation keeps its own.
	toWait := []string{"1", "2", "Starlight", "1", "ok"}
	t.Run("answer", func(t *testing.T) {
		c := newChat(t, "en")
		c.walk(toWait)
		c.want(c.send(bot.Event{Kind: bot.EventSignal, Name: "other_event", Data: "found"}))
		c.want(c.send(bot.Event{Kind: bot.EventSignal, Name: "merchant_answer", Data: "unheard_of"}))
		c.want(c.text("any news?"), "consumer.wait_hold")
		got := c.send(bot.Event{Kind: bot.EventSignal, Name: "merchant_answer", Data: "found"})
		c.want(got, "consumer.merchant_found", "consumer.tips", "consumer.bye")
		conv := c.conv()
		if conv.Slots["merchant_answer"] != "found" || !conv.Ended || conv.Deadline != 0 {
			t.Errorf("after the answer: got %+v, want merchant_answer found, ended, no deadline", conv)
		}
		// The timer still fires later: it must do nothing.
		c.clock.Advance(49 * time.Hour)
		c.want(c.send(bot.Event{Kind: bot.EventTick}))
	})
	t.Run("timeout", func(t *testing.T) {
		c := newChat(t, "zh-CN")
		c.walk(toWait)
		timers := 0
		for _, e := range c.store.Outbox(c.key) {
			if e.Kind == "timer" {
				timers++
				if got, want := e.Due, c.clock.Now().Add(48*time.Hour).Unix(); got != want {
					t.Errorf("timer due: got %d, want %d", got, want)
				}
			}
		}
		if timers != 1 {
			t.Fatalf("timers: got %d, want 1", timers)
		}
		c.want(c.send(bot.Event{Kind: bot.EventTick}))
		c.clock.Advance(47 * time.Hour)
		c.want(c.send(bot.Event{Kind: bot.EventTick}))
		c.clock.Advance(time.Hour)
		got := c.send(bot.Event{Kind: bot.EventTick})
		c.want(got, "consumer.merchant_silent", "consumer.tips", "consumer.bye")
		wantLang(t, got, "zh-CN")
		if again := c.redeliver(); !reflect.DeepEqual(again, got) {
			t.Errorf("redelivered tick: got %v, want %v", bottest.IDs(again), bottest.IDs(got))
		}
		c.want(c.send(bot.Event{Kind: bot.EventTick}))
		c.clock.Advance(time.Hour)
		c.want(c.send(bot.Event{Kind: bot.EventTick}))
		c.want(c.send(bot.Event{Kind: bot.EventSignal, Name: "merchant_answer", Data: "found"}))
		fired := 0
		for _, l := range c.store.Transcript(c.key) {
			if l.MsgID == "consumer.merchant_silent" {
				fired++
			}
		}
		if fired != 1 {
			t.Errorf("on_timeout fired %d times, want once", fired)
		}
	})
	t.Run("text after the deadline", func(t *testing.T) {
		c := newChat(t, "en")
		c.walk(toWait)
		c.clock.Advance(49 * time.Hour)
		c.want(c.text("any news?"), "consumer.merchant_silent", "consumer.tips", "consumer.bye")
		c.want(c.send(bot.Event{Kind: bot.EventTick}))
	})
}

func TestDelete(t *testing.T) {
	for _, lang := range langs {
		t.Run(lang.name, func(t *testing.T) {
			c := newChat(t, lang.hint)
			c.walk([]string{"1", "2", "Starlight", "1", "ok"})
			timers := c.conv().Timers
			if len(timers) != 1 {
				t.Fatalf("timers while waiting: got %v, want one", timers)
			}
			// The outbox keeps what earlier turns put there until the
			// workers carry it out; only what the deletion adds counts.
			queued := len(c.store.Outbox(c.key))
			got := c.text("/delete")
			c.want(got, "system.delete_confirm")
			if vals := optionValues(got); !slices.Equal(vals, []string{"yes", "no"}) {
				t.Fatalf("delete_confirm options: got %v, want [yes no]", vals)
			}
			got = c.tap("yes")
			c.want(got, bot.MsgDeleted)
			wantLang(t, got, lang.name)
			if conv, ok := c.store.Conversation(c.key); ok {
				t.Errorf("conversation: got %+v, want it deleted", conv)
			}
			if log := c.store.Transcript(c.key); len(log) != 0 {
				t.Errorf("transcript: got %d lines, want none", len(log))
			}
			var cancelled []string
			for _, e := range c.store.Outbox(c.key)[queued:] {
				switch e.Kind {
				case bot.EffectTimerCancel:
					cancelled = append(cancelled, e.Data["id"])
				case bot.EffectProofDelete, bot.EffectCaseSync, bot.EffectOpsForget:
				default:
					t.Errorf("the deletion added a %s effect to the outbox", e.Kind)
				}
			}
			if !slices.Equal(cancelled, timers) {
				t.Errorf("timers cancelled: got %v, want the wait's %v", cancelled, timers)
			}
			// The deletion keeps no delivery record, which would name the
			// user: its redelivery taps a button of no conversation.
			c.want(c.redeliver(), bot.MsgStaleButton)
			if _, ok := c.store.Conversation(c.key); ok {
				t.Error("redelivered delete brought the conversation back")
			}
			c.want(c.text("hi"), "consumer.welcome", "consumer.what_lost")
			if got := c.conv().Slots; len(got) != 0 {
				t.Errorf("slots after deletion: got %v, want none", got)
			}
		})
	}
}

func TestDeleteTypedYes(t *testing.T) {
	c := newChat(t, "zh-CN")
	c.walk([]string{"1", "/delete"})
	c.want(c.text("确定删除"), bot.MsgDeleted)
	if _, ok := c.store.Conversation(c.key); ok {
		t.Error("conversation not deleted")
	}
}

func TestDeleteKept(t *testing.T) {
	t.Run("answers kept", func(t *testing.T) {
		c := newChat(t, "en")
		c.walk([]string{"1", "2"})
		before := c.conv()
		c.text("/delete")
		c.want(c.tap("no"), "system.kept", "consumer.merchant")
		after := c.conv()
		if after.Step != "merchant" || !reflect.DeepEqual(after.Slots, before.Slots) {
			t.Errorf("after keeping: got step %q, slots %v; want merchant, %v", after.Step, after.Slots, before.Slots)
		}
	})
	t.Run("wait keeps its one timer", func(t *testing.T) {
		c := newChat(t, "en")
		c.walk([]string{"1", "2", "Starlight", "1", "yes"})
		deadline := c.conv().Deadline
		c.text("/delete")
		c.want(c.tap("no"), "system.kept", "consumer.wait_hold")
		if got := c.conv().Deadline; got != deadline {
			t.Errorf("deadline: got %d, want %d", got, deadline)
		}
		if kinds := effectKinds(c.store.Outbox(c.key)); !slices.Equal(kinds, []string{"merchant_note", "timer"}) {
			t.Errorf("outbox: got %v, want [merchant_note timer]", kinds)
		}
	})
	t.Run("asked twice", func(t *testing.T) {
		c := newChat(t, "en")
		c.walk([]string{"1", "2"})
		before := c.conv()
		c.text("/delete")
		c.want(c.text("/delete"), "system.delete_confirm")
		c.want(c.tap("no"), "system.kept", "consumer.merchant")
		if after := c.conv(); after.Step != "merchant" || !reflect.DeepEqual(after.Slots, before.Slots) {
			t.Errorf("after keeping: got step %q, slots %v; want merchant, %v", after.Step, after.Slots, before.Slots)
		}
	})
}

func TestDeleteWhileWithHuman(t *testing.T) {
	c := newChat(t, "en")
	c.walk([]string{"1"})
	c.want(c.text("/human"), bot.MsgHandover)
	c.want(c.text("hello?"), bot.MsgWithHuman)
	c.want(c.text("/delete"), "system.delete_confirm")
	c.want(c.tap("yes"), bot.MsgDeleted)
	if _, ok := c.store.Conversation(c.key); ok {
		t.Error("conversation not deleted")
	}
}

func TestHumanHandover(t *testing.T) {
	c := newChat(t, "zh-CN")
	c.walk([]string{"1"})
	got := c.text("人工")
	c.want(got, bot.MsgHandover)
	conv := c.conv()
	if !conv.Human {
		t.Error("human: got false, want true")
	}
	if kinds := effectKinds(c.store.Outbox(c.key)); !slices.Equal(kinds, []string{"handover"}) {
		t.Errorf("outbox: got %v, want [handover]", kinds)
	}
	c.want(c.text("还在吗"), bot.MsgWithHuman)
	c.want(c.send(bot.Event{Kind: bot.EventButton, Data: "t2:debit"}), bot.MsgStaleButton)
	got = c.text("/status")
	c.want(got, bot.MsgStatus, bot.MsgCaseNone)
	if !strings.Contains(got[0].Text, "人工客服") {
		t.Errorf("status while with a person: got %q", got[0].Text)
	}
	c.want(c.text("开始"), "consumer.welcome", "consumer.what_lost")
	if c.conv().Human {
		t.Error("human after start: got true, want false")
	}
}

func TestSlashCommands(t *testing.T) {
	tests := []struct {
		in  string
		ids []string
	}{
		{"/help", []string{"cmd.help", "consumer.paid_by"}},
		{"/HELP", []string{"cmd.help", "consumer.paid_by"}},
		{"／ｈｅｌｐ", []string{"cmd.help", "consumer.paid_by"}},
		{"/help@SlipdeskBot", []string{"cmd.help", "consumer.paid_by"}},
		{"/start@SlipdeskBot", []string{"consumer.welcome", "consumer.what_lost"}},
		// A Telegram deep link (t.me/bot?start=ref) sends "/start ref".
		{"/start ref42", []string{"consumer.welcome", "consumer.what_lost"}},
		{"/foo", []string{bot.MsgUnknownCommand, "consumer.paid_by"}},
		{"/", []string{bot.MsgUnknownCommand, "consumer.paid_by"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c := newChat(t, "en")
			c.walk([]string{"1"})
			c.want(c.text(tt.in), tt.ids...)
		})
	}
}

func TestFallbackAfterTries(t *testing.T) {
	c := newChat(t, "en")
	c.walk([]string{"1", "2"})
	c.want(c.text("???"), "consumer.merchant_retry", "consumer.merchant")
	c.want(c.text("!!!"), "consumer.merchant_retry", "consumer.merchant")
	c.want(c.text("..."), "consumer.offer_human")
	c.want(c.tap("skip"), "consumer.problem")
	if got := c.conv().Tries; got != 0 {
		t.Errorf("tries: got %d, want 0", got)
	}
}

func TestConcurrentTurnsAllCommit(t *testing.T) {
	c := newChat(t, "en")
	c.walk([]string{"1"})
	before := c.conv()
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ev := bot.Event{Key: c.key, Kind: bot.EventText, Text: "/help", DeliveryID: fmt.Sprintf("p%d", i)}
			if _, err := c.e.Handle(context.Background(), ev); err != nil {
				t.Errorf("handle %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	after := c.conv()
	if got, want := after.Turns, before.Turns+n; got != want {
		t.Errorf("turns: got %d, want %d", got, want)
	}
	if !reflect.DeepEqual(stateOf(after), stateOf(before)) {
		t.Errorf("state changed:\n got %+v\nwant %+v", stateOf(after), stateOf(before))
	}
}

// flakyStore fails commits the way a busy or broken store would.
type flakyStore struct {
	*bottest.MemStore
	mu        sync.Mutex
	conflicts int   // commits to refuse with a conflict first
	err       error // if set, every commit fails with it
	commits   int
}

var _ bot.Store = (*flakyStore)(nil)

func (s *flakyStore) Commit(ctx context.Context, c bot.Commit) error {
	s.mu.Lock()
	s.commits++
	switch {
	case s.err != nil:
		s.mu.Unlock()
		return s.err
	case s.conflicts > 0:
		s.conflicts--
		s.mu.Unlock()
		return fmt.Errorf("redis: %w", bot.ErrConflict)
	}
	s.mu.Unlock()
	return s.MemStore.Commit(ctx, c)
}

func TestHandleStoreFailures(t *testing.T) {
	content, reg := bottest.Content(t, starterFlows, starterLocales)
	ev := bot.Event{Key: bot.Key{Channel: "test", User: "u"}, Kind: bot.EventText, Text: "hi", DeliveryID: "1", LangHint: "en"}
	t.Run("conflicts are retried", func(t *testing.T) {
		s := &flakyStore{MemStore: bottest.NewMemStore(), conflicts: 3}
		e := bot.NewEngine(s, content, reg, bot.Config{})
		got, err := e.Handle(context.Background(), ev)
		if err != nil {
			t.Fatalf("handle: %v", err)
		}
		if !slices.Equal(bottest.IDs(got), []string{"consumer.welcome", "consumer.what_lost"}) {
			t.Errorf("replies: got %v", bottest.IDs(got))
		}
		if s.commits != 4 {
			t.Errorf("commits: got %d, want 4", s.commits)
		}
	})
	t.Run("endless conflicts give up", func(t *testing.T) {
		s := &flakyStore{MemStore: bottest.NewMemStore(), conflicts: 1 << 30}
		e := bot.NewEngine(s, content, reg, bot.Config{MaxAttempts: 5})
		_, err := e.Handle(context.Background(), ev)
		if !errors.Is(err, bot.ErrConflict) {
			t.Errorf("handle: got %v, want a conflict", err)
		}
		if s.commits != 5 {
			t.Errorf("commits: got %d, want 5", s.commits)
		}
	})
	t.Run("unavailable store", func(t *testing.T) {
		s := &flakyStore{MemStore: bottest.NewMemStore(), err: fmt.Errorf("dial tcp: %w", bot.ErrUnavailable)}
		e := bot.NewEngine(s, content, reg, bot.Config{})
		_, err := e.Handle(context.Background(), ev)
		if !errors.Is(err, bot.ErrUnavailable) || bot.ErrorCode(err) != bot.EUNAVAIL {
			t.Errorf("handle: got %v (code %q), want unavailable", err, bot.ErrorCode(err))
		}
		if s.commits != 1 {
			t.Errorf("commits: got %d, want 1", s.commits)
		}
	})
}

// TestProcessTellsFreshFromReplayed checks what a channel that sends
// replies itself relies on: the call that commits a turn says so, and a
// redelivery of it does not.
func TestProcessTellsFreshFromReplayed(t *testing.T) {
	c := newChat(t, "en")
	ev := bot.Event{Key: c.key, Kind: bot.EventText, Text: "hello", DeliveryID: "u1", LangHint: "en"}
	first, err := c.e.Process(context.Background(), ev)
	if err != nil || !first.Fresh || len(first.Replies) == 0 {
		t.Fatalf("first delivery: %+v, %v; want fresh replies", first, err)
	}
	again, err := c.e.Process(context.Background(), ev)
	if err != nil || again.Fresh || !reflect.DeepEqual(again.Replies, first.Replies) {
		t.Fatalf("redelivery: %+v, %v; want the recorded replies, not fresh", again, err)
	}
}

// TestRefusedFileWithCaption sends a file the channel refused, with a
// caption holding a card number: the user hears why in the
// conversation's language, the caption is kept masked, and the question
// stands.
func TestRefusedFileWithCaption(t *testing.T) {
	c := newChat(t, "zh-CN")
	c.text("你好")
	before := c.conv()
	replies := c.send(bot.Event{Kind: bot.EventFile, Data: bot.MsgProofTooLarge, Text: "账单 4111 1111 1111 1111"})
	if len(replies) < 2 || replies[0].MsgID != bot.MsgMasked || replies[1].MsgID != bot.MsgProofTooLarge {
		t.Fatalf("replies %v, want masked then too large", bottest.Texts(replies))
	}
	if !strings.Contains(replies[1].Text, "10 MB") {
		t.Errorf("too large says %q, without the limit", replies[1].Text)
	}
	after := c.conv()
	if after.Step != before.Step || len(after.Proofs) != 0 {
		t.Errorf("a refused file changed the conversation: step %q, proofs %d", after.Step, len(after.Proofs))
	}
	log := c.store.Transcript(c.key)
	last := ""
	for _, l := range log {
		if l.From == "user" {
			last = l.Text
		}
	}
	if !strings.HasPrefix(last, "[file refused] 账单") || strings.Contains(last, "4111 1111") {
		t.Errorf("transcript line %q: want the caption kept, masked", last)
	}
}

// TestProcessLoaded runs turns on conversations their channel loaded:
// on a current snapshot the turn is the one Process would run; on a
// stale one (another turn committed since) the commit conflicts and the
// turn runs again on what it loads itself; on a snapshot of a delivery
// committed before, the recorded replies come back and nothing changes,
// without a load of its own.
func TestProcessLoaded(t *testing.T) {
	ctx := context.Background()
	c := newChat(t, "en")
	ref := c.another("ref", "en")
	for _, text := range []string{"hello, I lost my slip", "1"} {
		ev := bot.Event{Key: c.key, Kind: bot.EventText, Text: text, LangHint: "en", DeliveryID: "l-" + text}
		snap, err := c.store.Load(ctx, c.key, ev.DeliveryID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.e.ProcessLoaded(ctx, ev, snap)
		if err != nil {
			t.Fatal(err)
		}
		want := ref.text(text)
		if !reflect.DeepEqual(bottest.IDs(got.Replies), bottest.IDs(want)) {
			t.Fatalf("%q: replies %v, want %v", text, bottest.IDs(got.Replies), bottest.IDs(want))
		}
	}
	stale, err := c.store.Load(ctx, c.key, "l-stale")
	if err != nil {
		t.Fatal(err)
	}
	c.text("1")
	ref.text("1")
	version := c.conv().Version
	got, err := c.e.ProcessLoaded(ctx, bot.Event{Key: c.key, Kind: bot.EventText, Text: "1", LangHint: "en", DeliveryID: "l-stale"}, stale)
	if err != nil {
		t.Fatal(err)
	}
	if want := ref.text("1"); !reflect.DeepEqual(bottest.IDs(got.Replies), bottest.IDs(want)) {
		t.Fatalf("on a stale snapshot: replies %v, want %v (the turn run on what is stored now)", bottest.IDs(got.Replies), bottest.IDs(want))
	}
	if v := c.conv().Version; v != version+1 {
		t.Fatalf("version %d after the turn, want %d", v, version+1)
	}
	replay, err := c.store.Load(ctx, c.key, "l-stale")
	if err != nil || replay.Replayed == nil {
		t.Fatalf("the committed delivery loads as %+v, %v", replay, err)
	}
	again, err := c.e.ProcessLoaded(ctx, bot.Event{Key: c.key, Kind: bot.EventText, Text: "1", LangHint: "en", DeliveryID: "l-stale"}, replay)
	if err != nil || !reflect.DeepEqual(again.Replies, got.Replies) || again.Fresh {
		t.Fatalf("redelivery: %v, %v, fresh %v; want the recorded replies", bottest.IDs(again.Replies), err, again.Fresh)
	}
	if v := c.conv().Version; v != version+1 {
		t.Fatalf("a redelivery changed the version to %d", v)
	}
	// The first attempt takes the snapshot as loaded, without loading
	// again: one that says the delivery was answered is answered so.
	said := []bot.Reply{{MsgID: "consumer.welcome", Text: "as loaded"}}
	got, err = c.e.ProcessLoaded(ctx, bot.Event{Key: c.key, Kind: bot.EventText, Text: "1", LangHint: "en", DeliveryID: "l-new"}, bot.Snapshot{Replayed: said})
	if err != nil || !reflect.DeepEqual(got.Replies, said) {
		t.Fatalf("on a snapshot of an answered delivery: %v, %v; want its replies", bottest.IDs(got.Replies), err)
	}
	if v := c.conv().Version; v != version+1 {
		t.Fatalf("a delivery loaded as answered changed the version to %d", v)
	}
}
