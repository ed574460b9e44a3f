package bot

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// checkPhrases checks what people may type at a choice: the languages of
// each option's words, and that every word and label part picks its own
// option and no other. A phrase two options share, or one the answer
// reader takes for another option (a number, a phrase found inside it),
// would leave users with an answer that never works or works wrongly.
func (v *validator) checkPhrases(f *Flow, s *Step) {
	ch := v.c.choicesOf(s)
	value := func(i int) string { return s.Options[i].Value }
	for i, o := range s.Options {
		var phrases []string
		for _, lang := range slices.Sorted(maps.Keys(o.Words)) {
			if lang != "any" && !slices.Contains(Languages, lang) {
				v.add(Problem{File: f.File, Line: o.Line, Step: s.ID, Msg: fmt.Sprintf("option %q: words for unknown language %q", o.Value, lang), Fix: "use " + strings.Join(Languages, ", ") + " or any"})
			}
			phrases = append(phrases, o.Words[lang]...)
		}
		for _, p := range phrases {
			if cmd := v.c.Command(p); cmd != nil {
				v.add(Problem{File: f.File, Line: o.Line, Step: s.ID, Msg: fmt.Sprintf("option %q: phrase %q is a word of command %q, which takes it first", o.Value, p, cmd.Name), Fix: "remove the phrase from the option (the command works at every step)"})
				continue
			}
			got := ch.Candidates(p)
			if len(got) == 1 && got[0] == i {
				continue
			}
			others := slices.DeleteFunc(slices.Clone(got), func(j int) bool { return j == i })
			names := make([]string, len(others))
			for k, j := range others {
				names[k] = fmt.Sprintf("%q", value(j))
			}
			msg := fmt.Sprintf("option %q: phrase %q has nothing to compare (only punctuation or symbols)", o.Value, p)
			if len(names) > 0 {
				msg = fmt.Sprintf("option %q: phrase %q also matches option %s", o.Value, p, strings.Join(names, " and "))
			}
			v.add(Problem{File: f.File, Line: o.Line, Step: s.ID, Msg: msg, Fix: "give the phrase to one option only, or make it longer so that it says which"})
		}
	}
}
