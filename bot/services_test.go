package bot_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// The services fixture: a payment question, the contact action on two
// paths, and a services file with two issuers, a network, a wallet and
// the police. Each case below breaks it one way.

const svcCommands = `start_flow: pay
commands:
  - name: restart
    words:
      any: [/start]
    goto: pay
`

const svcFlow = `flow: pay
steps:
  - id: paid_by
    choice: p.paid_by
    slot: paid_by
    options:
      - {value: card, label: p.card}
      - {value: wallet, label: p.wallet}
      - {value: cash, label: p.cash}
    next: route

  - id: route
    branch:
      - {if: 'paid_by == "cash"', next: urgent}
    next: contact

  - id: contact
    action: contact
    with: {by: paid_by}
    next: bye

  - id: urgent
    action: contact
    with: {by: paid_by, add: police, say: p.urgent}
    next: bye

  - id: bye
    end: p.bye
`

const svcServices = `# numbers
services:
  - {id: bank_a, name: s.bank_a, number: "95501", for: [card], issuer: true}
  - {id: network, name: s.network, number: "95516", for: [card, wallet]}
  - {id: bank_b, name: s.bank_b, number: "95502", for: [card], issuer: true}
  - {id: wallet, name: s.wallet, number: "95188", for: [wallet]}
  - {id: police, name: s.police, number: "110"}
`

var svcEN = bottest.SystemLocale("en") + `
[p]
paid_by = "How did you pay?"
card = "Card"
wallet = "Wallet"
cash = "Cash"
urgent = "Now:\n{{.Lines}}"
bye = "Bye."

[s]
bank_a = "Bank A"
bank_b = "Bank B"
network = "Network"
wallet = "Wallet Pay"
police = "Police"

[contact]
list = "Call:\n{{.Lines}}\nKeep records."
line = "- {{.Name}} {{.Number}}"
issuers = "- Your bank: {{.List}}"
issuer = "{{if not .First}}, {{end}}{{.Name}} {{.Number}}"
none = "- Whoever took the payment"
`

var svcZH = bottest.SystemLocale("zh-CN") + `
[p]
paid_by = "怎么付的？"
card = "银行卡"
wallet = "钱包"
cash = "现金"
urgent = "马上：\n{{.Lines}}"
bye = "再见。"

[s]
bank_a = "甲银行"
bank_b = "乙银行"
network = "网络"
wallet = "钱包支付"
police = "报警电话"

[contact]
list = "请联系：\n{{.Lines}}\n保存记录。"
line = "· {{.Name}} {{.Number}}"
issuers = "· 发卡行：{{.List}}"
issuer = "{{if not .First}}、{{end}}{{.Name}} {{.Number}}"
none = "· 收款的机构"
`

func svcFixture() map[string]string {
	return map[string]string{
		"commands.yaml": svcCommands,
		"pay.yaml":      svcFlow,
		"services.yaml": svcServices,
		"en.toml":       svcEN,
		"zh-CN.toml":    svcZH,
	}
}

func svcLoad(t *testing.T, files map[string]string) (*bot.Content, *bot.Registry, []bot.Problem) {
	t.Helper()
	flows, locales := fstest.MapFS{}, fstest.MapFS{}
	for name, body := range files {
		f := &fstest.MapFile{Data: []byte(body)}
		if path.Ext(name) == ".toml" {
			locales[name] = f
		} else {
			flows[name] = f
		}
	}
	reg := bot.NewRegistry()
	c, problems := bot.LoadContent(flows, locales, reg)
	return c, reg, problems
}

func svcProblems(ps []bot.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

func TestServicesFixtureIsClean(t *testing.T) {
	c, _, problems := svcLoad(t, svcFixture())
	if len(problems) != 0 {
		t.Fatalf("got %d problems, want none:%s", len(problems), svcProblems(problems))
	}
	if c.Services == nil || len(c.Services.List) != 5 || c.Services.File != "services.yaml" {
		t.Fatalf("services: got %+v, want the 5 entries of services.yaml", c.Services)
	}
	if got := c.Services.List[1]; got.ID != "network" || got.Line != 4 || !slices.Equal(got.For, []string{"card", "wallet"}) {
		t.Errorf("entry 2: got %+v, want network on line 4 for card and wallet", got)
	}
}

func TestServicesProblems(t *testing.T) {
	tests := []struct {
		name string
		file string // the file to edit; "" adds new as a file named old
		old  string
		new  string
		// The problem expected: its file and line (0: any), a part of
		// its message and of its fix.
		wantFile string
		wantLine int
		msg, fix string
	}{
		{
			name: "name missing in a language",
			file: "en.toml", old: "wallet = \"Wallet Pay\"\n", new: "",
			wantFile: "services.yaml", wantLine: 6, msg: `message "s.wallet" is missing in en`, fix: "add [s.wallet]",
		},
		{
			name: "unknown name",
			file: "services.yaml", old: "name: s.police", new: "name: s.polce",
			wantFile: "services.yaml", wantLine: 7, msg: `message "s.polce" is missing in zh-CN`,
		},
		{
			name: "no name",
			file: "services.yaml", old: "name: s.police, ", new: "",
			wantFile: "services.yaml", wantLine: 7, msg: `service "police": has no name`, fix: "add name:",
		},
		{
			name: "letters in a number",
			file: "services.yaml", old: `number: "95501"`, new: `number: "9550l"`,
			wantFile: "services.yaml", wantLine: 3, msg: `service "bank_a": number "9550l" is not a phone number`, fix: `"95588"`,
		},
		{
			name: "too short a number",
			file: "services.yaml", old: `number: "110"`, new: `number: "11"`,
			wantFile: "services.yaml", wantLine: 7, msg: `number "11" is not a phone number`,
		},
		{
			name: "no number",
			file: "services.yaml", old: `, number: "95188"`, new: "",
			wantFile: "services.yaml", wantLine: 6, msg: `service "wallet": number "" is not a phone number`,
		},
		{
			name: "duplicate id",
			file: "services.yaml", old: "id: bank_b", new: "id: bank_a",
			wantFile: "services.yaml", wantLine: 5, msg: `service "bank_a": is listed twice (first at line 3)`, fix: "its own id",
		},
		{
			name: "bad id",
			file: "services.yaml", old: "id: bank_b", new: "id: Bank B",
			wantFile: "services.yaml", wantLine: 5, msg: "id may hold only lower-case letters",
		},
		{
			name: "for a method no question offers",
			file: "services.yaml", old: "for: [wallet]", new: "for: [walet]",
			wantFile: "services.yaml", wantLine: 6, msg: `for: "walet" is not an answer any payment question offers`, fix: "card, cash, wallet",
		},
		{
			name: "unknown key",
			file: "services.yaml", old: "issuer: true}\n  - {id: network", new: "isuer: true}\n  - {id: network",
			wantFile: "services.yaml", msg: `unknown key "isuer"`, fix: "services file format",
		},
		{
			name: "add names an unknown service",
			file: "pay.yaml", old: "add: police", new: "add: polise",
			wantFile: "pay.yaml", wantLine: 22, msg: `action contact: add names "polise", which services.yaml does not list`, fix: `did you mean "police"?`,
		},
		{
			name: "contact with neither by nor add",
			file: "pay.yaml", old: "with: {by: paid_by}\n", new: "with: {}\n",
			wantFile: "pay.yaml", wantLine: 17, msg: "action contact: says no number", fix: "by: paid_by",
		},
		{
			name: "contact with an unknown key",
			file: "pay.yaml", old: "with: {by: paid_by}\n", new: "with: {by: paid_by, bye: x}\n",
			wantFile: "pay.yaml", wantLine: 17, msg: `action contact: unknown key "bye"`,
		},
		{
			name: "contact message missing",
			file: "zh-CN.toml", old: "none = \"· 收款的机构\"\n", new: "",
			wantFile: "pay.yaml", msg: `message "contact.none" is missing in zh-CN`,
		},
		{
			name: "contact without a services file",
			file: "services.yaml", old: svcServices, new: "",
			wantFile: "pay.yaml", wantLine: 17, msg: "action contact: there is no services file", fix: "add services.yaml",
		},
		{
			name: "services file without services",
			file: "services.yaml", old: "services:\n", new: "servics:\n",
			wantFile: "services.yaml", msg: "neither a flow", fix: "'services:'",
		},
		{
			name: "two services files",
			old:  "more.yaml", new: "services:\n  - {id: extra, name: s.police, number: \"112\"}\n",
			wantFile: "services.yaml", msg: "services are also listed in more.yaml", fix: "one file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := svcFixture()
			if tt.file == "" {
				files[tt.old] = tt.new
			} else {
				if n := strings.Count(files[tt.file], tt.old); n != 1 {
					t.Fatalf("fixture %s: %q occurs %d times, want once", tt.file, tt.old, n)
				}
				files[tt.file] = strings.Replace(files[tt.file], tt.old, tt.new, 1)
				if files[tt.file] == "" {
					delete(files, tt.file)
				}
			}
			_, _, problems := svcLoad(t, files)
			for _, p := range problems {
				if p.File == tt.wantFile && (tt.wantLine == 0 || p.Line == tt.wantLine) &&
					strings.Contains(p.Msg, tt.msg) && strings.Contains(p.Fix, tt.fix) {
					if p.Warning {
						t.Errorf("got a warning, want an error: %s", p)
					}
					return
				}
			}
			t.Errorf("no problem in %s:%d with %q (fix %q); got:%s", tt.wantFile, tt.wantLine, tt.msg, tt.fix, svcProblems(problems))
		})
	}
}

// A services file without any contact action is still checked, but its
// for: values cannot be: no question says what the methods are.
func TestServicesWithoutContactAction(t *testing.T) {
	files := svcFixture()
	files["pay.yaml"] = strings.NewReplacer(
		"    action: contact\n    with: {by: paid_by}\n", "    say: p.bye\n",
		"    action: contact\n    with: {by: paid_by, add: police, say: p.urgent}\n", "    say: p.bye\n",
	).Replace(files["pay.yaml"])
	files["services.yaml"] = strings.Replace(files["services.yaml"], "for: [wallet]", "for: [anything]", 1)
	_, _, problems := svcLoad(t, files)
	if errs := bot.Errors(problems); len(errs) != 0 {
		t.Errorf("got errors:%s\nwant none", svcProblems(errs))
	}
}

func TestContactSays(t *testing.T) {
	tests := []struct {
		lang, pick string
		id, text   string
	}{
		{"en", "card", "contact.list", "Call:\n- Your bank: Bank A 95501, Bank B 95502\n- Network 95516\nKeep records."},
		{"en", "wallet", "contact.list", "Call:\n- Network 95516\n- Wallet Pay 95188\nKeep records."},
		{"en", "cash", "p.urgent", "Now:\n- Whoever took the payment\n- Police 110"},
		{"zh-CN", "card", "contact.list", "请联系：\n· 发卡行：甲银行 95501、乙银行 95502\n· 网络 95516\n保存记录。"},
		{"zh-CN", "cash", "p.urgent", "马上：\n· 收款的机构\n· 报警电话 110"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.pick, func(t *testing.T) {
			c, reg, problems := svcLoad(t, svcFixture())
			if err := bot.ProblemsError(problems); err != nil {
				t.Fatal(err)
			}
			got := svcPick(t, c, reg, tt.lang, tt.pick)
			if len(got) != 2 || got[0].MsgID != tt.id || got[1].MsgID != "p.bye" {
				t.Fatalf("replies %v, want [%s p.bye]\n%s", bottest.IDs(got), tt.id, bottest.Texts(got))
			}
			if got[0].Text != tt.text {
				t.Errorf("text:\n got %q\nwant %q", got[0].Text, tt.text)
			}
		})
	}
}

// svcPick starts a conversation in lang, in the start flow, and picks
// the option with value.
func svcPick(t *testing.T, c *bot.Content, reg *bot.Registry, lang, value string) []bot.Reply {
	t.Helper()
	e := bot.NewEngine(bottest.NewMemStore(), c, reg, bot.Config{Now: bottest.NewClock().Now})
	key := bot.Key{Channel: "test", User: "u"}
	first, err := e.Handle(context.Background(), bot.Event{Key: key, Kind: bot.EventText, Text: "hi", LangHint: lang, DeliveryID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	replies, err := e.Handle(context.Background(), bot.Event{Key: key, Kind: bot.EventButton, Data: bottest.ButtonData(t, first, value), LangHint: lang, DeliveryID: "2"})
	if err != nil {
		t.Fatal(err)
	}
	return replies
}

// TestRealServicesNumbers checks the shipped services file against the
// shipped payment question: every way to pay gets the numbers it should,
// in both languages, and the numbers are the public ones.
func TestRealServicesNumbers(t *testing.T) {
	files := map[string]string{}
	for _, dir := range []string{"../flows", "../locales"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range entries {
			if ext := path.Ext(en.Name()); ext != ".yaml" && ext != ".toml" {
				continue
			}
			buf, err := os.ReadFile(dir + "/" + en.Name())
			if err != nil {
				t.Fatal(err)
			}
			files[en.Name()] = string(buf)
		}
	}
	real, _, problems := svcLoad(t, files)
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	paid := real.Flows["consumer"].Step("paid_by")
	if paid == nil {
		t.Fatal("consumer.yaml has no paid_by step")
	}
	// A flow of its own asks the real payment question and says the
	// numbers, beside the real flows, locales and services file; new
	// conversations start in it.
	var opts strings.Builder
	for _, o := range paid.Options {
		fmt.Fprintf(&opts, "      - {value: %s, label: %s}\n", o.Value, o.Label)
	}
	only := maps.Clone(files)
	only["zz_contact_test.yaml"] = "flow: contact_test\nsteps:\n  - id: paid_by\n    choice: consumer.paid_by\n    slot: paid_by\n    options:\n" + opts.String() +
		"    next: contact\n  - id: contact\n    action: contact\n    with: {by: paid_by, add: police}\n    next: bye\n  - id: bye\n    end: consumer.bye\n"
	if !strings.Contains(only["commands.yaml"], "start_flow: consumer\n") {
		t.Fatal("commands.yaml: no start_flow: consumer")
	}
	only["commands.yaml"] = strings.Replace(only["commands.yaml"], "start_flow: consumer\n", "start_flow: contact_test\n", 1)
	c, reg, problems := svcLoad(t, only)
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	banks := []string{"95588", "95533", "95599", "95566", "95559", "95555", "95580", "95528", "95558", "95568", "95561", "95595", "95511", "95577", "95508"}
	want := map[string][]string{
		"debit":       append([]string{"95516"}, banks...),
		"credit":      append([]string{"95516"}, banks...),
		"alipay":      {"95188"},
		"wechat":      {"95017"},
		"unionpay_qr": {"95516"},
		"other":       {},
	}
	for _, o := range paid.Options {
		numbers, ok := want[o.Value]
		if !ok {
			t.Errorf("payment method %q: no numbers expected by this test; add it", o.Value)
			continue
		}
		for _, lang := range bot.Languages {
			t.Run(o.Value+"/"+lang, func(t *testing.T) {
				got := svcPick(t, c, reg, lang, o.Value)
				if len(got) == 0 || got[0].MsgID != bot.MsgContactList {
					t.Fatalf("replies %v, want %s first", bottest.IDs(got), bot.MsgContactList)
				}
				text := got[0].Text
				for _, n := range append(numbers, "110") {
					if !strings.Contains(text, " "+n) {
						t.Errorf("lacks %s:\n%s", n, text)
					}
				}
				for _, other := range []string{"95188", "95017"} {
					if !slices.Contains(numbers, other) && strings.Contains(text, other) {
						t.Errorf("has %s, not for %s:\n%s", other, o.Value, text)
					}
				}
				if strings.Contains(text, "<no value>") || strings.Contains(text, "{{") {
					t.Errorf("unfilled placeholder:\n%s", text)
				}
			})
		}
	}
}
