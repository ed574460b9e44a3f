package bot

// System messages the engine itself says. Every locale must have them;
// validation checks that as it checks the flows' messages.
const (
	MsgTooLong        = "sys.too_long"
	MsgEmpty          = "sys.empty"
	MsgBadText        = "sys.bad_text"
	MsgStaleButton    = "sys.stale_button"
	MsgUnknownCommand = "sys.unknown_command"
	MsgUnsupported    = "sys.unsupported"
	MsgChooseOne      = "sys.choose_one"
	MsgRetry          = "sys.retry"
	MsgMasked         = "sys.masked"
	MsgWaiting        = "sys.waiting"
	MsgWithHuman      = "sys.with_human"
	MsgHandover       = "sys.handover"
	MsgLangSwitched   = "sys.lang_switched"
	MsgDeleted        = "sys.deleted"
	MsgStatus         = "sys.status"
	MsgInternal       = "sys.internal"
)

// SystemMessages lists every message ID the engine may say on its own.
var SystemMessages = []string{
	MsgTooLong, MsgEmpty, MsgBadText, MsgStaleButton, MsgUnknownCommand,
	MsgUnsupported, MsgChooseOne, MsgRetry, MsgMasked, MsgWaiting,
	MsgWithHuman, MsgHandover, MsgLangSwitched, MsgDeleted, MsgStatus,
	MsgInternal,
}
