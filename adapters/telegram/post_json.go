package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	tgbot "github.com/go-telegram/bot"
)

// apiAnswer is the Bot API's envelope around every answer.
type apiAnswer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter      int `json:"retry_after"`
		MigrateToChatID int `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// postJSON calls a Bot API method with params as a JSON body, which the
// API takes for every method that uploads no file, and decodes the
// result into dest. go-telegram/bot sends each request as a multipart
// form, built field by field by reflection in a goroutine of its own
// and read through a pipe; the messages of a turn, sent for every
// update, are built here in one buffer instead. Its errors are those of
// go-telegram/bot's requests, so that apiError sorts them alike.
func (c *Bot) postJSON(ctx context.Context, method string, params, dest any) error {
	// The body is not pooled: the transport may still read it after Do
	// returns, and reads it again for a retry.
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("encode the request of %s: %w", method, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.opts.APIURL+"/bot"+c.opts.Token+"/"+method, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("request for method %s: %w", method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("do request for method %s: %w", method, err)
	}
	defer resp.Body.Close()
	var a apiAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return fmt.Errorf("decode the answer to %s (HTTP %d): %w", method, resp.StatusCode, err)
	}
	if !a.OK {
		return answerError(method, a)
	}
	if dest == nil {
		return nil
	}
	if err := json.Unmarshal(a.Result, dest); err != nil {
		return fmt.Errorf("decode the result of %s: %w", method, err)
	}
	return nil
}

// answerError is the error go-telegram/bot gives for a refusal.
func answerError(method string, a apiAnswer) error {
	switch a.ErrorCode {
	case http.StatusForbidden:
		return fmt.Errorf("%w, %s", tgbot.ErrorForbidden, a.Description)
	case http.StatusBadRequest:
		if a.Parameters.MigrateToChatID != 0 {
			return &tgbot.MigrateError{Message: fmt.Sprintf("%s: %s", tgbot.ErrorBadRequest, a.Description), MigrateToChatID: a.Parameters.MigrateToChatID}
		}
		return fmt.Errorf("%w, %s", tgbot.ErrorBadRequest, a.Description)
	case http.StatusUnauthorized:
		return fmt.Errorf("%w, %s", tgbot.ErrorUnauthorized, a.Description)
	case http.StatusNotFound:
		return fmt.Errorf("%w, %s", tgbot.ErrorNotFound, a.Description)
	case http.StatusConflict:
		return fmt.Errorf("%w, %s", tgbot.ErrorConflict, a.Description)
	case http.StatusTooManyRequests:
		return &tgbot.TooManyRequestsError{Message: fmt.Sprintf("%s, %s", tgbot.ErrorTooManyRequests, a.Description), RetryAfter: a.Parameters.RetryAfter}
	}
	return fmt.Errorf("error response from telegram for method %s, %d %s", method, a.ErrorCode, a.Description)
}
