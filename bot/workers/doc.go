// Package workers carries out, in the background, what committed turns
// leave in their outbox: it syncs cases to the index, queues and delivers
// merchant alerts, schedules and fires timers (reminders, escalations,
// timeouts, purges), relays merchant answers, deletes proofs and tells
// operators.
//
// It imports bot for the domain types (Event, Reply, Case, Effect, Key)
// and for the helpers that workers and channels share, SendOnce and
// Backoff; it reaches the engine only through the Engine interface
// declared here, which *bot.Engine satisfies, and the engine reaches the
// workers only through the Config.OnEffects hook (Workers.Kick). The
// stores it needs are interfaces declared here too (Outbox, AlertQueue,
// TimerQueue, OpsQueue), which the Redis store implements.
package workers
