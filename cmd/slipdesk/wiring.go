package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/metrics"
	"github.com/slipdesk/slipdesk/adapters/proofdir"
	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/workers"
	"github.com/slipdesk/slipdesk/configs"
	"github.com/slipdesk/slipdesk/flows"
	"github.com/slipdesk/slipdesk/locales"
)

// commonFlags are the settings every command that runs flows accepts.
type commonFlags struct {
	config  string
	flows   string
	locales string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "configuration file (default $SLIPDESK_CONFIG)")
	fs.StringVar(&c.flows, "flows", "", "flow files folder (default: built in)")
	fs.StringVar(&c.locales, "locales", "", "locale files folder (default: built in)")
}

// loadConfig reads the configuration and applies the flags over it.
func (m *Main) loadConfig(c commonFlags) (configs.Config, error) {
	path := c.config
	if path == "" {
		path = m.Getenv("SLIPDESK_CONFIG")
	}
	cfg, err := configs.Load(path, m.Getenv)
	if err != nil {
		return cfg, err
	}
	if c.flows != "" {
		cfg.FlowsDir = c.flows
	}
	if c.locales != "" {
		cfg.LocalesDir = c.locales
	}
	return cfg, nil
}

// contentFS returns the folders of flows and locales the configuration
// names, or the built-in ones.
func contentFS(cfg configs.Config) (fs.FS, fs.FS) {
	var f, l fs.FS = flows.FS, locales.FS
	if cfg.FlowsDir != "" {
		f = os.DirFS(cfg.FlowsDir)
	}
	if cfg.LocalesDir != "" {
		l = os.DirFS(cfg.LocalesDir)
	}
	return f, l
}

// openRedis connects to REDIS_URL, or starts the embedded store and says
// that nothing will be durable.
func (m *Main) openRedis(ctx context.Context, cfg configs.Config) (redis.UniversalClient, error) {
	redisstore.LogTo(cfg.Logger(m.Stderr))
	if cfg.RedisURL == "" {
		rdb, closeFn, err := redisstore.Embedded()
		if err != nil {
			return nil, fmt.Errorf("start embedded store: %w", err)
		}
		m.closers = append(m.closers, closeFn)
		fmt.Fprintln(m.Stderr, "slipdesk: no REDIS_URL set; using the embedded store: nothing is durable, everything is lost at exit")
		return rdb, nil
	}
	rdb, err := redisstore.NewClient(cfg.RedisURL)
	if err != nil {
		return nil, err
	}
	m.closers = append(m.closers, rdb.Close)
	if err := rdb.Ping(ctx).Err(); err != nil {
		return nil, fmt.Errorf("redis at REDIS_URL does not answer: %w", err)
	}
	return rdb, nil
}

// desk is everything that runs conversations: the store, the engine, the
// workers that carry out what turns leave in the outbox, and the proofs.
type desk struct {
	store   *redisstore.Store
	engine  *bot.Engine
	workers *workers.Workers
	proofs  bot.ProofStore
	reg     *bot.Registry
	metrics *metrics.Metrics
	rdb     redis.UniversalClient
}

// openDesk loads and validates the content and builds the desk over the
// store; invalid content stops the program before it serves anyone. The
// channels the program runs declare the messages they say themselves
// (declare), so that content without them is refused now and on every
// reload. The workers have no senders yet: each channel adds its own.
func (m *Main) openDesk(ctx context.Context, cfg configs.Config, declare ...func(*bot.Registry)) (*desk, error) {
	reg := bot.NewRegistry()
	for _, d := range declare {
		d(reg)
	}
	ffs, lfs := contentFS(cfg)
	content, problems := bot.LoadContent(ffs, lfs, reg)
	if err := bot.ProblemsError(problems); err != nil {
		return nil, err
	}
	rdb, err := m.openRedis(ctx, cfg)
	if err != nil {
		return nil, err
	}
	proofs, err := openProofs(cfg)
	if err != nil {
		return nil, err
	}
	mets := metrics.New()
	rdb.AddHook(mets)
	store := redisstore.New(rdb, cfg.KeyPrefix)
	store.SetLimits(redisstore.Limits{DeliveryRecords: cfg.Limits.DeliveryRecords, StreamLength: cfg.Limits.StreamLength})
	logger := cfg.Logger(m.Stderr)
	wk := &workers.Workers{
		Outbox: store, Cases: store, Alerts: store, Timers: store, Deliveries: store,
		Ops: store, Merchants: store, Proofs: proofs, Wanted: store,
		Senders: map[string]bot.Sender{},
		Logger:  logger,
		Config: workers.Config{
			DeliveredTTL: durationOf(cfg.DedupeTTL), SendLease: durationOf(cfg.SendLease),
			KeepCases: durationOf(cfg.Cases.KeepAnonymous),
		},
		Observer: mets,
	}
	e := bot.NewEngine(store, content, reg, bot.Config{
		IdleTTL:      durationOf(cfg.IdleTTL),
		DedupeTTL:    durationOf(cfg.DedupeTTL),
		SendLease:    durationOf(cfg.SendLease),
		DefaultLang:  cfg.DefaultLang,
		Logger:       logger,
		Archive:      store,
		Location:     cfg.Location(),
		Cases:        cfg.BotCases(),
		CaseIndex:    store,
		Merchants:    store,
		AnswerClaims: store,
		OnEffects:    wk.Kick,
		Limits:       cfg.BotLimits(),
		Observer:     mets,
	})
	wk.Engine = e
	if err := e.ArchiveFlows(ctx); err != nil {
		return nil, err
	}
	return &desk{store: store, engine: e, workers: wk, proofs: proofs, reg: reg, metrics: mets, rdb: rdb}, nil
}

// openProofs returns the store of proof files the configuration names: a
// local directory, created when the first file arrives.
func openProofs(cfg configs.Config) (bot.ProofStore, error) {
	s, err := proofdir.New(cfg.Proofs.Dir)
	if err != nil {
		return nil, fmt.Errorf("proofs.dir: %w", err)
	}
	return s, nil
}
