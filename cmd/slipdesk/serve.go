package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/web"
	"github.com/slipdesk/slipdesk/adapters/web/admin"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/configs"
)

// runServe runs the service: the HTTP server (health, the Telegram
// webhook, the web chat), the Telegram channel when a token is set, the workers, and
// the reloading of operators' content, until ctx is done.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	var common commonFlags
	common.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "HOST:PORT the HTTP server listens on")
	if err := fs.Parse(args); err != nil {
		return &exitError{2}
	}
	cfg, err := m.loadConfig(common)
	if err != nil {
		return err
	}
	declare := []func(*bot.Registry){webchat.DeclareMessages, admin.DeclareMessages}
	if cfg.Telegram.Token != "" {
		declare = append(declare, telegram.DeclareMessages)
	}
	d, err := m.openDesk(ctx, cfg, declare...)
	if err != nil {
		return err
	}
	logger := cfg.Logger(m.Stderr)
	e := web.New(web.Options{Ready: d.store.Ping, Logger: logger})
	web.MountMetrics(e, d.metrics.Handler())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	var onReload func(context.Context, *bot.Content)
	if cfg.Telegram.Token != "" {
		tg, poll, err := m.startTelegram(ctx, cfg, d, e, logger)
		if err != nil {
			return err
		}
		onReload = func(ctx context.Context, c *bot.Content) {
			if err := tg.SetMenu(ctx, c, cfg.DefaultLang); err != nil {
				logger.Warn("telegram command menu not updated", "err", err)
			}
		}
		onReload(ctx, d.engine.Content())
		if poll != nil {
			wg.Go(func() {
				if err := poll(ctx); err != nil {
					errs <- err
				}
			})
		}
	} else {
		fmt.Fprintln(m.Stderr, "slipdesk: TELEGRAM_BOT_TOKEN is not set; Telegram is off")
	}
	chat, err := m.startWeb(cfg, d, e, logger)
	if err != nil {
		return err
	}
	// The content watcher takes content published by other replicas
	// before anything is served, and the console publishes through it.
	w := &contentWatcher{engine: d.engine, reg: d.reg, flows: cfg.FlowsDir, locales: cfg.LocalesDir, logger: logger, onReload: onReload, published: d.store}
	w.start(ctx)
	if err := m.startAdmin(cfg, d, e, w, logger); err != nil {
		return err
	}
	wg.Go(func() {
		if err := chat.Run(ctx, nil); err != nil {
			errs <- err
		}
	})
	wg.Go(func() { d.workers.Run(ctx) })
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	wg.Go(func() { w.run(ctx, hup) })

	ready := make(chan net.Addr, 1)
	wg.Go(func() {
		select {
		case a := <-ready:
			fmt.Fprintf(m.Stderr, "slipdesk: serving on http://%s\n", a)
		case <-ctx.Done():
		}
	})
	go func() { errs <- web.Serve(ctx, e, *addr, ready) }()
	var first error
	select {
	case first = <-errs:
	case <-ctx.Done():
		first = <-errs
	}
	cancel()
	wg.Wait()
	if errors.Is(first, context.Canceled) {
		return nil
	}
	return first
}

// startTelegram connects the Telegram channel: it checks the token,
// registers the channel's sender with the workers, and either registers
// the webhook and its route or returns the poller to run.
func (m *Main) startTelegram(ctx context.Context, cfg configs.Config, d *desk, e *echo.Echo, logger *slog.Logger) (*telegram.Bot, func(context.Context) error, error) {
	tc := cfg.Telegram
	tg, err := telegram.New(telegram.Options{
		Token:        tc.Token,
		APIURL:       tc.APIURL,
		Engine:       d.engine,
		Proofs:       d.proofs,
		MaxProofSize: int64(cfg.Proofs.MaxSize),
		Sent:         d.store,
		AlertButtons: d.store,
		// An alert lives no longer than its case.
		AlertButtonsTTL: durationOf(cfg.Cases.Retention),
		SentTTL:         durationOf(cfg.DedupeTTL),
		SendLease:       durationOf(cfg.SendLease),
		Observer:        d.metrics,
		Metrics:         d.metrics,
		PerChat:         perChat(tc.PerChat),
		PerSecond:       perSecond(tc.MessagesPerSecond),
		PollTimeout:     time.Duration(tc.PollTimeout),
		ShopLink:        shopLink(cfg),
		Logger:          logger,
	})
	if err != nil {
		return nil, nil, err
	}
	checkCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	me, err := tg.Check(checkCtx)
	if err != nil {
		return nil, nil, err
	}
	d.workers.Senders[telegram.Channel] = tg.Sender()
	if tc.WebhookURL == "" {
		if err := tg.DeleteWebhook(checkCtx); err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(m.Stderr, "slipdesk: telegram @%s by long polling\n", me.Username)
		return tg, tg.Poll, nil
	}
	h, err := tg.Webhook(tc.WebhookSecret)
	if err != nil {
		return nil, nil, err
	}
	e.POST(tc.WebhookPath(), echo.WrapHandler(h))
	if err := tg.SetWebhook(checkCtx, tc.WebhookURL, tc.WebhookSecret); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(m.Stderr, "slipdesk: telegram @%s by webhook on %s\n", me.Username, tc.WebhookPath())
	return tg, nil, nil
}

// perChat and perSecond turn the configuration's 0 ("no limit") into
// the channel's negative (its 0 means "the default").
func perChat(d bot.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return time.Duration(d)
}

func perSecond(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
