package bot

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// noticeFields are the fields a pasted notification gives.
var noticeFields = []string{"when", "amount", "last4", "merchant", "paid_by"}

// checkIntents checks the intents of every flow: a name, words in known
// languages, a target that exists, fill steps that are choices with a
// slot, and that every phrase leads to its own intent. A phrase of a
// later intent that an earlier one takes first would never route.
func (v *validator) checkIntents() {
	for _, name := range slices.Sorted(maps.Keys(v.c.Flows)) {
		f := v.c.Flows[name]
		for _, field := range slices.Sorted(maps.Keys(f.Notice)) {
			if !slices.Contains(noticeFields, field) {
				v.add(Problem{File: f.File, Msg: fmt.Sprintf("notice: unknown field %q", field), Fix: "map " + strings.Join(noticeFields, ", ") + " to slots"})
			}
		}
	}
	idx := v.c.intents
	if idx == nil {
		return
	}
	names := map[string]bool{}
	for i, in := range idx.list {
		f := in.flow
		at := func(msg, fix string) Problem {
			return Problem{File: f.File, Line: in.Line, Msg: fmt.Sprintf("intent %q: %s", in.Name, msg), Fix: fix}
		}
		if in.Name == "" {
			v.add(at("has no name", "add name:"))
		} else if names[in.Name] {
			v.add(at("is declared twice", "give each intent its own name"))
		}
		names[in.Name] = true
		if _, _, ok := v.c.Resolve(f, in.Goto); !ok {
			v.add(at(fmt.Sprintf("goto %q does not exist", in.Goto), "name a step of this flow, or flow.step"))
		}
		for _, name := range in.Fill {
			if s := f.Step(name); s == nil || s.Kind != KindChoice || s.Slot == "" {
				v.add(at(fmt.Sprintf("fill %q is not a choice step with a slot in flow %q", name, f.Name), "name choice steps of this flow"))
			}
		}
		if len(in.Words) == 0 && !in.Notice {
			v.add(at("has no words", "add words: with zh-CN: and en: lists"))
		}
		for _, lang := range slices.Sorted(maps.Keys(in.Words)) {
			if lang != "any" && !slices.Contains(Languages, lang) {
				v.add(at(fmt.Sprintf("words for unknown language %q", lang), "use "+strings.Join(Languages, ", ")+" or any"))
			}
			for _, p := range in.Words[lang] {
				if cmd := v.c.Command(p); cmd != nil {
					v.add(at(fmt.Sprintf("phrase %q is a word of command %q, which takes it first", p, cmd.Name), "remove the phrase"))
					continue
				}
				got := idx.choices.Found(p)
				switch {
				case len(got) == 0:
					v.add(at(fmt.Sprintf("phrase %q has nothing to compare (only punctuation or symbols)", p), "remove the phrase"))
				case got[0] != i:
					v.add(at(fmt.Sprintf("phrase %q also matches intent %q, which comes first", p, idx.list[got[0]].Name), "give the phrase to one intent only, or make it longer so that it says which"))
				}
			}
		}
	}
}
