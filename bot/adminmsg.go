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
}
