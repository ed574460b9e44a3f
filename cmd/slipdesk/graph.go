package main

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/flowgraph"
)

// runGraph prints the flows as a Graphviz digraph, one node per step, so
// an operator can see the paths a change affects.
func (m *Main) runGraph(args []string) error {
	fset := flag.NewFlagSet("flows graph", flag.ContinueOnError)
	only := fset.String("flow", "", "graph only this flow")
	format := fset.String("format", "dot", "dot (Graphviz), mermaid, or svg (a drawing, as the console shows it)")
	ffs, lfs, err := m.flowArgs(fset, args)
	if err != nil {
		return err
	}
	content, problems := bot.LoadContent(ffs, lfs, bot.NewRegistry())
	if err := bot.ProblemsError(problems); err != nil {
		return err
	}
	switch *format {
	case "dot":
	case "mermaid":
		_, err = fmt.Fprint(m.Stdout, flowgraph.Mermaid(content, *only))
		return err
	case "svg":
		_, err = fmt.Fprint(m.Stdout, flowgraph.SVG(content, *only))
		return err
	default:
		fmt.Fprintf(m.Stderr, "slipdesk flows graph: --format %q: use dot, mermaid or svg\n", *format)
		return &exitError{2}
	}
	var b strings.Builder
	b.WriteString("digraph slipdesk {\n  rankdir=TB;\n  node [shape=box, fontname=\"sans-serif\"];\n")
	for _, name := range slices.Sorted(maps.Keys(content.Flows)) {
		if *only != "" && name != *only {
			continue
		}
		f := content.Flows[name]
		fmt.Fprintf(&b, "  subgraph \"cluster_%s\" {\n    label=%q;\n", name, name+" "+f.Version)
		for _, s := range f.Steps {
			fmt.Fprintf(&b, "    %q [label=%q];\n", name+"."+s.ID, s.ID+"\n("+string(s.Kind)+")")
		}
		b.WriteString("  }\n")
		for _, s := range f.Steps {
			for _, t := range s.Targets() {
				if t == bot.ReturnTarget {
					continue
				}
				if tf, ts, ok := content.Resolve(f, t); ok {
					fmt.Fprintf(&b, "  %q -> %q;\n", name+"."+s.ID, tf.Name+"."+ts)
				}
			}
		}
	}
	b.WriteString("}\n")
	_, err = fmt.Fprint(m.Stdout, b.String())
	return err
}
