package telegram

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"time"
	"unicode/utf16"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

// maxCaptionLen is the Bot API's limit on a file's caption, in UTF-16
// code units.
const maxCaptionLen = 1024

// sendFile sends a reply that carries a file (a proof a consumer shared
// with the shop) as a photo, or a document when it is no photo Telegram
// shows (a PDF, a HEIC image), with the reply's text as its caption. It
// reports false when there is no file to send: no proof store, or the
// bytes are gone (the consumer deleted their data meanwhile); the caller
// then sends the text alone, which names the file.
func (c *Bot) sendFile(ctx context.Context, chat int64, r bot.Reply) (bool, error) {
	if c.opts.Proofs == nil || r.File.StoreRef == "" || len(utf16.Encode([]rune(r.Text))) > maxCaptionLen {
		return false, nil
	}
	rc, err := c.opts.Proofs.Open(ctx, r.File.StoreRef)
	if errors.Is(err, bot.ErrProofNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	buf, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return false, err
	}
	name := r.File.Name
	if name == "" {
		name = "proof"
	}
	photo := strings.HasPrefix(r.File.Mime, "image/") && r.File.Mime != "image/heic" && r.File.Mime != "image/heif"
	for attempt := 0; ; attempt++ {
		if err := c.pace.wait(ctx, chat); err != nil {
			return false, err
		}
		// A fresh reader each try: a 429 consumed the last one.
		upload := &models.InputFileUpload{Filename: name, Data: bytes.NewReader(buf)}
		method := "sendDocument"
		if photo {
			method = "sendPhoto"
			_, err = c.api.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: chat, Photo: upload, Caption: r.Text})
		} else {
			_, err = c.api.SendDocument(ctx, &tgbot.SendDocumentParams{ChatID: chat, Document: upload, Caption: r.Text})
		}
		var tooMany *tgbot.TooManyRequestsError
		if errors.As(err, &tooMany) && attempt < max429Retries {
			wait := time.Duration(tooMany.RetryAfter) * time.Second
			if wait <= 0 {
				wait = time.Second
			}
			c.pace.pause(chat, wait)
			continue
		}
		return err == nil, apiError(method, err, c.opts.Token)
	}
}
