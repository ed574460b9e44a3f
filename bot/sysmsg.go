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
	MsgPrivateOnly    = "sys.private_only"
	MsgNotEdited      = "sys.not_edited"
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

// Specific problems of the typed slots: each re-asks with what was wrong
// and an example of a good answer.
const (
	MsgSlotDatetime              = "sys.slot.datetime"
	MsgSlotDatetimeFuture        = "sys.slot.datetime_future"
	MsgSlotDatetimeTooOld        = "sys.slot.datetime_too_old"
	MsgSlotAmount                = "sys.slot.amount"
	MsgSlotAmountNotPositive     = "sys.slot.amount_not_positive"
	MsgSlotAmountTooManyDecimals = "sys.slot.amount_too_many_decimals"
	MsgSlotAmountTooLarge        = "sys.slot.amount_too_large"
	MsgSlotLast4                 = "sys.slot.last4"
)

// SystemMessages lists every message ID the engine may say on its own.
var SystemMessages = append([]string{
	MsgTooLong, MsgEmpty, MsgBadText, MsgStaleButton, MsgUnknownCommand,
	MsgUnsupported, MsgPrivateOnly, MsgNotEdited, MsgChooseOne, MsgRetry, MsgMasked, MsgWaiting,
	MsgWithHuman, MsgHandover, MsgLangSwitched, MsgDeleted, MsgStatus,
	MsgInternal,
	MsgSlotDatetime, MsgSlotDatetimeFuture, MsgSlotDatetimeTooOld,
	MsgSlotAmount, MsgSlotAmountNotPositive, MsgSlotAmountTooManyDecimals,
	MsgSlotAmountTooLarge, MsgSlotLast4,
}, caseMessages()...)
