package understand

import "time"

// Env is what a parser may know besides the text: the time of the
// message and the time zone people mean when they say "yesterday 3pm".
type Env struct {
	Now time.Time
	Loc *time.Location
}

// Parser turns what a user typed into a slot value, or says why not.
type Parser interface {
	// Parse returns the normalised value of text, or a problem: the ID of
	// the message that re-asks. MsgRetry is the generic problem; a more
	// specific one ("that date is in the future") is said instead of the
	// step's own retry message.
	Parse(env Env, text string) (value, problem string)
}

// Func adapts a function that needs no Env and knows only the generic
// problem to Parser.
type Func func(text string) (string, bool)

// Parse calls f.
func (f Func) Parse(_ Env, text string) (string, string) {
	if v, ok := f(text); ok {
		return v, ""
	}
	return "", MsgRetry
}

// DefaultLocation is Asia/Shanghai, or a fixed UTC+8 where the time zone
// database is missing.
func DefaultLocation() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}
