// Package bot is slipdesk's domain and conversation engine.
//
// It knows events, replies, conversations, flows and their validation, slot
// types and message catalogs. It imports no channel, HTTP or Redis package:
// channels reach it through Event and Reply, storage through the Store
// interface, which the adapters implement.
//
// A turn loads one conversation, runs its flow until the flow needs input,
// and commits the new state, transcript lines and effects at once with a
// version check (see Engine.Handle). What a turn leaves in its outbox is
// carried out by package workers, which reaches the engine through a small
// interface; SendOnce and Backoff here are shared by the workers and the
// channels.
package bot
