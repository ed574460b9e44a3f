package bot

// Messages of the web chat: the page's own texts and its answers to
// requests it refuses. The web chat refuses to start without them in
// every language; content without a web chat needs none of them.
const (
	MsgWebTitle       = "web.title"
	MsgWebIntro       = "web.intro"
	MsgWebPlaceholder = "web.placeholder"
	MsgWebSend        = "web.send"
	MsgWebAttach      = "web.attach"
	MsgWebUploading   = "web.uploading"
	MsgWebTyping      = "web.typing"
	MsgWebOffline     = "web.offline"
	MsgWebLangZh      = "web.lang_zh"
	MsgWebLangEn      = "web.lang_en"
	MsgWebBadRequest  = "web.error.bad_request"
	MsgWebSession     = "web.error.session"
	MsgWebTooLarge    = "web.error.too_large"
	MsgWebRateLimited = "web.error.rate_limited"
	MsgWebUnavailable = "web.error.unavailable"
	// MsgWebPosterLine is the line under a shop's name on its QR poster.
	MsgWebPosterLine = "web.poster_line"
)

// WebMessages lists the web chat's messages.
var WebMessages = []string{
	MsgWebTitle, MsgWebIntro, MsgWebPlaceholder, MsgWebSend, MsgWebAttach,
	MsgWebUploading, MsgWebTyping, MsgWebOffline, MsgWebLangZh, MsgWebLangEn,
	MsgWebBadRequest, MsgWebSession, MsgWebTooLarge, MsgWebRateLimited,
	MsgWebUnavailable, MsgWebPosterLine,
}
