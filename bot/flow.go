package bot

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"
	"github.com/slipdesk/slipdesk/bot/understand"
	yaml "go.yaml.in/yaml/v3"
)

// StepKind is what a step does.
type StepKind string

// The step kinds a flow file can use.
const (
	KindSay    StepKind = "say"
	KindAsk    StepKind = "ask"
	KindChoice StepKind = "choice"
	KindBranch StepKind = "branch"
	KindAction StepKind = "action"
	KindWait   StepKind = "wait"
	KindEnd    StepKind = "end"
)

// ReturnTarget is the goto target that resumes where a called command
// interrupted the conversation.
const ReturnTarget = "return"

// Flow is one operator-written flow: an ordered list of steps.
type Flow struct {
	Name        string `yaml:"flow"`
	Description string `yaml:"description"`
	// Start is the first step; the first listed step if empty.
	Start string  `yaml:"start"`
	Steps []*Step `yaml:"steps"`
	// Migrate moves conversations that started on an older version of
	// this flow: from-version ("*" for any) to a map of old step to new.
	Migrate map[string]map[string]string `yaml:"migrate"`
	// Intents are what a first message may be about, and where each
	// leads (see Intent).
	Intents []*Intent `yaml:"intents"`
	// Notice maps the fields of a pasted bank or payment notification
	// (when, amount, last4, merchant, paid_by) to the flow's slots. A
	// notice pasted at a question of the flow fills them all at once.
	Notice map[string]string `yaml:"notice"`

	// Version is the hash of the file's content.
	Version string `yaml:"-"`
	// File is the path the flow was read from.
	File string `yaml:"-"`

	byID map[string]*Step
}

// Step is one step of a flow. Which kind it is follows from which of the
// kind keys (say, ask, choice, branch, action, wait, end) is set.
type Step struct {
	ID string `yaml:"id"`

	Say    string       `yaml:"say"`
	Ask    string       `yaml:"ask"`
	Choice string       `yaml:"choice"`
	Branch []BranchCase `yaml:"branch"`
	Action string       `yaml:"action"`
	Wait   string       `yaml:"wait"`
	End    *string      `yaml:"end"`

	// Next is the step that follows; for a branch, the step taken when no
	// case matches.
	Next string `yaml:"next"`

	// ask and choice
	Slot     string          `yaml:"slot"`
	Type     string          `yaml:"type"`
	Retry    string          `yaml:"retry"`
	Tries    int             `yaml:"tries"`
	Fallback string          `yaml:"fallback"`
	Options  []*ChoiceOption `yaml:"options"`
	// Reask is the message that asks the question again after a wrong
	// answer or an interruption, when the first asking says more (the
	// privacy text before the consent question).
	Reask string `yaml:"reask"`
	// Why answers "why do you need this?" at the question.
	Why string `yaml:"why"`
	// Unknown takes "忘了" or "not sure" at a text question as an
	// answer: the slot is kept empty. Dates, amounts and card digits
	// always take it.
	Unknown bool `yaml:"unknown"`

	// action
	With map[string]string `yaml:"with"`

	// wait
	Prompt    string            `yaml:"prompt"`
	Hold      string            `yaml:"hold"`
	Timeout   Duration          `yaml:"timeout"`
	On        map[string]string `yaml:"on"`
	OnTimeout string            `yaml:"on_timeout"`

	// Line is the step's line in its file.
	Line int `yaml:"-"`
	// Kind is derived from the keys set.
	Kind StepKind `yaml:"-"`
	// kinds lists every kind key set, to report a step with two.
	kinds []StepKind

	// choices reads typed answers to a choice, built on first use.
	choices     *understand.Choices
	choicesOnce sync.Once
}

// ChoiceOption is one option of a choice step.
type ChoiceOption struct {
	Value string `yaml:"value"`
	Label string `yaml:"label"`
	Next  string `yaml:"next"`
	// Words are what people type for the option besides its number and
	// label, by language: "好的", "sure".
	Words map[string][]string `yaml:"words"`
	Line  int                 `yaml:"-"`
}

// Case is one condition of a branch step.
type BranchCase struct {
	If   string `yaml:"if"`
	Next string `yaml:"next"`
	Line int    `yaml:"-"`

	program *vm.Program
}

// Duration is a time.Duration written as "90m", "48h" or "7d".
type Duration time.Duration

// UnmarshalYAML reads a duration with an optional day unit.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if s == "" {
		*d = 0
		return nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		v, err := strconv.ParseFloat(days, 64)
		if err != nil || v < 0 {
			return fmt.Errorf("line %d: %q is not a duration (write 90m, 48h or 7d)", n.Line, s)
		}
		*d = Duration(time.Duration(v * float64(24*time.Hour)))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a duration (write 90m, 48h or 7d)", n.Line, s)
	}
	*d = Duration(v)
	return nil
}

// UnmarshalYAML records the step's line and derives its kind.
func (s *Step) UnmarshalYAML(n *yaml.Node) error {
	type plain Step
	if err := decodeNode(n, (*plain)(s)); err != nil {
		return err
	}
	s.Line = n.Line
	s.kinds = s.kinds[:0]
	if s.Ask != "" {
		s.kinds = append(s.kinds, KindAsk)
	}
	if s.Choice != "" {
		s.kinds = append(s.kinds, KindChoice)
	}
	if s.Branch != nil {
		s.kinds = append(s.kinds, KindBranch)
	}
	if s.Action != "" {
		s.kinds = append(s.kinds, KindAction)
	}
	if s.Wait != "" {
		s.kinds = append(s.kinds, KindWait)
	}
	if s.End != nil {
		s.kinds = append(s.kinds, KindEnd)
	}
	// say counts even beside another kind: no other kind says it, so a
	// step with both must be reported rather than lose its message.
	if s.Say != "" {
		s.kinds = append(s.kinds, KindSay)
	}
	if len(s.kinds) > 0 {
		s.Kind = s.kinds[0]
	}
	return nil
}

// UnmarshalYAML records the option's line.
func (o *ChoiceOption) UnmarshalYAML(n *yaml.Node) error {
	type plain ChoiceOption
	if err := decodeNode(n, (*plain)(o)); err != nil {
		return err
	}
	o.Line = n.Line
	return nil
}

// UnmarshalYAML records the case's line.
func (c *BranchCase) UnmarshalYAML(n *yaml.Node) error {
	type plain BranchCase
	if err := decodeNode(n, (*plain)(c)); err != nil {
		return err
	}
	c.Line = n.Line
	return nil
}

// decodeNode decodes n into plain after checking it names no unknown key.
func decodeNode(n *yaml.Node, plain any) error {
	if err := knownKeys(n, plain); err != nil {
		return err
	}
	return n.Decode(plain)
}

// knownKeys fails on a mapping key that names none of the yaml fields of
// plain, a pointer to a struct. The strict decoder's KnownFields does not reach
// Node.Decode in a custom UnmarshalYAML, so without this a typo such as
// "nxt:" or "retyr:" inside a step would be dropped silently.
func knownKeys(n *yaml.Node, plain any) error {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	t := reflect.TypeOf(plain).Elem()
	known := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" && name != "-" {
			known[name] = true
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !known[k.Value] {
			return fmt.Errorf("line %d: unknown key %q", k.Line, k.Value)
		}
	}
	return nil
}

// Step returns the step with the given ID, or nil.
func (f *Flow) Step(id string) *Step { return f.byID[id] }

// StartStep returns the flow's first step.
func (f *Flow) StartStep() string {
	if f.Start != "" {
		return f.Start
	}
	if len(f.Steps) > 0 {
		return f.Steps[0].ID
	}
	return ""
}

// index builds the step lookup; the first of duplicate IDs wins (the
// validator reports the duplicate).
func (f *Flow) index() {
	f.byID = make(map[string]*Step, len(f.Steps))
	for _, s := range f.Steps {
		if s == nil {
			continue
		}
		if _, dup := f.byID[s.ID]; !dup {
			f.byID[s.ID] = s
		}
	}
}

// Targets returns every step a step can lead to, as written.
func (s *Step) Targets() []string {
	var t []string
	add := func(x string) {
		if x != "" {
			t = append(t, x)
		}
	}
	add(s.Next)
	add(s.Fallback)
	add(s.OnTimeout)
	for _, o := range s.Options {
		add(o.Next)
	}
	for _, c := range s.Branch {
		add(c.Next)
	}
	for _, k := range slices.Sorted(maps.Keys(s.On)) {
		add(s.On[k])
	}
	return t
}

// Messages returns every message ID the step uses.
func (s *Step) Messages() []string {
	var m []string
	for _, id := range []string{s.Say, s.Ask, s.Choice, s.Retry, s.Prompt, s.Hold, s.Reask, s.Why} {
		if id != "" {
			m = append(m, id)
		}
	}
	if s.End != nil && *s.End != "" {
		m = append(m, *s.End)
	}
	for _, o := range s.Options {
		if o.Label != "" {
			m = append(m, o.Label)
		}
	}
	return m
}
