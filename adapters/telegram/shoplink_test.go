package telegram_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
)

// TestShopDeepLink: "/start" with a shop's signed payload (from the deep
// link of its QR poster) starts the chat with that shop known; a payload
// not signed by the service is an ordinary /start.
func TestShopDeepLink(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	id := redistest.AddMerchant(t, d, bot.Merchant{Name: "Starlight Supermarket", Lang: "en"}, bot.Key{})
	signer := webchat.NewSigner([]byte("telegram-shop-link-secret"))
	fake := telegramtest.New(t, testToken)
	b, err := telegram.New(telegram.Options{
		Token: testToken, APIURL: fake.URL, Engine: d.Engine, PerChat: -1, PerSecond: -1,
		ShopLink: signer.OpenTelegramPayload,
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := b.Webhook(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	payload := signer.TelegramPayload(id)
	if len(payload) > 64 {
		t.Fatalf("payload %q is over Telegram's 64 characters", payload)
	}
	for i, c := range []struct {
		chat   int64
		text   string
		linked bool
	}{
		{901, "/start " + payload, true},
		{902, "/start s_" + id + "_forgedforgedforgedforged", false},
		{903, "/start " + webchat.NewSigner([]byte("another-secret-0123")).TelegramPayload(id), false},
	} {
		u := telegramtest.TextUpdate(c.chat, "en", c.text)
		u.ID = int64(100 + i)
		if code := postUpdate(t, h, u, testSecret); code != http.StatusOK {
			t.Fatalf("%s: webhook answered %d", c.text, code)
		}
		snap, err := d.Store.Load(context.Background(), telegram.KeyOf(c.chat), "")
		if err != nil {
			t.Fatal(err)
		}
		linked := snap.Conv.Slots[bot.SlotShopLinked] == "yes" && snap.Conv.Slots["merchant_match"] == id
		if linked != c.linked {
			t.Errorf("%s: shop known %v, want %v (slots %v)", c.text, linked, c.linked, snap.Conv.Slots)
		}
		if len(fake.Sent(c.chat)) == 0 {
			t.Errorf("%s: nothing was answered", c.text)
		}
	}
}
