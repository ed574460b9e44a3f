package main

import (
	"crypto/rand"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
)

var benchLine = regexp.MustCompile(`turns/s (\d+) .* round trips/turn ([\d.]+)\s+errors (\d+)`)

// TestBench runs slipdesk bench briefly: through the engine on the
// embedded store, and through the webhook on the real Redis, which also
// gives the bytes per conversation and a store seeded with
// conversations. Users walk the whole journey without an error, and the
// run leaves no key behind.
//
// On a Redis Cluster the webhook run stores no conversations before: the
// bytes a conversation adds are read from one server's used_memory, and
// the run refuses to seed a Cluster, saying why.
func TestBench(t *testing.T) {
	prefix := "benchtest-" + rand.Text()[:8] + ":"
	rdb := redistest.Real(t)
	_, cluster := rdb.(*redis.ClusterClient)
	webhook := []string{"--mode", "webhook", "--conversations", "200"}
	if cluster {
		webhook = webhook[:2]
	}
	type benchCase struct {
		name string
		env  map[string]string
		args []string
		mem  bool
		// refused, when set, is the error the run must stop with.
		refused string
	}
	cases := []benchCase{
		{"engine, embedded, en", map[string]string{}, []string{"--lang", "en"}, false, ""},
		{"engine, embedded, at a rate", map[string]string{}, []string{"--rate", "100"}, false, ""},
		{"webhook, redis", map[string]string{"REDIS_URL": redistest.URL()}, webhook, true, ""},
	}
	if cluster {
		cases = append(cases, benchCase{"seeding a cluster", map[string]string{"REDIS_URL": redistest.URL()}, []string{"--conversations", "10"}, false, "--conversations needs REDIS_URL naming one Redis server"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.env["SLIPDESK_PROOF_DIR"] = t.TempDir()
			tc.env["SLIPDESK_KEY_PREFIX"] = prefix
			args := append([]string{"bench", "--duration", "3s", "--users", "4"}, tc.args...)
			if tc.refused != "" {
				m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: devNull(t), Getenv: func(k string) string { return tc.env[k] }}
				err := m.Run(t.Context(), args)
				_ = m.Close()
				if err == nil || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("the run ended with %v, want a refusal saying %q", err, tc.refused)
				}
				return
			}
			out, stderr, code := runCapture(t, tc.env, args...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			m := benchLine.FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no figures in:\n%s", out)
			}
			if n, _ := strconv.Atoi(m[1]); n == 0 || m[3] != "0" {
				t.Fatalf("turns/s %s, errors %s:\n%s", m[1], m[3], out)
			}
			if slices.Contains(tc.args, "--rate") {
				// 4 users at 100 turns/s in all: each writes every 40 ms.
				n, _ := strconv.Atoi(m[1])
				if !strings.Contains(out, "offered 100 turns/s") || n < 80 || n > 110 {
					t.Fatalf("a run at 100 turns/s did %d:\n%s", n, out)
				}
			}
			if trips, _ := strconv.ParseFloat(m[2], 64); trips < 2 {
				t.Fatalf("round trips per turn %s: a turn costs at least 2", m[2])
			}
			mem := regexp.MustCompile(`bytes per conversation after 3 messages: (\d+)`).FindStringSubmatch(out)
			if tc.mem && mem == nil {
				t.Fatalf("no bytes per conversation in:\n%s", out)
			}
		})
	}
	if keys := redistest.Keys(t, rdb, prefix); len(keys) > 0 {
		t.Fatalf("bench left %d keys: %v", len(keys), keys[:min(len(keys), 5)])
	}
}

// devNull is a file that takes what is written to it and keeps nothing.
func devNull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
