package bot

import (
	"strings"

	"github.com/slipdesk/slipdesk/bot/mask"
)

// Signals of an operator who takes a conversation over from the bot, on
// any channel. The console sends them as events, so each is a turn of
// its own: committed once, in the transcript, its replies delivered
// through the conversation's channel like any other.
const (
	// SignalOperatorTakeOver holds the bot: Data is the operator's name.
	// The user's messages then wait for the operator.
	SignalOperatorTakeOver = "operator_take_over"
	// SignalOperatorReply says Data, the operator's words, to the user.
	SignalOperatorReply = "operator_reply"
	// SignalOperatorHandBack gives the conversation back to the bot at
	// the step Data names ("step" or "flow.step"), or asks the question
	// it was at again when Data is empty.
	SignalOperatorHandBack = "operator_hand_back"
)

// Messages of a take-over. The console refuses to start without them in
// every language; content without a console needs none of them.
const (
	MsgOperatorJoined = "sys.operator.joined"
	MsgOperatorLeft   = "sys.operator.left"
)

// OperatorMessages lists the messages of a take-over.
var OperatorMessages = []string{MsgOperatorJoined, MsgOperatorLeft, MsgCaseClosedByOperator}

// SlotOperator holds the name of the operator who has the conversation,
// from take-over to hand-back.
const SlotOperator = "operator"

// OperatorReplyID is the MsgID of an operator's own words: they come
// from no locale file.
const OperatorReplyID = "operator.reply"

// onOperator runs an operator's signal and reports whether it was one.
func (t *Turn) onOperator(name, value string) bool {
	switch name {
	case SignalOperatorTakeOver:
		t.Conv.Human = true
		t.Conv.Deadline = 0
		t.setSlot(SlotOperator, safeText(value))
		t.Note("taken over by operator " + safeText(value))
		t.Say(MsgOperatorJoined, nil)
	case SignalOperatorReply:
		text, _ := mask.Sensitive(strings.TrimSpace(value))
		text = truncateRunes(safeText(text), MaxTextLen)
		if text == "" {
			return true
		}
		t.log = append(t.log, LogLine{At: t.now.Unix(), From: "operator", Text: text})
		t.replies = append(t.replies, Reply{MsgID: OperatorReplyID, Text: text})
	case SignalOperatorHandBack:
		t.Conv.Human = false
		delete(t.Conv.Slots, SlotOperator)
		t.Note("handed back to the bot at " + safeText(value))
		t.Say(MsgOperatorLeft, nil)
		if value != "" {
			t.Goto(value)
		} else {
			t.reprompt()
		}
	default:
		return false
	}
	return true
}
