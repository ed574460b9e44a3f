package redisstore

import (
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

func TestConversationKeys(t *testing.T) {
	s := New(nil, "sd:")
	got := s.keys(bot.Key{Channel: "web", User: "a:b{c}%"})
	base := "sd:{c:web:a%3Ab%7Bc%7D%25}"
	want := convKeys{base: base, state: base + ":state", log: base + ":log", outbox: base + ":outbox", seenIndex: base + ":seenidx", inbox: base + ":inbox"}
	if got != want {
		t.Errorf("keys:\n got %+v\nwant %+v", got, want)
	}
	if seen := got.seen("d1"); seen != base+":seen:d1" {
		t.Errorf("seen key %q", seen)
	}
	if k, ok := parseConvTag(convTag(bot.Key{Channel: "web", User: "a:b{c}%"})); !ok || k.User != "a:b{c}%" {
		t.Errorf("parseConvTag(convTag) = %+v, %v", k, ok)
	}
	if allocs := testing.AllocsPerRun(100, func() { s.keys(bot.Key{Channel: "tg", User: "42"}) }); allocs > 1 {
		t.Errorf("keys allocates %v times, want 1", allocs)
	}
}
