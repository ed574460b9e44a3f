// Package telegramsink is a Telegram Bot API for load runs: it answers
// what "slipdesk serve" and the Telegram channel call, takes the
// messages they send and keeps nothing of them but a count per chat.
// Telegram's work happens on Telegram's machines, so a run that shares
// the bot's cores with its API should spend as little of them on it as
// it can; telegramtest is the fake that records and checks everything,
// for the tests.
package telegramsink

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Sink is the API, served on a loopback port.
type Sink struct {
	// URL is the API's address, for the channel's api_url.
	URL   string
	token string
	srv   *http.Server
	ids   atomic.Int64

	mu   sync.Mutex
	sent map[int64]int
}

// Start serves the API of the bot with token.
func Start(token string) (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Sink{URL: "http://" + ln.Addr().String(), token: token, sent: map[int64]int{}}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops serving.
func (s *Sink) Close() { _ = s.srv.Close() }

// Messages returns how many messages chat has been sent.
func (s *Sink) Messages(chat int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent[chat]
}

// ServeHTTP answers one call. sendMessage is checked for what a message
// must have (a chat, a text of 1 to 4,096 characters); setWebhook,
// setMyCommands and the other calls are answered true.
func (s *Sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+s.token+"/")
	if !ok {
		answer(w, http.StatusNotFound, `{"ok":false,"error_code":404,"description":"Not Found"}`)
		return
	}
	switch method {
	case "sendMessage":
		var m struct {
			ChatID int64  `json:"chat_id"`
			Text   string `json:"text"`
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil || json.Unmarshal(body, &m) != nil || m.ChatID == 0 || m.Text == "" || len([]rune(m.Text)) > 4096 {
			answer(w, http.StatusBadRequest, `{"ok":false,"error_code":400,"description":"Bad Request: message text is empty or too long, or no chat"}`)
			return
		}
		s.mu.Lock()
		s.sent[m.ChatID]++
		s.mu.Unlock()
		chat := strconv.FormatInt(m.ChatID, 10)
		answer(w, http.StatusOK, `{"ok":true,"result":{"message_id":`+strconv.FormatInt(s.ids.Add(1), 10)+
			`,"date":`+strconv.FormatInt(time.Now().Unix(), 10)+`,"chat":{"id":`+chat+`,"type":"private"}}}`)
	case "getMe":
		answer(w, http.StatusOK, `{"ok":true,"result":{"id":424242,"is_bot":true,"first_name":"Load","username":"load_bot"}}`)
	default:
		_, _ = io.Copy(io.Discard, r.Body)
		answer(w, http.StatusOK, `{"ok":true,"result":true}`)
	}
}

func answer(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}
