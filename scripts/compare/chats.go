package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// intake is what a user sends: the first nine messages of slipdesk's
// English consumer journey, answering choices by number. On slipdesk the
// first opens the intake and each answer gets the next question; the
// Botkit bot asks its nine questions in the same order.
var intake = []string{"hello, I lost my card slip", "1", "1", "1", "yesterday 3pm", "Starlight", "1", "128", "2"}

// chat is one bot's side of a conversation over HTTP.
type chat interface {
	// begin starts a conversation for a new user and returns what its
	// messages need (a token, a user ID).
	begin(c *http.Client) (string, error)
	// say sends message i of the intake and checks the bot answered.
	say(c *http.Client, conv string, i int) error
}

// slipdeskChat speaks slipdesk's web chat API.
type slipdeskChat struct{ base string }

func (s slipdeskChat) begin(c *http.Client) (string, error) {
	var resp struct {
		Token string `json:"token"`
	}
	if err := post(c, s.base+"/api/chat/start", nil, map[string]string{}, &resp); err != nil {
		return "", err
	}
	if resp.Token == "" {
		return "", errors.New("start gave no token")
	}
	return resp.Token, nil
}

func (s slipdeskChat) say(c *http.Client, token string, i int) error {
	var resp struct {
		Replies []json.RawMessage `json:"replies"`
	}
	if err := post(c, s.base+"/api/chat/send", map[string]string{"X-Chat-Token": token}, map[string]string{"id": "m" + strconv.Itoa(i), "text": intake[i]}, &resp); err != nil {
		return err
	}
	if len(resp.Replies) == 0 {
		return fmt.Errorf("message %d: no reply", i+1)
	}
	return nil
}

// botkitChat speaks the Botkit web adapter's webhook.
type botkitChat struct{ base string }

func (b botkitChat) begin(*http.Client) (string, error) { return "u" + rand.Text(), nil }

func (b botkitChat) say(c *http.Client, user string, i int) error {
	var replies []json.RawMessage
	if err := post(c, b.base+"/api/messages", nil, map[string]string{"type": "message", "user": user, "text": intake[i]}, &replies); err != nil {
		return err
	}
	if len(replies) == 0 {
		return fmt.Errorf("message %d: no reply", i+1)
	}
	return nil
}

// ping tells whether the bot answers a message.
func (b botkitChat) ping() bool {
	c := &http.Client{Timeout: time.Second}
	user, _ := b.begin(c)
	return b.say(c, user, 0) == nil
}

// post sends body as JSON with headers, and decodes the answer into out
// unless out is nil.
func post(c *http.Client, url string, headers map[string]string, body any, out any) error {
	buf, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(buf))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "en")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %.200s", url, resp.Status, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}
