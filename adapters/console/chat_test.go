package console_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// consoleDriver plays transcripts through the terminal channel and reads
// the replies back from what it printed, so the rendering is tested too.
type consoleDriver struct {
	chat *console.Chat
	out  *bytes.Buffer
	n    int
	last bot.Event
}

func (d *consoleDriver) deliver(t testing.TB, ev bot.Event) []bot.Reply {
	t.Helper()
	if ev.DeliveryID == "" {
		d.n++
		ev.DeliveryID = fmt.Sprintf("t%d", d.n)
	}
	d.last = ev
	d.out.Reset()
	if _, err := d.chat.Deliver(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	return parseRendered(t, d.out.String())
}

func (d *consoleDriver) Text(t testing.TB, text string) []bot.Reply {
	return d.deliver(t, bot.Event{Kind: bot.EventText, Text: text})
}

// Button types the option's number, as a person at a terminal would.
func (d *consoleDriver) Button(t testing.TB, last []bot.Reply, value string) []bot.Reply {
	t.Helper()
	for _, r := range last {
		for i, o := range r.Options {
			if o.Value == value {
				return d.Text(t, strconv.Itoa(i+1))
			}
		}
	}
	t.Fatalf("no option %q on the last question", value)
	return nil
}

func (d *consoleDriver) Redeliver(t testing.TB) []bot.Reply { return d.deliver(t, d.last) }

func (d *consoleDriver) Signal(t testing.TB, name, value string) []bot.Reply {
	return d.deliver(t, bot.Event{Kind: bot.EventSignal, Name: name, Data: value})
}

func (d *consoleDriver) Tick(t testing.TB) []bot.Reply {
	return d.deliver(t, bot.Event{Kind: bot.EventTick})
}

var (
	replyLine  = regexp.MustCompile(`^bot: \[([^\]]+)\] ?(.*)$`)
	optionLine = regexp.MustCompile(`^     (\d+)\) (.*) \[([^\]]+)\]$`)
)

// parseRendered reads the terminal's output back into replies.
func parseRendered(t testing.TB, out string) []bot.Reply {
	t.Helper()
	var rs []bot.Reply
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if line == "" && len(rs) == 0 {
			continue
		}
		if m := replyLine.FindStringSubmatch(line); m != nil {
			rs = append(rs, bot.Reply{MsgID: m[1], Text: m[2]})
			continue
		}
		if len(rs) == 0 {
			t.Fatalf("output does not start with a reply: %q", out)
		}
		r := &rs[len(rs)-1]
		if m := optionLine.FindStringSubmatch(line); m != nil {
			if n, _ := strconv.Atoi(m[1]); n != len(r.Options)+1 {
				t.Fatalf("option numbered %s after %d options: %q", m[1], len(r.Options), out)
			}
			r.Options = append(r.Options, bot.Option{Label: m[2], Value: m[3]})
			continue
		}
		if !strings.HasPrefix(line, "     ") {
			t.Fatalf("unexpected output line %q", line)
		}
		r.Text += "\n" + strings.TrimPrefix(line, "     ")
	}
	return rs
}

func TestTranscripts(t *testing.T) {
	content, reg := bottest.Content(t, "../../flows", "../../locales")
	for _, file := range bottest.Files(t, "../../testdata/transcripts") {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			tr, err := bottest.Parse(file)
			if err != nil {
				t.Fatal(err)
			}
			clock := bottest.NewClock()
			e := bot.NewEngine(bottest.NewMemStore(), content, reg, bot.Config{Now: clock.Now})
			out := &bytes.Buffer{}
			chat := &console.Chat{Engine: e, User: "u", LangHint: tr.LangHint, ShowIDs: true, Out: out}
			bottest.Run(t, tr, &consoleDriver{chat: chat, out: out}, clock)
		})
	}
}

// TestRunPiped feeds a whole conversation on stdin, one message per line,
// as a script would, and checks what a person sees (no IDs).
func TestRunPiped(t *testing.T) {
	content, reg := bottest.Content(t, "../../flows", "../../locales")
	e := bot.NewEngine(bottest.NewMemStore(), content, reg, bot.Config{})
	out := &bytes.Buffer{}
	chat := &console.Chat{Engine: e, User: "piped", Out: out}
	// Consent, "I paid", a card slip, when, where, only lost, how much,
	// a credit card (a full-width number), its last four, no IDs, for a
	// refund, all correct, then advice only.
	in := strings.NewReader("你好，我的小票丢了\n1\n1\n1\n昨天下午3点\n星光超市\n1\n128元\n２\n1234\n1\n1\n1\n2\n")
	if err := chat.Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"bot: 您好，付款单丢了不用着急",
		"     1) 刷卡签购单（POS 小票）\n",
		"     2) 信用卡\n",
		"95588",
		"bot: 祝您顺利",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "[consumer.") {
		t.Errorf("message IDs shown without ShowIDs:\n%s", got)
	}
}

// TestRunLongLine reads a line far longer than a scanner's default buffer
// and answers it with the too-long message, not an error.
func TestRunLongLine(t *testing.T) {
	content, reg := bottest.Content(t, "../../flows", "../../locales")
	e := bot.NewEngine(bottest.NewMemStore(), content, reg, bot.Config{})
	out := &bytes.Buffer{}
	chat := &console.Chat{Engine: e, User: "long", LangHint: "en", ShowIDs: true, Out: out}
	if err := chat.Run(context.Background(), strings.NewReader(strings.Repeat("a", 200_000)+"\n")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "[sys.too_long]") {
		t.Errorf("got %q, want sys.too_long", out.String())
	}
}
