package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
)

// withoutWebTitle copies the shipped content to a folder with the web
// chat's title taken out of both locale files (out of one only, it would
// be a message missing in a language whoever needs it) and returns the
// flows and locales folders.
func withoutWebTitle(t *testing.T) (flows, locales string) {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"flows", "locales"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("../..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	flows, locales = filepath.Join(dir, "flows"), filepath.Join(dir, "locales")
	replaceIn(t, filepath.Join(locales, "en.toml"), "[web]\ntitle = \"Lost payment slip help\"\n", "[web]\n")
	replaceIn(t, filepath.Join(locales, "zh-CN.toml"), "[web]\ntitle = \"付款单丢失求助\"\n", "[web]\n")
	return flows, locales
}

// TestChannelTextsRequired checks that a text the web chat says itself
// is required where the web chat runs: flows lint and serve refuse
// content without it, with a problem line that names it and the web
// chat, and the terminal chat, which never says it, runs.
func TestChannelTextsRequired(t *testing.T) {
	flows, locales := withoutWebTitle(t)
	want := []string{`"` + webchat.MsgTitle + `" is missing in en: the web chat says it`, "add [" + webchat.MsgTitle + "] to locales/en.toml"}

	out, code := runMain(t, nil, "", "flows", "lint", "--locales", locales, flows)
	if code != 1 {
		t.Fatalf("lint: exit %d, want 1\n%s", code, out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("lint output lacks %q:\n%s", w, out)
		}
	}

	env := map[string]string{"SLIPDESK_FLOWS_DIR": flows, "SLIPDESK_LOCALES_DIR": locales, "SLIPDESK_PROOF_DIR": t.TempDir()}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	errFile, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer errFile.Close()
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: errFile, Getenv: func(k string) string { return env[k] }}
	err = m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"})
	_ = m.Close()
	if err == nil || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		t.Fatalf("serve with the web chat's title missing: got %v, want a refusal at start", err)
	}
	if bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("serve's refusal: got %v, want an invalid-content error", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("serve's refusal lacks %q:\n%v", w, err)
		}
	}

	out, code = runMain(t, env, "hello\n", "chat", "--lang", "en")
	if code != 0 || !strings.Contains(out, "bot:") {
		t.Errorf("terminal chat on content without the web chat's title: exit %d, want it to run\n%s", code, out)
	}
}
