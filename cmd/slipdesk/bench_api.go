package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// benchAPI answers the Bot API methods a webhook run calls, as Telegram
// does, at as little cost as it can: on a real deployment Telegram's
// work happens on Telegram's machines, so in a benchmark sharing the
// bot's cores it should take as little of them as possible. It checks
// what a reply must have (a chat, a text of 1 to 4,096 characters) and
// keeps nothing; telegramtest is the fake that records and checks
// everything, for the tests.
type benchAPI struct {
	token    string
	messages atomic.Int64
	srv      *http.Server
	URL      string
}

// startBenchAPI serves the API on a loopback port.
func startBenchAPI(token string) (*benchAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := &benchAPI{token: token, URL: "http://" + ln.Addr().String()}
	a.srv = &http.Server{Handler: a, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = a.srv.Serve(ln) }()
	return a, nil
}

// Close stops serving.
func (a *benchAPI) Close() { _ = a.srv.Close() }

func (a *benchAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+a.token+"/")
	if !ok {
		a.answer(w, http.StatusNotFound, `{"ok":false,"error_code":404,"description":"Not Found"}`)
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
			a.answer(w, http.StatusBadRequest, `{"ok":false,"error_code":400,"description":"Bad Request: message text is empty or too long, or no chat"}`)
			return
		}
		id := a.messages.Add(1)
		chat := strconv.FormatInt(m.ChatID, 10)
		a.answer(w, http.StatusOK, `{"ok":true,"result":{"message_id":`+strconv.FormatInt(id, 10)+
			`,"date":`+strconv.FormatInt(time.Now().Unix(), 10)+`,"chat":{"id":`+chat+`,"type":"private"}}}`)
	case "getMe":
		a.answer(w, http.StatusOK, `{"ok":true,"result":{"id":424242,"is_bot":true,"first_name":"Bench","username":"bench_bot"}}`)
	default:
		_, _ = io.Copy(io.Discard, r.Body)
		a.answer(w, http.StatusOK, `{"ok":true,"result":true}`)
	}
}

func (a *benchAPI) answer(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}
