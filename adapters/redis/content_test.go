package redisstore

import (
	"testing"
	"testing/fstest"

	"github.com/slipdesk/slipdesk/bot"
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
	"en.toml": `[sys]
too_long = "Too long (at most {{.Max}} characters)."
empty = "Empty message."
bad_text = "Unreadable message."
stale_button = "Old button."
unknown_command = "Unknown command."
unsupported = "Text only."
choose_one = "Choose one."
retry = "Not a number."
masked = "Masked."
waiting = "Waiting."
with_human = "With a person."
handover = "A person takes over."
lang_switched = "English now."
deleted = "Deleted."
status = "{{.State}}: {{.Answers}} answers."
internal = "Internal error."

[count]
ask = "Send a number."
`,
	"zh-CN.toml": `[sys]
too_long = "太长了（最多 {{.Max}} 个字）。"
empty = "空消息。"
bad_text = "无法识别。"
stale_button = "旧按钮。"
unknown_command = "未知命令。"
unsupported = "只收文字。"
choose_one = "请选一个。"
retry = "不是数字。"
masked = "已遮盖。"
waiting = "等待中。"
with_human = "人工处理中。"
handover = "转人工。"
lang_switched = "改用中文。"
deleted = "已删除。"
status = "{{.State}}：{{.Answers}} 项。"
internal = "内部错误。"

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
