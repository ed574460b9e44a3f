package bot

import "github.com/slipdesk/slipdesk/bot/understand"

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
	MsgRetry          = understand.MsgRetry
	MsgMasked         = "sys.masked"
	MsgWaiting        = "sys.waiting"
	MsgWithHuman      = "sys.with_human"
	MsgHandover       = "sys.handover"
	MsgLangSwitched   = "sys.lang_switched"
	MsgDeleted        = "sys.deleted"
	MsgStatus         = "sys.status"
	MsgInternal       = "sys.internal"
	// MsgWhy answers "why do you need this?" at a question without a
	// why text of its own.
	MsgWhy = "sys.why"
	// MsgThanks answers thanks after the end of a conversation.
	MsgThanks = "sys.thanks"
	// MsgNoticeRead says what a pasted bank or payment notification
	// gave: When, Amount, Last4, Merchant, PaidBy.
	MsgNoticeRead = "sys.notice_read"
	// MsgLast4Kept says the last four of a masked card number were kept
	// for the card question: Last4.
	MsgLast4Kept = "sys.last4_kept"
)

// Specific problems of the typed slots: each re-asks with what was wrong
// and an example of a good answer.
const (
	MsgSlotDatetime              = understand.MsgDatetime
	MsgSlotDatetimeFuture        = understand.MsgDatetimeFuture
	MsgSlotDatetimeTooOld        = understand.MsgDatetimeTooOld
	MsgSlotDatetimeAmPm          = understand.MsgDatetimeAmPm
	MsgSlotAmount                = understand.MsgAmount
	MsgSlotAmountNotPositive     = understand.MsgAmountNotPositive
	MsgSlotAmountTooManyDecimals = understand.MsgAmountTooManyDecimals
	MsgSlotAmountTooLarge        = understand.MsgAmountTooLarge
	MsgSlotLast4                 = understand.MsgLast4
	MsgSlotMerchantID            = understand.MsgMerchantID
	MsgSlotMerchantIDCard        = understand.MsgMerchantIDCard
	MsgSlotNumberInText          = understand.MsgNumberInText
)

// SystemMessages lists every message ID the engine may say on its own.
var SystemMessages = append([]string{
	MsgTooLong, MsgEmpty, MsgBadText, MsgStaleButton, MsgUnknownCommand,
	MsgUnsupported, MsgPrivateOnly, MsgNotEdited, MsgChooseOne, MsgRetry, MsgMasked, MsgWaiting,
	MsgWithHuman, MsgHandover, MsgLangSwitched, MsgDeleted, MsgStatus,
	MsgInternal, MsgWhy, MsgThanks, MsgNoticeRead,
	MsgSlotDatetime, MsgSlotDatetimeFuture, MsgSlotDatetimeTooOld, MsgSlotDatetimeAmPm,
	MsgSlotAmount, MsgSlotAmountNotPositive, MsgSlotAmountTooManyDecimals,
	MsgSlotAmountTooLarge, MsgSlotLast4, MsgSlotMerchantID, MsgSlotMerchantIDCard, MsgSlotNumberInText, MsgLast4Kept,
}, caseMessages()...)
