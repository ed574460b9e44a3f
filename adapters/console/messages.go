package console

import "github.com/slipdesk/slipdesk/bot"

// DeclareMessages declares to reg the messages the terminal chat says
// itself: the refusals of a file it cannot attach (see
// bot.Registry.NeedMessages).
func DeclareMessages(reg *bot.Registry) {
	reg.NeedMessages("the terminal chat", bot.MsgProofMissingFile, bot.MsgProofTooLarge, bot.MsgProofType)
}
