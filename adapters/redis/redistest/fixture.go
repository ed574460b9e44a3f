package redistest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/slipdesk/slipdesk/bot/bottest"
)

// caseFlows is a small consumer flow that opens a case with the merchant
// it matches, and the merchant desk; tests of the case machinery use it
// so that editing the real flows does not break them.
var caseFlows = map[string]string{
	"commands.yaml": `
start_flow: report
commands:
  - name: start
    words: {any: [/start]}
    goto: report
  - name: status
    words: {any: [/status]}
    action: status
  - name: delete
    words: {any: [/delete]}
    action: delete_data
  - name: correct
    words: {any: [/correct]}
    action: correct_answer
    with: {say: desk.correcting}
`,
	"report.yaml": `
flow: report
start: shop
steps:
  - id: shop
    ask: report.shop
    slot: merchant
    type: text
    next: match
  - id: match
    action: match_merchant
    with: {name: merchant}
    next: matched
  - id: matched
    branch:
      - {if: 'merchant_match != ""', next: confirm}
    next: open
  - id: confirm
    choice: report.confirm
    options:
      - {value: "yes", label: report.yes, next: confirmed}
      - {value: "no", label: report.no, next: open}
  - id: confirmed
    action: set
    with: {slot: merchant_confirmed, value: "yes"}
    next: open
  - id: open
    action: open_case
    with: {say: report.opened}
    next: wait
  - id: wait
    wait: merchant_answer
    prompt: report.waiting
    timeout: 96h
    on:
      found: found
      need_info: answered
      not_found: answered
      text: answered
    on_timeout: silent
  - id: found
    say: report.found
    next: bye
  - id: answered
    say: report.answered
    next: bye
  - id: silent
    say: report.silent
    next: bye
  - id: bye
    end: report.bye
`,
	"merchant_desk.yaml": `
flow: merchant_desk
start: alert
steps:
  - id: alert
    choice: desk.alert
    slot: alert_answer
    options:
      - {value: found, label: desk.found}
      - {value: need_info, label: desk.need_info}
      - {value: not_found, label: desk.not_found}
      - {value: text, label: desk.text, next: compose}
    next: send
  - id: compose
    ask: desk.compose
    slot: alert_text
    type: text
    next: send
  - id: send
    action: answer_case
    with: {say: desk.sent}
    next: done
  - id: done
    end: ""
`,
}

func caseLocale(lang string) string {
	return bottest.SystemLocale(lang) + `
[report]
shop = "shop? (` + lang + `)"
confirm = "is it {{.merchant_match_name}}? (` + lang + `)"
yes = "yes"
no = "no"
opened = "case {{.case_no}} opened (` + lang + `)"
waiting = "waiting (` + lang + `)"
found = "found (` + lang + `)"
answered = "answer {{.merchant_answer}} {{.merchant_answer_text}} (` + lang + `)"
silent = "silent (` + lang + `)"
bye = "bye (` + lang + `)"

[desk]
alert = "case {{.alert_case}} amount {{.alert_amount}} (` + lang + `)"
found = "found"
need_info = "need info"
not_found = "not found"
text = "write"
compose = "type it (` + lang + `)"
sent = "sent (` + lang + `)"
correcting = "correcting {{.No}} (` + lang + `)"
`
}

// CaseFixture writes the fixture flows and locales to a temporary
// directory and returns Options that use them.
func CaseFixture(t testing.TB) Options {
	t.Helper()
	dir := t.TempDir()
	flows, locales := filepath.Join(dir, "flows"), filepath.Join(dir, "locales")
	for _, d := range []string{flows, locales} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, src := range caseFlows {
		if err := os.WriteFile(filepath.Join(flows, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"zh-CN", "en"} {
		if err := os.WriteFile(filepath.Join(locales, lang+".toml"), []byte(caseLocale(lang)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Options{Flows: flows, Locales: locales}
}
