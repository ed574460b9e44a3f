package bot

import (
	"maps"
	"slices"
	"strings"
)

// SlotType turns what a user typed into a slot value, or says it cannot.
type SlotType interface {
	// Parse returns the normalised value of text and true, or false when
	// text is no valid answer; the step's retry message then explains.
	Parse(text string) (string, bool)
}

// SlotFunc adapts a function to SlotType.
type SlotFunc func(text string) (string, bool)

// Parse calls f.
func (f SlotFunc) Parse(text string) (string, bool) { return f(text) }

// Action is a named piece of behaviour a flow step or command can run.
// It works on the turn only: what it changes is committed with the turn.
type Action func(t *Turn, with map[string]string) error

// Registry holds the slot types and actions flows may name. The engine
// and the validator share one, so a name the engine cannot run is a lint
// error.
type Registry struct {
	SlotTypes map[string]SlotType
	Actions   map[string]Action
}

// NewRegistry returns a registry with the built-in slot types and actions.
func NewRegistry() *Registry {
	r := &Registry{SlotTypes: map[string]SlotType{}, Actions: map[string]Action{}}
	for name, st := range builtinSlotTypes() {
		r.SlotTypes[name] = st
	}
	for name, a := range builtinActions() {
		r.Actions[name] = a
	}
	return r
}

func (r *Registry) slotTypeNames() string {
	return strings.Join(slices.Sorted(maps.Keys(r.SlotTypes)), ", ")
}

func (r *Registry) actionNames() string {
	return strings.Join(slices.Sorted(maps.Keys(r.Actions)), ", ")
}
