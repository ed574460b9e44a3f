// Package flowgraph draws the flows as graphs, each step a node and each
// way on an edge: Mermaid source for documents, and an SVG drawing laid
// out here (see SVG) that the console shows with no script.
package flowgraph

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/slipdesk/slipdesk/bot"
)

// Mermaid returns a Mermaid flowchart of the flows of c, or of the flow
// only names when it is not empty: one subgraph a flow, titled with its
// name and version, one node a step with its kind.
func Mermaid(c *bot.Content, only string) string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	for _, name := range slices.Sorted(maps.Keys(c.Flows)) {
		if only != "" && name != only {
			continue
		}
		f := c.Flows[name]
		fmt.Fprintf(&b, "  subgraph %s[%s]\n", nodeID(name, ""), label(name+" "+shortVersion(f.Version)))
		for _, s := range f.Steps {
			fmt.Fprintf(&b, "    %s[%s]\n", nodeID(name, s.ID), label(s.ID+" ("+string(s.Kind)+")"))
		}
		b.WriteString("  end\n")
		for _, s := range f.Steps {
			for _, t := range s.Targets() {
				if t == bot.ReturnTarget {
					continue
				}
				if tf, ts, ok := c.Resolve(f, t); ok {
					fmt.Fprintf(&b, "  %s --> %s\n", nodeID(name, s.ID), nodeID(tf.Name, ts))
				}
			}
		}
	}
	return b.String()
}

// nodeID is a Mermaid identifier for a flow's step (or the flow itself):
// letters, digits and underscores only, so that no step ID can end the
// statement or start another.
func nodeID(flow, step string) string {
	var b strings.Builder
	b.WriteString("f_")
	for _, part := range []string{flow, step} {
		for _, r := range part {
			if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, "_%x_", r)
			}
		}
		b.WriteString("__")
	}
	return b.String()
}

// label quotes a node's text for Mermaid, with its quotes and markup as
// entity codes.
func label(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;")
	return `"` + r.Replace(s) + `"`
}

func shortVersion(v string) string {
	if len(v) > 8 {
		return v[:8]
	}
	return v
}
