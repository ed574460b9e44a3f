package bot

// Messages of the operators' console. The console refuses to start
// without them in every language; content without a console needs none
// of them.
const (
	MsgAdminTitle        = "admin.title"
	MsgAdminLogin        = "admin.login"
	MsgAdminName         = "admin.name"
	MsgAdminPassword     = "admin.password"
	MsgAdminLoginFailed  = "admin.login_failed"
	MsgAdminThrottled    = "admin.throttled"
	MsgAdminLogout       = "admin.logout"
	MsgAdminQueue        = "admin.queue"
	MsgAdminQueueEmpty   = "admin.queue_empty"
	MsgAdminWantsPerson  = "admin.wants_person"
	MsgAdminCaseNeeds    = "admin.case_needs"
	MsgAdminConversation = "admin.conversation"
	MsgAdminTakeOver     = "admin.take_over"
	MsgAdminReply        = "admin.reply"
	MsgAdminHandBack     = "admin.hand_back"
	MsgAdminHandBackStep = "admin.hand_back_step"
	MsgAdminHeld         = "admin.held"
	MsgAdminAudit        = "admin.audit"
	MsgAdminBadForm      = "admin.bad_form"
	MsgAdminShops        = "admin.shops"
	MsgAdminAddShop      = "admin.add_shop"
	MsgAdminAliases      = "admin.aliases"
	MsgAdminNewLinkCode  = "admin.new_link_code"
	MsgAdminLinkCode     = "admin.link_code"
	MsgAdminFlows        = "admin.flows"
	// Closing a case, and the queue's kinds of cases besides escalated.
	MsgAdminCloseCase        = "admin.close_case"
	MsgAdminCaseDone         = "admin.case_done"
	MsgAdminCaseUnreachable  = "admin.case_unreachable"
	MsgAdminCaseUnregistered = "admin.case_unregistered"
	// The flows page: conversations per version, the check of the files
	// on disk, reloading on every replica, the graphs.
	MsgAdminInUse         = "admin.in_use"
	MsgAdminLint          = "admin.lint"
	MsgAdminLintOK        = "admin.lint_ok"
	MsgAdminReload        = "admin.reload"
	MsgAdminReloaded      = "admin.reloaded"
	MsgAdminReloadRefused = "admin.reload_refused"
	MsgAdminPublished     = "admin.published"
	MsgAdminGraph         = "admin.graph"
	MsgAdminOldVersion    = "admin.old_version"
)

// AdminMessages lists the console's messages.
var AdminMessages = []string{
	MsgAdminTitle, MsgAdminLogin, MsgAdminName, MsgAdminPassword,
	MsgAdminLoginFailed, MsgAdminThrottled, MsgAdminLogout, MsgAdminQueue,
	MsgAdminQueueEmpty, MsgAdminWantsPerson, MsgAdminCaseNeeds,
	MsgAdminConversation, MsgAdminTakeOver, MsgAdminReply, MsgAdminHandBack,
	MsgAdminHandBackStep, MsgAdminHeld, MsgAdminAudit, MsgAdminBadForm,
	MsgAdminShops, MsgAdminAddShop, MsgAdminAliases, MsgAdminNewLinkCode,
	MsgAdminLinkCode, MsgAdminFlows,
	MsgAdminCloseCase, MsgAdminCaseDone, MsgAdminCaseUnreachable, MsgAdminCaseUnregistered,
	MsgAdminInUse, MsgAdminLint, MsgAdminLintOK, MsgAdminReload, MsgAdminReloaded,
	MsgAdminReloadRefused, MsgAdminPublished, MsgAdminGraph, MsgAdminOldVersion,
}
