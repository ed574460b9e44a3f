package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
)

const serveToken = "4242:serve-test-token"

// server is a "slipdesk serve" running in the test.
type server struct {
	url    string
	stderr *os.File
	stop   func() error
}

var servingLine = regexp.MustCompile(`serving on (http://\S+)`)

// startServe runs "slipdesk serve --addr 127.0.0.1:0" with env until the
// test ends, and returns once it listens.
func startServe(t *testing.T, env map[string]string) *server {
	t.Helper()
	errFile, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	if env["SLIPDESK_PROOF_DIR"] == "" {
		env["SLIPDESK_PROOF_DIR"] = t.TempDir()
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: errFile, Getenv: func(k string) string { return env[k] }}
	done := make(chan error, 1)
	go func() {
		err := m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"})
		done <- errors.Join(err, m.Close())
	}()
	s := &server{stderr: errFile}
	stopped := false
	s.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			return errors.New("serve did not stop")
		}
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	// Generous: a race-instrumented build on a busy machine starts slowly.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		buf, _ := os.ReadFile(errFile.Name())
		if m := servingLine.FindSubmatch(buf); m != nil {
			s.url = string(m[1])
			return s
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, buf)
		case <-time.After(20 * time.Millisecond):
		}
	}
	buf, _ := os.ReadFile(errFile.Name())
	t.Fatalf("serve did not start listening:\n%s", buf)
	return nil
}

func (s *server) log(t *testing.T) string {
	buf, err := os.ReadFile(s.stderr.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(buf)
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestServePolling runs the service on the embedded store with a bot
// token: it answers a user who writes by long polling, and is healthy
// and ready.
func TestServePolling(t *testing.T) {
	fake := telegramtest.New(t, serveToken)
	s := startServe(t, map[string]string{"TELEGRAM_BOT_TOKEN": serveToken, "TELEGRAM_API_URL": fake.URL})
	if got := s.log(t); !strings.Contains(got, "nothing is durable") || !strings.Contains(got, "long polling") {
		t.Fatalf("start-up says:\n%s", got)
	}
	fake.Push(telegramtest.TextUpdate(31, "en", "hello, I lost my card slip"))
	sent := fake.WaitSent(t, 31, 1, 10*time.Second)
	if !strings.Contains(sent[0].Text, "slip") {
		t.Fatalf("first answer %q", sent[0].Text)
	}
	if len(fake.Calls("deleteWebhook")) != 1 {
		t.Fatal("polling started without removing a webhook")
	}
	menus := fake.Commands()
	for code, want := range map[string]string{"": "重新开始", "zh": "重新开始", "en": "Start again"} {
		if m := menus[code]; len(m) == 0 || m[0].Command != "start" || m[0].Description != want {
			t.Errorf("command menu %q: %+v, want /start first, described %q", code, m, want)
		}
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if code := getStatus(t, s.url+path); code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
	}
	if err := s.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if strings.Contains(s.log(t), serveToken) {
		t.Fatal("the bot token was written to the log")
	}
}

// TestServeWebhook runs the service on the real Redis with a webhook: it
// registers the webhook with its secret, answers updates posted with the
// secret on the URL's path, and refuses the others.
func TestServeWebhook(t *testing.T) {
	fake := telegramtest.New(t, serveToken)
	secret := "serve-secret-0123456789"
	s := startServe(t, map[string]string{
		"REDIS_URL": redisURL(), "SLIPDESK_KEY_PREFIX": testPrefix(t),
		"TELEGRAM_BOT_TOKEN": serveToken, "TELEGRAM_API_URL": fake.URL,
		"TELEGRAM_WEBHOOK_URL": "https://bot.example.com/hooks/tg", "TELEGRAM_WEBHOOK_SECRET": secret,
	})
	hook := fake.Webhook()
	if hook.URL != "https://bot.example.com/hooks/tg" || hook.SecretToken != secret {
		t.Fatalf("webhook registered as %+v", hook)
	}
	u := telegramtest.TextUpdate(32, "zh-hans", "你好，小票丢了")
	u.ID = 1
	body, _ := json.Marshal(u)
	post := func(secret string) int {
		req, _ := http.NewRequest(http.MethodPost, s.url+"/hooks/tg", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set(telegram.SecretHeader, secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("wrong-secret-0123456789"); code != http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d", code)
	}
	if code := post(secret); code != http.StatusOK {
		t.Fatalf("update: %d", code)
	}
	sent := fake.Sent(32)
	if len(sent) == 0 || !strings.Contains(sent[0].Text, "您") {
		t.Fatalf("answer %+v, want Chinese", sent)
	}
	if code := post(secret); code != http.StatusOK || len(fake.Sent(32)) != len(sent) {
		t.Fatalf("a redelivered update was answered again")
	}
	if code := getStatus(t, s.url+"/readyz"); code != http.StatusOK {
		t.Fatalf("readyz: %d", code)
	}
	// The metrics tell what happened: one turn committed and one
	// answered from its record (nothing left to send: the record kept
	// only that the turn was committed), the messages sent once, the
	// refused secret, the API's calls, Redis's round trips.
	resp, err := http.Get(s.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	n := strconv.Itoa(len(sent))
	for _, want := range []string{
		`slipdesk_turns_total{channel="telegram",outcome="committed"} 1`,
		`slipdesk_turns_total{channel="telegram",outcome="replayed"} 1`,
		`slipdesk_messages_total{channel="telegram",result="sent"} ` + n,
		`slipdesk_webhook_refusals_total{reason="secret"} 1`,
		`slipdesk_telegram_api_calls_total{method="sendMessage",outcome="ok"} ` + n,
		`slipdesk_turn_seconds_count{channel="telegram"} 2`,
		`slipdesk_redis_round_trips_total `,
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestServeRefusesBadSetup stops at start-up on a setup that cannot work.
func TestServeRefusesBadSetup(t *testing.T) {
	fake := telegramtest.New(t, serveToken)
	cases := map[string]map[string]string{
		"webhook without secret": {"TELEGRAM_BOT_TOKEN": serveToken, "TELEGRAM_API_URL": fake.URL, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg"},
		"webhook over http":      {"TELEGRAM_BOT_TOKEN": serveToken, "TELEGRAM_API_URL": fake.URL, "TELEGRAM_WEBHOOK_URL": "http://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": "serve-secret-0123456789"},
		"wrong token":            {"TELEGRAM_BOT_TOKEN": "4242:wrong", "TELEGRAM_API_URL": fake.URL},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			env["SLIPDESK_PROOF_DIR"] = t.TempDir()
			_, stderr, code := runCapture(t, env, "serve", "--addr", "127.0.0.1:0")
			if code == 0 {
				t.Fatalf("serve started:\n%s", stderr)
			}
			if strings.Contains(stderr, "4242:wrong") {
				t.Fatal("the token was written out")
			}
		})
	}
}
