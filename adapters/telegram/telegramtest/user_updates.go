package telegramtest

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot/models"
)

// userMessageBase is the first ID of users' messages, so that they never
// equal the IDs the Server gives the bot's messages, which count from 1 in
// each chat.
const userMessageBase = 1_000_000

var (
	lastMessageID atomic.Int64
	lastQueryID   atomic.Int64
	lastFileID    atomic.Int64
)

func nextMessageID() int { return int(userMessageBase + lastMessageID.Add(1)) }

// TextUpdate is a text message; a leading "/command" gets its bot_command
// entity, which command routing relies on.
func TextUpdate(chatID int64, lang, text string) models.Update {
	m := userMessage(chatID, lang)
	m.Text = text
	m.Entities = commandEntity(text)
	return models.Update{Message: m}
}

// ButtonUpdate is the callback query of a tap on an inline button with
// callback data data, on the bot's message messageID. The message carries
// only its ID, chat and date; Server.Press sends the whole message.
func ButtonUpdate(chatID int64, lang, data string, messageID int) models.Update {
	return buttonUpdate(chatID, lang, data, models.Message{
		ID:   messageID,
		Date: int(time.Now().Unix()),
		Chat: chatOf(chatID),
	})
}

func buttonUpdate(chatID int64, lang, data string, on models.Message) models.Update {
	return models.Update{CallbackQuery: &models.CallbackQuery{
		ID:   strconv.FormatInt(lastQueryID.Add(1), 10),
		From: user(chatID, lang),
		Message: models.MaybeInaccessibleMessage{
			Type:    models.MaybeInaccessibleMessageTypeMessage,
			Message: &on,
		},
		ChatInstance: strconv.FormatInt(chatID, 10),
		Data:         data,
	}}
}

// PhotoUpdate is a photo without caption. Like Telegram it carries several
// sizes, smallest first: fileID and uniqueID name the largest, of size
// bytes, and the thumbnail before it has IDs of its own ("<fileID>-thumb").
func PhotoUpdate(chatID int64, lang, fileID, uniqueID string, size int) models.Update {
	m := userMessage(chatID, lang)
	m.Photo = []models.PhotoSize{
		{FileID: fileID + "-thumb", FileUniqueID: uniqueID + "-thumb", Width: 90, Height: 68, FileSize: max(size/40, 1)},
		{FileID: fileID, FileUniqueID: uniqueID, Width: 1280, Height: 960, FileSize: size},
	}
	return models.Update{Message: m}
}

// DocumentUpdate is a file sent as a document.
func DocumentUpdate(chatID int64, lang, fileID, uniqueID, name, mimeType string, size int) models.Update {
	m := userMessage(chatID, lang)
	m.Document = &models.Document{
		FileID:       fileID,
		FileUniqueID: uniqueID,
		FileName:     name,
		MimeType:     mimeType,
		FileSize:     int64(size),
	}
	return models.Update{Message: m}
}

// StickerUpdate is a sticker.
func StickerUpdate(chatID int64, lang string) models.Update {
	m := userMessage(chatID, lang)
	id := lastFileID.Add(1)
	m.Sticker = &models.Sticker{
		FileID:       fmt.Sprintf("sticker-%d", id),
		FileUniqueID: fmt.Sprintf("sticker-u%d", id),
		Type:         "regular",
		Width:        512,
		Height:       512,
		Emoji:        "👍",
		SetName:      "TestStickers",
		FileSize:     20480,
	}
	return models.Update{Message: m}
}

// VoiceUpdate is a voice note of the given length.
func VoiceUpdate(chatID int64, lang string, seconds int) models.Update {
	m := userMessage(chatID, lang)
	id := lastFileID.Add(1)
	m.Voice = &models.Voice{
		FileID:       fmt.Sprintf("voice-%d", id),
		FileUniqueID: fmt.Sprintf("voice-u%d", id),
		Duration:     seconds,
		MimeType:     "audio/ogg",
		FileSize:     int64(2000 * seconds),
	}
	return models.Update{Message: m}
}

// LocationUpdate is a shared location.
func LocationUpdate(chatID int64, lang string, latitude, longitude float64) models.Update {
	m := userMessage(chatID, lang)
	m.Location = &models.Location{Latitude: latitude, Longitude: longitude}
	return models.Update{Message: m}
}

// ContactUpdate is the user sharing their own contact.
func ContactUpdate(chatID int64, lang, phone string) models.Update {
	m := userMessage(chatID, lang)
	m.Contact = &models.Contact{PhoneNumber: phone, FirstName: "Test", LastName: "User", UserID: chatID}
	return models.Update{Message: m}
}

// EditedTextUpdate is the user editing their earlier message messageID to
// read text; Telegram delivers it as edited_message.
func EditedTextUpdate(chatID int64, lang string, messageID int, text string) models.Update {
	m := userMessage(chatID, lang)
	m.ID = messageID
	m.Date -= 60
	m.EditDate = int(time.Now().Unix())
	m.Text = text
	m.Entities = commandEntity(text)
	return models.Update{EditedMessage: m}
}

// GroupTextUpdate is a text message of user userID in the group chatID,
// which must be negative as group IDs are. It panics otherwise.
func GroupTextUpdate(chatID, userID int64, lang, text string) models.Update {
	if chatID >= 0 {
		panic(fmt.Sprintf("telegramtest: GroupTextUpdate: group chat ID %d is not negative", chatID))
	}
	m := userMessage(userID, lang)
	m.Chat = chatOf(chatID)
	m.Text = text
	m.Entities = commandEntity(text)
	return models.Update{Message: m}
}

// ForwardedTextUpdate is a text message the user forwarded from another
// user; forward_origin says so.
func ForwardedTextUpdate(chatID int64, lang, text string) models.Update {
	m := userMessage(chatID, lang)
	m.Text = text
	m.ForwardOrigin = &models.MessageOrigin{
		Type: models.MessageOriginTypeUser,
		MessageOriginUser: &models.MessageOriginUser{
			Type:       models.MessageOriginTypeUser,
			Date:       m.Date - 3600,
			SenderUser: models.User{ID: 999_999_999, FirstName: "Original", LastName: "Sender"},
		},
	}
	return models.Update{Message: m}
}

func user(id int64, lang string) models.User {
	return models.User{ID: id, FirstName: "Test", LastName: "User", LanguageCode: lang}
}

// userMessage is a message from the user chatID in their private chat.
func userMessage(chatID int64, lang string) *models.Message {
	from := user(chatID, lang)
	return &models.Message{
		ID:   nextMessageID(),
		From: &from,
		Date: int(time.Now().Unix()),
		Chat: chatOf(chatID),
	}
}

// commandEntity marks a leading "/command" (with any "@botname") as
// Telegram does; offsets and lengths count UTF-16 code units.
func commandEntity(text string) []models.MessageEntity {
	if !strings.HasPrefix(text, "/") {
		return nil
	}
	end := strings.IndexFunc(text, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' })
	if end < 0 {
		end = len(text)
	}
	if end == 1 {
		return nil
	}
	return []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: utf16Len(text[:end])}}
}
