package bot

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// WorkerConfig holds the settings of the background workers.
type WorkerConfig struct {
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
}

func (c *WorkerConfig) setDefaults() {
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
}

// ProofDeleter deletes a proof's bytes; the proof store implements it.
type ProofDeleter interface {
	Delete(ctx context.Context, ref string) error
}

// Workers carry out what turns leave in their outbox: they sync cases to
// the index, queue and deliver merchant alerts, schedule and fire timers,
// relay merchant answers, delete proofs and tell operators. Any number of
// processes may run them against one store: outboxes and timers are
// leased, alerts are read in a consumer group, and every effect is keyed
// so that doing it twice has the effect of doing it once.
type Workers struct {
	Engine     *Engine
	Outbox     Outbox
	Cases      CaseIndex
	Alerts     AlertQueue
	Timers     TimerQueue
	Deliveries Deliveries
	Ops        OpsQueue
	Merchants  MerchantDirectory
	Proofs     ProofDeleter
	// Senders deliver pushed replies, by channel name.
	Senders map[string]Sender
	Logger  *slog.Logger
	Config  WorkerConfig

	once sync.Once
	kick chan struct{}
}

func (w *Workers) init() {
	w.once.Do(func() {
		w.Config.setDefaults()
		if w.Logger == nil {
			w.Logger = slog.New(slog.DiscardHandler)
		}
		w.kick = make(chan struct{}, 1)
	})
}

// Replica returns workers with the same dependencies and settings under
// another name, as another process would run them.
func (w *Workers) Replica(name string) *Workers {
	r := &Workers{
		Engine: w.Engine, Outbox: w.Outbox, Cases: w.Cases, Alerts: w.Alerts, Timers: w.Timers,
		Deliveries: w.Deliveries, Ops: w.Ops, Merchants: w.Merchants, Proofs: w.Proofs,
		Senders: w.Senders, Logger: w.Logger, Config: w.Config,
	}
	r.Config.Name = name
	return r
}

// Kick wakes the relay, for a commit that just wrote effects.
func (w *Workers) Kick(Key) {
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
		fails := 0
		for ctx.Err() == nil {
			n, err := once(ctx)
			wait := w.Config.Poll
			switch {
			case err != nil && ctx.Err() == nil:
				fails++
				wait = min(w.Config.Poll<<min(fails, 6), 30*time.Second)
				w.Logger.Warn("worker failed; retrying", "worker", name, "err", err, "wait", wait)
			case n > 0:
				fails = 0
				continue
			default:
				fails = 0
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
	return Errorf(EINTERNAL, "workers still busy after 100 rounds")
}

// RelayOnce carries out the effects of the outboxes it can claim and
// returns how many it carried out.
func (w *Workers) RelayOnce(ctx context.Context) (int, error) {
	w.init()
	keys, err := w.Outbox.ClaimOutboxes(ctx, 32, w.Config.Lease)
	if err != nil {
		return 0, err
	}
	done := 0
	var firstErr error
	for _, key := range keys {
		effects, err := w.Outbox.OutboxEffects(ctx, key)
		if err != nil {
			firstErr = keepFirst(firstErr, err)
			continue
		}
		failed := false
		for _, e := range effects {
			if err := w.apply(ctx, key, e); err != nil {
				// Effects after a failed one wait too, so that they are
				// carried out in order.
				w.Logger.Warn("effect failed; it stays in the outbox", "effect", e.Kind, "err", err)
				firstErr = keepFirst(firstErr, err)
				failed = true
				break
			}
			if err := w.Outbox.AckEffect(ctx, key, e); err != nil {
				firstErr = keepFirst(firstErr, err)
				failed = true
				break
			}
			done++
		}
		if !failed {
			if err := w.Outbox.ReleaseOutbox(ctx, key); err != nil {
				firstErr = keepFirst(firstErr, err)
			}
		}
	}
	return done, firstErr
}

func keepFirst(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// apply carries out one effect of key's outbox.
func (w *Workers) apply(ctx context.Context, key Key, e Effect) error {
	switch e.Kind {
	case EffectCaseSync:
		var c Case
		if err := json.Unmarshal([]byte(e.Data["case"]), &c); err != nil {
			w.Logger.Error("undecodable case in outbox; dropped", "err", err)
			return nil
		}
		return w.Cases.SyncCase(ctx, c)
	case EffectAlert:
		return w.Alerts.EnqueueAlert(ctx, QueuedAlert{
			ID: e.ID, Case: e.Data["case"], Merchant: e.Data["merchant"],
			Fields: e.Data["fields"], Reminder: e.Data["reminder"] == "1",
		})
	case EffectTimer:
		return w.Timers.ScheduleTimer(ctx, Timer{ID: e.ID, Key: key, Name: e.Data["name"], Value: e.Data["value"], Due: e.Due})
	case EffectTimerCancel:
		return w.Timers.CancelTimer(ctx, e.Data["id"])
	case EffectMerchantAnswer:
		return w.relayAnswer(ctx, e)
	case EffectProofDelete:
		if w.Proofs == nil {
			return nil
		}
		return w.Proofs.Delete(ctx, e.Data["ref"])
	case EffectHandover, EffectEscalate:
		if w.Ops == nil {
			return nil
		}
		data := map[string]string{}
		if e.Kind == EffectHandover {
			// Operators need the conversation to take it over; an
			// escalated case is found by its number.
			data["conversation"] = key.String()
		}
		for k, v := range e.Data {
			data[k] = v
		}
		return w.Ops.NotifyOps(ctx, e.ID, e.Kind, data)
	default:
		w.Logger.Warn("effect kind has no worker; dropped", "effect", e.Kind)
		return nil
	}
}

// relayAnswer hands a merchant's answer to the case's consumer.
func (w *Workers) relayAnswer(ctx context.Context, e Effect) error {
	c, err := w.Cases.Case(ctx, e.Data["case"])
	if ErrorCode(err) == ENOTFOUND {
		w.Logger.Warn("merchant answered an unknown case; dropped", "case", e.Data["case"])
		return nil
	}
	if err != nil {
		return err
	}
	if c.Consumer == nil {
		// The consumer deleted their data: nobody to tell.
		return nil
	}
	if m := e.Data["merchant"]; m != "" && c.Merchant != m {
		w.Logger.Warn("answer from a merchant the case is not about; dropped", "case", c.No)
		return nil
	}
	data, _ := json.Marshal(answerSignal{Case: c.No, Value: e.Data["value"], Text: e.Data["text"]})
	return w.deliver(ctx, Event{Key: *c.Consumer, Kind: EventSignal, Name: SignalMerchantAnswer, Data: string(data), DeliveryID: "answer:" + e.ID})
}

// deliver runs ev through the engine and pushes the replies to its user,
// unless they were delivered before.
func (w *Workers) deliver(ctx context.Context, ev Event) error {
	replies, err := w.Engine.Handle(ctx, ev)
	if err != nil {
		return err
	}
	if len(replies) == 0 {
		return nil
	}
	mark := ev.DeliveryID + "|" + ev.Key.String()
	if w.Deliveries != nil {
		done, err := w.Deliveries.Delivered(ctx, mark)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
	s := w.Senders[ev.Key.Channel]
	if s == nil {
		w.Logger.Warn("no sender for channel; replies stay in the transcript", "channel", ev.Key.Channel)
		return nil
	}
	if err := sendWithRetry(ctx, s, ev.Key, replies); err != nil {
		return err
	}
	if w.Deliveries != nil {
		return w.Deliveries.MarkDelivered(ctx, mark, w.Config.DeliveredTTL)
	}
	return nil
}

// sendWithRetry tries a send three times with a growing pause.
func sendWithRetry(ctx context.Context, s Sender, to Key, replies []Reply) error {
	var err error
	for attempt := range 3 {
		if err = s.Send(ctx, to, replies); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(100<<attempt) * time.Millisecond):
		}
	}
	return err
}

// AlertsOnce delivers the alerts it can read and returns how many it
// acknowledged or dead-lettered.
func (w *Workers) AlertsOnce(ctx context.Context) (int, error) {
	w.init()
	alerts, err := w.Alerts.ReadAlerts(ctx, w.Config.Name, 16, 0, w.Config.AlertRetry)
	if err != nil {
		return 0, err
	}
	done := 0
	var firstErr error
	for _, a := range alerts {
		if a.Deliveries > w.Config.AlertMaxTries {
			if err := w.deadLetter(ctx, a, "too many failed deliveries"); err != nil {
				firstErr = keepFirst(firstErr, err)
				continue
			}
			done++
			continue
		}
		if err := w.deliverAlert(ctx, a); err != nil {
			var dead *deadAlert
			if errors.As(err, &dead) {
				if err := w.deadLetter(ctx, a, dead.reason); err != nil {
					firstErr = keepFirst(firstErr, err)
					continue
				}
				done++
				continue
			}
			w.Logger.Warn("alert delivery failed; it will be retried", "case", a.Case, "err", err)
			firstErr = keepFirst(firstErr, err)
			continue
		}
		if err := w.Alerts.AckAlert(ctx, a); err != nil {
			firstErr = keepFirst(firstErr, err)
			continue
		}
		done++
	}
	return done, firstErr
}

// deadLetter gives up on an alert: the case goes to operators at once,
// rather than after the merchant's silence, and the alert to the
// dead-letter stream.
func (w *Workers) deadLetter(ctx context.Context, a QueuedAlert, reason string) error {
	if !a.Reminder {
		c, err := w.Cases.Case(ctx, a.Case)
		switch {
		case err == nil && c.Consumer != nil:
			// A timer due now carries it: it is retried like any timer
			// when the consumer's channel fails too.
			t := Timer{ID: "unreachable:" + a.ID, Key: *c.Consumer, Name: SignalMerchantUnreachable, Value: c.No, Due: w.Engine.cfg.Now().Unix()}
			if err := w.Timers.ScheduleTimer(ctx, t); err != nil {
				return err
			}
		case err != nil && ErrorCode(err) != ENOTFOUND:
			return err
		}
	}
	return w.Alerts.DeadLetter(ctx, a, reason)
}

type deadAlert struct{ reason string }

func (d *deadAlert) Error() string { return d.reason }

func (w *Workers) deliverAlert(ctx context.Context, a QueuedAlert) error {
	if w.Merchants == nil {
		return &deadAlert{"no merchant registry"}
	}
	m, err := w.Merchants.Merchant(ctx, a.Merchant)
	if ErrorCode(err) == ENOTFOUND {
		return &deadAlert{"merchant " + a.Merchant + " is not registered"}
	}
	if err != nil {
		return err
	}
	if len(m.Chats) == 0 {
		return &deadAlert{"merchant " + a.Merchant + " has no linked chat"}
	}
	sig := alertSignal{Case: a.Case, Merchant: a.Merchant, Reminder: a.Reminder}
	if a.Fields != "" {
		if err := json.Unmarshal([]byte(a.Fields), &sig.Fields); err != nil {
			return &deadAlert{"undecodable alert fields"}
		}
	}
	data, _ := json.Marshal(sig)
	for _, chat := range m.Chats {
		ev := Event{Key: chat, Kind: EventSignal, Name: SignalCaseAlert, Data: string(data), DeliveryID: "alert:" + a.ID, LangHint: m.Lang}
		if err := w.deliver(ctx, ev); err != nil {
			return err
		}
	}
	return nil
}

// TimersOnce fires the due timers it can claim and returns how many.
func (w *Workers) TimersOnce(ctx context.Context) (int, error) {
	w.init()
	timers, err := w.Timers.ClaimTimers(ctx, w.Engine.cfg.Now(), 32, w.Config.Lease)
	if err != nil {
		return 0, err
	}
	done := 0
	var firstErr error
	for _, tm := range timers {
		var err error
		if tm.Name == TimerCasePurge {
			err = w.purgeCase(ctx, tm.Value)
		} else {
			ev := Event{Key: tm.Key, Kind: EventSignal, Name: tm.Name, Data: tm.Value, DeliveryID: "timer:" + tm.ID}
			if tm.Name == SignalTick {
				ev.Kind, ev.Name, ev.Data = EventTick, "", ""
			}
			err = w.deliver(ctx, ev)
		}
		if err != nil {
			firstErr = keepFirst(firstErr, err)
			continue
		}
		if err := w.Timers.DoneTimer(ctx, tm.ID); err != nil {
			firstErr = keepFirst(firstErr, err)
			continue
		}
		done++
	}
	return done, firstErr
}

// purgeCase ends a case's retention: the index keeps the anonymous record
// and the proofs' bytes are deleted. Doing it twice changes nothing more.
func (w *Workers) purgeCase(ctx context.Context, no string) error {
	c, err := w.Cases.Case(ctx, no)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if w.Proofs != nil {
		for _, p := range c.Proofs {
			if p.StoreRef == "" {
				continue
			}
			if err := w.Proofs.Delete(ctx, p.StoreRef); err != nil {
				return err
			}
		}
	}
	if c.Anonymous {
		return nil
	}
	a := c.Anonymized(w.Engine.cfg.Cases.Personal, w.Engine.cfg.Now().Unix())
	return w.Cases.SyncCase(ctx, a)
}
