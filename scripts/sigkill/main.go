// Command sigkill runs several "slipdesk serve" replicas by webhook on
// one Redis against a fake Bot API, posts users' messages to them the way
// Telegram does (again, to any replica, until one answers 200), kills a
// replica with SIGKILL now and then and starts it again, and at the end
// checks that every update's replies reached its user, counting the
// messages sent more than once. It exits 1 when a reply is missing or
// more messages repeat than the kills can explain: only a message the API
// accepted just before its process died, before its mark, may repeat.
//
//	go build -o /tmp/slipdesk ./cmd/slipdesk
//	go run ./scripts/sigkill -bin /tmp/slipdesk -duration 20s -kills 5
package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/locales"
	"github.com/slipdesk/slipdesk/scripts/internal/proc"
)

const (
	token  = "123456:sigkill-token"
	secret = "sigkill-webhook-secret-0123"
	hook   = "https://bot.example/tg/hook"
)

// journey is what each simulated user types, over and over.
var journey = []string{"hello, I lost my card slip", "1", "1", "1", "yesterday 3pm", "Starlight", "2", "/help", "/start"}

func main() {
	bin := flag.String("bin", "", "the slipdesk binary")
	replicas := flag.Int("replicas", 3, "serve processes")
	chats := flag.Int("chats", 12, "users writing at once")
	duration := flag.Duration("duration", 20*time.Second, "how long users write")
	kills := flag.Int("kills", 5, "SIGKILLs spread over the duration")
	lease := flag.Duration("lease", 2*time.Second, "send_lease of the replicas")
	redisURL := flag.String("redis", envOr("REDIS_URL", "redis://127.0.0.1:6379"), "Redis URL")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "sigkill: -bin is required")
		os.Exit(2)
	}
	r, err := run(*bin, *redisURL, *replicas, *chats, *kills, *duration, *lease)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sigkill:", err)
		os.Exit(1)
	}
	fmt.Printf("sigkill: %d updates in %d chats, %d kills of %d replicas: %d messages for %d replies, %d repeated, %d missing\n",
		r.updates, *chats, r.kills, *replicas, r.messages, r.replies, r.repeated, r.missing)
	// Each kill can leave one accepted but unmarked message per chat
	// the killed replica was sending to.
	if r.missing > 0 || r.repeated > r.kills*(*chats) {
		os.Exit(1)
	}
}

type result struct {
	updates, kills, messages, replies, repeated, missing int
}

func run(bin, redisURL string, n, chats, kills int, duration, lease time.Duration) (result, error) {
	var res result
	rdb, err := redisstore.NewClient(redisURL)
	if err != nil {
		return res, err
	}
	defer rdb.Close()
	prefix := "sigkill-" + crand.Text()[:8] + ":"
	defer dropKeys(rdb, prefix)

	fake, err := telegramtest.Start(token, "127.0.0.1:0")
	if err != nil {
		return res, err
	}
	defer fake.Close()
	// A slow API widens the window in which a kill finds a send under
	// way.
	fake.Slow("sendMessage", 3*time.Millisecond)

	dir, err := os.MkdirTemp("", "sigkill")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	cfg := filepath.Join(dir, "slipdesk.yaml")
	// Every update's delivery and every chat's transcript are read back
	// at the end, so the run keeps more of them than a chat can get in
	// it.
	conf := "telegram:\n  per_chat_interval: 0s\n  messages_per_second: 0\nlimits:\n  delivery_records: 1000000\n  transcript_lines: 1000000\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		return res, err
	}
	env := append(os.Environ(),
		"REDIS_URL="+redisURL, "SLIPDESK_KEY_PREFIX="+prefix, "SLIPDESK_PROOF_DIR="+filepath.Join(dir, "proofs"),
		"SLIPDESK_SEND_LEASE="+lease.String(), "SLIPDESK_LOG_LEVEL=error",
		"TELEGRAM_BOT_TOKEN="+token, "TELEGRAM_API_URL="+fake.URL,
		"TELEGRAM_WEBHOOK_URL="+hook, "TELEGRAM_WEBHOOK_SECRET="+secret)
	procs := make([]*replica, n)
	for i := range procs {
		p, err := startReplica(bin, cfg, env, filepath.Join(dir, "replica"+strconv.Itoa(i)+".log"))
		if err != nil {
			return res, err
		}
		procs[i] = p
		defer p.stop()
	}

	var (
		nextID  atomic.Int64
		mu      sync.Mutex
		updates = map[int64][]int64{} // chat: its update IDs
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	nextID.Store(1000)
	for c := range chats {
		chat := int64(900000 + c)
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := nextID.Add(1)
				deliver(procs, update(id, chat, journey[i%len(journey)]))
				mu.Lock()
				updates[chat] = append(updates[chat], id)
				mu.Unlock()
			}
		})
	}
	every := duration / time.Duration(kills+1)
	for range kills {
		time.Sleep(every)
		p := procs[rand.IntN(n)]
		if err := p.restart(); err != nil {
			close(stop)
			wg.Wait()
			return res, err
		}
		res.kills++
	}
	time.Sleep(every)
	close(stop)
	wg.Wait()
	// A killed replica's messages wait out their lease; the updates were
	// answered 200 only once all were out, so nothing is still owed.
	time.Sleep(200 * time.Millisecond)

	store := redisstore.New(rdb, prefix)
	catalog, problems := bot.LoadCatalog(locales.FS)
	if err := bot.ProblemsError(problems); err != nil {
		return res, err
	}
	for chat, ids := range updates {
		for _, id := range ids {
			snap, err := store.Load(context.Background(), telegram.KeyOf(chat), strconv.FormatInt(id, 10))
			if err != nil {
				return res, err
			}
			if snap.Replayed == nil {
				return res, fmt.Errorf("update %d of chat %d has no delivery record: it was never committed or its record was dropped", id, chat)
			}
			res.updates++
		}
		// The replies, in the order of their turns, are the bot's lines
		// of the transcript: a delivery's record goes once its replies
		// are all sent.
		lines, err := store.Transcript(context.Background(), telegram.KeyOf(chat))
		if err != nil {
			return res, err
		}
		catalog.FillTexts(lines)
		var want []string
		for _, l := range lines {
			if l.From == "bot" {
				want = append(want, l.Text)
			}
		}
		got := fake.Sent(chat)
		res.messages += len(got)
		res.replies += len(want)
		// Walk both in order: a repeat is a message equal to one of the
		// replies already matched, a gap is a reply never seen.
		j := 0
		for _, m := range got {
			if j < len(want) && m.Text == want[j] {
				j++
				continue
			}
			res.repeated++
		}
		res.missing += len(want) - j
	}
	return res, nil
}

// deliver posts the update to random replicas until one answers 200, as
// Telegram does with a webhook.
func deliver(procs []*replica, body []byte) {
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		p := procs[rand.IntN(len(procs))]
		req, _ := http.NewRequest(http.MethodPost, "http://"+p.addr+"/tg/hook", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(telegram.SecretHeader, secret)
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func update(id, chat int64, text string) []byte {
	u := map[string]any{
		"update_id": id,
		"message": map[string]any{
			"message_id": id, "date": time.Now().Unix(), "text": text,
			"chat": map[string]any{"id": chat, "type": "private"},
			"from": map[string]any{"id": chat, "first_name": "U", "language_code": "en"},
		},
	}
	b, _ := json.Marshal(u)
	return b
}

// replica is one serve process on a fixed address, so that a restart
// takes the same place.
type replica struct {
	bin, cfg, log string
	env           []string
	addr          string
	cmd           *exec.Cmd
	exited        chan struct{}
}

func startReplica(bin, cfg string, env []string, log string) (*replica, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	r := &replica{bin: bin, cfg: cfg, env: env, log: log, addr: addr}
	return r, r.start()
}

func (r *replica) start() error {
	out, err := os.OpenFile(r.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(r.bin, "serve", "--config", r.cfg, "--addr", r.addr)
	cmd.Env, cmd.Stdout, cmd.Stderr = r.env, out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); out.Close(); close(exited) }()
	r.cmd, r.exited = cmd, exited
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + r.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return nil
		}
	}
	return fmt.Errorf("replica on %s did not start; see %s", r.addr, r.log)
}

// restart kills the process at once, whatever it was doing, and starts
// it again.
func (r *replica) restart() error {
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	<-r.exited
	return r.start()
}

func (r *replica) stop() {
	proc.Stop(r.cmd.Process, r.exited, 5*time.Second)
}

// dropKeys deletes the run's keys, and only them, on every master of a
// Cluster.
func dropKeys(rdb redis.UniversalClient, prefix string) {
	if _, err := redisstore.DeleteUnder(context.Background(), rdb, prefix); err != nil {
		fmt.Fprintf(os.Stderr, "sigkill: the run's keys under %s: %v\n", prefix, err)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
