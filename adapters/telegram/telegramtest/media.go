package telegramtest

import (
	"context"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// maxCaption is the Bot API's limit on a caption, in UTF-16 code units.
const maxCaption = 1024

// sendPhoto takes a photo uploaded in field "photo", with its caption.
func (s *Server) sendPhoto(_ context.Context, p params) (any, *apiError) {
	return s.sendMedia(p, "photo")
}

// sendDocument takes a document uploaded in field "document", with its
// caption.
func (s *Server) sendDocument(_ context.Context, p params) (any, *apiError) {
	return s.sendMedia(p, "document")
}

// sendMedia records a file message; the fake keeps the uploaded file's
// name, not its bytes.
func (s *Server) sendMedia(p params, field string) (any, *apiError) {
	chatID, e := p.chatID()
	if e != nil {
		return nil, e
	}
	file := p[field]
	if file == "" {
		return nil, badRequest("there is no " + field + " in the request")
	}
	caption := p["caption"]
	if len(utf16.Encode([]rune(caption))) > maxCaption {
		return nil, badRequest("message caption is too long")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	now := time.Now()
	m := models.Message{ID: len(c.messages) + 1, From: &s.me, Date: int(now.Unix()), Chat: chatOf(chatID), Caption: caption}
	if field == "photo" {
		m.Photo = []models.PhotoSize{{FileID: "sent-" + file, FileUniqueID: "sent-" + file}}
	} else {
		m.Document = &models.Document{FileID: "sent-" + file, FileUniqueID: "sent-" + file, FileName: file}
	}
	c.messages = append(c.messages, m)
	c.sent = append(c.sent, Sent{ChatID: chatID, MessageID: m.ID, Text: caption, File: file, At: now})
	s.notifyLocked()
	return m, nil
}
