// Package metrics exposes slipdesk's figures to Prometheus
// (github.com/prometheus/client_golang): it implements the engine's
// bot.Observer, the Telegram channel's telegram.Metrics and a go-redis
// hook that counts round trips, all on a registry of its own.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/bot"
)

// Metrics holds the counters of one process.
type Metrics struct {
	reg *prometheus.Registry

	turns       *prometheus.CounterVec
	turnSeconds *prometheus.HistogramVec
	conflicts   *prometheus.CounterVec
	messages    *prometheus.CounterVec
	alerts      *prometheus.CounterVec
	timers      *prometheus.CounterVec
	cases       *prometheus.CounterVec
	apiCalls    *prometheus.CounterVec
	refusals    *prometheus.CounterVec
	roundTrips  prometheus.Counter
	redisErrors prometheus.Counter
}

var (
	_ bot.Observer     = (*Metrics)(nil)
	_ telegram.Metrics = (*Metrics)(nil)
	_ redis.Hook       = (*Metrics)(nil)
)

// New returns metrics registered on a registry of their own, with the Go
// runtime's and the process's.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	f := func(c prometheus.Collector) { m.reg.MustRegister(c) }
	m.turns = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "slipdesk_turns_total", Help: "Events handled by the engine, by channel and outcome (committed, replayed, idle, error)."}, []string{"channel", "outcome"})
	m.turnSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "slipdesk_turn_seconds", Help: "Time to handle one event, load to commit.", Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5}}, []string{"channel"})
	m.conflicts = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "slipdesk_version_conflicts_total", Help: "Commits that lost to another of the same conversation and ran again."}, []string{"channel"})
	m.messages = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "slipdesk_messages_total", Help: "Messages of replies, by channel: sent, or skipped as sent before (a redelivery, a retry)."}, []string{"channel", "result"})
	m.alerts = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "slipdesk_alerts_total", Help: "Merchant alerts delivered, retried or dead-lettered."}, []string{"outcome"})
	m.timers = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "slipdesk_timers_fired_total", Help: "Timers fired, by name."}, []string{"name"})
	m.cases = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "slipdesk_case_updates_total", Help: "Cases written to the case index, by their new status."}, []string{"status"})
	m.apiCalls = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "slipdesk_telegram_api_calls_total", Help: "Bot API requests by method and outcome (ok, 429, error)."}, []string{"method", "outcome"})
	m.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "slipdesk_webhook_refusals_total", Help: "Webhook requests answered with an error, by reason."}, []string{"reason"})
	m.roundTrips = prometheus.NewCounter(prometheus.CounterOpts{Name: "slipdesk_redis_round_trips_total", Help: "Redis round trips: one per command or pipeline."})
	m.redisErrors = prometheus.NewCounter(prometheus.CounterOpts{Name: "slipdesk_redis_errors_total", Help: "Redis round trips that failed (not counting a missing key)."})
	for _, c := range []prometheus.Collector{m.turns, m.turnSeconds, m.conflicts, m.messages, m.alerts, m.timers, m.cases, m.apiCalls, m.refusals, m.roundTrips, m.redisErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		f(c)
	}
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Turn implements bot.Observer.
func (m *Metrics) Turn(channel, outcome string, took time.Duration) {
	m.turns.WithLabelValues(channel, outcome).Inc()
	m.turnSeconds.WithLabelValues(channel).Observe(took.Seconds())
}

// Conflict implements bot.Observer.
func (m *Metrics) Conflict(channel string) { m.conflicts.WithLabelValues(channel).Inc() }

// Messages implements bot.Observer.
func (m *Metrics) Messages(channel string, sent, skipped int) {
	if sent > 0 {
		m.messages.WithLabelValues(channel, "sent").Add(float64(sent))
	}
	if skipped > 0 {
		m.messages.WithLabelValues(channel, "skipped").Add(float64(skipped))
	}
}

// Alert implements bot.Observer.
func (m *Metrics) Alert(outcome string) { m.alerts.WithLabelValues(outcome).Inc() }

// TimerFired implements bot.Observer.
func (m *Metrics) TimerFired(name string) { m.timers.WithLabelValues(name).Inc() }

// CaseStatus implements bot.Observer.
func (m *Metrics) CaseStatus(status string) { m.cases.WithLabelValues(status).Inc() }

// APICall implements telegram.Metrics.
func (m *Metrics) APICall(method, outcome string) { m.apiCalls.WithLabelValues(method, outcome).Inc() }

// WebhookRefused implements telegram.Metrics.
func (m *Metrics) WebhookRefused(reason string) { m.refusals.WithLabelValues(reason).Inc() }

// DialHook implements redis.Hook.
func (m *Metrics) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook implements redis.Hook: a command is one round trip.
func (m *Metrics) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		m.roundTrip(err)
		return err
	}
}

// ProcessPipelineHook implements redis.Hook: a pipeline is one round
// trip, whatever it holds.
func (m *Metrics) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		m.roundTrip(err)
		return err
	}
}

func (m *Metrics) roundTrip(err error) {
	m.roundTrips.Inc()
	if err != nil && !errors.Is(err, redis.Nil) {
		m.redisErrors.Inc()
	}
}
