package workers

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// Config holds the settings of the workers.
type Config struct {
	// Name identifies this worker in the alert consumer group; it must
	// differ between replicas (default: a random ID).
	Name string
	// Poll is how often idle workers look for work (default 250ms).
	Poll time.Duration
	// Lease is how long a claimed outbox or timer stays with one worker
	// before another may take it (default 30s).
	Lease time.Duration
	// AlertRetry is how long an alert delivery may stay unacknowledged
	// before another worker takes it over (default 30s).
	AlertRetry time.Duration
	// AlertMaxTries is how many deliveries of an alert fail before it
	// goes to the dead-letter stream (default 8).
	AlertMaxTries int64
	// DeliveredTTL is how long a pushed message is remembered as
	// delivered (default 7 days).
	DeliveredTTL time.Duration
	// SendLease is how long a claim to send pushed messages lasts
	// without progress (default 30s); see bot.SendOnce.
	SendLease time.Duration
	// KeepCases is how long a case's anonymous record stays in the case
	// index after its retention ended (default 730 days); then the
	// record and its number go.
	KeepCases time.Duration
}

func (c *Config) setDefaults() {
	if c.Name == "" {
		c.Name = "w-" + randomID()
	}
	if c.Poll <= 0 {
		c.Poll = 250 * time.Millisecond
	}
	if c.Lease <= 0 {
		c.Lease = 30 * time.Second
	}
	if c.AlertRetry <= 0 {
		c.AlertRetry = 30 * time.Second
	}
	if c.AlertMaxTries <= 0 {
		c.AlertMaxTries = 8
	}
	if c.DeliveredTTL <= 0 {
		c.DeliveredTTL = 7 * 24 * time.Hour
	}
	if c.KeepCases <= 0 {
		c.KeepCases = 730 * 24 * time.Hour
	}
}

// Workers carry out what turns leave in their outbox: they sync cases to
// the index, queue and deliver merchant alerts, schedule and fire timers,
// relay merchant answers, delete proofs and tell operators. Any number of
// processes may run them against one store: outboxes and timers are
// leased, alerts are read in a consumer group, and every effect is keyed
// so that doing it twice has the effect of doing it once.
type Workers struct {
	Engine     Engine
	Outbox     Outbox
	Cases      bot.CaseIndex
	Alerts     AlertQueue
	Timers     TimerQueue
	Deliveries bot.Deliveries
	Ops        OpsQueue
	Merchants  bot.MerchantDirectory
	Proofs     ProofDeleter
	// Wanted, if set, counts the unregistered shops consumers name.
	Wanted bot.WantedMerchants
	// Senders deliver pushed replies, by channel name.
	Senders map[string]bot.Sender
	Logger  *slog.Logger
	Config  Config
	// Observer hears of alerts, timers, cases and messages, for metrics
	// (default: nothing).
	Observer bot.Observer

	once sync.Once
	kick chan struct{}
}

func (w *Workers) init() {
	w.once.Do(func() {
		w.Config.setDefaults()
		if w.Logger == nil {
			w.Logger = slog.New(slog.DiscardHandler)
		}
		if w.Observer == nil {
			w.Observer = bot.NopObserver{}
		}
		w.kick = make(chan struct{}, 1)
	})
}

// Replica returns workers with the same dependencies and settings under
// another name, as another process would run them.
func (w *Workers) Replica(name string) *Workers {
	r := &Workers{
		Engine: w.Engine, Outbox: w.Outbox, Cases: w.Cases, Alerts: w.Alerts, Timers: w.Timers,
		Deliveries: w.Deliveries, Ops: w.Ops, Merchants: w.Merchants, Proofs: w.Proofs, Wanted: w.Wanted,
		Senders: w.Senders, Logger: w.Logger, Config: w.Config, Observer: w.Observer,
	}
	r.Config.Name = name
	return r
}

// Kick wakes the relay, for a commit that just wrote effects.
func (w *Workers) Kick(bot.Key) {
	w.init()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run runs the relay, the alert worker and the timer worker until ctx is
// done.
func (w *Workers) Run(ctx context.Context) {
	w.init()
	var wg sync.WaitGroup
	loop := func(name string, wake <-chan struct{}, once func(context.Context) (int, error)) {
		defer wg.Done()
		fails := bot.Backoff{Min: 2 * w.Config.Poll, Max: 30 * time.Second}
		for ctx.Err() == nil {
			n, err := once(ctx)
			wait := w.Config.Poll
			switch {
			case err != nil && ctx.Err() == nil:
				wait = fails.Fail()
				w.Logger.Warn("worker failed; retrying", "worker", name, "err", err, "wait", wait)
			case n > 0:
				fails.Reset()
				continue
			default:
				fails.Reset()
			}
			select {
			case <-ctx.Done():
			case <-wake:
			case <-time.After(wait):
			}
		}
	}
	wg.Add(3)
	go loop("relay", w.kick, w.RelayOnce)
	go loop("alerts", nil, w.AlertsOnce)
	go loop("timers", nil, w.TimersOnce)
	wg.Wait()
}

// Drain runs every worker until none finds work, for tests and for
// commands that must leave nothing behind.
func (w *Workers) Drain(ctx context.Context) error {
	w.init()
	for range 100 {
		total := 0
		for _, once := range []func(context.Context) (int, error){w.RelayOnce, w.AlertsOnce, w.TimersOnce} {
			n, err := once(ctx)
			if err != nil {
				return err
			}
			total += n
		}
		if total == 0 {
			return nil
		}
	}
	return bot.Errorf(bot.EINTERNAL, "workers still busy after 100 rounds")
}

// randomID names a worker that was given no name.
func randomID() string {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}
