package bot

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// validate checks flows, commands and messages together and returns every
// problem found, errors and warnings.
func validate(c *Content, reg *Registry) []Problem {
	v := &validator{c: c, reg: reg, used: map[string]bool{}}
	for _, id := range SystemMessages {
		v.useMsg(id, "", 0, "")
	}
	// The channels and the console declare the texts they say themselves.
	for _, id := range slices.Sorted(maps.Keys(reg.Messages)) {
		v.needMsg(id, reg.Messages[id])
	}
	v.checkCommands()
	for _, name := range slices.Sorted(maps.Keys(c.Flows)) {
		v.checkFlow(c.Flows[name])
	}
	v.checkIntents()
	v.checkServices()
	v.checkAlertStep()
	v.checkCaseSteps()
	v.checkReachable()
	v.checkUnused()
	return v.problems
}

type validator struct {
	c        *Content
	reg      *Registry
	used     map[string]bool
	problems []Problem
	// contactSlots are the slots contact actions read the payment
	// method from, to check the services file's for: values against.
	contactSlots []string
}

func (v *validator) add(p Problem) { v.problems = append(v.problems, p) }

// useMsg records a message as used and checks it exists in every language.
func (v *validator) useMsg(id, file string, line int, step string) {
	v.used[id] = true
	for _, lang := range v.missingIn(id) {
		where := file
		if where == "" {
			where = v.c.Catalog.files[lang]
		}
		v.add(Problem{File: where, Line: line, Step: step,
			Msg: fmt.Sprintf("message %q is missing in %s", id, lang),
			Fix: fmt.Sprintf("add [%s] to locales/%s", id, v.c.Catalog.files[lang])})
	}
}

// needMsg records a message who says itself (see Registry.NeedMessages)
// as used and checks it exists in every language.
func (v *validator) needMsg(id, who string) {
	v.used[id] = true
	for _, lang := range v.missingIn(id) {
		v.add(Problem{File: v.c.Catalog.files[lang],
			Msg: fmt.Sprintf("message %q is missing in %s: %s says it", id, lang, who),
			Fix: fmt.Sprintf("add [%s] to locales/%s", id, v.c.Catalog.files[lang])})
	}
}

// missingIn returns the languages, of those that have a message file,
// that lack message id.
func (v *validator) missingIn(id string) []string {
	var missing []string
	for _, lang := range Languages {
		if v.c.Catalog.messages[lang] != nil && !v.c.Catalog.Has(lang, id) {
			missing = append(missing, lang)
		}
	}
	return missing
}

func (v *validator) checkCommands() {
	if v.c.StartFlow == "" {
		v.add(Problem{File: v.commandFile(), Msg: "no start_flow: new conversations would have nowhere to start", Fix: "set start_flow: to the first flow's name"})
	} else if v.c.Flows[v.c.StartFlow] == nil {
		v.add(Problem{File: v.commandFile(), Msg: fmt.Sprintf("start_flow %q is not a flow", v.c.StartFlow), Fix: "name one of: " + strings.Join(slices.Sorted(maps.Keys(v.c.Flows)), ", ")})
	}
	if v.c.AfterEnd != "" {
		if _, _, ok := v.c.Resolve(nil, v.c.AfterEnd); !ok {
			v.add(Problem{File: v.commandFile(), Msg: fmt.Sprintf("after_end %q is not a step", v.c.AfterEnd), Fix: "write flow.step, such as consumer.again"})
		}
	}
	names := map[string]int{}
	words := map[string]string{}
	for _, cmd := range v.c.Commands {
		where := func(msg, fix string) Problem {
			return Problem{File: cmd.File, Line: cmd.Line, Msg: fmt.Sprintf("command %q: %s", cmd.Name, msg), Fix: fix}
		}
		if cmd.Name == "" {
			v.add(where("has no name", "add name:"))
		}
		if _, dup := names[cmd.Name]; dup {
			v.add(where("is declared twice", "keep one declaration per command"))
		}
		names[cmd.Name]++
		if len(cmd.Words) == 0 {
			v.add(where("has no words that trigger it", "add words: with en: and zh-CN: lists"))
		}
		for _, lang := range slices.Sorted(maps.Keys(cmd.Words)) {
			if lang != "any" && NormalizeLang(lang) == "" {
				v.add(where(fmt.Sprintf("words for unknown language %q", lang), "use en, zh-CN or any"))
			}
			for _, w := range cmd.Words[lang] {
				k := foldWord(w)
				if other, dup := words[k]; dup && other != cmd.Name {
					v.add(where(fmt.Sprintf("word %q also triggers command %q", w, other), "give each word to one command"))
				}
				words[k] = cmd.Name
			}
		}
		for _, lang := range Languages {
			if len(cmd.Words[lang]) == 0 && len(cmd.Words["any"]) == 0 {
				v.add(where("has no words in "+lang, "add words: "+lang+": [...]"))
			}
		}
		n := 0
		for _, s := range []string{cmd.Goto, cmd.Call, cmd.Say, cmd.Action} {
			if s != "" {
				n++
			}
		}
		if n != 1 {
			v.add(where("needs exactly one of goto, call, say and action", "keep one of them"))
		}
		if cmd.Say != "" {
			v.useMsg(cmd.Say, cmd.File, cmd.Line, "")
		}
		if cmd.Menu != "" {
			v.checkMenu(cmd, where)
		}
		if cmd.Action != "" {
			v.checkAction(cmd.Action, cmd.With, cmd.File, cmd.Line, "")
		}
		for _, t := range []string{cmd.Goto, cmd.Call} {
			if t == "" {
				continue
			}
			if _, _, ok := v.c.Resolve(nil, t); !ok {
				v.add(where(fmt.Sprintf("target %q does not exist", t), "write a flow name or flow.step"))
			}
		}
	}
}

// checkMenu checks a command's menu entry: a slash word a menu can show,
// and a message of at most 256 characters in every language.
func (v *validator) checkMenu(cmd *Command, where func(msg, fix string) Problem) {
	v.useMsg(cmd.Menu, cmd.File, cmd.Line, "")
	if w := menuWord(cmd); !menuCommandOK(w) {
		v.add(where(fmt.Sprintf("menu needs a slash word of 1 to 32 characters a-z, 0-9 or _ (has %q)", w), "add a word such as /"+strings.ToLower(cmd.Name)))
	}
	for _, lang := range Languages {
		text, err := v.c.Catalog.Render(lang, cmd.Menu, nil)
		if err == nil && (utf8.RuneCountInString(text) > 256 || strings.TrimSpace(text) == "") {
			v.add(where(fmt.Sprintf("menu message %q in %s must have 1 to 256 characters", cmd.Menu, lang), "shorten it"))
		}
	}
}

func (v *validator) commandFile() string {
	if len(v.c.Commands) > 0 {
		return v.c.Commands[0].File
	}
	return "commands.yaml"
}

func (v *validator) checkAction(name string, with map[string]string, file string, line int, step string) {
	if v.reg.Actions[name] == nil {
		v.add(Problem{File: file, Line: line, Step: step, Msg: fmt.Sprintf("unknown action %q", name), Fix: "use one of: " + v.reg.actionNames()})
	}
	for _, k := range slices.Sorted(maps.Keys(with)) {
		// Actions name the messages they say with "say" (or "say_" and
		// a case, such as "say_merchant"), and the one for a failure
		// with "fail".
		if k == "say" || k == "fail" || strings.HasPrefix(k, "say_") {
			v.useMsg(with[k], file, line, step)
		}
	}
	if name == "contact" {
		v.checkContact(with, file, line, step)
	}
}

func (v *validator) checkFlow(f *Flow) {
	at := func(s *Step, msg, fix string) Problem {
		return Problem{File: f.File, Line: s.Line, Step: s.ID, Msg: msg, Fix: fix}
	}
	if len(f.Steps) == 0 {
		v.add(Problem{File: f.File, Msg: fmt.Sprintf("flow %q has no steps", f.Name), Fix: "add steps:"})
		return
	}
	if f.Start != "" && f.Step(f.Start) == nil {
		v.add(Problem{File: f.File, Msg: fmt.Sprintf("start step %q does not exist", f.Start), Fix: "name one of the flow's steps"})
	}
	seen := map[string]int{}
	for _, s := range f.Steps {
		if s == nil {
			v.add(Problem{File: f.File, Msg: "an empty step", Fix: "remove the empty '-' entry"})
			continue
		}
		switch {
		case s.ID == "":
			v.add(at(s, "step has no id", "add id:"))
		case strings.ContainsAny(s.ID, ". ") || s.ID == ReturnTarget:
			v.add(at(s, "step id may not contain dots or spaces, nor be 'return'", "rename the step"))
		}
		if first, dup := seen[s.ID]; dup {
			v.add(at(s, fmt.Sprintf("duplicate step id (first at line %d)", first), "give each step its own id"))
		} else {
			seen[s.ID] = s.Line
		}
		v.checkStep(f, s, at)
	}
	for from, m := range f.Migrate {
		for old, to := range m {
			if f.Step(to) == nil {
				v.add(Problem{File: f.File, Msg: fmt.Sprintf("migrate %s: step %q moves to %q, which does not exist", from, old, to), Fix: "name a step of this flow"})
			}
		}
	}
}

func (v *validator) checkStep(f *Flow, s *Step, at func(*Step, string, string) Problem) {
	switch len(s.kinds) {
	case 0:
		v.add(at(s, "step has no kind", "give it one of say, ask, choice, branch, action, wait or end"))
		return
	case 1:
	default:
		v.add(at(s, fmt.Sprintf("step mixes kinds %v", s.kinds), "split it into one step per kind"))
	}
	for _, id := range s.Messages() {
		v.useMsg(id, f.File, s.Line, s.ID)
	}
	target := func(t, what string) {
		if t == "" || t == ReturnTarget {
			return
		}
		if _, _, ok := v.c.Resolve(f, t); !ok {
			v.add(at(s, fmt.Sprintf("%s goes to %q, which does not exist", what, t), "name a step of this flow, or flow.step"+v.suggest(f, t)))
		}
	}
	target(s.Next, "next")
	deadEnd := func() { v.add(at(s, "dead end: nothing follows this step", "add next: or make it an end step")) }
	switch s.Kind {
	case KindSay:
		if s.Next == "" {
			deadEnd()
		}
	case KindAsk:
		if s.Slot == "" {
			v.add(at(s, "ask step saves no slot", "add slot: NAME"))
		}
		if s.Type == "" {
			v.add(at(s, "ask step has no slot type", "add type: one of "+v.reg.slotTypeNames()))
		} else if v.reg.SlotTypes[s.Type] == nil {
			v.add(at(s, fmt.Sprintf("unknown slot type %q", s.Type), "use one of: "+v.reg.slotTypeNames()))
		}
		if s.Next == "" {
			deadEnd()
		}
		v.checkTries(s, at, target)
	case KindChoice:
		if len(s.Options) == 0 {
			v.add(at(s, "choice step offers no options", "add options: with value and label"))
		}
		values := map[string]bool{}
		for _, o := range s.Options {
			if o.Value == "" {
				v.add(Problem{File: f.File, Line: o.Line, Step: s.ID, Msg: "option has no value", Fix: "add value:"})
			}
			if values[o.Value] {
				v.add(Problem{File: f.File, Line: o.Line, Step: s.ID, Msg: fmt.Sprintf("option value %q appears twice", o.Value), Fix: "give each option its own value"})
			}
			values[o.Value] = true
			if o.Label == "" {
				v.add(Problem{File: f.File, Line: o.Line, Step: s.ID, Msg: fmt.Sprintf("option %q has no label", o.Value), Fix: "add label: MESSAGE_ID"})
			}
			if n := len(o.Value) + ButtonOverhead; n > MaxButtonData {
				v.add(Problem{File: f.File, Line: o.Line, Step: s.ID, Msg: fmt.Sprintf("option %q: its button data would be %d bytes, over Telegram's %d-byte callback data", o.Value, n, MaxButtonData), Fix: fmt.Sprintf("shorten the value to at most %d bytes", MaxButtonData-ButtonOverhead)})
			}
			target(o.Next, "option "+o.Value)
			if o.Next == "" && s.Next == "" {
				v.add(Problem{File: f.File, Line: o.Line, Step: s.ID, Msg: fmt.Sprintf("dead end: option %q leads nowhere", o.Value), Fix: "add next: to the option or to the step"})
			}
		}
		v.checkPhrases(f, s)
		v.checkTries(s, at, target)
	case KindBranch:
		for i := range s.Branch {
			cs := &s.Branch[i]
			if err := cs.compile(); err != nil {
				v.add(Problem{File: f.File, Line: cs.Line, Step: s.ID, Msg: err.Error(), Fix: "write an expr condition such as: paid_by == \"credit\""})
			}
			if cs.Next == "" {
				v.add(Problem{File: f.File, Line: cs.Line, Step: s.ID, Msg: "branch case has no next", Fix: "add next: STEP"})
			}
			target(cs.Next, "branch case")
		}
		if s.Next == "" {
			v.add(at(s, "dead end: branch has no next for when no case matches", "add next: as the otherwise step"))
		}
	case KindAction:
		v.checkAction(s.Action, s.With, f.File, s.Line, s.ID)
		if s.Next == "" {
			deadEnd()
		}
	case KindWait:
		if time.Duration(s.Timeout) <= 0 {
			v.add(at(s, "wait step has no timeout", "add timeout: such as 48h"))
		}
		if s.OnTimeout == "" {
			v.add(at(s, "dead end: wait step has no on_timeout", "add on_timeout: STEP"))
		}
		if len(s.On) == 0 {
			v.add(at(s, "wait step has no on: answers", "add on: with the event values and their steps"))
		}
		target(s.OnTimeout, "on_timeout")
		for _, k := range slices.Sorted(maps.Keys(s.On)) {
			target(s.On[k], "on "+k)
		}
	case KindEnd:
		if s.Next != "" {
			v.add(at(s, "end step has a next", "remove next:, or make it a say step"))
		}
	}
}

func (v *validator) checkTries(s *Step, at func(*Step, string, string) Problem, target func(string, string)) {
	if s.Tries < 0 {
		v.add(at(s, "tries is negative", "set tries: to a positive number"))
	}
	if s.Fallback != "" && s.Tries == 0 {
		v.add(at(s, "fallback without tries: it would never be taken", "set tries: N"))
	}
	if s.Tries > 0 && s.Fallback == "" {
		v.add(at(s, "tries without fallback: nothing happens after the last try", "add fallback: STEP"))
	}
	target(s.Fallback, "fallback")
}

// suggest proposes a step name close to a mistyped one.
func (v *validator) suggest(f *Flow, t string) string {
	ids := make([]string, 0, len(f.Steps))
	for _, s := range f.Steps {
		if s != nil {
			ids = append(ids, s.ID)
		}
	}
	return didYouMean(ids, t)
}

// didYouMean names the one of ids closest to a mistyped t, if any is
// close enough, as a hint to append to a fix.
func didYouMean(ids []string, t string) string {
	best, bestD := "", 3
	for _, id := range ids {
		if d := editDistance(id, t); d < bestD {
			best, bestD = id, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// checkReachable reports steps that no path from an entry point reaches.
// Entry points are the start flow, command targets, and the start of
// every flow another flow or command leads to.
func (v *validator) checkReachable() {
	type node struct {
		f *Flow
		s string
	}
	seen := map[node]bool{}
	var queue []node
	push := func(f *Flow, s string) {
		n := node{f, s}
		if f != nil && f.Step(s) != nil && !seen[n] {
			seen[n] = true
			queue = append(queue, n)
		}
	}
	if f := v.c.Flows[v.c.StartFlow]; f != nil {
		push(f, f.StartStep())
	}
	// The engine itself takes merchant chats to the alert step, and
	// messages after the end to after_end.
	for _, t := range []string{AlertStep, v.c.AfterEnd} {
		if f, s, ok := v.c.Resolve(nil, t); ok {
			push(f, s)
		}
	}
	for _, cmd := range v.c.Commands {
		for _, t := range []string{cmd.Goto, cmd.Call} {
			if f, s, ok := v.c.Resolve(nil, t); ok {
				push(f, s)
			}
		}
	}
	if v.c.intents != nil {
		for _, in := range v.c.intents.list {
			if f, s, ok := v.c.Resolve(in.flow, in.Goto); ok {
				push(f, s)
			}
		}
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, t := range n.f.Step(n.s).Targets() {
			if t == ReturnTarget {
				continue
			}
			if f, s, ok := v.c.Resolve(n.f, t); ok {
				push(f, s)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(v.c.Flows)) {
		f := v.c.Flows[name]
		for _, s := range f.Steps {
			if s != nil && s.ID != "" && f.Step(s.ID) == s && !seen[node{f, s.ID}] {
				v.add(Problem{File: f.File, Line: s.Line, Step: s.ID, Msg: "unreachable: no step, command or start leads here", Fix: "lead to it with next:, or remove it"})
			}
		}
	}
}

func (v *validator) checkUnused() {
	for _, lang := range Languages {
		for _, id := range v.c.Catalog.IDs(lang) {
			if !v.used[id] && lang == Languages[0] {
				v.add(Problem{File: v.c.Catalog.files[lang], Msg: fmt.Sprintf("message %q is not used by any flow or command", id), Fix: "remove it, or use it in a flow", Warning: true})
			}
		}
	}
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// checkContact checks a contact action's with: keys, and that there is a
// services file listing what it adds.
func (v *validator) checkContact(with map[string]string, file string, line int, step string) {
	at := func(msg, fix string) {
		v.add(Problem{File: file, Line: line, Step: step, Msg: "action contact: " + msg, Fix: fix})
	}
	for _, id := range contactMessages {
		v.useMsg(id, file, line, step)
	}
	if with["say"] == "" {
		v.useMsg(MsgContactList, file, line, step)
	}
	for _, k := range slices.Sorted(maps.Keys(with)) {
		if k != "by" && k != "add" && k != "say" {
			at(fmt.Sprintf("unknown key %q in with:", k), "use by: SLOT, add: SERVICE_IDS and say: MESSAGE")
		}
	}
	if with["by"] == "" && with["add"] == "" {
		at("says no number: it has neither by: nor add:", "add with: {by: SLOT} (such as by: paid_by) or add: SERVICE_IDS (such as add: police)")
	} else if with["by"] != "" && !slices.Contains(v.contactSlots, with["by"]) {
		v.contactSlots = append(v.contactSlots, with["by"])
	}
	svc := v.c.Services
	if svc == nil {
		at("there is no services file", "add services.yaml beside the flow files (see flows/README.md)")
		return
	}
	for _, id := range splitList(with["add"]) {
		if svc.Service(id) == nil {
			at(fmt.Sprintf("add names %q, which %s does not list", id, svc.File), "name a service id of "+svc.File+v.suggestService(id))
		}
	}
}

// checkServices checks the services file: every entry has its own id, a
// name that exists in every language and a number that can be dialled,
// and is given for payment methods the flows actually ask about.
func (v *validator) checkServices() {
	s := v.c.Services
	if s == nil {
		return
	}
	if len(s.List) == 0 {
		v.add(Problem{File: s.File, Msg: "the services file lists no service", Fix: "add entries with id, name, number and for", Warning: true})
	}
	methods := v.contactMethods()
	seen := map[string]int{}
	for _, sv := range s.List {
		if sv == nil {
			v.add(Problem{File: s.File, Msg: "an empty service entry", Fix: "remove the empty '-' entry"})
			continue
		}
		at := func(msg, fix string) {
			v.add(Problem{File: s.File, Line: sv.Line, Msg: fmt.Sprintf("service %q: %s", sv.ID, msg), Fix: fix})
		}
		switch {
		case sv.ID == "":
			at("has no id", "add id: such as icbc")
		case !validServiceID(sv.ID):
			at("id may hold only lower-case letters, digits and _", "rename it, such as icbc or wechat_pay")
		}
		if first, dup := seen[sv.ID]; dup && sv.ID != "" {
			at(fmt.Sprintf("is listed twice (first at line %d)", first), "give each service its own id, or remove one entry")
		} else {
			seen[sv.ID] = sv.Line
		}
		if sv.Name == "" {
			at("has no name", "add name: MESSAGE_ID, and the name under that ID in every locale file")
		} else {
			v.useMsg(sv.Name, s.File, sv.Line, "")
		}
		if !validServiceNumber(sv.Number) {
			at(fmt.Sprintf("number %q is not a phone number", sv.Number), `write 3 to 15 digits in quotes, such as "95588"; a hyphen may separate groups, as in "400-820-8820"`)
		}
		if methods == nil {
			continue
		}
		for _, m := range sv.For {
			if !methods[m] {
				at(fmt.Sprintf("for: %q is not an answer any payment question offers", m), "use one of: "+strings.Join(slices.Sorted(maps.Keys(methods)), ", "))
			}
		}
	}
}

// contactMethods returns the option values of the choice steps that set a
// slot a contact action reads: the payment methods a service may be given
// for. It is nil when no contact action reads a slot a choice sets, and
// then nothing can be checked.
func (v *validator) contactMethods() map[string]bool {
	var methods map[string]bool
	for _, f := range v.c.Flows {
		for _, s := range f.Steps {
			if s == nil || s.Kind != KindChoice || !slices.Contains(v.contactSlots, s.Slot) {
				continue
			}
			if methods == nil {
				methods = map[string]bool{}
			}
			for _, o := range s.Options {
				methods[o.Value] = true
			}
		}
	}
	return methods
}

// suggestService proposes a service id close to a mistyped one.
func (v *validator) suggestService(id string) string {
	ids := make([]string, 0, len(v.c.Services.List))
	for _, sv := range v.c.Services.List {
		if sv != nil {
			ids = append(ids, sv.ID)
		}
	}
	return didYouMean(ids, id)
}
