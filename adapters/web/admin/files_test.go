package admin_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/web/admin"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
)

// channelRegistry is the registry of a service with every channel, as
// "slipdesk flows lint" checks the files: each channel's texts are
// declared, so they count as used.
func channelRegistry() *bot.Registry {
	reg := bot.NewRegistry()
	for _, declare := range []func(*bot.Registry){webchat.DeclareMessages, admin.DeclareMessages, telegram.DeclareMessages, console.DeclareMessages} {
		declare(reg)
	}
	return reg
}

// folderContent is what the service's content watcher does for the
// console, over a copy of the shipped flows and locales: check the
// files, and load and publish them unless they have errors. The watcher
// itself, with replicas taking what one publishes, is tested with the
// service (cmd/slipdesk).
type folderContent struct {
	flows, locales string
	desk           *redistest.Desk

	mu      sync.Mutex
	running string
}

func newFolderContent(t *testing.T, d *redistest.Desk) *folderContent {
	t.Helper()
	dir := t.TempDir()
	f := &folderContent{flows: filepath.Join(dir, "flows"), locales: filepath.Join(dir, "locales"), desk: d}
	for _, sub := range []string{"flows", "locales"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("../../..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	_, f.running = f.Check()
	return f
}

func (f *folderContent) bundle() (bot.ContentBundle, error) {
	return bot.ReadBundle(os.DirFS(f.flows), os.DirFS(f.locales))
}

// Check implements admin.Content.
func (f *folderContent) Check() ([]bot.Problem, string) {
	b, err := f.bundle()
	if err != nil {
		return []bot.Problem{{File: ".", Msg: err.Error()}}, ""
	}
	_, problems := b.Load(channelRegistry())
	return problems, b.Digest()
}

// Publish implements admin.Content.
func (f *folderContent) Publish(ctx context.Context, by string) ([]bot.Problem, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, err := f.bundle()
	if err != nil {
		return nil, err
	}
	content, problems := b.Load(channelRegistry())
	if err := f.desk.Engine.Reload(ctx, content, problems); err != nil {
		if len(bot.Errors(problems)) > 0 {
			return problems, nil
		}
		return nil, err
	}
	f.running = b.Digest()
	return problems, f.desk.Store.PublishContent(ctx, b, by, time.Now())
}

// Running implements admin.Content.
func (f *folderContent) Running() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.running
}
