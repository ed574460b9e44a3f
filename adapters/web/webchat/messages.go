package webchat

import "github.com/slipdesk/slipdesk/bot"

// Messages of the web chat: the page's own texts and its answers to
// requests it refuses. A process that serves the web chat declares them
// (DeclareMessages), so that content without one of them in every
// language is refused at start-up and on reload; content without a web
// chat needs none of them.
const (
	MsgTitle       = "web.title"
	MsgIntro       = "web.intro"
	MsgPlaceholder = "web.placeholder"
	MsgSend        = "web.send"
	MsgAttach      = "web.attach"
	MsgUploading   = "web.uploading"
	MsgTyping      = "web.typing"
	MsgOffline     = "web.offline"
	MsgLangZh      = "web.lang_zh"
	MsgLangEn      = "web.lang_en"
	MsgBadRequest  = "web.error.bad_request"
	MsgSession     = "web.error.session"
	MsgTooLarge    = "web.error.too_large"
	MsgRateLimited = "web.error.rate_limited"
	MsgUnavailable = "web.error.unavailable"
	// MsgPosterLine is the line under a shop's name on its QR poster.
	MsgPosterLine = "web.poster_line"
)

// Messages lists the web chat's own messages.
var Messages = []string{
	MsgTitle, MsgIntro, MsgPlaceholder, MsgSend, MsgAttach,
	MsgUploading, MsgTyping, MsgOffline, MsgLangZh, MsgLangEn,
	MsgBadRequest, MsgSession, MsgTooLarge, MsgRateLimited,
	MsgUnavailable, MsgPosterLine,
}

// DeclareMessages declares to reg the messages the web chat says itself:
// its own, and the engine's it answers a refused upload or a failure with
// (see bot.Registry.NeedMessages).
func DeclareMessages(reg *bot.Registry) {
	reg.NeedMessages("the web chat", Messages...)
	reg.NeedMessages("the web chat", bot.MsgProofTooLarge, bot.MsgProofType, bot.MsgInternal)
}
