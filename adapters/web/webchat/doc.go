// Package webchat is the web chat channel: a page for phones (WeChat's
// in-app browser, old Android WebViews) served from files embedded in the
// binary, and the JSON API behind it.
//
// A browser starts a conversation and gets a token, the conversation's
// ID with an HMAC of it; every later request carries the token, so nobody
// reads or writes another conversation by guessing an ID. A message
// carries the client's own ID, which becomes the event's delivery ID: a
// retried request is answered from the engine's record and shown once.
//
// What the user sees is kept in the conversation's feed in Redis (what
// they sent, masked, and every reply, pushed ones too, such as the shop's
// answer). The page reads the feed after a reload, follows it live by
// server-sent events, and falls back to long polling where those fail.
// Appends wake readers on every replica through Redis pub/sub.
package webchat
