package bot

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// checkAlertStep checks the step the engine takes merchant chats to when
// an alert arrives: it must exist and offer only the one-tap answers.
func (v *validator) checkAlertStep() {
	if !v.usesAction("open_case") {
		// No case is opened, so no merchant is ever alerted.
		return
	}
	flow := deskFlow
	f, step, ok := v.c.Resolve(nil, AlertStep)
	if !ok {
		v.add(Problem{File: flow + ".yaml", Msg: fmt.Sprintf("merchant alerts need step %q, which does not exist", AlertStep), Fix: "add flow " + flow + " with a choice step " + AlertStep[len(flow)+1:] + " (see flows/README.md)"})
		return
	}
	s := f.Step(step)
	if s.Kind != KindChoice {
		v.add(Problem{File: f.File, Line: s.Line, Step: s.ID, Msg: "the merchant alert step must be a choice of the one-tap answers", Fix: "make it a choice with options " + strings.Join(MerchantAnswers, ", ")})
		return
	}
	for _, o := range s.Options {
		if !slices.Contains(MerchantAnswers, o.Value) {
			v.add(Problem{File: f.File, Line: s.Line, Step: s.ID, Msg: fmt.Sprintf("option %q is no merchant answer", o.Value), Fix: "use the values " + strings.Join(MerchantAnswers, ", ")})
		}
	}
	if s.Slot != "alert_answer" {
		v.add(Problem{File: f.File, Line: s.Line, Step: s.ID, Msg: "the merchant alert step must keep its answer in slot alert_answer, which answer_case reads", Fix: "write slot: alert_answer"})
	}
}

// usesAction reports whether any step or command runs the action name.
func (v *validator) usesAction(name string) bool {
	for _, f := range v.c.Flows {
		for _, s := range f.Steps {
			if s != nil && s.Kind == KindAction && s.Action == name {
				return true
			}
		}
	}
	return slices.ContainsFunc(v.c.Commands, func(c *Command) bool { return c.Action == name })
}

// checkCaseSteps checks what the case actions and the wait for a
// merchant's answer need: a wait that misses an answer would leave the
// consumer untold, a proof kind no file can have would never be ticked
// off, and a shared field that is not kept would share nothing.
func (v *validator) checkCaseSteps() {
	for _, name := range slices.Sorted(maps.Keys(v.c.Flows)) {
		f := v.c.Flows[name]
		for _, s := range f.Steps {
			if s == nil {
				continue
			}
			switch {
			case s.Kind == KindWait && s.Wait == SignalMerchantAnswer:
				if _, ok := s.On["*"]; ok {
					continue
				}
				for _, a := range MerchantAnswers {
					if _, ok := s.On[a]; !ok {
						v.add(Problem{File: f.File, Line: s.Line, Step: s.ID, Msg: fmt.Sprintf("the wait for the merchant's answer has no step for answer %q", a), Fix: "add it under on:, or a \"*\" for every other answer"})
					}
				}
			case s.Kind == KindAction && s.Action == "open_case":
				for _, k := range splitList(s.With["expect"]) {
					if !slices.Contains(ProofKinds, k) {
						v.add(Problem{File: f.File, Line: s.Line, Step: s.ID, Msg: fmt.Sprintf("open_case expects proof kind %q, which no file can have", k), Fix: "use the kinds " + strings.Join(ProofKinds, ", ")})
					}
				}
				if fields := splitList(s.With["fields"]); len(fields) > 0 {
					for _, k := range splitList(s.With["share"]) {
						if !slices.Contains(fields, k) {
							v.add(Problem{File: f.File, Line: s.Line, Step: s.ID, Msg: fmt.Sprintf("open_case shares %q, which fields does not keep", k), Fix: "add it to fields, or remove it from share"})
						}
					}
				}
			}
		}
	}
}
