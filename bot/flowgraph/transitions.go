package flowgraph

import (
	"maps"
	"slices"
	"strings"

	"github.com/slipdesk/slipdesk/bot"
)

// Entry names the node a flow is entered at in Transitions: the way to
// its start step, and the way of each intent of a first message.
const Entry = "▶"

// Transition is one way from a step to another, with what takes it: the
// options, conditions, intents or outcomes that lead there, joined.
type Transition struct {
	// From is a step of the flow, or Entry.
	From string
	// To is a step of the flow, "flow.step" in another flow, or
	// bot.ReturnTarget.
	To string
	// Label says what takes this way ("" for the plain next step).
	Label string
}

// maxLabel bounds the runes of one reason on an edge (a branch's
// condition can be long).
const maxLabel = 40

// Transitions returns the ways between the steps of flow f of content c,
// one per pair of steps, in the order of the steps: the entry to the
// start step and to where each intent leads, then each step's next,
// options, branches, outcomes it waits for, fallback and timeout.
func Transitions(c *bot.Content, f *bot.Flow) []Transition {
	var out []Transition
	at := map[[2]string]int{}
	add := func(from, target, label string) {
		if target == "" {
			return
		}
		to := target
		if target != bot.ReturnTarget {
			tf, ts, ok := c.Resolve(f, target)
			if !ok {
				return
			}
			to = ts
			if tf != f {
				to = tf.Name + "." + ts
			}
		}
		label = shorten(label)
		if i, ok := at[[2]string{from, to}]; ok {
			if label != "" && !slices.Contains(strings.Split(out[i].Label, ", "), label) {
				if out[i].Label != "" {
					out[i].Label += ", "
				}
				out[i].Label += label
			}
			return
		}
		at[[2]string{from, to}] = len(out)
		out = append(out, Transition{From: from, To: to, Label: label})
	}
	add(Entry, f.StartStep(), "")
	for _, in := range f.Intents {
		add(Entry, in.Goto, in.Name)
	}
	for _, s := range f.Steps {
		next := ""
		if s.Kind == bot.KindBranch {
			next = "else"
		}
		for _, o := range s.Options {
			add(s.ID, o.Next, o.Value)
		}
		for _, b := range s.Branch {
			add(s.ID, b.Next, b.If)
		}
		for _, k := range slices.Sorted(maps.Keys(s.On)) {
			add(s.ID, s.On[k], k)
		}
		add(s.ID, s.Next, next)
		add(s.ID, s.Fallback, "fallback")
		add(s.ID, s.OnTimeout, "timeout")
	}
	return out
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxLabel {
		return string(r[:maxLabel-1]) + "…"
	}
	return s
}
