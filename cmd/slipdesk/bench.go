package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/bot"
)

// journeys are what simulated users type: the shipped consumer journey,
// from the first message through the consent, the questions, the
// summary and the advice to the end, answering choices by number as a
// user of a channel without buttons does.
var journeys = map[string][]string{
	"zh-CN": {"你好，小票丢了", "1", "1", "1", "昨天下午3点", "星光超市", "1", "128元", "2", "1234", "1", "1", "1", "2"},
	"en":    {"hello, I lost my card slip", "1", "1", "1", "yesterday 3pm", "Starlight", "1", "128", "2", "1234", "1", "1", "1", "2"},
}

// benchOptions are the flags of slipdesk bench.
type benchOptions struct {
	mode     string
	users    int
	duration time.Duration
	lang     string
	seed     int
	// rate, when above 0, is how many turns per second the users send
	// together, each on a schedule of their own (an open loop); at 0
	// each user sends the next message as soon as the last is answered.
	rate float64
	// cpuProfile, if set, names the file the run's CPU profile is
	// written to (the users' walk only, not the set-up).
	cpuProfile string
}

// runBench measures the service as users would load it: simulated users
// walk the consumer journey through the engine, or through the Telegram
// webhook over HTTP with an in-process fake Bot API, on the configured
// Redis (under a prefix of its own, deleted afterwards) or the embedded
// store.
func (m *Main) runBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	var common commonFlags
	common.register(fs)
	var o benchOptions
	fs.StringVar(&o.mode, "mode", "engine", "engine (turns through the engine) or webhook (updates over HTTP, replies to a fake Bot API)")
	fs.IntVar(&o.users, "users", 64, "users writing at once")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long users write")
	fs.StringVar(&o.lang, "lang", "zh-CN", "the users' language: zh-CN or en")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof reads it)")
	fs.Float64Var(&o.rate, "rate", 0, "turns per second the users send together, each on a schedule (latency then counts from when a message was due); 0: each user writes again as soon as answered")
	fs.IntVar(&o.seed, "conversations", 0, "idle conversations stored before the run, copies of one after the 3-message exchange (for figures at a size, such as 1000000)")
	if err := fs.Parse(args); err != nil {
		return &exitError{2}
	}
	if o.mode != "engine" && o.mode != "webhook" || journeys[o.lang] == nil || o.users < 1 || o.duration <= 0 || o.seed < 0 || o.rate < 0 {
		fmt.Fprintln(m.Stderr, "slipdesk bench: --mode engine|webhook, --lang zh-CN|en, --users and --duration above 0, --rate 0 or above")
		return &exitError{2}
	}
	cfg, err := m.loadConfig(common)
	if err != nil {
		return err
	}
	// The run's keys sit under a prefix of their own, within the
	// configured one, and go when it ends.
	cfg.KeyPrefix += "bench-" + rand.Text()[:8] + ":"
	cfg.LogLevel = "error"
	d, err := m.openDesk(ctx, cfg)
	if err != nil {
		return err
	}
	rdb := d.rdb
	defer func() {
		if err := dropPrefix(rdb, cfg.KeyPrefix); err != nil {
			fmt.Fprintln(m.Stderr, "slipdesk bench:", err)
		}
	}()
	trips := &tripCounter{sent: &redisstore.RoundTrips{}, batch: d.store.Batcher()}
	rdb.AddHook(trips.sent)

	embedded := cfg.RedisURL == ""
	// Measured before seeding: finding a conversation's keys scans
	// them all.
	perConv, err := bytesPerConversation(ctx, d, o.lang, embedded)
	if err != nil {
		return err
	}
	var seeded int64
	if o.seed > 0 {
		if seeded, err = seedConversations(ctx, d, o.seed, o.lang, m.Stderr); err != nil {
			return err
		}
	}

	var walk func(ctx context.Context, user int, u *benchUser) error
	switch o.mode {
	case "engine":
		walk = engineWalker(d, o.lang)
	case "webhook":
		w, stop, err := newWebhookWalker(ctx, d, o.lang, o.users)
		if err != nil {
			return err
		}
		defer stop()
		walk = w
	}
	stopProfile, err := startCPUProfile(o.cpuProfile)
	if err != nil {
		return err
	}
	r := runUsers(ctx, o, walk, trips, m.Stderr)
	if err := stopProfile(); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "mode %s, %d users, %s, store %s, %d conversations stored before", o.mode, o.users, o.lang, storeName(rdb, embedded), o.seed)
	if o.rate > 0 {
		fmt.Fprintf(m.Stdout, ", offered %.0f turns/s", o.rate)
	}
	fmt.Fprintln(m.Stdout)
	fmt.Fprintf(m.Stdout, "turns/s %.0f  p50 %s  p95 %s  p99 %s  round trips/turn %.2f  errors %d  (sent as %.2f writes/turn)\n",
		r.perSecond, r.p(0.50), r.p(0.95), r.p(0.99), r.tripsPerTurn, r.errors, r.writesPerTurn)
	if r.firstErr != nil {
		fmt.Fprintf(m.Stdout, "first error: %v\n", r.firstErr)
	}
	if o.seed > 0 {
		fmt.Fprintf(m.Stdout, "used_memory per stored conversation: %d bytes\n", seeded)
	}
	if perConv > 0 {
		fmt.Fprintf(m.Stdout, "redis bytes per conversation after 3 messages: %d\n", perConv)
	} else {
		fmt.Fprintln(m.Stdout, "redis bytes per conversation: not measured on the embedded store (no MEMORY USAGE)")
	}
	return nil
}

func storeName(rdb redis.UniversalClient, embedded bool) string {
	switch {
	case embedded:
		return "embedded"
	case isCluster(rdb):
		return "redis cluster"
	}
	return "redis"
}

func isCluster(rdb redis.UniversalClient) bool {
	_, ok := rdb.(*redis.ClusterClient)
	return ok
}

// benchUser is one simulated user: the times their turns took and, in a
// run at a set rate, their schedule.
type benchUser struct {
	lats []time.Duration
	// next is when the user's next message is due, and interval the
	// time between two of them; 0 when the user writes again as soon as
	// answered.
	next     time.Time
	interval time.Duration
}

// begin returns when the user's next turn starts counting. On a schedule
// it waits until the message is due. A message that fell due while the
// last one was still unanswered counts from when it was due, not from
// when it went out: the wait behind a slow answer is part of its time,
// as the user would feel it. One sent on time counts from when the
// timer woke the user, so that a late timer is not counted as the bot's.
func (u *benchUser) begin(ctx context.Context) time.Time {
	if u.interval == 0 {
		return time.Now()
	}
	due := u.next
	u.next = due.Add(u.interval)
	d := time.Until(due)
	if d <= 0 {
		return due
	}
	t := time.NewTimer(d)
	select {
	case <-t.C:
	case <-ctx.Done():
		t.Stop()
	}
	return time.Now()
}

// took records a turn that began at t0.
func (u *benchUser) took(t0 time.Time) { u.lats = append(u.lats, time.Since(t0)) }

// benchResult is what runUsers measured.
type benchResult struct {
	all           []time.Duration
	perSecond     float64
	tripsPerTurn  float64
	writesPerTurn float64
	errors        int64
	firstErr      error
}

// tripCounter counts a run's round trips two ways: the waits of the
// callers (what a turn costs in latency) and the writes that carried
// them (what it costs the server and the system), which are fewer when
// the batcher sends many callers' commands as one pipeline.
type tripCounter struct {
	sent  *redisstore.RoundTrips
	batch *redisstore.Batcher
}

// counts returns the waits and the writes so far.
func (c *tripCounter) counts() (waits, writes int64) {
	return c.sent.Waits(c.batch), c.sent.Count()
}

// p returns the q quantile of the turn times.
func (r benchResult) p(q float64) time.Duration {
	if len(r.all) == 0 {
		return 0
	}
	return r.all[min(len(r.all)-1, int(q*float64(len(r.all))))].Round(10 * time.Microsecond)
}

// runUsers runs o.users users for o.duration, each walking journeys one
// after another, with a progress line each second.
func runUsers(ctx context.Context, o benchOptions, walk func(context.Context, int, *benchUser) error, trips *tripCounter, progress io.Writer) benchResult {
	// The run ends by cancelling, not by a deadline: a turn keeps the
	// context a channel would give it, with no deadline of its own.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := time.AfterFunc(o.duration, cancel)
	defer stop.Stop()
	var (
		wg    sync.WaitGroup
		turns atomic.Int64
		errs  atomic.Int64
		first atomic.Value
		users = make([]benchUser, o.users)
		start = time.Now()
	)
	if o.rate > 0 {
		// Each user sends every users/rate, the users' schedules
		// spread evenly over one such interval.
		interval := time.Duration(float64(time.Second) * float64(o.users) / o.rate)
		for u := range users {
			users[u].interval = interval
			users[u].next = start.Add(interval * time.Duration(u) / time.Duration(o.users))
		}
	}
	waits0, writes0 := trips.counts()
	for u := range o.users {
		wg.Go(func() {
			for ctx.Err() == nil {
				n := len(users[u].lats)
				if err := walk(ctx, u, &users[u]); err != nil && ctx.Err() == nil {
					errs.Add(1)
					first.CompareAndSwap(nil, err)
				}
				turns.Add(int64(len(users[u].lats) - n))
			}
		})
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprintln(progress)
				return
			case <-t.C:
				n := turns.Load()
				fmt.Fprintf(progress, "\r%s  %d turns  %.0f turns/s ", time.Since(start).Round(time.Second), n, float64(n)/time.Since(start).Seconds())
			}
		}
	}()
	wg.Wait()
	close(done)
	took := time.Since(start)
	var r benchResult
	for _, u := range users {
		r.all = append(r.all, u.lats...)
	}
	slices.Sort(r.all)
	n := float64(len(r.all))
	r.perSecond = n / took.Seconds()
	if n > 0 {
		waits, writes := trips.counts()
		r.tripsPerTurn = float64(waits-waits0) / n
		r.writesPerTurn = float64(writes-writes0) / n
	}
	r.errors = errs.Load()
	r.firstErr, _ = first.Load().(error)
	return r
}

// engineWalker walks one journey through the engine, each user in a
// conversation of their own.
func engineWalker(d *desk, lang string) func(context.Context, int, *benchUser) error {
	var walks atomic.Int64
	return func(ctx context.Context, user int, u *benchUser) error {
		key := bot.Key{Channel: "bench", User: fmt.Sprintf("u%d-%d", user, walks.Add(1))}
		for i, text := range journeys[lang] {
			t0 := u.begin(ctx)
			_, err := d.engine.Process(ctx, bot.Event{Key: key, Kind: bot.EventText, Text: text, DeliveryID: fmt.Sprint("m", i), LangHint: lang})
			if err != nil {
				return err
			}
			u.took(t0)
		}
		return nil
	}
}

// dropPrefix deletes the run's keys, and only them, passing over the
// keyspace again until a pass finds none: a pass cut short by a slow
// server leaves keys behind. It gives up after a few failed passes.
func dropPrefix(rdb redis.UniversalClient, prefix string) error {
	ctx := context.Background()
	var last error
	for failures := 0; failures < 5; {
		n, err := redisstore.DeleteUnder(ctx, rdb, prefix)
		if err != nil {
			failures++
			last = err
			continue
		}
		if n == 0 {
			return nil
		}
	}
	return fmt.Errorf("delete the run's keys under %s: %w", prefix, last)
}
