package understand

// The problems parsers report, as the IDs of the messages that re-ask.
// Every locale must have them; the engine lists them with its own.
const (
	MsgRetry                 = "sys.retry"
	MsgDatetime              = "sys.slot.datetime"
	MsgDatetimeFuture        = "sys.slot.datetime_future"
	MsgDatetimeTooOld        = "sys.slot.datetime_too_old"
	MsgDatetimeAmPm          = "sys.slot.datetime_ampm"
	MsgAmount                = "sys.slot.amount"
	MsgAmountNotPositive     = "sys.slot.amount_not_positive"
	MsgAmountTooManyDecimals = "sys.slot.amount_too_many_decimals"
	MsgAmountTooLarge        = "sys.slot.amount_too_large"
	MsgLast4                 = "sys.slot.last4"
	MsgMerchantID            = "sys.slot.merchant_id"
	MsgMerchantIDCard        = "sys.slot.merchant_id_card"
	MsgNumberInText          = "sys.slot.number_in_text"
)
