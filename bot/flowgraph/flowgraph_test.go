package flowgraph_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot/bottest"
	"github.com/slipdesk/slipdesk/bot/flowgraph"
)

// TestMermaid: every step of the shipped flows is a node, every way on
// an edge between two nodes, and every identifier is one Mermaid takes.
func TestMermaid(t *testing.T) {
	c, _ := bottest.Content(t, "../../flows", "../../locales")
	g := flowgraph.Mermaid(c, "")
	if !strings.HasPrefix(g, "flowchart TD\n") {
		t.Fatalf("graph starts %q", g[:min(len(g), 30)])
	}
	node := regexp.MustCompile(`^    ([A-Za-z0-9_]+)\["([^"]*)"\]$`)
	edge := regexp.MustCompile(`^  ([A-Za-z0-9_]+) --> ([A-Za-z0-9_]+)$`)
	nodes, edges := map[string]bool{}, 0
	for _, line := range strings.Split(strings.TrimSpace(g), "\n")[1:] {
		switch {
		case node.MatchString(line):
			nodes[node.FindStringSubmatch(line)[1]] = true
		case edge.MatchString(line):
			m := edge.FindStringSubmatch(line)
			if !nodes[m[1]] && !strings.Contains(g, "    "+m[1]+"[") || !strings.Contains(g, "    "+m[2]+"[") {
				t.Errorf("edge %s has an end that is no node", line)
			}
			edges++
		case strings.HasPrefix(line, "  subgraph f_") || line == "  end":
		default:
			t.Errorf("line %q is neither a node, an edge nor a subgraph", line)
		}
	}
	steps := 0
	for _, f := range c.Flows {
		steps += len(f.Steps)
	}
	if len(nodes) != steps || edges < steps/2 {
		t.Fatalf("%d nodes and %d edges for %d steps", len(nodes), edges, steps)
	}
	if one := flowgraph.Mermaid(c, "system"); strings.Contains(one, "subgraph f_consumer") || !strings.Contains(one, "subgraph f_system") {
		t.Fatal("a graph of one flow shows others")
	}
}
