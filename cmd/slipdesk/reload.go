package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/configs"
)

// defaultReloadInterval is how often the watcher looks at the content
// files when no interval is set.
const defaultReloadInterval = 2 * time.Second

// contentWatcher reloads the engine's content when the operator's flow or
// locale files change (only when cfg.FlowsDir or cfg.LocalesDir is set;
// the built-in content never changes), on SIGHUP, and when the console
// asks (Publish). The engine refuses content with errors, so a bad edit
// leaves the running content in place.
//
// With a publisher, what one replica loads from its files is published
// through Redis, and every replica's watcher takes the published content
// (announced on pub/sub, and looked for at each interval, for what a
// broken connection missed): all run the same version. A replica that
// starts after a publication takes it at start (see takePublished).
type contentWatcher struct {
	engine *bot.Engine
	// reg is the registry the engine was built with: the new content is
	// validated against the slot types and actions the engine can run.
	reg *bot.Registry
	// flows and locales are the operator's folders; "" is built in.
	flows, locales string
	// interval is how often the files are looked at (default 2s).
	interval time.Duration
	logger   *slog.Logger
	// onReload, when set, runs after new content took over, such as
	// setting a channel's command menu from it.
	onReload func(ctx context.Context, c *bot.Content)
	// published, when set, shares the content between replicas.
	published contentPublisher

	// mu serialises loading content: the watcher's loop and the
	// console's requests both do.
	mu sync.Mutex
	// running is the digest of the content the engine runs, once known;
	// refused the last published digest that failed to load here, so
	// that it is not tried at every interval.
	running, refused string
}

// contentPublisher is where replicas publish their content and find it;
// *redisstore.Store is the contentPublisher of the service.
type contentPublisher interface {
	PublishContent(ctx context.Context, b bot.ContentBundle, by string, at time.Time) error
	PublishedDigest(ctx context.Context) (string, error)
	PublishedContent(ctx context.Context) (redisstore.PublishedContent, error)
	WatchContent(ctx context.Context, announced func(digest string)) error
}

// pollInterval is how often a replica looks for a publication it missed.
const pollInterval = 5 * time.Second

// run reloads the content on each value from hup, and when the files have
// changed, until ctx is done. The files as they are when run starts count
// as those of the running content. A change is acted on once the files
// have stayed the same for one interval, so that a file caught half
// written does not get reported as broken.
func (w *contentWatcher) run(ctx context.Context, hup <-chan os.Signal) {
	w.start(ctx)
	var announced chan string
	var poll <-chan time.Time
	if w.published != nil {
		announced = make(chan string, 1)
		err := w.published.WatchContent(ctx, func(digest string) {
			select {
			case announced <- digest:
			default:
				// One waits already; the watcher reads the newest.
			}
		})
		if err != nil {
			w.logger.Warn("not told of published content at once; looking for it at intervals", "err", err)
		}
		interval := pollInterval
		if w.interval > 0 && w.interval < interval {
			interval = w.interval
		}
		t := time.NewTicker(interval)
		defer t.Stop()
		poll = t.C
	}
	var tick <-chan time.Time
	if w.flows != "" || w.locales != "" {
		interval := w.interval
		if interval <= 0 {
			interval = defaultReloadInterval
		}
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	// loaded is the state of the files the running content came from (as
	// near as the watcher knows); seen is the state at the last look.
	loaded := w.fingerprint()
	seen := loaded
	for {
		select {
		case <-ctx.Done():
			return
		case <-announced:
			w.takePublished(ctx)
		case <-poll:
			w.takePublished(ctx)
		case _, ok := <-hup:
			if !ok {
				hup = nil
				continue
			}
			loaded = w.fingerprint()
			seen = loaded
			w.reload(ctx, "signal")
		case <-tick:
			now := w.fingerprint()
			switch {
			case now == loaded:
			case now != seen:
				// Still changing: look again next time.
			default:
				loaded = now
				w.reload(ctx, "files changed")
			}
			seen = now
		}
	}
}

// start notes the digest of the content the engine started with, the
// files as they are now, and takes the published content if there is
// other: a replica that starts after a publication runs what the others
// run. Calling it again does nothing more.
func (w *contentWatcher) start(ctx context.Context) {
	if w.logger == nil {
		w.logger = slog.New(slog.DiscardHandler)
	}
	w.mu.Lock()
	if w.running == "" {
		if b, err := bot.ReadBundle(contentFS(configs.Config{FlowsDir: w.flows, LocalesDir: w.locales})); err == nil {
			w.running = b.Digest()
		}
	}
	w.mu.Unlock()
	w.takePublished(ctx)
}

// fingerprint sums the names, sizes and modification times of the files
// under the content folders; a change to any of them changes the sum. A
// folder that cannot be read counts by its error, so that its coming back
// counts as a change too.
func (w *contentWatcher) fingerprint() [sha256.Size]byte {
	h := sha256.New()
	for _, dir := range []string{w.flows, w.locales} {
		if dir == "" {
			continue
		}
		fmt.Fprintf(h, "dir %q\n", dir)
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintf(h, "error %q\n", err.Error())
				return nil
			}
			if d.IsDir() {
				return nil
			}
			// Stat follows symbolic links, which is how mounted
			// configuration volumes swap their files.
			info, err := os.Stat(path)
			if err != nil {
				fmt.Fprintf(h, "error %q\n", err.Error())
				return nil
			}
			if info.Mode().IsRegular() {
				fmt.Fprintf(h, "file %q %d %d\n", path, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// reload loads and validates the content and hands it to the engine, which
// keeps the running content if there is any error; with a publisher, good
// content is published for every replica.
func (w *contentWatcher) reload(ctx context.Context, reason string) {
	if _, err := w.load(ctx, reason, reason); err != nil {
		w.logger.Error("content not published", "reason", reason, "err", err)
	}
}

// Publish loads the operator's files, as a reload does, and unless they
// have errors makes them the content of this replica and, published, of
// every other; by says who asked. It returns the files' problems.
func (w *contentWatcher) Publish(ctx context.Context, by string) ([]bot.Problem, error) {
	return w.load(ctx, "console", by)
}

func (w *contentWatcher) load(ctx context.Context, reason, by string) ([]bot.Problem, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	bundle, err := bot.ReadBundle(contentFS(configs.Config{FlowsDir: w.flows, LocalesDir: w.locales}))
	if err != nil {
		w.logger.Warn("flows or locales cannot be read; kept the running content", "reason", reason, "err", err)
		return []bot.Problem{{File: ".", Msg: err.Error()}}, nil
	}
	content, problems := bundle.Load(w.reg)
	err = w.engine.Reload(ctx, content, problems)
	for _, p := range problems {
		msg := "content problem"
		if p.Warning {
			msg = "content warning"
		}
		w.logger.Warn(msg, problemAttrs(p)...)
	}
	if errs := bot.Errors(problems); len(errs) > 0 {
		w.logger.Warn("flows or locales have errors; kept the running content", "reason", reason, "errors", len(errs))
		return problems, nil
	}
	w.running = bundle.Digest()
	if w.onReload != nil {
		w.onReload(ctx, content)
	}
	if err != nil {
		// The engine runs the new content already; conversations that
		// outlive this process may not find its flows in the archive.
		w.logger.Error("content reloaded, but its flows could not be archived", "reason", reason, "err", err)
	} else {
		w.logger.Info("content reloaded", "reason", reason, "flows", flowVersions(content))
	}
	if w.published == nil {
		return problems, nil
	}
	if err := w.published.PublishContent(ctx, bundle, by, time.Now()); err != nil {
		return problems, err
	}
	w.logger.Info("content published", "digest", w.running, "by", by)
	return problems, nil
}

// takePublished makes the published content the running one, unless it
// is so already, or fails to load here (a replica of an older release may
// not know an action a newer one published): then the running content
// stays, and the refusal is logged once.
func (w *contentWatcher) takePublished(ctx context.Context) {
	if w.published == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	digest, err := w.published.PublishedDigest(ctx)
	if err != nil {
		w.logger.Warn("published content not read", "err", err)
		return
	}
	if digest == "" || digest == w.running || digest == w.refused {
		return
	}
	p, err := w.published.PublishedContent(ctx)
	if err != nil {
		if bot.ErrorCode(err) != bot.ENOTFOUND {
			w.logger.Warn("published content not read", "err", err)
		}
		return
	}
	content, problems := p.Bundle.Load(w.reg)
	if errs := bot.Errors(problems); len(errs) > 0 {
		w.refused = p.Digest
		w.logger.Error("published content has errors on this replica; kept the running content", "digest", p.Digest, "errors", len(errs), "first", errs[0].String())
		return
	}
	err = w.engine.Reload(ctx, content, problems)
	w.running = p.Digest
	if w.onReload != nil {
		w.onReload(ctx, content)
	}
	if err != nil {
		w.logger.Error("published content taken, but its flows could not be archived", "digest", p.Digest, "err", err)
		return
	}
	w.logger.Info("published content taken", "digest", p.Digest, "by", p.By, "flows", flowVersions(content))
}

// Running returns the digest of the content this replica runs, "" when
// it runs what it started with and nothing was published.
func (w *contentWatcher) Running() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.running
}

// Check loads the operator's files as they are now, as "slipdesk flows
// lint" does, and returns their problems and the digest they would be
// published under.
func (w *contentWatcher) Check() ([]bot.Problem, string) {
	bundle, err := bot.ReadBundle(contentFS(configs.Config{FlowsDir: w.flows, LocalesDir: w.locales}))
	if err != nil {
		return []bot.Problem{{File: ".", Msg: err.Error()}}, ""
	}
	_, problems := bundle.Load(w.reg)
	return problems, bundle.Digest()
}

func problemAttrs(p bot.Problem) []any {
	attrs := []any{"file", p.File}
	if p.Line > 0 {
		attrs = append(attrs, "line", p.Line)
	}
	if p.Step != "" {
		attrs = append(attrs, "step", p.Step)
	}
	attrs = append(attrs, "problem", p.Msg)
	if p.Fix != "" {
		attrs = append(attrs, "fix", p.Fix)
	}
	return attrs
}

// flowVersions lists the flows of c as "name=version", sorted by name.
func flowVersions(c *bot.Content) string {
	names := slices.Sorted(maps.Keys(c.Flows))
	for i, name := range names {
		names[i] = name + "=" + c.Flows[name].Version
	}
	return strings.Join(names, " ")
}
