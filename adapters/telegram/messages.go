package telegram

import "github.com/slipdesk/slipdesk/bot"

// DeclareMessages declares to reg the messages the Telegram channel says
// itself, before any turn: the answer in a group, where it takes
// commands only, and the refusals of a file it cannot fetch or store
// (see bot.Registry.NeedMessages).
func DeclareMessages(reg *bot.Registry) {
	reg.NeedMessages("the Telegram channel", bot.MsgPrivateOnly, bot.MsgProofTooLarge, bot.MsgProofType, bot.MsgProofFetchFailed)
}
