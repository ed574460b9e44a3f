package bot

import (
	"maps"
	"slices"

	"github.com/slipdesk/slipdesk/bot/understand"
	yaml "go.yaml.in/yaml/v3"
)

// Intent is what a first message may be about ("我的卡被盗刷了"), and
// where it leads instead of the start flow's first step.
type Intent struct {
	Name string `yaml:"name"`
	// Words are the phrases that show the intent, by language, found in
	// the message as a choice's words are (see understand.Choices).
	Words map[string][]string `yaml:"words"`
	// Goto is where the conversation starts: a step of the flow, or
	// "flow.step".
	Goto string `yaml:"goto"`
	// Set gives slots their values at once ("problem: fraud").
	Set map[string]string `yaml:"set"`
	// Fill names choice steps of the flow whose options are looked for
	// in the message: one found fills the step's slot ("用支付宝付的"
	// fills paid_by), and the question is then not asked.
	Fill []string `yaml:"fill"`
	// Notice makes the intent the one for a pasted bank or payment
	// notification, whatever its words: the notice's fields fill the
	// slots its flow's notice: map names.
	Notice bool `yaml:"notice"`
	Line   int  `yaml:"-"`

	flow *Flow
}

// UnmarshalYAML records the intent's line.
func (in *Intent) UnmarshalYAML(n *yaml.Node) error {
	type plain Intent
	if err := decodeNode(n, (*plain)(in)); err != nil {
		return err
	}
	in.Line = n.Line
	return nil
}

// Route is where a first message leads and what it already says.
type Route struct {
	Intent string
	// Target is "flow.step".
	Target string
	Slots  map[string]string
	// Notice holds what a pasted notification said, when it was one.
	Notice *understand.Notice
}

// intentIndex reads first messages: every intent of every flow, the
// start flow's first, each flow's in the order written, and the reader
// of their words.
type intentIndex struct {
	list    []*Intent
	choices *understand.Choices
}

func newIntentIndex(c *Content) *intentIndex {
	idx := &intentIndex{}
	names := slices.Sorted(maps.Keys(c.Flows))
	if i := slices.Index(names, c.StartFlow); i > 0 {
		names = append([]string{c.StartFlow}, slices.Delete(names, i, i+1)...)
	}
	var phrases [][]string
	for _, name := range names {
		f := c.Flows[name]
		for _, in := range f.Intents {
			if in == nil {
				continue
			}
			in.flow = f
			idx.list = append(idx.list, in)
			var p []string
			for _, lang := range slices.Sorted(maps.Keys(in.Words)) {
				p = append(p, in.Words[lang]...)
			}
			phrases = append(phrases, p)
		}
	}
	idx.choices = understand.NewChoices(phrases)
	return idx
}

// Route returns where a first message leads: a pasted notification to
// the intent marked notice:, with the notice's fields as slots; else the first intent, in the
// order of the files, whose words it holds, with the slots the intent
// sets and those its fill steps find in the message.
func (c *Content) Route(env SlotEnv, text string) (Route, bool) {
	if c.intents == nil {
		return Route{}, false
	}
	if r, ok := c.routeNotice(env, text); ok {
		return r, true
	}
	found := c.intents.choices.Found(text)
	if len(found) == 0 {
		return Route{}, false
	}
	in := c.intents.list[found[0]]
	f, step, ok := c.Resolve(in.flow, in.Goto)
	if !ok {
		return Route{}, false
	}
	r := Route{Intent: in.Name, Target: f.Name + "." + step, Slots: map[string]string{}}
	maps.Copy(r.Slots, in.Set)
	for _, name := range in.Fill {
		s := in.flow.Step(name)
		if s == nil || s.Kind != KindChoice || s.Slot == "" {
			continue
		}
		if _, set := r.Slots[s.Slot]; set {
			continue
		}
		if got := c.choicesOf(s).Found(text); len(got) == 1 {
			r.Slots[s.Slot] = s.Options[got[0]].Value
		}
	}
	return r, true
}

// routeNotice routes a pasted notification by the first notice intent.
func (c *Content) routeNotice(env SlotEnv, text string) (Route, bool) {
	for _, in := range c.intents.list {
		if !in.Notice {
			continue
		}
		n, ok := understand.ParseNotice(env, text)
		if !ok {
			return Route{}, false
		}
		f, step, ok := c.Resolve(in.flow, in.Goto)
		if !ok {
			return Route{}, false
		}
		r := Route{Intent: in.Name, Target: f.Name + "." + step, Slots: map[string]string{}, Notice: &n}
		maps.Copy(r.Slots, in.Set)
		maps.Copy(r.Slots, noticeSlots(in.flow, n))
		return r, true
	}
	return Route{}, false
}

// noticeSlots maps a notice's fields onto the slots flow f names for them.
func noticeSlots(f *Flow, n understand.Notice) map[string]string {
	out := map[string]string{}
	for field, v := range n.Fields() {
		if slot := f.Notice[field]; slot != "" {
			out[slot] = v
		}
	}
	return out
}
