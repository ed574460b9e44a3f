package webchat

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"strings"
)

// Signer makes and checks the tokens that tie a conversation to the
// browser that started it: the conversation's ID and an HMAC of it under
// the server's secret. The ID alone opens nothing; guessing a token means
// guessing both the 128-bit ID and its MAC.
type Signer struct {
	key []byte
}

// NewSigner returns a signer over secret, which must be at least 16 bytes
// and the same on every replica.
func NewSigner(secret []byte) *Signer {
	return &Signer{key: append([]byte(nil), secret...)}
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewConversation returns a fresh conversation ID and its token.
func (s *Signer) NewConversation() (id, token string) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	id = idEncoding.EncodeToString(b[:])
	return id, id + "." + s.mac("conv", id)
}

// Conversation returns the conversation ID of token, and false when the
// token is malformed or its MAC does not match: forged, swapped or made
// under another secret.
func (s *Signer) Conversation(token string) (string, bool) {
	return s.open("conv", token, 26)
}

// Merchant returns a signed reference to merchant id, for links that
// open the chat with the shop already known.
func (s *Signer) Merchant(id string) string {
	return id + "." + s.mac("shop", id)
}

// OpenMerchant returns the merchant ID of a reference Merchant made.
func (s *Signer) OpenMerchant(ref string) (string, bool) {
	return s.open("shop", ref, 0)
}

func (s *Signer) open(kind, token string, idLen int) (string, bool) {
	id, sig, ok := strings.Cut(token, ".")
	if !ok || id == "" || len(id) > 64 || (idLen > 0 && len(id) != idLen) {
		return "", false
	}
	// hmac.Equal takes the same time wherever the first difference is.
	if !hmac.Equal([]byte(sig), []byte(s.mac(kind, id))) {
		return "", false
	}
	return id, true
}

// mac is the MAC of id for one kind of token, so that a shop reference
// never passes as a conversation token or the other way round.
func (s *Signer) mac(kind, id string) string {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(kind + "\x00" + id))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}

// TelegramPayload returns the start payload of a Telegram deep link that
// opens the bot with merchant id's shop known: "s_", the ID, "_" and the
// MAC, within Telegram's 64 characters of A-Z a-z 0-9 _ -.
func (s *Signer) TelegramPayload(id string) string {
	return "s_" + id + "_" + s.mac("shop", id)
}

// OpenTelegramPayload returns the merchant ID of a payload
// TelegramPayload made.
func (s *Signer) OpenTelegramPayload(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "s_")
	if !ok {
		return "", false
	}
	id, sig, ok := strings.Cut(rest, "_")
	if !ok {
		return "", false
	}
	return s.open("shop", id+"."+sig, 0)
}
