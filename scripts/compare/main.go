// Command compare runs slipdesk and a Botkit 4.15 web-adapter bot
// (scripts/botkit) side by side on this machine and drives them with the
// same load: a number of conversations at once, each sending the
// 9-message intake and then starting over as a new user, each message
// waiting for its answer. slipdesk is driven through its web chat and
// through its Telegram webhook (-slipdesk picks), the webhook's replies
// going to a Bot API this command serves in its own process
// (telegramsink), with no pace, as Telegram's work is done on
// Telegram's machines. Runs alternate
// between the bots, so that the load of the machine falls on each alike,
// and a table gives each run's turns per second, p50 and p99 of a turn,
// errors and the server's CPU time.
//
// slipdesk runs as "slipdesk serve" on a private redis-server started for
// the run (-store redis, the default when redis-server is on PATH) or on
// its embedded store (-store embedded); Botkit keeps its dialog state in
// its MemoryStorage. Every conversation connects from a loopback address
// of its own, as users do from theirs, so the web chat's per-address
// limits hold as they would for real users.
//
//	(cd scripts/botkit && npm ci --ignore-scripts)
//	go build -o /tmp/slipdesk ./cmd/slipdesk
//	go run ./scripts/compare -bin /tmp/slipdesk -conversations 64 -duration 10s -rounds 3
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	bin := flag.String("bin", "", "the slipdesk binary (go build -o /tmp/slipdesk ./cmd/slipdesk)")
	botkitDir := flag.String("botkit", "scripts/botkit", "folder of the Botkit bot, with its node_modules installed")
	node := flag.String("node", "node", "the Node.js binary")
	store := flag.String("store", "", "slipdesk's store: redis (a private redis-server for the run) or embedded (default: redis when redis-server is on PATH)")
	convs := flag.Int("conversations", 64, "conversations at once")
	duration := flag.Duration("duration", 10*time.Second, "length of one run")
	rounds := flag.Int("rounds", 3, "runs of each bot, alternating")
	paths := flag.String("slipdesk", "web,webhook", "slipdesk's ways in, comma-separated: web (the web chat), webhook (Telegram's)")
	flag.Parse()
	web, webhook := false, false
	for _, p := range strings.Split(*paths, ",") {
		switch strings.TrimSpace(p) {
		case "web":
			web = true
		case "webhook":
			webhook = true
		default:
			fmt.Fprintln(os.Stderr, "compare: -slipdesk takes web, webhook or both")
			os.Exit(2)
		}
	}
	if *bin == "" || *convs < 1 || *duration <= 0 || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "compare: -bin is required; -conversations, -duration and -rounds above 0")
		os.Exit(2)
	}
	if *store == "" {
		*store = "embedded"
		if _, err := exec.LookPath("redis-server"); err == nil {
			*store = "redis"
		}
	}
	if *store != "redis" && *store != "embedded" {
		fmt.Fprintln(os.Stderr, "compare: -store redis or embedded")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *bin, *botkitDir, *node, *store, web, webhook, *convs, *duration, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, bin, botkitDir, node, store string, web, webhook bool, convs int, duration time.Duration, rounds int) error {
	logs, err := os.MkdirTemp("", "compare-")
	if err != nil {
		return err
	}
	var env []string
	if store == "redis" {
		rs, err := tries(func() (*server, error) { return startRedis(filepath.Join(logs, "redis.log")) })
		if err != nil {
			return fmt.Errorf("redis-server: %w", err)
		}
		defer rs.stop()
		env = append(env, "REDIS_URL=redis://"+rs.addr)
	}
	var hook *telegramHook
	if webhook {
		if hook, err = newTelegramHook(logs); err != nil {
			return err
		}
		defer hook.api.Close()
		env = append(env, hook.env...)
	}
	sd, err := tries(func() (*server, error) { return startSlipdesk(bin, env, filepath.Join(logs, "slipdesk.log")) })
	if err != nil {
		return fmt.Errorf("slipdesk: %w (log in %s)", err, logs)
	}
	defer sd.stop()
	bk, err := tries(func() (*server, error) { return startBotkit(node, botkitDir, filepath.Join(logs, "botkit.log")) })
	if err != nil {
		return fmt.Errorf("botkit: %w (log in %s)", err, logs)
	}
	defer bk.stop()

	targets := []target{{name: "botkit 4.15 web, memory", proc: bk, chat: botkitChat{base: "http://" + bk.addr}}}
	if web {
		targets = append(targets, target{name: "slipdesk web chat, " + store, proc: sd, chat: slipdeskChat{base: "http://" + sd.addr}})
	}
	if webhook {
		targets = append(targets, target{name: "slipdesk webhook, " + store, proc: sd, chat: hook.chat("http://" + sd.addr)})
	}
	fmt.Printf("%d conversations at once, %s runs, %d round(s); GOMAXPROCS %d; logs in %s\n",
		convs, duration, rounds, runtime.GOMAXPROCS(0), logs)
	fmt.Printf("%-28s %5s %9s %9s %9s %7s %8s %11s\n", "bot", "run", "turns/s", "p50", "p99", "errors", "cpu s", "turns/cpu s")
	results := map[string][]result{}
	ips := &sourceIPs{}
	for r := 1; r <= rounds; r++ {
		for _, t := range targets {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			res := t.measure(ctx, ips, convs, duration)
			results[t.name] = append(results[t.name], res)
			fmt.Printf("%-28s %5d %s\n", t.name, r, res.row())
			if res.firstErr != nil {
				fmt.Printf("%-28s %5s first error: %v\n", "", "", res.firstErr)
			}
		}
	}
	fmt.Println(strings.Repeat("-", 92))
	for _, t := range targets {
		fmt.Printf("%-28s %5s %s\n", t.name, "med", median(results[t.name]).row())
	}
	return nil
}
