package bot

import (
	"fmt"
	"strings"
)

// Problem is one finding of flow and locale validation: where, what, and
// how to fix it. Warnings do not stop the content from loading.
type Problem struct {
	File    string
	Line    int
	Step    string
	Msg     string
	Fix     string
	Warning bool
}

// String formats the problem as "file:line: step "x": message (fix: ...)".
func (p Problem) String() string {
	var b strings.Builder
	if p.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Step != "" {
		fmt.Fprintf(&b, "step %q: ", p.Step)
	}
	b.WriteString(p.Msg)
	if p.Fix != "" {
		b.WriteString(" (fix: " + p.Fix + ")")
	}
	return b.String()
}

// Errors returns only the problems that are not warnings.
func Errors(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// ProblemsError turns the errors among ps into one *Error, or nil.
func ProblemsError(ps []Problem) error {
	errs := Errors(ps)
	if len(errs) == 0 {
		return nil
	}
	lines := make([]string, len(errs))
	for i, p := range errs {
		lines[i] = p.String()
	}
	return Errorf(EINVALID, "%d problem(s) in flows or locales:\n%s", len(errs), strings.Join(lines, "\n"))
}
