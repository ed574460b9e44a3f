package bot

import (
	"context"
	"encoding/json"
	"fmt"
)

// SignalOperatorCloseCase closes a case of the conversation for an
// operator; Data is a closeSignal as JSON. The console sends it through
// CloseCase.
const SignalOperatorCloseCase = "operator_close_case"

// MsgCaseClosedByOperator tells the consumer an operator closed their
// case. The console refuses to start without it in every language.
const MsgCaseClosedByOperator = "sys.operator.case_closed"

// closeSignal is the data of an operator_close_case signal.
type closeSignal struct {
	Case     string `json:"case"`
	Operator string `json:"operator"`
}

// CaseClosing is what closing a case for an operator did.
type CaseClosing struct {
	// Case is the case as closed.
	Case Case
	// Consumer is the conversation that was told, with its Result: the
	// replies for its channel. Nil when the case was closed on the
	// index alone (nobody to tell).
	Consumer *Key
	Result   Result
}

// CloseCase closes case no for operator: the case becomes closed, with
// "operator:<name>" in its history. A case whose consumer's conversation
// is still kept is closed in a turn of that conversation, as every other
// change of a case is: committed once (deliveryID makes a resubmitted
// form the same turn), the case index updated through the outbox, and the
// consumer told in their language. A case no conversation keeps any more
// (the consumer deleted their data, or the conversation expired) is
// closed on the index directly. Closing a resolved or closed case is an
// EINVALID error that changes nothing; an unknown case is ENOTFOUND.
func (e *Engine) CloseCase(ctx context.Context, no, operator, deliveryID string) (CaseClosing, error) {
	idx := e.cfg.CaseIndex
	if idx == nil {
		return CaseClosing{}, Errorf(EINTERNAL, "close case %s: no case index", no)
	}
	c, err := idx.Case(ctx, no)
	if err != nil {
		return CaseClosing{}, err
	}
	if c.Status.Done() {
		return CaseClosing{Case: c}, Errorf(EINVALID, "case %s is %s already", no, c.Status)
	}
	operator = safeText(operator)
	if c.Consumer != nil {
		snap, err := e.store.Load(ctx, *c.Consumer, "")
		if err != nil {
			return CaseClosing{}, fmt.Errorf("close case %s: %w", no, err)
		}
		if snap.Conv.Version > 0 {
			data, _ := json.Marshal(closeSignal{Case: no, Operator: operator})
			key := *c.Consumer
			res, err := e.Process(ctx, Event{Key: key, Kind: EventSignal, Name: SignalOperatorCloseCase, Data: string(data), DeliveryID: deliveryID})
			if err != nil {
				return CaseClosing{}, fmt.Errorf("close case %s: %w", no, err)
			}
			c.setStatus(CaseClosed, "operator:"+operator, e.cfg.Now().Unix(), "closed by operator")
			return CaseClosing{Case: c, Consumer: &key, Result: res}, nil
		}
	}
	c.setStatus(CaseClosed, "operator:"+operator, e.cfg.Now().Unix(), "closed by operator")
	if err := idx.SyncCase(ctx, c); err != nil {
		return CaseClosing{}, fmt.Errorf("close case %s: %w", no, err)
	}
	return CaseClosing{Case: c}, nil
}

// onCloseCase closes the case an operator named and tells the consumer,
// unless the flow waits on the case and has a step for its closing. A
// case the conversation no longer lists (past the cases it keeps) is
// taken from the index, if it is this conversation's.
func (t *Turn) onCloseCase(data string) {
	var sig closeSignal
	if err := json.Unmarshal([]byte(data), &sig); err != nil || sig.Case == "" {
		t.e.cfg.Logger.Warn("bad close case signal", "err", err)
		return
	}
	c := t.Conv.Case(sig.Case)
	if c == nil {
		c = t.indexedCase(sig.Case)
	}
	if c == nil || c.Status.Done() {
		return
	}
	c.setStatus(CaseClosed, "operator:"+sig.Operator, t.now.Unix(), "closed by operator")
	t.syncCase(c)
	t.Note("case " + c.No + " closed by operator " + sig.Operator)
	if !t.moveOn(c) {
		t.Say(MsgCaseClosedByOperator, map[string]any{"No": c.No})
	}
}

// indexedCase returns this conversation's case no from the case index,
// or nil.
func (t *Turn) indexedCase(no string) *Case {
	idx := t.e.cfg.CaseIndex
	if idx == nil {
		return nil
	}
	c, err := idx.Case(t.ctx, no)
	if err != nil || c.Consumer == nil || *c.Consumer != t.Event.Key {
		return nil
	}
	return &c
}
