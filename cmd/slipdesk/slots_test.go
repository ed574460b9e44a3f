package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

func TestSlotsCheck(t *testing.T) {
	cat, problems := bot.LoadCatalog(os.DirFS("../../locales"))
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	reask := func(id string) string {
		var b strings.Builder
		b.WriteString("  asks again: " + id + "\n")
		for _, lang := range bot.Languages {
			msg, err := cat.Render(lang, id, nil)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString("  " + lang + ": " + msg + "\n")
		}
		return b.String()
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{
			name: "datetime",
			args: []string{"--now", "2026-11-25 21:00", "datetime", "昨天晚上8点", "3 days ago", "明天"},
			want: "\"昨天晚上8点\"\n  value: 2026-11-24 20:00\n" +
				"\"3 days ago\"\n  value: 2026-11-22\n" +
				"\"明天\"\n" + reask(bot.MsgSlotDatetimeFuture),
		},
		{
			name: "datetime in another zone",
			args: []string{"--tz", "UTC", "--now", "2026-11-25T21:00:00+08:00", "datetime", "just now"},
			want: "\"just now\"\n  value: 2026-11-25 13:00\n",
		},
		{
			name: "amount",
			args: []string{"amount", "¥128.50", "一千二百八十元五角", "1.234", "-5"},
			want: "\"¥128.50\"\n  value: 128.50\n" +
				"\"一千二百八十元五角\"\n  value: 1280.50\n" +
				"\"1.234\"\n" + reask(bot.MsgSlotAmountTooManyDecimals) +
				"\"-5\"\n" + reask(bot.MsgSlotAmountNotPositive),
		},
		{
			name:  "last4 from standard input",
			stdin: "尾号1234\n6222021234567890\n",
			args:  []string{"last4"},
			want: "\"尾号1234\"\n  value: 1234\n" +
				"\"6222021234567890\"\n" + reask(bot.MsgSlotLast4),
		},
		{
			name: "yesno's generic re-ask",
			args: []string{"yesno", "是的", "maybe"},
			want: "\"是的\"\n  value: yes\n" +
				"\"maybe\"\n" + strings.Replace(reask(bot.MsgRetry), bot.MsgRetry, bot.MsgRetry+" (a step's own retry: message is said instead)", 1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := runMain(t, nil, tt.stdin, append([]string{"slots", "check"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d, output:\n%s", code, out)
			}
			if out != tt.want {
				t.Errorf("output\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

func TestSlotsCheckUsage(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"slots", "check", "colour", "red"}, `unknown slot type "colour"; known types: amount, datetime, last4, merchant_id, name, number, text, yesno`},
		{[]string{"slots", "check", "--tz", "Mars/Olympus", "datetime", "today"}, `--tz "Mars/Olympus"`},
		{[]string{"slots", "check", "--now", "yesterday", "datetime", "today"}, `--now "yesterday"`},
		{[]string{"slots", "check"}, "slipdesk slots check [flags] TYPE"},
		{[]string{"slots"}, "slipdesk slots check [flags] TYPE"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			errFile, err := os.CreateTemp(t.TempDir(), "stderr")
			if err != nil {
				t.Fatal(err)
			}
			m := &Main{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: errFile, Getenv: func(string) string { return "" }}
			err = m.Run(context.Background(), tt.args)
			var exit *exitError
			if !errors.As(err, &exit) || exit.code != 2 {
				t.Errorf("got %v, want exit status 2", err)
			}
			stderr, _ := os.ReadFile(errFile.Name())
			if !strings.Contains(string(stderr), tt.wantErr) {
				t.Errorf("stderr %q does not say %q", stderr, tt.wantErr)
			}
		})
	}
}
