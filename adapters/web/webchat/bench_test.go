package webchat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/web/loadclient"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
)

// intake is a consumer's first nine messages of a report, as typed or
// tapped: "=value" taps the button of that value on the last reply.
var intake = []string{"hello, I lost my slip", "=agree", "=consumer", "=card_slip", "yesterday 3pm", "Starlight", "=only_lost", "128.50", "=credit"}

// BenchmarkWebChatTurns measures turns per second and the latency of one
// turn through the web chat's API, over HTTP on loopback, on the real
// Redis, with 64 and with 1,000 conversations typing at once. Each
// conversation plays the nine-message intake, then starts a new
// conversation and plays it again. A turn is one POST /api/chat/send:
// token check, both rate limits (in Redis, with the load of the
// conversation), the engine's turn, and the feed append with its
// wake-up.
func BenchmarkWebChatTurns(b *testing.B) {
	rdb := redistest.Real(b)
	for _, conc := range []int{64, 1000} {
		b.Run(fmt.Sprintf("conversations=%d", conc), func(b *testing.B) { benchWebChat(b, rdb, conc, 0) })
	}
}

// BenchmarkWebChatLatency measures the latency of a turn when 64
// conversations send at a set rate in all, each on a schedule of its
// own, as people do, rather than each sending again the moment it is
// answered. A turn counts from when its message was due, so one held up
// behind a slow answer counts the wait.
func BenchmarkWebChatLatency(b *testing.B) {
	rdb := redistest.Real(b)
	for _, rate := range []int{1000, 2500} {
		b.Run(fmt.Sprintf("conversations=64/rate=%d", rate), func(b *testing.B) { benchWebChat(b, rdb, 64, rate) })
	}
}

// benchWebChat plays conc conversations through the API until b.N turns
// are done: each as fast as it is answered when rate is 0, else each on
// a schedule that makes rate turns per second in all.
func benchWebChat(b *testing.B, rdb redis.UniversalClient, conc, rate int) {
	d := redistest.NewDesk(b, rdb, redistest.Options{Flows: "../../../flows", Locales: "../../../locales"})
	h := newHarness(b, d, func(o *webchat.Options) {
		// All the load comes from one address; the limits still count
		// in Redis on every turn.
		o.PerConversation = webchat.Limit{N: 1_000_000, Period: time.Second}
		o.PerIP = webchat.Limit{N: 1_000_000, Period: time.Second}
		o.NewPerIP = webchat.Limit{N: 1_000_000, Period: time.Second}
	})
	var next atomic.Int64
	lat := make([][]time.Duration, conc)
	info := func() float64 { return redisCPU(b, rdb) }
	redisBefore, cpuBefore := info(), processCPU()
	b.ResetTimer()
	start := time.Now()
	var interval time.Duration
	if rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(conc) / float64(rate))
	}
	var wg sync.WaitGroup
	for w := range conc {
		wg.Go(func() {
			client := loadclient.New(h.srv.URL)
			defer client.Close()
			var last []benchReply
			tok, step := "", 0
			due := start.Add(interval * time.Duration(w) / time.Duration(conc))
			for next.Add(1) <= int64(b.N) {
				if step%len(intake) == 0 {
					tok = benchStart(b, client)
				}
				msg := intake[step%len(intake)]
				body := benchMessage{ID: fmt.Sprintf("b%d-%d", w, step), Text: msg}
				if v, ok := cutValue(msg); ok {
					body = benchMessage{ID: body.ID, Button: buttonOf(last, v), Label: v}
				}
				t0 := time.Now()
				if rate > 0 {
					// Late, the message counts from when it was due;
					// on time, from when the timer woke the sender.
					if wait := time.Until(due); wait > 0 {
						time.Sleep(wait)
						t0 = time.Now()
					} else {
						t0 = due
					}
					due = due.Add(interval)
				}
				last = benchSend(b, client, tok, body)
				lat[w] = append(lat[w], time.Since(t0))
				step++
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "turns/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	// CPU per turn, of this process (client and server) and of the
	// Redis server (which other processes may share, so an upper
	// bound): on a machine this busy, turns/s says more about the
	// neighbours than about the chat.
	b.ReportMetric(float64((processCPU()-cpuBefore).Microseconds())/float64(b.N), "cpu-µs/turn")
	b.ReportMetric((info()-redisBefore)*1e6/float64(b.N), "redis-cpu-µs/turn")
}

func cutValue(msg string) (string, bool) {
	if len(msg) > 1 && msg[0] == '=' {
		return msg[1:], true
	}
	return "", false
}

func buttonOf(entries []benchReply, value string) string {
	for _, e := range entries {
		for _, o := range e.Options {
			if o.Value == value {
				return o.Data
			}
		}
	}
	return "t0:" + value
}

// benchMessage is the body of a message the benchmarks send.
type benchMessage struct {
	ID     string `json:"id"`
	Text   string `json:"text,omitempty"`
	Button string `json:"button,omitempty"`
	Label  string `json:"label,omitempty"`
}

func benchStart(b *testing.B, c *loadclient.Client) string {
	var r struct{ Token string }
	benchPost(b, c, "/api/chat/start", []byte(`{}`), &r)
	return r.Token
}

// benchReply is what the benchmarks read of a reply: the buttons the
// next message may tap.
type benchReply struct {
	Options []webchat.Button `json:"options"`
}

func benchSend(b *testing.B, c *loadclient.Client, tok string, body benchMessage) []benchReply {
	raw, _ := json.Marshal(body)
	var r struct{ Replies []benchReply }
	benchPost(b, c, "/api/chat/send", raw, &r, "X-Chat-Token", tok, "X-Chat-Lang", "en")
	if len(r.Replies) == 0 {
		b.Fatalf("send: no reply")
	}
	return r.Replies
}

// benchPost posts body to path and reads the answer into out; anything
// but a 200 with JSON fails the benchmark.
func benchPost(b *testing.B, c *loadclient.Client, path string, body []byte, out any, headers ...string) {
	status, got, err := c.Post(path, body, headers...)
	if err == nil {
		err = json.Unmarshal(got, out)
	}
	if err != nil || status != 200 {
		b.Fatalf("%s: %d %v %.200s", path, status, err, got)
	}
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// redisCPU is the CPU time, in seconds, the Redis server has used.
func redisCPU(b *testing.B, rdb redis.UniversalClient) float64 {
	s, err := rdb.Info(context.Background(), "cpu").Result()
	if err != nil {
		b.Fatal(err)
	}
	var total float64
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && (k == "used_cpu_sys" || k == "used_cpu_user") {
			f, _ := strconv.ParseFloat(v, 64)
			total += f
		}
	}
	return total
}
