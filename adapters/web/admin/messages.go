package admin

import "github.com/slipdesk/slipdesk/bot"

// Messages of the operators' console. A process that serves the console
// declares them (DeclareMessages), so that content without one of them
// in every language is refused at start-up and on reload; content
// without a console needs none of them.
const (
	MsgTitle        = "admin.title"
	MsgLogin        = "admin.login"
	MsgName         = "admin.name"
	MsgPassword     = "admin.password"
	MsgLoginFailed  = "admin.login_failed"
	MsgThrottled    = "admin.throttled"
	MsgLogout       = "admin.logout"
	MsgQueue        = "admin.queue"
	MsgQueueEmpty   = "admin.queue_empty"
	MsgWantsPerson  = "admin.wants_person"
	MsgCaseNeeds    = "admin.case_needs"
	MsgConversation = "admin.conversation"
	MsgTakeOver     = "admin.take_over"
	MsgReply        = "admin.reply"
	MsgHandBack     = "admin.hand_back"
	MsgHandBackStep = "admin.hand_back_step"
	MsgHeld         = "admin.held"
	MsgAudit        = "admin.audit"
	MsgBadForm      = "admin.bad_form"
	MsgShops        = "admin.shops"
	MsgAddShop      = "admin.add_shop"
	MsgAliases      = "admin.aliases"
	MsgNewLinkCode  = "admin.new_link_code"
	MsgLinkCode     = "admin.link_code"
	MsgFlows        = "admin.flows"
)

// Messages lists the console's own messages.
var Messages = []string{
	MsgTitle, MsgLogin, MsgName, MsgPassword,
	MsgLoginFailed, MsgThrottled, MsgLogout, MsgQueue,
	MsgQueueEmpty, MsgWantsPerson, MsgCaseNeeds,
	MsgConversation, MsgTakeOver, MsgReply, MsgHandBack,
	MsgHandBackStep, MsgHeld, MsgAudit, MsgBadForm,
	MsgShops, MsgAddShop, MsgAliases, MsgNewLinkCode,
	MsgLinkCode, MsgFlows,
}

// DeclareMessages declares to reg the messages the console says itself,
// and those the engine says when an operator takes a conversation over
// and hands it back (see bot.Registry.NeedMessages).
func DeclareMessages(reg *bot.Registry) {
	reg.NeedMessages("the operators' console", Messages...)
	reg.NeedMessages("the operators' console (take-over)", bot.OperatorMessages...)
}
