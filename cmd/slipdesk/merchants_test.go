package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/bot"
)

var merchantIDLine = regexp.MustCompile(`^M[2-9A-HJKMNP-Z]{6}\n$`)

func TestMerchantsCommands(t *testing.T) {
	prefix := testPrefix(t)
	env := map[string]string{"REDIS_URL": redisURL(), "SLIPDESK_KEY_PREFIX": prefix}
	run := func(args ...string) (string, string, int) {
		t.Helper()
		return runCapture(t, env, append([]string{"merchants"}, args...)...)
	}

	out, errOut, code := run("add", "--name", "星巴克（国贸店）", "--alias", "星巴克", "--alias", "Starbucks Guomao",
		"--merchant-id", "102 1000 5812 0001", "--terminal", "10000001", "--terminal", "ab12cd34", "--lang", "en")
	if code != 0 || !merchantIDLine.MatchString(out) {
		t.Fatalf("add: exit %d, stdout %q, want one merchant ID\n%s", code, out, errOut)
	}
	first := strings.TrimSpace(out)

	out, errOut, code = run("add", "--name", "肯德基西单店", "--merchant-id", "308584053110007")
	if code != 0 || !merchantIDLine.MatchString(out) {
		t.Fatalf("add: exit %d, stdout %q\n%s", code, out, errOut)
	}
	second := strings.TrimSpace(out)

	// A terminal of the first merchant is refused, naming it.
	out, errOut, code = run("add", "--name", "Copycat", "--terminal", "AB12-CD34")
	if code != 1 || out != "" || !strings.Contains(errOut, "terminal ID AB12CD34 is already registered to merchant "+first) {
		t.Errorf("add with a taken terminal: exit %d, stdout %q, stderr %q; want exit 1 naming %s", code, out, errOut, first)
	}

	t.Run("command line errors", func(t *testing.T) {
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{}, "Usage"},
			{[]string{"remove"}, "unknown command"},
			{[]string{"add"}, "--name is required"},
			{[]string{"add", "--name", "X", "--merchant-id", "12345"}, "15 digits"},
			{[]string{"add", "--name", "X", "--terminal", "123"}, "8 letters or digits"},
			{[]string{"add", "--name", "X", "--lang", "fr"}, "language"},
			{[]string{"add", "--name", "X", "--nope"}, "flag provided but not defined"},
			{[]string{"add", "--name", "Star", "bucks"}, "unexpected argument"},
			{[]string{"list", "extra"}, "unexpected argument"},
			{[]string{"link-code"}, "one merchant ID"},
			{[]string{"link-code", first, second}, "one merchant ID"},
			{[]string{"link-code", "12345"}, "is not a merchant ID"},
			{[]string{"link-code", first, "--ttl", "10s"}, "--ttl"},
			{[]string{"link-code", first, "--ttl", "soon"}, "not a duration"},
		} {
			out, errOut, code := run(tt.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("merchants %q: exit %d, stdout %q, stderr %q; want exit 2 saying %q", tt.args, code, out, errOut, tt.want)
			}
		}
		if _, _, code := run("link-code", "M222222"); code != 1 {
			t.Errorf("link-code for an unknown merchant: exit %d, want 1", code)
		}
		if out, _, code := run("add", "-h"); code != 0 || out != "" {
			t.Errorf("add -h: exit %d, stdout %q, want 0 and the flags on stderr", code, out)
		}
	})

	// The code links a chat, after which the list counts it.
	out, errOut, code = run("link-code", strings.ToLower(first), "--ttl", "2h")
	if code != 0 {
		t.Fatalf("link-code: exit %d\n%s", code, errOut)
	}
	linkCode := strings.TrimSpace(out)
	if c, ok := bot.NormalizeLinkCode(linkCode); !ok || c+"\n" != out {
		t.Fatalf("link-code printed %q, want one code on a line", out)
	}
	if !strings.Contains(errOut, "/start "+linkCode) {
		t.Errorf("link-code does not tell how to use the code:\n%s", errOut)
	}
	if strings.Contains(errOut, "t.me/") {
		t.Errorf("a Telegram link without a bot token:\n%s", errOut)
	}
	// With the bot's token, it also gives the deep link that sends the
	// code from Telegram.
	fake := telegramtest.New(t, "4343:merchant-link-token")
	env["TELEGRAM_BOT_TOKEN"], env["TELEGRAM_API_URL"] = "4343:merchant-link-token", fake.URL
	out, errOut, code = run("link-code", first)
	delete(env, "TELEGRAM_BOT_TOKEN")
	if want := "https://t.me/" + telegramtest.BotUsername + "?start=" + strings.TrimSpace(out); code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("link-code with a bot token: exit %d, stderr lacks %s:\n%s", code, want, errOut)
	}
	rdb, err := redisstore.NewClient(redisURL())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if _, err := redisstore.New(rdb, prefix).Link(context.Background(), linkCode, bot.Key{Channel: "telegram", User: "42"}); err != nil {
		t.Fatalf("Link with the printed code: %v", err)
	}

	out, errOut, code = run("list")
	if code != 0 {
		t.Fatalf("list: exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("list printed %d lines, want a header and 2 merchants:\n%s", len(lines), out)
	}
	for _, w := range []string{"ID", "NAME", "ALIASES", "CHATS"} {
		if !strings.Contains(lines[0], w) {
			t.Errorf("list header %q has no %s", lines[0], w)
		}
	}
	// By name: "星巴克" sorts before "肯德基". Columns line up on a
	// terminal, where a Chinese character takes two cells.
	aliasCol := displayWidth(lines[0][:strings.Index(lines[0], "ALIASES")])
	for i, want := range [][]string{
		{first, "星巴克（国贸店）", "星巴克, Starbucks Guomao", "102100058120001", "10000001, AB12CD34", "en", "1"},
		{second, "肯德基西单店", "-", "308584053110007", "-", "zh-CN", "0"},
	} {
		row := lines[i+1]
		if !regexp.MustCompile("^" + strings.Join(quoteAll(want), " {2,}") + "$").MatchString(row) {
			t.Errorf("list row %q, want the cells %q", row, want)
		}
		if at := strings.Index(row, want[2]); at < 0 || displayWidth(row[:at]) != aliasCol {
			t.Errorf("list row %q: aliases not in the column under ALIASES (cell %d)", row, aliasCol)
		}
	}
}

// With no REDIS_URL the command works on an empty embedded store, and
// says that nothing it registers reaches a server.
func TestMerchantsWithoutRedis(t *testing.T) {
	out, errOut, code := runCapture(t, map[string]string{}, "merchants", "add", "--name", "Shop")
	if code != 0 || !merchantIDLine.MatchString(out) {
		t.Fatalf("add: exit %d, stdout %q\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "set REDIS_URL") {
		t.Errorf("no warning about the embedded store:\n%s", errOut)
	}
	out, errOut, code = runCapture(t, map[string]string{}, "merchants", "list")
	if code != 0 || out != "" || !strings.Contains(errOut, "no merchants") {
		t.Errorf("list on a fresh embedded store: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func quoteAll(ss []string) []string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = regexp.QuoteMeta(s)
	}
	return q
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "星巴克": 6, "星巴克（国贸店）": 16, "Ｍ1": 3} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
