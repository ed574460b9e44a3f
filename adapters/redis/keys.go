package redisstore

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/slipdesk/slipdesk/bot"
)

// convKeys are the keys of one conversation. They share one hash tag so
// that a single script may touch all of them on Redis Cluster.
type convKeys struct {
	base, state, log, outbox, seenIndex, inbox string
}

// keySuffixes are the conversation's keys after its base, in the order
// of convKeys.
var keySuffixes = [...]string{":state", ":log", ":outbox", ":seenidx", ":inbox"}

// keys returns the keys of conversation k. They are built in one string,
// each key a slice of it: every turn needs them twice.
func (s *Store) keys(k bot.Key) convKeys {
	ch, user := escapeKeyPart(k.Channel), escapeKeyPart(k.User)
	baseLen := len(s.prefix) + len("{c:") + len(ch) + len(":") + len(user) + len("}")
	n := baseLen
	for _, suf := range keySuffixes {
		n += baseLen + len(suf)
	}
	var b strings.Builder
	b.Grow(n)
	writeBase := func() {
		b.WriteString(s.prefix)
		b.WriteString("{c:")
		b.WriteString(ch)
		b.WriteString(":")
		b.WriteString(user)
		b.WriteString("}")
	}
	writeBase()
	for _, suf := range keySuffixes {
		writeBase()
		b.WriteString(suf)
	}
	all := b.String()
	var ks [len(keySuffixes)]string
	at := baseLen
	for i, suf := range keySuffixes {
		end := at + baseLen + len(suf)
		ks[i] = all[at:end]
		at = end
	}
	return convKeys{base: all[:baseLen], state: ks[0], log: ks[1], outbox: ks[2], seenIndex: ks[3], inbox: ks[4]}
}

// convTag is the part of a conversation's keys inside the hash tag, and
// the conversation's member in the pending outbox index.
func convTag(k bot.Key) string {
	return escapeKeyPart(k.Channel) + ":" + escapeKeyPart(k.User)
}

// parseConvTag is the inverse of convTag.
func parseConvTag(tag string) (bot.Key, bool) {
	ch, user, ok := strings.Cut(tag, ":")
	if !ok || strings.Contains(user, ":") {
		return bot.Key{}, false
	}
	return bot.Key{Channel: unescapeKeyPart(ch), User: unescapeKeyPart(user)}, true
}

var keyUnescaper = strings.NewReplacer("%7B", "{", "%7D", "}", "%3A", ":", "%25", "%")

func unescapeKeyPart(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return keyUnescaper.Replace(s)
}

// globalKey returns the key of a structure shared by all conversations,
// such as "{cases}:c": tag names the hash tag, so that a script may touch
// every key of the structure on Redis Cluster.
func (s *Store) globalKey(tag, name string) string {
	return s.prefix + "{" + tag + "}:" + name
}

// hashID shortens an ID made from conversation keys (an effect ID) to a
// fixed-length digest, so that shared keys never carry a user's ID.
func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:12])
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
