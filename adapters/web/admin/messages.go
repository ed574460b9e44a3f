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
	// Closing a case, and the queue's kinds of cases besides escalated.
	MsgCloseCase        = "admin.close_case"
	MsgCaseDone         = "admin.case_done"
	MsgCaseUnreachable  = "admin.case_unreachable"
	MsgCaseUnregistered = "admin.case_unregistered"
	// The flows page: conversations per version, the check of the files
	// on disk, reloading on every replica, the graphs.
	MsgInUse         = "admin.in_use"
	MsgLint          = "admin.lint"
	MsgLintOK        = "admin.lint_ok"
	MsgReload        = "admin.reload"
	MsgReloaded      = "admin.reloaded"
	MsgReloadRefused = "admin.reload_refused"
	MsgPublished     = "admin.published"
	MsgGraph         = "admin.graph"
	MsgOldVersion    = "admin.old_version"
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
	MsgCloseCase, MsgCaseDone, MsgCaseUnreachable, MsgCaseUnregistered,
	MsgInUse, MsgLint, MsgLintOK, MsgReload, MsgReloaded,
	MsgReloadRefused, MsgPublished, MsgGraph, MsgOldVersion,
}

// DeclareMessages declares to reg the messages the console says itself,
// and those the engine says when an operator takes a conversation over
// and hands it back (see bot.Registry.NeedMessages).
func DeclareMessages(reg *bot.Registry) {
	reg.NeedMessages("the operators' console", Messages...)
	reg.NeedMessages("the operators' console (take-over)", bot.OperatorMessages...)
}
