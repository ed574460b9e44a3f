package bot_test

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// The base fixture is the smallest content that uses every step kind and
// loads with no problem at all; each case below breaks it one way.

const baseCommands = `start_flow: main
commands:
  - name: help
    words:
      en: [/help, help]
      zh-CN: [帮助]
    say: cmd.help
  - name: restart
    words:
      any: [/start]
    goto: main
`

const baseMain = `flow: main
steps:
  - id: hello
    say: m.hello
    next: name

  - id: name
    ask: m.name
    slot: name
    type: text
    next: pick

  - id: pick
    choice: m.pick
    slot: pick
    options:
      - {value: a, label: m.pick_a, next: route}
      - {value: b, label: m.pick_b, next: route}

  - id: route
    branch:
      - {if: 'pick == "a"', next: act}
    next: wait

  - id: act
    action: set
    with: {slot: seen, value: "yes"}
    next: wait

  - id: wait
    wait: answer
    prompt: m.wait
    timeout: 1h
    on:
      ok: bye
    on_timeout: bye

  - id: bye
    end: m.bye
`

var baseEN = bottest.SystemLocale("en") + `
[cmd]
help = "Help."

[m]
hello = "Hello."
name = "Your name?"
pick = "Pick one."
pick_a = "A"
pick_b = "B"
wait = "Waiting for an answer, {{.name}}."
bye = "Bye."
`

var baseZH = bottest.SystemLocale("zh-CN") + `
[cmd]
help = "帮助。"

[m]
hello = "你好。"
name = "您的名字？"
pick = "选一个。"
pick_a = "甲"
pick_b = "乙"
wait = "{{.name}}，正在等待回复。"
bye = "再见。"
`

func baseFixture() map[string]string {
	return map[string]string{
		"commands.yaml": baseCommands,
		"main.yaml":     baseMain,
		"en.toml":       baseEN,
		"zh-CN.toml":    baseZH,
	}
}

// loadFixture splits files into the flows and locales file systems and
// loads them.
func loadFixture(t *testing.T, files map[string]string) []bot.Problem {
	t.Helper()
	return loadFixtureWith(t, files, bot.NewRegistry())
}

// loadFixtureWith loads files like loadFixture, with reg.
func loadFixtureWith(t *testing.T, files map[string]string, reg *bot.Registry) []bot.Problem {
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
	_, problems := bot.LoadContent(flows, locales, reg)
	return problems
}

// edit replaces old with new in one fixture file; old must occur exactly
// once, so that a fixture change cannot silently stop breaking anything.
type edit struct{ file, old, new string }

func applyEdits(t *testing.T, files map[string]string, edits []edit) {
	t.Helper()
	for _, e := range edits {
		body, ok := files[e.file]
		if !ok && e.old == "" {
			files[e.file] = e.new
			continue
		}
		if n := strings.Count(body, e.old); n != 1 || e.old == "" {
			t.Fatalf("fixture %s: %q occurs %d times, want once", e.file, e.old, n)
		}
		files[e.file] = strings.Replace(body, e.old, e.new, 1)
	}
}

func problemList(ps []bot.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

func TestBaseFixtureIsClean(t *testing.T) {
	if got := loadFixture(t, baseFixture()); len(got) != 0 {
		t.Fatalf("base fixture: got %d problems, want none:%s", len(got), problemList(got))
	}
}

func TestRealContentLoads(t *testing.T) {
	c, problems := bot.LoadContent(os.DirFS("../flows"), os.DirFS("../locales"), bot.NewRegistry())
	if errs := bot.Errors(problems); len(errs) != 0 {
		t.Fatalf("flows/ and locales/: got %d errors, want none:%s", len(errs), problemList(errs))
	}
	for _, p := range problems {
		t.Logf("warning: %s", p)
	}
	if got, want := c.StartFlow, "consumer"; got != want {
		t.Errorf("start flow: got %q, want %q", got, want)
	}
	for _, name := range []string{"consumer", "system"} {
		if c.Flows[name] == nil {
			t.Errorf("flow %q: not loaded", name)
		}
	}
}

func TestValidateProblems(t *testing.T) {
	tests := []struct {
		name  string
		edits []edit
		// The problem expected: its file, its step, a part of its message
		// and, if set, a part of its fix.
		file, step, msg, fix string
	}{
		{
			name:  "goto missing step",
			edits: []edit{{"main.yaml", "next: pick\n", "next: pik\n"}},
			file:  "main.yaml", step: "name", msg: `goes to "pik", which does not exist`,
			fix: `did you mean "pick"?`,
		},
		{
			name:  "option goes to missing flow step",
			edits: []edit{{"main.yaml", "{value: b, label: m.pick_b, next: route}", "{value: b, label: m.pick_b, next: other.route}"}},
			file:  "main.yaml", step: "pick", msg: `option b goes to "other.route"`,
		},
		{
			name: "unreachable step",
			edits: []edit{{"main.yaml", "  - id: bye\n", `  - id: orphan
    say: m.hello
    next: bye

  - id: bye
`}},
			file: "main.yaml", step: "orphan", msg: "unreachable",
		},
		{
			name: "phrase of two options",
			edits: []edit{{"main.yaml", "{value: b, label: m.pick_b, next: route}", `{value: b, label: m.pick_b, next: route, words: {zh-CN: [好的], en: [sure]}}
      - {value: c, label: m.pick_a, next: route, words: {en: ["Sure!"]}}`}},
			file: "main.yaml", step: "pick", msg: `option "b": phrase "sure" also matches option "c"`,
		},
		{
			name:  "phrase read as another option's number",
			edits: []edit{{"main.yaml", "{value: b, label: m.pick_b, next: route}", `{value: b, label: m.pick_b, next: route, words: {en: ["the first one"]}}`}},
			file:  "main.yaml", step: "pick", msg: `option "b": phrase "the first one" also matches option "a"`,
		},
		{
			name:  "phrase that is a command word",
			edits: []edit{{"main.yaml", "{value: b, label: m.pick_b, next: route}", `{value: b, label: m.pick_b, next: route, words: {zh-CN: [帮助]}}`}},
			file:  "main.yaml", step: "pick", msg: `option "b": phrase "帮助" is a word of command "help"`,
		},
		{
			name:  "words of an unknown language",
			edits: []edit{{"main.yaml", "{value: b, label: m.pick_b, next: route}", `{value: b, label: m.pick_b, next: route, words: {fr: [oui]}}`}},
			file:  "main.yaml", step: "pick", msg: `option "b": words for unknown language "fr"`,
		},
		{
			name:  "say without next",
			edits: []edit{{"main.yaml", "    say: m.hello\n    next: name\n", "    say: m.hello\n"}},
			file:  "main.yaml", step: "hello", msg: "dead end",
		},
		{
			name:  "action without next",
			edits: []edit{{"main.yaml", "    with: {slot: seen, value: \"yes\"}\n    next: wait\n", "    with: {slot: seen, value: \"yes\"}\n"}},
			file:  "main.yaml", step: "act", msg: "dead end",
		},
		{
			name:  "ask without next",
			edits: []edit{{"main.yaml", "    type: text\n    next: pick\n", "    type: text\n"}},
			file:  "main.yaml", step: "name", msg: "dead end",
		},
		{
			name:  "choice option leading nowhere",
			edits: []edit{{"main.yaml", "{value: b, label: m.pick_b, next: route}", "{value: b, label: m.pick_b}"}},
			file:  "main.yaml", step: "pick", msg: `dead end: option "b" leads nowhere`,
		},
		{
			name:  "branch without next",
			edits: []edit{{"main.yaml", "      - {if: 'pick == \"a\"', next: act}\n    next: wait\n", "      - {if: 'pick == \"a\"', next: act}\n"}},
			file:  "main.yaml", step: "route", msg: "dead end: branch has no next",
		},
		{
			name:  "branch case without next",
			edits: []edit{{"main.yaml", "{if: 'pick == \"a\"', next: act}", "{if: 'pick == \"a\"'}"}},
			file:  "main.yaml", step: "route", msg: "branch case has no next",
		},
		{
			name:  "wait without on_timeout",
			edits: []edit{{"main.yaml", "    on_timeout: bye\n", ""}},
			file:  "main.yaml", step: "wait", msg: "dead end: wait step has no on_timeout",
		},
		{
			name:  "wait without timeout",
			edits: []edit{{"main.yaml", "    timeout: 1h\n", ""}},
			file:  "main.yaml", step: "wait", msg: "wait step has no timeout",
		},
		{
			name: "duplicate step id",
			edits: []edit{{"main.yaml", "  - id: bye\n", `  - id: act
    say: m.hello
    next: bye

  - id: bye
`}},
			file: "main.yaml", step: "act", msg: "duplicate step id",
		},
		{
			name:  "duplicate flow name",
			edits: []edit{{"zz_copy.yaml", "", baseMain}},
			file:  "zz_copy.yaml", msg: `flow "main" is also defined in main.yaml`,
		},
		{
			name:  "message missing in one language",
			edits: []edit{{"zh-CN.toml", "name = \"您的名字？\"\n", ""}},
			file:  "main.yaml", step: "name", msg: `message "m.name" is missing in zh-CN`,
			fix: "zh-CN.toml",
		},
		{
			name:  "message missing in one language, seen from the catalog",
			edits: []edit{{"zh-CN.toml", "name = \"您的名字？\"\n", ""}},
			file:  "zh-CN.toml", msg: `message "m.name" exists in en but not in zh-CN`,
		},
		{
			name:  "placeholders differ between languages",
			edits: []edit{{"en.toml", "Waiting for an answer, {{.name}}.", "Waiting for an answer, {{.Name}}."}},
			file:  "en.toml", msg: `message "m.wait" uses placeholders [Name] in en but [name] in zh-CN`,
		},
		{
			name:  "placeholder missing in one language",
			edits: []edit{{"zh-CN.toml", "{{.name}}，正在等待回复。", "正在等待回复。"}},
			file:  "en.toml", msg: `message "m.wait" uses placeholders [name] in en but [] in zh-CN`,
		},
		{
			name:  "button data over 64 bytes",
			edits: []edit{{"main.yaml", "{value: b, label: m.pick_b, next: route}", "{value: " + strings.Repeat("b", bot.MaxButtonData-bot.ButtonOverhead+1) + ", label: m.pick_b, next: route}"}},
			file:  "main.yaml", step: "pick", msg: "over Telegram's 64-byte callback data",
			fix: "at most 55 bytes",
		},
		{
			name:  "button data over 64 bytes in multi-byte characters",
			edits: []edit{{"main.yaml", "{value: b, label: m.pick_b, next: route}", "{value: " + strings.Repeat("乙", 19) + ", label: m.pick_b, next: route}"}},
			file:  "main.yaml", step: "pick", msg: "its button data would be 66 bytes",
		},
		{
			name:  "unknown slot type",
			edits: []edit{{"main.yaml", "type: text", "type: date"}},
			file:  "main.yaml", step: "name", msg: `unknown slot type "date"`,
			fix: "number, text, yesno",
		},
		{
			name:  "ask without slot type",
			edits: []edit{{"main.yaml", "    type: text\n", ""}},
			file:  "main.yaml", step: "name", msg: "ask step has no slot type",
		},
		{
			name:  "unknown action in a step",
			edits: []edit{{"main.yaml", "action: set\n", "action: frobnicate\n"}},
			file:  "main.yaml", step: "act", msg: `unknown action "frobnicate"`,
			fix: "notify",
		},
		{
			name:  "unknown action in a command",
			edits: []edit{{"commands.yaml", "    say: cmd.help\n", "    action: frobnicate\n"}},
			file:  "commands.yaml", msg: `unknown action "frobnicate"`,
		},
		{
			name:  "step with two kinds: ask and choice",
			edits: []edit{{"main.yaml", "    ask: m.name\n", "    ask: m.name\n    choice: m.pick\n"}},
			file:  "main.yaml", step: "name", msg: "step mixes kinds [ask choice]",
		},
		{
			name:  "step with two kinds: say and ask",
			edits: []edit{{"main.yaml", "    ask: m.name\n", "    say: m.hello\n    ask: m.name\n"}},
			file:  "main.yaml", step: "name", msg: "step mixes kinds",
		},
		{
			name:  "step with no kind",
			edits: []edit{{"main.yaml", "    say: m.hello\n    next: name\n", "    next: name\n"}},
			file:  "main.yaml", step: "hello", msg: "step has no kind",
		},
		{
			name:  "branch condition that does not compile",
			edits: []edit{{"main.yaml", `'pick == "a"'`, `'pick == '`}},
			file:  "main.yaml", step: "route", msg: "condition",
		},
		{
			name:  "branch condition that is no boolean",
			edits: []edit{{"main.yaml", `'pick == "a"'`, `'"a" + "b"'`}},
			file:  "main.yaml", step: "route", msg: "condition",
		},
		{
			name:  "menu message missing",
			edits: []edit{{"commands.yaml", "    say: cmd.help\n", "    say: cmd.help\n    menu: cmd.menu_help\n"}},
			file:  "commands.yaml", msg: `message "cmd.menu_help" is missing in en`,
		},
		{
			name:  "menu on a command without a slash word",
			edits: []edit{{"commands.yaml", "      en: [/help, help]\n", "      en: [help]\n"}, {"commands.yaml", "    say: cmd.help\n", "    say: cmd.help\n    menu: cmd.help\n"}},
			file:  "commands.yaml", msg: `command "help": menu needs a slash word`,
		},
		{
			name:  "command without words in a language",
			edits: []edit{{"commands.yaml", "      zh-CN: [帮助]\n", ""}},
			file:  "commands.yaml", msg: `command "help": has no words in zh-CN`,
		},
		{
			name:  "command without words at all",
			edits: []edit{{"commands.yaml", "    words:\n      any: [/start]\n", ""}},
			file:  "commands.yaml", msg: `command "restart": has no words that trigger it`,
		},
		{
			name:  "command target missing",
			edits: []edit{{"commands.yaml", "goto: main\n", "goto: main.nowhere\n"}},
			file:  "commands.yaml", msg: `target "main.nowhere" does not exist`,
		},
		{
			name:  "command target flow missing",
			edits: []edit{{"commands.yaml", "goto: main\n", "goto: nowhere\n"}},
			file:  "commands.yaml", msg: `target "nowhere" does not exist`,
		},
		{
			name:  "command word shared by two commands",
			edits: []edit{{"commands.yaml", "any: [/start]", "any: [/start, HELP]"}},
			file:  "commands.yaml", msg: `word "HELP" also triggers command "help"`,
		},
		{
			name:  "start_flow missing",
			edits: []edit{{"commands.yaml", "start_flow: main\n", ""}},
			file:  "commands.yaml", msg: "no start_flow",
		},
		{
			name:  "start_flow names no flow",
			edits: []edit{{"commands.yaml", "start_flow: main\n", "start_flow: mian\n"}},
			file:  "commands.yaml", msg: `start_flow "mian" is not a flow`,
			fix: "main",
		},
		{
			name:  "YAML syntax error",
			edits: []edit{{"main.yaml", "    next: name\n", "    next: [name\n"}},
			file:  "main.yaml", msg: "cannot parse YAML",
		},
		{
			name:  "unknown key in a step",
			edits: []edit{{"main.yaml", "    next: name\n", "    nxt: name\n"}},
			file:  "main.yaml", msg: `line 5: unknown key "nxt"`,
		},
		{
			name:  "unknown key in an option",
			edits: []edit{{"main.yaml", "{value: b, label: m.pick_b, next: route}", "{value: b, lable: m.pick_b, next: route}"}},
			file:  "main.yaml", msg: `unknown key "lable"`,
		},
		{
			name:  "unknown key in a branch case",
			edits: []edit{{"main.yaml", "{if: 'pick == \"a\"', next: act}", "{iff: 'pick == \"a\"', next: act}"}},
			file:  "main.yaml", msg: `unknown key "iff"`,
		},
		{
			name:  "unknown key in a command",
			edits: []edit{{"commands.yaml", "    goto: main\n", "    goto: main\n    whith: {a: b}\n"}},
			file:  "commands.yaml", msg: `unknown key "whith"`,
		},
		{
			name:  "wait for the merchant's answer misses one",
			edits: []edit{{"main.yaml", "    wait: answer\n", "    wait: merchant_answer\n"}},
			file:  "main.yaml", step: "wait", msg: `has no step for answer "found"`,
		},
		{
			name:  "cases opened but no merchant desk",
			edits: []edit{{"main.yaml", "    action: set\n    with: {slot: seen, value: \"yes\"}\n", "    action: open_case\n    with: {fields: \"name,pick\"}\n"}},
			file:  "merchant_desk.yaml", msg: `merchant alerts need step "merchant_desk.alert"`,
		},
		{
			name:  "open_case expects a kind no file has",
			edits: []edit{{"main.yaml", "    action: set\n    with: {slot: seen, value: \"yes\"}\n", "    action: open_case\n    with: {expect: \"bank_sms,selfie\"}\n"}},
			file:  "main.yaml", step: "act", msg: `open_case expects proof kind "selfie"`,
		},
		{
			name:  "open_case shares a field it does not keep",
			edits: []edit{{"main.yaml", "    action: set\n    with: {slot: seen, value: \"yes\"}\n", "    action: open_case\n    with: {fields: \"name\", share: \"name,pick\"}\n"}},
			file:  "main.yaml", step: "act", msg: `open_case shares "pick", which fields does not keep`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := baseFixture()
			applyEdits(t, files, tt.edits)
			problems := loadFixture(t, files)
			var found *bot.Problem
			for i, p := range problems {
				if !p.Warning && p.File == tt.file && p.Step == tt.step && strings.Contains(p.Msg, tt.msg) {
					found = &problems[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("got problems:%s\nwant an error in %s, step %q, saying %q", problemList(problems), tt.file, tt.step, tt.msg)
			}
			if found.Fix == "" {
				t.Errorf("problem %q: got no fix, want one", found)
			}
			if tt.fix != "" && !strings.Contains(found.Fix, tt.fix) {
				t.Errorf("problem %q: got fix %q, want it to contain %q", found, found.Fix, tt.fix)
			}
			err := bot.ProblemsError(problems)
			var e *bot.Error
			if !errors.As(err, &e) || e.Code != bot.EINVALID {
				t.Errorf("ProblemsError: got %v, want an *Error with code %q", err, bot.EINVALID)
			}
		})
	}
}

// TestStartFlowMissingNamesCommandFile checks that the problem names the
// file that holds the commands, whatever it is called.
func TestStartFlowMissingNamesCommandFile(t *testing.T) {
	files := baseFixture()
	files["cmds.yaml"] = strings.Replace(files["commands.yaml"], "start_flow: main\n", "", 1)
	delete(files, "commands.yaml")
	for _, p := range loadFixture(t, files) {
		if strings.Contains(p.Msg, "no start_flow") {
			if got, want := p.File, "cmds.yaml"; got != want {
				t.Errorf("file of %q: got %q, want %q", p, got, want)
			}
			return
		}
	}
	t.Fatal("got no problem about the missing start_flow")
}

func TestValidateStepLine(t *testing.T) {
	files := baseFixture()
	applyEdits(t, files, []edit{{"main.yaml", "type: text", "type: date"}})
	for _, p := range loadFixture(t, files) {
		if p.Step == "name" {
			// "  - id: name" is line 7 of baseMain.
			if got, want := p.Line, 7; got != want {
				t.Errorf("line of %q: got %d, want %d", p, got, want)
			}
			return
		}
	}
	t.Fatal("got no problem for step name")
}

func TestButtonDataLimitIsInclusive(t *testing.T) {
	files := baseFixture()
	value := strings.Repeat("b", bot.MaxButtonData-bot.ButtonOverhead)
	applyEdits(t, files, []edit{
		{"main.yaml", "{value: b, label: m.pick_b, next: route}", "{value: " + value + ", label: m.pick_b, next: route}"},
	})
	if got := loadFixture(t, files); len(got) != 0 {
		t.Fatalf("a %d-byte value: got problems:%s\nwant none", len(value), problemList(got))
	}
}

func TestUnusedMessageIsWarning(t *testing.T) {
	files := baseFixture()
	applyEdits(t, files, []edit{
		{"en.toml", "bye = \"Bye.\"\n", "bye = \"Bye.\"\nspare = \"Spare.\"\n"},
		{"zh-CN.toml", "bye = \"再见。\"\n", "bye = \"再见。\"\nspare = \"备用。\"\n"},
	})
	problems := loadFixture(t, files)
	if errs := bot.Errors(problems); len(errs) != 0 {
		t.Fatalf("got errors:%s\nwant none", problemList(errs))
	}
	if err := bot.ProblemsError(problems); err != nil {
		t.Errorf("ProblemsError: got %v, want nil for warnings only", err)
	}
	if len(problems) != 1 {
		t.Fatalf("got %d problems:%s\nwant one warning", len(problems), problemList(problems))
	}
	p := problems[0]
	if !p.Warning || !strings.Contains(p.Msg, `"m.spare" is not used`) || p.Fix == "" {
		t.Errorf("got %q (warning %v), want a warning that m.spare is unused, with a fix", p, p.Warning)
	}
}

// TestNeededMessages checks that a message a channel declares it says is
// required in every language, with a problem that names the channel, and
// counts as used.
func TestNeededMessages(t *testing.T) {
	reg := bot.NewRegistry()
	reg.NeedMessages("the web chat", "m.page_title")
	problems := loadFixtureWith(t, baseFixture(), reg)
	for _, lang := range bot.Languages {
		want := fmt.Sprintf(`message "m.page_title" is missing in %s: the web chat says it`, lang)
		found := false
		for _, p := range problems {
			if p.Msg == want && !p.Warning && p.File == lang+".toml" && strings.Contains(p.Fix, "add [m.page_title]") {
				found = true
			}
		}
		if !found {
			t.Errorf("no error %q with its fix; got:%s", want, problemList(problems))
		}
	}

	files := baseFixture()
	applyEdits(t, files, []edit{
		{"en.toml", "bye = \"Bye.\"\n", "bye = \"Bye.\"\npage_title = \"Help\"\n"},
		{"zh-CN.toml", "bye = \"再见。\"\n", "bye = \"再见。\"\npage_title = \"帮助\"\n"},
	})
	if got := loadFixtureWith(t, files, reg); len(got) != 0 {
		t.Errorf("with the message in both languages: got problems:%s\nwant none", problemList(got))
	}
	if got := loadFixture(t, files); len(got) != 1 || !got[0].Warning {
		t.Errorf("with the message but nobody declaring it: got problems:%s\nwant one warning that it is unused", problemList(got))
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    bot.Problem
		want string
	}{
		{bot.Problem{File: "a.yaml", Line: 3, Step: "s", Msg: "broken", Fix: "mend it"}, `a.yaml:3: step "s": broken (fix: mend it)`},
		{bot.Problem{File: "en.toml", Msg: "unused", Warning: true}, `warning: en.toml: unused`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
