package bot

// Reply is one message the bot sends back, already rendered in the
// conversation's language.
type Reply struct {
	// MsgID is the locale message the text came from.
	MsgID string `json:"id"`
	// Text is the rendered message.
	Text string `json:"t"`
	// Options are the choices offered with this message, if any. Channels
	// with buttons show them as buttons carrying Data; others number them.
	Options []Option `json:"o,omitempty"`
	// File, if set, is a file to send with Text as its caption: a proof
	// the consumer agreed to share with the shop. The bytes are in the
	// proof store under File.StoreRef. A channel that cannot send files
	// says Text alone, which names the file.
	File *Attachment `json:"f,omitempty"`
	// Alert, set on a reply with Options shown while a merchant chat
	// looks at an alert, is the case the alert is about: a channel whose
	// buttons stay on screen keeps which message carries them, to take
	// them off once another chat of the shop answered (see ButtonCloser).
	Alert string `json:"a,omitempty"`
}

// Option is one offered choice.
type Option struct {
	// Value is the choice's value as the flow file names it.
	Value string `json:"v"`
	// Label is the rendered text of the choice.
	Label string `json:"l"`
	// Data is what a button must carry back: the step token and the value,
	// so that a button of an old question can be recognised.
	Data string `json:"d"`
}
