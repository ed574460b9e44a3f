package webchat_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// TestShopLinkGoesToTheShop: a consumer who opens the chat from a shop's
// QR code is never asked which shop it was, and the case goes straight
// to that shop, whose answer comes back.
func TestShopLinkGoesToTheShop(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, nil)
	shopTok := h.start(t, "en")
	// Two shops of one name: only the link tells which one it is.
	redistest.AddMerchant(t, d, bot.Merchant{Name: "Starlight Supermarket", Lang: "en"}, bot.Key{})
	id := redistest.AddMerchant(t, d, bot.Merchant{Name: "Starlight Supermarket", Lang: "en"}, convKey(shopTok))

	r := h.do(t, "POST", "/api/chat/start", strings.NewReader(`{"shop":"`+h.chat.Signer().Merchant(id)+`"}`), langHeader("en"))
	if r.Code != http.StatusOK {
		t.Fatalf("start with the shop's link: %d %s", r.Code, r.Body)
	}
	tok := r.Token
	last := replies(h.feed(t, tok, ""))
	if got := bottest.IDs(last); !slices.Equal(got, []string{"consumer.welcome", "consumer.consent"}) {
		t.Fatalf("the page opens with %v, want the greeting", got)
	}
	var seen []string
	for _, step := range []string{"=agree", "=consumer", "=card_slip", "yesterday 3pm", "=only_lost", "128.50", "=credit", "4321", "=none", "=refund", "=ok", "=open", "=bank_sms", "=done", "=go_on"} {
		body := map[string]any{"id": nextID(), "text": step}
		if v, ok := strings.CutPrefix(step, "="); ok {
			body = map[string]any{"id": nextID(), "button": bottest.ButtonData(t, last, v), "label": v}
		}
		r := h.sendJSON(t, tok, "en", body)
		if r.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", step, r.Code, r.Body)
		}
		last = replies(r.Replies)
		seen = append(seen, bottest.IDs(last)...)
	}
	for _, asked := range []string{"consumer.merchant", "consumer.merchant_confirm"} {
		if slices.Contains(seen, asked) {
			t.Errorf("the consumer was asked %s: %v", asked, seen)
		}
	}
	if !slices.Contains(seen, "consumer.case_opened") || bottest.IDs(last)[0] != "consumer.wait_merchant" {
		t.Fatalf("the report went %v, want a case opened and waiting for the shop", seen)
	}
	d.Drain(t)
	alert := replies(h.feed(t, shopTok, ""))
	if len(alert) == 0 || alert[len(alert)-1].MsgID != "merchant_desk.alert" {
		t.Fatalf("the linked shop's page shows %v, want the alert", bottest.IDs(alert))
	}
	if r := h.sendJSON(t, shopTok, "en", map[string]any{"id": nextID(), "button": bottest.ButtonData(t, alert, "found"), "label": "found"}); r.Code != 200 {
		t.Fatalf("shop answers: %d", r.Code)
	}
	d.Drain(t)
	got := bottest.IDs(replies(h.feed(t, tok, "")))
	if !slices.Contains(got, "consumer.merchant_found") {
		t.Fatalf("the consumer's page shows %v, want the shop's answer", got)
	}
}

// TestShopLinkRefusals: a shop reference that is forged, or a
// conversation token passed as one, opens nothing; a link to a shop no
// longer registered starts an ordinary conversation.
func TestShopLinkRefusals(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, nil)
	tok := h.start(t, "en")
	for _, ref := range []string{"M4KX7PQ", "M4KX7PQ.AAAAAAAAAAAAAAAAAAAAAAAA", tok} {
		r := h.do(t, "POST", "/api/chat/start", strings.NewReader(`{"shop":"`+ref+`"}`), langHeader("en"))
		if r.Code != http.StatusBadRequest || r.Message == "" {
			t.Errorf("shop %q: %d %s, want 400", ref, r.Code, r.Body)
		}
	}
	r := h.do(t, "POST", "/api/chat/start", strings.NewReader(`{"shop":"`+h.chat.Signer().Merchant("M4KX7PQ")+`"}`), langHeader("en"))
	if r.Code != http.StatusOK {
		t.Fatalf("unknown shop: %d", r.Code)
	}
	if got := bottest.IDs(replies(h.feed(t, r.Token, ""))); !slices.Equal(got, []string{"consumer.welcome", "consumer.consent"}) {
		t.Fatalf("a link to an unknown shop opens with %v", got)
	}
}
