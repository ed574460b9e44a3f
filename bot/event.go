package bot

import "time"

// EventKind tells what happened on a channel.
type EventKind int

// The kinds of events the engine handles.
const (
	// EventText is a text message typed by the user.
	EventText EventKind = iota
	// EventButton is a tap on a choice button; Data holds the button's data.
	EventButton
	// EventSignal is an outside event for a waiting conversation (a
	// merchant's answer, an operator's action); Name and Data describe it.
	EventSignal
	// EventTick asks the engine to fire a due timeout of a waiting step.
	EventTick
	// EventUnsupported is something the channel delivered that the bot
	// cannot take (a sticker, a location); Data names what it was, and
	// Text holds its text if it had one (a forwarded or edited message),
	// kept in the transcript and answering no question.
	EventUnsupported
	// EventFile is a photo or document the user sent; File describes it.
	// The channel has put its bytes into the proof store already. Text is
	// the caption the user wrote with it, if any. A file the channel
	// refused (too large, of a type not taken) comes with File nil and
	// Data the refusal's message ID (MsgProofTooLarge, MsgProofType), so
	// that the user hears why in the conversation's language.
	EventFile
)

// UnsupportedEdit is the Data of an EventUnsupported for a change to a
// message already sent: the user is asked to send the correction anew.
const UnsupportedEdit = "edited"

// Event is one thing a channel delivered for one conversation.
type Event struct {
	Key  Key
	Kind EventKind
	// DeliveryID is the channel's own ID of this delivery (Telegram
	// update_id, a web client's message ID). A redelivery carries the same
	// ID and gets the recorded replies again without a second effect.
	DeliveryID string
	// Text is what the user typed (EventText).
	Text string
	// Data is a button's data (EventButton), a signal's value (EventSignal)
	// or what kind of unsupported content arrived (EventUnsupported).
	Data string
	// Name is the signal's name (EventSignal).
	Name string
	// LangHint is the channel's idea of the user's language, such as
	// Telegram's language_code; empty when the channel has none.
	LangHint string
	// At is when the channel received the event; zero means now.
	At time.Time
	// File is the photo or document of an EventFile.
	File *Attachment
}

// Attachment describes a file a user sent. The bytes are in the proof
// store under StoreRef when the channel could fetch them; the channel's own
// references are kept so the file can be fetched again.
type Attachment struct {
	// Name is the file name the user's app gave, for display only.
	Name string `json:"name,omitempty"`
	// Mime is the type sniffed from the content, never from the name.
	Mime string `json:"mime"`
	Size int64  `json:"size"`
	// SHA256 is the hex content hash.
	SHA256 string `json:"sha256,omitempty"`
	// ChannelRef and ChannelUniqueRef are the channel's references
	// (Telegram file_id and file_unique_id; a path in the terminal chat).
	ChannelRef       string `json:"channel_ref,omitempty"`
	ChannelUniqueRef string `json:"channel_unique_ref,omitempty"`
	// StoreRef is where the proof store keeps the bytes; empty when only
	// the channel has them.
	StoreRef string `json:"store_ref,omitempty"`
}
