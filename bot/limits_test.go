package bot

import (
	"fmt"
	"testing"
)

// TestConversationBound runs a consumer's case list and a merchant
// chat's alert queue past their limits: finished cases go first, then
// the oldest; the oldest alerts go first.
func TestConversationBound(t *testing.T) {
	l := Limits{Cases: 3, Alerts: 2}
	l.setDefaults()
	var c Conversation
	for i := range 6 {
		st := CaseWaitingMerchant
		if i == 1 || i == 4 {
			st = CaseClosed
		}
		c.Cases = append(c.Cases, Case{No: fmt.Sprint("PS-", i), Status: st})
		c.Alerts = append(c.Alerts, Alert{Case: fmt.Sprint("PS-", i)})
		c.bound(l)
	}
	var cases, alerts []string
	for _, cs := range c.Cases {
		cases = append(cases, cs.No)
	}
	for _, a := range c.Alerts {
		alerts = append(alerts, a.Case)
	}
	if got, want := fmt.Sprint(cases), "[PS-2 PS-3 PS-5]"; got != want {
		t.Errorf("cases kept %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(alerts), "[PS-4 PS-5]"; got != want {
		t.Errorf("alerts kept %s, want %s", got, want)
	}
}

// TestFlowVersionsBound puts more flow versions than the limit: the one
// used least recently goes.
func TestFlowVersionsBound(t *testing.T) {
	v := flowVersions{max: 2}
	v.put(&Flow{Version: "a"})
	v.put(&Flow{Version: "b"})
	v.get("a")
	v.put(&Flow{Version: "c"})
	if v.len() != 2 || v.get("b") != nil || v.get("a") == nil || v.get("c") == nil {
		t.Fatalf("kept %v, want a and c", v.byVer)
	}
}
