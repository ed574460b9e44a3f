package bot

// Messages the engine says about cases, proofs and merchant alerts.
const (
	MsgCaseNone         = "sys.case.none"
	MsgCaseLine         = "sys.case.line"
	MsgCaseEscalated    = "sys.case.escalated"
	MsgCaseUnreachable  = "sys.case.unreachable"
	MsgCaseCorrected    = "sys.case.corrected"
	MsgCaseStatePrefix  = "sys.case.state_" // + a CaseOutcomes entry
	MsgCaseProofRemind  = "sys.case.proof_remind"
	MsgCaseIdleClosed   = "sys.case.idle_closed"
	MsgCaseAnswerPrefix = "sys.case.answer_" // + found, need_info, not_found, text
	MsgProofReceived    = "sys.proof.received"
	MsgProofDuplicate   = "sys.proof.duplicate"
	MsgProofLimit       = "sys.proof.limit"
	MsgProofChecklist   = "sys.proof.checklist"
	MsgProofNone        = "sys.proof.none"
	MsgProofKindPrefix  = "sys.proof.kind_"  // + a ProofKinds entry
	MsgCaseStatusPrefix = "sys.case.status_" // + a CaseStatus
	MsgAlertQueued      = "sys.alert.queued"
	MsgAlertReminder    = "sys.alert.reminder"
	MsgAlertGone        = "sys.alert.gone"
	// MsgAlertTaken tells a chat that answered second what its colleague
	// answered; MsgAlertClosed tells the shop's other chats.
	MsgAlertTaken        = "sys.alert.taken"
	MsgAlertClosed       = "sys.alert.closed"
	MsgAlertAnswerPrefix = "sys.alert.answer_" // + a MerchantAnswers entry
	MsgCorrectNone       = "sys.alert.correct_none"
	// MsgAlertCustomerGone tells a shop its answer was recorded but
	// reaches nobody: the customer deleted their data.
	MsgAlertCustomerGone = "sys.alert.customer_gone"
	// Messages of a chat in merchant mode: one line per open case of
	// the shop on /status, none open, and no such alert waiting.
	MsgMerchantCaseLine = "sys.merchant.case_line"
	MsgMerchantNoCases  = "sys.merchant.no_cases"
	MsgMerchantNoAlert  = "sys.merchant.no_alert"
)

// MerchantAnswers are the one-tap answers a merchant gives on an alert.
var MerchantAnswers = []string{"found", "need_info", "not_found", "text"}

func caseMessages() []string {
	ids := []string{
		MsgCaseNone, MsgCaseLine, MsgCaseEscalated, MsgCaseUnreachable, MsgCaseCorrected, MsgCaseProofRemind, MsgCaseIdleClosed,
		MsgProofReceived, MsgProofDuplicate, MsgProofLimit, MsgProofChecklist, MsgProofNone,
		MsgAlertQueued, MsgAlertReminder, MsgAlertGone, MsgAlertTaken, MsgAlertClosed, MsgCorrectNone, MsgAlertCustomerGone, MsgAlertSharedFile,
		MsgMerchantCaseLine, MsgMerchantNoCases, MsgMerchantNoAlert,
		MsgProofTooLarge, MsgProofType, MsgProofMissingFile, MsgProofFetchFailed,
	}
	for _, a := range MerchantAnswers {
		ids = append(ids, MsgCaseAnswerPrefix+a, MsgAlertAnswerPrefix+a)
	}
	for _, o := range CaseOutcomes {
		ids = append(ids, MsgCaseStatePrefix+o)
	}
	for _, n := range InfoNeeds {
		ids = append(ids, MsgInfoNeedPrefix+n)
	}
	for _, k := range ProofKinds {
		ids = append(ids, MsgProofKindPrefix+k)
	}
	for _, s := range CaseStatuses {
		ids = append(ids, MsgCaseStatusPrefix+string(s))
	}
	return ids
}
