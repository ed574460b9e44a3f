package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramsink"
)

// telegramChat speaks to "slipdesk serve" as Telegram does to its
// webhook: each message an update posted with the webhook's secret,
// answered 200 once its turn is committed and its replies sent.
type telegramChat struct {
	hook, secret string
	api          *telegramsink.Sink
	chats        *atomic.Int64
	updates      *atomic.Int64
}

func (t telegramChat) begin(*http.Client) (string, error) {
	return strconv.FormatInt(t.chats.Add(1), 10), nil
}

func (t telegramChat) say(c *http.Client, conv string, i int) error {
	chat, err := strconv.ParseInt(conv, 10, 64)
	if err != nil {
		return err
	}
	before := t.api.Messages(chat)
	id := t.updates.Add(1)
	u := map[string]any{
		"update_id": id,
		"message": map[string]any{
			"message_id": id,
			"date":       time.Now().Unix(),
			"chat":       map[string]any{"id": chat, "type": "private"},
			"from":       map[string]any{"id": chat, "is_bot": false, "first_name": "Compare", "language_code": "en"},
			"text":       intake[i],
		},
	}
	if err := post(c, t.hook, map[string]string{telegram.SecretHeader: t.secret}, u, nil); err != nil {
		return err
	}
	if t.api.Messages(chat) == before {
		return errors.New("message " + strconv.Itoa(i+1) + ": no reply")
	}
	return nil
}

// telegramHook is what a webhook run needs: the Bot API, the environment
// that points "slipdesk serve" at it with the pace off, and the chats.
type telegramHook struct {
	api     *telegramsink.Sink
	secret  string
	env     []string
	chats   atomic.Int64
	updates atomic.Int64
}

// webhookPath is the path of the webhook's address, which serve answers.
const webhookPath = "/telegram/webhook"

// newTelegramHook starts the Bot API and writes, in dir, the
// configuration that turns the pace off.
func newTelegramHook(dir string) (*telegramHook, error) {
	token := "4242:" + strings.ToLower(rand.Text())
	api, err := telegramsink.Start(token)
	if err != nil {
		return nil, fmt.Errorf("bot api: %w", err)
	}
	config := filepath.Join(dir, "slipdesk.yaml")
	if err := os.WriteFile(config, []byte("telegram:\n  per_chat_interval: 0s\n  messages_per_second: 0\n"), 0o600); err != nil {
		api.Close()
		return nil, err
	}
	h := &telegramHook{api: api, secret: rand.Text()}
	h.env = []string{
		"SLIPDESK_CONFIG=" + config,
		"TELEGRAM_BOT_TOKEN=" + token,
		"TELEGRAM_API_URL=" + api.URL,
		"TELEGRAM_WEBHOOK_URL=https://compare.invalid" + webhookPath,
		"TELEGRAM_WEBHOOK_SECRET=" + h.secret,
	}
	// Chat IDs no run repeats.
	h.chats.Store(time.Now().UnixNano() / 1000 % 1_000_000_000_000)
	return h, nil
}

// chat returns the chat side of the webhook of the serve at base.
func (h *telegramHook) chat(base string) telegramChat {
	return telegramChat{hook: base + webhookPath, secret: h.secret, api: h.api, chats: &h.chats, updates: &h.updates}
}
