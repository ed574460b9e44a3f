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
	"time"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/configs"
)

// defaultReloadInterval is how often the watcher looks at the content
// files when no interval is set.
const defaultReloadInterval = 2 * time.Second

// contentWatcher reloads the engine's content when the operator's flow or
// locale files change (only when cfg.FlowsDir or cfg.LocalesDir is set;
// the built-in content never changes) and on SIGHUP. The engine refuses
// content with errors, so a bad edit leaves the running content in place.
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
}

// run reloads the content on each value from hup, and when the files have
// changed, until ctx is done. The files as they are when run starts count
// as those of the running content. A change is acted on once the files
// have stayed the same for one interval, so that a file caught half
// written does not get reported as broken.
func (w *contentWatcher) run(ctx context.Context, hup <-chan os.Signal) {
	if w.logger == nil {
		w.logger = slog.New(slog.DiscardHandler)
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
// keeps the running content if there is any error.
func (w *contentWatcher) reload(ctx context.Context, reason string) {
	ffs, lfs := contentFS(configs.Config{FlowsDir: w.flows, LocalesDir: w.locales})
	content, problems := bot.LoadContent(ffs, lfs, w.reg)
	err := w.engine.Reload(ctx, content, problems)
	for _, p := range problems {
		msg := "content problem"
		if p.Warning {
			msg = "content warning"
		}
		w.logger.Warn(msg, problemAttrs(p)...)
	}
	if errs := bot.Errors(problems); len(errs) > 0 {
		w.logger.Warn("flows or locales have errors; kept the running content", "reason", reason, "errors", len(errs))
		return
	}
	if w.onReload != nil {
		w.onReload(ctx, content)
	}
	if err != nil {
		// The engine runs the new content already; conversations that
		// outlive this process may not find its flows in the archive.
		w.logger.Error("content reloaded, but its flows could not be archived", "reason", reason, "err", err)
		return
	}
	w.logger.Info("content reloaded", "reason", reason, "flows", flowVersions(content))
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
