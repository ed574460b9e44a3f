package bot

import (
	"crypto/sha256"
	"encoding/hex"
)

// The kinds of effects turns write to their outbox. The relay (package
// workers) carries each out from there and acknowledges it only when
// done; doing one twice has the effect of doing it once.
const (
	// EffectCaseSync copies a case to the case index (Data "case": the
	// case as JSON).
	EffectCaseSync = "case_sync"
	// EffectAlert queues a merchant alert (Data: "case", "merchant",
	// "fields" as JSON, "reminder" "1" for a reminder).
	EffectAlert = "alert"
	// EffectTimer schedules a signal back to the conversation at Due
	// (Data "name": the signal, or "tick" for a waiting step's timeout;
	// "value").
	EffectTimer = "timer"
	// EffectTimerCancel drops a scheduled timer (Data "id").
	EffectTimerCancel = "timer_cancel"
	// EffectMerchantAnswer relays a merchant's answer to the consumer of
	// a case (Data "case", "value", "text").
	EffectMerchantAnswer = "merchant_answer"
	// EffectAlertClosed tells the merchant's other chats that an alert
	// was answered (Data "case", "merchant", "value", and "chat": the
	// answering chat's digest).
	EffectAlertClosed = "alert_closed"
	// EffectProofDelete deletes a proof's bytes (Data "ref").
	EffectProofDelete = "proof_delete"
	// EffectHandover tells operators a person is wanted (Data "reason").
	EffectHandover = "handover"
	// EffectEscalate tells operators a case needs them (Data "case").
	EffectEscalate = "escalate"
	// EffectMerchantWanted counts a shop a consumer named that is not
	// registered (Data "case", "name").
	EffectMerchantWanted = "merchant_wanted"
	// EffectOpsForget removes the conversation from what operators were
	// told, after the user deleted their data.
	EffectOpsForget = "ops_forget"
)

// Signals the engine handles itself, at any step.
const (
	// SignalCaseAlert delivers a merchant alert to a merchant chat; Data
	// is the alert as JSON.
	SignalCaseAlert = "case_alert"
	// SignalMerchantAnswer delivers a merchant's answer to the consumer;
	// Data is the answer's value, Text the merchant's words, Case the
	// case number.
	SignalMerchantAnswer = "merchant_answer"
	// SignalAlertClosed closes an alert in a merchant chat after
	// another chat of the shop answered it; Data is JSON with the case
	// and the answer.
	SignalAlertClosed = "alert_closed"
	// SignalMerchantRemind fires when the merchant stayed silent.
	SignalMerchantRemind = "case_merchant_remind"
	// SignalEscalate fires when the merchant stayed silent after the
	// reminder.
	SignalEscalate = "case_escalate"
	// SignalMerchantUnreachable escalates a case whose alert could not
	// be delivered (no linked chat, or every delivery failed).
	SignalMerchantUnreachable = "case_merchant_unreachable"
	// SignalProofRemind fires to remind the consumer of missing proof.
	SignalProofRemind = "case_proof_remind"
	// SignalIdleClose fires to close a case without activity.
	SignalIdleClose = "case_idle_close"
	// SignalTick fires a waiting step's timeout.
	SignalTick = "tick"
	// TimerCasePurge names the timer that anonymises a case once its
	// retention has passed; the workers carry it out on the case index,
	// since the conversation may be long gone. It names no conversation
	// and outlives a deletion of the consumer's data, which anonymises
	// the case at once.
	TimerCasePurge = "case_purge"
	// TimerCaseForget names the timer that removes a case's anonymous
	// record, and its number, from the case index: the purge schedules it
	// (workers.Config.KeepCases later).
	TimerCaseForget = "case_forget"
)

// IsCaseTimer reports whether a timer of this name acts on the case index
// alone: such timers are kept without the conversation that set them.
func IsCaseTimer(name string) bool { return name == TimerCasePurge || name == TimerCaseForget }

// KeyDigest names a conversation in IDs that leave its keys (effect IDs,
// delivery IDs of pushed events) without naming its user.
func KeyDigest(k Key) string {
	sum := sha256.Sum256([]byte(k.Channel + "\x00" + k.User))
	return hex.EncodeToString(sum[:10])
}
