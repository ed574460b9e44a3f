package redisstore

import (
	"testing"
	"testing/fstest"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// countFlow asks for a number and asks again after every answer, so that
// every turn of a started conversation answers one question and asks the
// next: the steady state of a conversation, and a counter of turns.
const countFlow = `flow: count
steps:
  - id: ask
    ask: count.ask
    slot: n
    type: number
    next: ask
`

// countCommands starts conversations in countFlow and hands over to a
// person on "/agent", which writes an effect to the outbox.
const countCommands = `start_flow: count
commands:
  - name: start
    words:
      any: [/start]
    goto: count
  - name: agent
    words:
      any: [/agent]
    action: handover
`

var countLocales = map[string]string{
	"en.toml": bottest.SystemLocale("en") + `
[count]
ask = "Send a number."
`,
	"zh-CN.toml": bottest.SystemLocale("zh-CN") + `
[count]
ask = "请发一个数字。"
`,
}

// countContent loads countFlow and fails the test on any problem that is
// not a warning. The engine must run it with the registry it was checked
// against.
func countContent(tb testing.TB) (*bot.Content, *bot.Registry) {
	tb.Helper()
	flows := fstest.MapFS{
		"count.yaml":    {Data: []byte(countFlow)},
		"commands.yaml": {Data: []byte(countCommands)},
	}
	locales := fstest.MapFS{}
	for name, src := range countLocales {
		locales[name] = &fstest.MapFile{Data: []byte(src)}
	}
	reg := bot.NewRegistry()
	content, problems := bot.LoadContent(flows, locales, reg)
	if errs := bot.Errors(problems); len(errs) > 0 {
		for _, p := range errs {
			tb.Error(p)
		}
		tb.Fatal("the test flow does not load")
	}
	return content, reg
}
