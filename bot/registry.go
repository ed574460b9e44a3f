package bot

import (
	"maps"
	"slices"
	"strings"

	"github.com/slipdesk/slipdesk/bot/understand"
)

// SlotEnv is what a slot type may know besides the text: the time of the
// message and the time zone people mean when they say "yesterday 3pm".
type SlotEnv = understand.Env

// SlotType turns what a user typed into a slot value, or says why not.
type SlotType interface {
	// Parse returns the normalised value of text, or a problem: the ID of
	// the message that re-asks. MsgRetry is the generic problem; a more
	// specific one ("that date is in the future") is said instead of the
	// step's own retry message.
	Parse(env SlotEnv, text string) (value, problem string)
}

// SlotFunc adapts a function that needs no SlotEnv and knows only the
// generic problem to SlotType.
type SlotFunc = understand.Func

// Action is a named piece of behaviour a flow step or command can run.
// It works on the turn only: what it changes is committed with the turn.
type Action func(t *Turn, with map[string]string) error

// Registry holds the slot types and actions flows may name. The engine
// and the validator share one, so a name the engine cannot run is a lint
// error.
type Registry struct {
	SlotTypes map[string]SlotType
	Actions   map[string]Action
	// Messages are the messages the channels and the console of this
	// process say themselves, beyond the flows' and the engine's, each
	// with who needs it; see NeedMessages.
	Messages map[string]string
}

// NewRegistry returns a registry with the built-in slot types and actions.
func NewRegistry() *Registry {
	r := &Registry{SlotTypes: map[string]SlotType{}, Actions: map[string]Action{}, Messages: map[string]string{}}
	for name, st := range understand.Types() {
		r.SlotTypes[name] = st
	}
	for name, a := range builtinActions() {
		r.Actions[name] = a
	}
	return r
}

// NeedMessages declares that who (a channel, the console; "the web chat")
// says the messages ids and needs them in every language: content that
// lacks one is refused, at start-up and on every reload, with a problem
// that names who needs it. A message two of them need names the first.
func (r *Registry) NeedMessages(who string, ids ...string) {
	if r.Messages == nil {
		r.Messages = map[string]string{}
	}
	for _, id := range ids {
		if _, ok := r.Messages[id]; !ok {
			r.Messages[id] = who
		}
	}
}

func (r *Registry) slotTypeNames() string {
	return strings.Join(slices.Sorted(maps.Keys(r.SlotTypes)), ", ")
}

func (r *Registry) actionNames() string {
	return strings.Join(slices.Sorted(maps.Keys(r.Actions)), ", ")
}
