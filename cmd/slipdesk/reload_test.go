package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
	"github.com/slipdesk/slipdesk/configs"
)

// reloadLog collects the watcher's log lines while it runs.
type reloadLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *reloadLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *reloadLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// watched is an engine running a copy of the shipped content, with a
// watcher over the copy.
type watched struct {
	flows, locales string
	engine         *bot.Engine
	hup            chan os.Signal
	logs           *reloadLog
}

// startWatcher copies the shipped flows and locales to a temporary folder
// and runs a watcher over them, with a short interval, until the test ends.
// With builtIn the watcher runs the built-in content instead; declare
// are the channels' declarations of the texts they need. It returns once
// the watcher has reloaded on a first SIGHUP: the watcher compares the
// files with their state when it started, so edits must come later.
func startWatcher(t *testing.T, builtIn bool, declare ...func(*bot.Registry)) *watched {
	t.Helper()
	w := &watched{hup: make(chan os.Signal, 1), logs: &reloadLog{}}
	var cfg configs.Config
	if !builtIn {
		dir := t.TempDir()
		w.flows, w.locales = filepath.Join(dir, "flows"), filepath.Join(dir, "locales")
		for _, sub := range []string{"flows", "locales"} {
			if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("../..", sub))); err != nil {
				t.Fatal(err)
			}
		}
		cfg.FlowsDir, cfg.LocalesDir = w.flows, w.locales
	}
	reg := bot.NewRegistry()
	for _, d := range declare {
		d(reg)
	}
	ffs, lfs := contentFS(cfg)
	content, problems := bot.LoadContent(ffs, lfs, reg)
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	w.engine = bot.NewEngine(bottest.NewMemStore(), content, reg, bot.Config{})

	logger := slog.New(slog.NewTextHandler(w.logs, nil))
	cw := &contentWatcher{engine: w.engine, reg: reg, flows: cfg.FlowsDir, locales: cfg.LocalesDir, interval: 10 * time.Millisecond, logger: logger}
	runWatcher(t, cw, w.hup, false)
	w.hup <- syscall.SIGHUP
	// The first reload, by the signal, starts from the files as copied.
	waitFor(t, "the watcher to start", func() bool {
		return strings.Contains(w.logs.String(), `msg="content reloaded" reason=signal`)
	})
	return w
}

// waitFor polls cond until it holds or a deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// replaceIn replaces old with new, once, in the file at path; old must be
// there.
func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte(old)) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(src, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReloadLocaleEdit(t *testing.T) {
	w := startWatcher(t, false)
	const edited = "Sorry, I could not read that. Please answer again."
	replaceIn(t, filepath.Join(w.locales, "en.toml"),
		`retry = "I didn't understand that answer. Please try again."`,
		`retry = "`+edited+`"`)

	waitFor(t, "the edited text", func() bool {
		got, err := w.engine.Content().Catalog.Render("en", bot.MsgRetry, nil)
		return err == nil && got == edited
	})
	// The log line follows the engine's switch.
	waitFor(t, "the reload's log line", func() bool {
		return strings.Contains(w.logs.String(), `msg="content reloaded" reason="files changed"`)
	})
	out := w.logs.String()
	for _, want := range []string{`msg="content reloaded" reason="files changed"`, "consumer="} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

// TestReloadKeepsGoodContent checks a broken flow is reported, file and
// problem, and the running content stays until the file is fixed.
func TestReloadKeepsGoodContent(t *testing.T) {
	w := startWatcher(t, false)
	before := w.engine.Content()
	version := before.Flows["consumer"].Version
	flowFile := filepath.Join(w.flows, "consumer.yaml")
	replaceIn(t, flowFile, "next: problem\n", "next: problme\n")

	waitFor(t, "the refusal in the log", func() bool {
		return strings.Contains(w.logs.String(), "kept the running content")
	})
	if w.engine.Content() != before {
		t.Fatal("a broken flow replaced the running content")
	}
	out := w.logs.String()
	for _, want := range []string{"level=WARN", "file=consumer.yaml", "step=merchant", "problme"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `msg="content reloaded" reason="files changed"`) {
		t.Errorf("log says the broken content was loaded:\n%s", out)
	}

	replaceIn(t, flowFile, "next: problme\n", "next: problem\n")
	waitFor(t, "the fixed flow to load", func() bool { return w.engine.Content() != before })
	if got := w.engine.Content().Flows["consumer"].Version; got != version {
		t.Errorf("consumer version after the fix = %s, want %s as before the edit", got, version)
	}
}

// TestReloadKeepsChannelTexts checks that a reload is refused when it
// would take away a text a running channel says itself, with a problem
// line that names the text and the channel.
func TestReloadKeepsChannelTexts(t *testing.T) {
	w := startWatcher(t, false, webchat.DeclareMessages)
	before := w.engine.Content()
	_, locales := withoutWebTitle(t)
	for _, name := range []string{"en.toml", "zh-CN.toml"} {
		src, err := os.ReadFile(filepath.Join(locales, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(w.locales, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	waitFor(t, "the refusal in the log", func() bool {
		return strings.Contains(w.logs.String(), "kept the running content")
	})
	if w.engine.Content() != before {
		t.Fatal("content without the web chat's title replaced the running content")
	}
	out := w.logs.String()
	for _, want := range []string{"level=WARN", "file=en.toml", webchat.MsgTitle, "the web chat says it"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

// TestReloadOnHangup checks SIGHUP reloads though no file changed, for
// both operator folders and the built-in content; startWatcher sent the
// first one.
func TestReloadOnHangup(t *testing.T) {
	for _, builtIn := range []bool{false, true} {
		name := "folders"
		if builtIn {
			name = "built in"
		}
		t.Run(name, func(t *testing.T) {
			w := startWatcher(t, builtIn)
			before := w.engine.Content()
			w.hup <- syscall.SIGHUP
			waitFor(t, "a reload", func() bool { return w.engine.Content() != before })
			after := w.engine.Content()
			for name, f := range before.Flows {
				if got := after.Flows[name]; got == nil || got.Version != f.Version {
					t.Errorf("flow %s changed on a reload of the same files", name)
				}
			}
			waitFor(t, "both reloads in the log", func() bool {
				return strings.Count(w.logs.String(), `msg="content reloaded" reason=signal`) == 2
			})
			if strings.Contains(w.logs.String(), "files changed") {
				t.Errorf("a reload for files nobody changed:\n%s", w.logs)
			}
		})
	}
}

// replica is a watcher over its own copy of the shipped content that
// shares its content through Redis, as a "serve" process does.
type replica struct {
	*watched
	cw *contentWatcher
}

// startReplica runs a watcher over a fresh copy of the shipped content,
// publishing through store, looking at its files each interval, until
// the test ends. It returns once the watcher has started: it takes what
// was published before.
func startReplica(t *testing.T, store *redisstore.Store, interval time.Duration) *replica {
	t.Helper()
	w := &watched{hup: make(chan os.Signal, 1), logs: &reloadLog{}}
	dir := t.TempDir()
	w.flows, w.locales = filepath.Join(dir, "flows"), filepath.Join(dir, "locales")
	for _, sub := range []string{"flows", "locales"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("../..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	cfg := configs.Config{FlowsDir: w.flows, LocalesDir: w.locales}
	reg := bot.NewRegistry()
	ffs, lfs := contentFS(cfg)
	content, problems := bot.LoadContent(ffs, lfs, reg)
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	w.engine = bot.NewEngine(bottest.NewMemStore(), content, reg, bot.Config{})
	cw := &contentWatcher{engine: w.engine, reg: reg, flows: w.flows, locales: w.locales, interval: interval,
		logger: slog.New(slog.NewTextHandler(w.logs, nil)), published: store}
	runWatcher(t, cw, w.hup, true)
	return &replica{watched: w, cw: cw}
}

// runWatcher runs cw until the test ends; with started, it takes the
// published content first, as serve does before it serves.
func runWatcher(t *testing.T, cw *contentWatcher, hup <-chan os.Signal, started bool) {
	ctx, cancel := context.WithCancel(context.Background())
	if started {
		cw.start(ctx)
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		cw.run(ctx, hup)
	}()
	t.Cleanup(func() {
		cancel()
		<-stopped
	})
}

func retryText(e *bot.Engine) string {
	got, _ := e.Content().Catalog.Render("en", bot.MsgRetry, nil)
	return got
}

// TestReloadPublishedToEveryReplica: two replicas on one real Redis; the
// console of the first reloads an edit of its files, which the second
// does not have, and both run it; a replica that starts later runs it
// from the start. A refused edit changes nothing anywhere.
func TestReloadPublishedToEveryReplica(t *testing.T) {
	rdb := redistest.Real(t)
	store := redisstore.New(rdb, redistest.Prefix(t, rdb))
	// The first does not look at its files while the test runs: only
	// the console's reload publishes the edit.
	a, b := startReplica(t, store, time.Hour), startReplica(t, store, 10*time.Millisecond)
	const edited = "Sorry, I could not read that. Please answer again."
	replaceIn(t, filepath.Join(a.locales, "en.toml"),
		`retry = "I didn't understand that answer. Please try again."`,
		`retry = "`+edited+`"`)
	problems, err := a.cw.Publish(context.Background(), "ann")
	if err != nil || len(bot.Errors(problems)) > 0 {
		t.Fatalf("publish: %v %v", err, problems)
	}
	for name, r := range map[string]*replica{"the first": a, "the second": b} {
		waitFor(t, name+" replica to run the edit", func() bool { return retryText(r.engine) == edited })
	}
	if a.cw.Running() != b.cw.Running() {
		t.Fatalf("the replicas run %s and %s", a.cw.Running(), b.cw.Running())
	}
	pub, err := store.PublishedContent(context.Background())
	if err != nil || pub.By != "ann" || pub.Digest != a.cw.Running() {
		t.Fatalf("published %s by %q (%v), want %s by ann", pub.Digest, pub.By, err, a.cw.Running())
	}
	waitFor(t, "the second replica's log", func() bool { return strings.Contains(b.logs.String(), `msg="published content taken"`) })

	c := startReplica(t, store, 10*time.Millisecond)
	if retryText(c.engine) != edited || c.cw.Running() != a.cw.Running() {
		t.Fatalf("a replica started later runs %q, want the published edit", retryText(c.engine))
	}

	replaceIn(t, filepath.Join(b.flows, "consumer.yaml"), "next: problem\n", "next: problme\n")
	problems, err = b.cw.Publish(context.Background(), "bob")
	if err != nil || len(bot.Errors(problems)) == 0 {
		t.Fatalf("a broken flow was published: %v %v", err, problems)
	}
	if got, _ := store.PublishedDigest(context.Background()); got != a.cw.Running() || retryText(b.engine) != edited {
		t.Fatalf("a refused reload changed the published content (%s) or the replica", got)
	}
}
