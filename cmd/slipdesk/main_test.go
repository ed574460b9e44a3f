package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// runMain runs the whole program as the shell would, with env as its
// environment and stdin as its input, and returns its standard output and
// exit code.
func runMain(t *testing.T, env map[string]string, stdin string, args ...string) (string, int) {
	t.Helper()
	out, _, code := run(t, env, stdin, args...)
	return out, code
}

// runCapture runs the whole program like runMain, with no input, and
// returns its standard error too.
func runCapture(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return run(t, env, "", args...)
}

func run(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	errFile, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer errFile.Close()
	out := &bytes.Buffer{}
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: out, Stderr: errFile, Getenv: func(k string) string { return env[k] }}
	err = m.Run(context.Background(), args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	var exit *exitError
	switch {
	case errors.As(err, &exit):
		code = exit.code
	case err != nil:
		t.Logf("error: %v", err)
		code = 1
	}
	buf, rerr := os.ReadFile(errFile.Name())
	if rerr != nil {
		t.Fatal(rerr)
	}
	return out.String(), string(buf), code
}

func redisURL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379"
}

// testPrefix gives a test its own Redis keys and removes them afterwards.
func testPrefix(t *testing.T) string {
	t.Helper()
	return redistest.Prefix(t, redistest.Real(t))
}

var idLine = regexp.MustCompile(`(?m)^bot: \[([^\]]+)\]`)

// TestChatPipedTranscripts pipes each transcript that a person could type
// (text and option numbers, no outside events) into "slipdesk chat", on
// the embedded store and on the real Redis, and checks every reply.
func TestChatPipedTranscripts(t *testing.T) {
	content, reg := bottest.Content(t, "../../flows", "../../locales")
	backends := map[string]func(t *testing.T) map[string]string{
		"embedded": func(t *testing.T) map[string]string { return map[string]string{} },
		"redis": func(t *testing.T) map[string]string {
			return map[string]string{"REDIS_URL": redisURL(), "SLIPDESK_KEY_PREFIX": testPrefix(t)}
		},
	}
	ran := 0
	for _, file := range bottest.Files(t, "../../testdata/transcripts") {
		tr, err := bottest.Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		if !typeable(tr) {
			continue
		}
		ran++
		stdin, want := typedInput(t, tr, content, reg)
		for name, env := range backends {
			t.Run(strings.TrimSuffix(filepath.Base(file), ".txt")+"/"+name, func(t *testing.T) {
				args := []string{"chat", "--show-ids", "--user", "piped"}
				if tr.LangHint != "" {
					args = append(args, "--lang", tr.LangHint)
				}
				out, code := runMain(t, env(t), stdin, args...)
				if code != 0 {
					t.Fatalf("exit %d, output:\n%s", code, out)
				}
				var got []string
				for _, m := range idLine.FindAllStringSubmatch(out, -1) {
					got = append(got, m[1])
				}
				if !slices.Equal(got, want) {
					t.Errorf("replies\n %v\nwant\n %v\noutput:\n%s", got, want, out)
				}
			})
		}
	}
	if ran < 4 {
		t.Fatalf("only %d transcripts could be piped", ran)
	}
}

func typeable(tr *bottest.Transcript) bool {
	for _, st := range tr.Steps {
		if st.Kind != bottest.SendText && st.Kind != bottest.TapButton {
			return false
		}
		if st.Kind == bottest.SendText && strings.TrimSpace(st.Text) == "" {
			return false
		}
	}
	return true
}

// typedInput turns a transcript into the lines a person would type (a tap
// becomes the option's number) and the message IDs expected back.
func typedInput(t *testing.T, tr *bottest.Transcript, content *bot.Content, reg *bot.Registry) (string, []string) {
	t.Helper()
	e := bot.NewEngine(bottest.NewMemStore(), content, reg, bot.Config{})
	d := &bottest.EngineDriver{Engine: e, Key: bot.Key{Channel: "plan", User: "u"}, LangHint: tr.LangHint}
	var lines, want []string
	var last []bot.Reply
	for _, st := range tr.Steps {
		line := st.Text
		if st.Kind == bottest.TapButton {
			line = optionNumber(t, last, st.Text)
		}
		lines = append(lines, line)
		got := d.Text(t, line)
		for _, r := range got {
			if len(r.Options) > 0 {
				last = got
			}
		}
		for _, e := range st.Expect {
			want = append(want, e.MsgID)
		}
	}
	return strings.Join(lines, "\n") + "\n", want
}

func optionNumber(t *testing.T, replies []bot.Reply, value string) string {
	t.Helper()
	for _, r := range replies {
		for i, o := range r.Options {
			if o.Value == value {
				return strconv.Itoa(i + 1)
			}
		}
	}
	t.Fatalf("no option %q to type", value)
	return ""
}

// TestLint checks the shipped flows pass and a broken copy fails with the
// file, the step and the fix named.
func TestLint(t *testing.T) {
	out, code := runMain(t, nil, "", "flows", "lint", "../../flows")
	if code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Fatalf("lint of the shipped flows: exit %d\n%s", code, out)
	}

	dir := t.TempDir()
	for _, sub := range []string{"flows", "locales"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("../..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	flowFile := filepath.Join(dir, "flows", "consumer.yaml")
	src, err := os.ReadFile(flowFile)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), "next: problem\n", "next: problme\n", 1)
	if err := os.WriteFile(flowFile, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code = runMain(t, nil, "", "flows", "lint", filepath.Join(dir, "flows"))
	if code != 1 {
		t.Fatalf("broken flows: exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{"consumer.yaml:", `step "merchant"`, `"problme"`, `did you mean "problem"`} {
		if !strings.Contains(out, want) {
			t.Errorf("lint output lacks %q:\n%s", want, out)
		}
	}
}

func TestUsage(t *testing.T) {
	if _, code := runMain(t, nil, ""); code != 2 {
		t.Errorf("no command: exit %d, want 2", code)
	}
	if _, code := runMain(t, nil, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

// TestChatRefusesUnreachableRedis makes a wrong REDIS_URL an error at
// start, not a silent fallback to the embedded store.
func TestChatRefusesUnreachableRedis(t *testing.T) {
	_, code := runMain(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1"}, "hi\n", "chat")
	if code == 0 {
		t.Error("chat started with an unreachable Redis")
	}
}
