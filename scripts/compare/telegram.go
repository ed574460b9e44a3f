package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// botAPI is the Telegram Bot API as slipdesk's webhook runs see it: it
// answers the calls of "slipdesk serve" at start-up and takes the
// messages it sends, counting them by chat so that a turn can check it
// was answered. Telegram's work happens on Telegram's machines, so it
// does as little as it can, in this process, as the Botkit bot's replies
// cost its server nothing beyond its answer.
type botAPI struct {
	token string
	srv   *http.Server
	url   string
	ids   atomic.Int64

	mu   sync.Mutex
	sent map[int64]int
}

// startBotAPI serves the API on a loopback port.
func startBotAPI(token string) (*botAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &botAPI{token: token, url: "http://" + ln.Addr().String(), sent: map[int64]int{}}
	a.srv = &http.Server{Handler: a, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = a.srv.Serve(ln) }()
	return a, nil
}

func (a *botAPI) stop() { _ = a.srv.Close() }

// messages returns how many messages chat has been sent.
func (a *botAPI) messages(chat int64) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sent[chat]
}

func (a *botAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+a.token+"/")
	if !ok {
		answer(w, http.StatusNotFound, `{"ok":false,"error_code":404,"description":"Not Found"}`)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		answer(w, http.StatusBadRequest, `{"ok":false,"error_code":400,"description":"Bad Request"}`)
		return
	}
	switch method {
	case "getMe":
		answer(w, http.StatusOK, `{"ok":true,"result":{"id":424242,"is_bot":true,"first_name":"Compare","username":"compare_bot"}}`)
	case "sendMessage":
		var m struct {
			ChatID int64  `json:"chat_id"`
			Text   string `json:"text"`
		}
		if json.Unmarshal(body, &m) != nil || m.ChatID == 0 || m.Text == "" {
			answer(w, http.StatusBadRequest, `{"ok":false,"error_code":400,"description":"Bad Request: message text is empty"}`)
			return
		}
		a.mu.Lock()
		a.sent[m.ChatID]++
		a.mu.Unlock()
		answer(w, http.StatusOK, `{"ok":true,"result":{"message_id":`+strconv.FormatInt(a.ids.Add(1), 10)+
			`,"date":`+strconv.FormatInt(time.Now().Unix(), 10)+`,"chat":{"id":`+strconv.FormatInt(m.ChatID, 10)+`,"type":"private"}}}`)
	default:
		// setWebhook, setMyCommands and the like.
		answer(w, http.StatusOK, `{"ok":true,"result":true}`)
	}
}

func answer(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

// telegramChat speaks to "slipdesk serve" as Telegram does to its
// webhook: each message an update posted with the webhook's secret,
// answered 200 once its turn is committed and its replies sent.
type telegramChat struct {
	hook, secret string
	api          *botAPI
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
	before := t.api.messages(chat)
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
	buf, err := json.Marshal(u)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, t.hook, bytes.NewReader(buf))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", t.secret)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %.200s", t.hook, resp.Status, data)
	}
	if t.api.messages(chat) == before {
		return errors.New("message " + strconv.Itoa(i+1) + ": no reply")
	}
	return nil
}

// telegramHook is what a webhook run needs: the Bot API, the environment
// that points "slipdesk serve" at it with the pace off, and the chats.
type telegramHook struct {
	api     *botAPI
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
	api, err := startBotAPI(token)
	if err != nil {
		return nil, fmt.Errorf("bot api: %w", err)
	}
	config := filepath.Join(dir, "slipdesk.yaml")
	if err := os.WriteFile(config, []byte("telegram:\n  per_chat_interval: 0s\n  messages_per_second: 0\n"), 0o600); err != nil {
		api.stop()
		return nil, err
	}
	h := &telegramHook{api: api, secret: rand.Text()}
	h.env = []string{
		"SLIPDESK_CONFIG=" + config,
		"TELEGRAM_BOT_TOKEN=" + token,
		"TELEGRAM_API_URL=" + api.url,
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
