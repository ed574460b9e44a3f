package redisstore

import (
	"strings"

	"github.com/slipdesk/slipdesk/bot"
)

// convKeys are the keys of one conversation. They share one hash tag so
// that a single script may touch all of them on Redis Cluster.
type convKeys struct {
	base, state, log, outbox string
}

func (s *Store) keys(k bot.Key) convKeys {
	base := s.prefix + "{c:" + escapeKeyPart(k.Channel) + ":" + escapeKeyPart(k.User) + "}"
	return convKeys{base: base, state: base + ":state", log: base + ":log", outbox: base + ":outbox"}
}

// seen is the key of a delivery record. The ID follows the hash tag, so a
// brace in it cannot move the conversation to another slot.
func (ks convKeys) seen(deliveryID string) string { return ks.base + ":seen:" + deliveryID }

func (s *Store) flowKey(version string) string { return s.prefix + "flow:" + version }

// keyEscaper percent-encodes the characters that would let a user ID end
// the hash tag early ("}"), start a second one ("{"), or make two
// different channel and user pairs share a key (":"); "%" itself too, so
// that the encoding can be told apart from a user ID that looks like it.
var keyEscaper = strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D", ":", "%3A")

func escapeKeyPart(s string) string {
	if !strings.ContainsAny(s, "%{}:") {
		return s
	}
	return keyEscaper.Replace(s)
}
