package flowgraph_test

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
	"github.com/slipdesk/slipdesk/bot/flowgraph"
)

// drawing is what an SVG document holds, read back with an XML parser.
type drawing struct {
	texts  []string // every text element's text
	labels []string // the edges' labels
	edges  int      // path elements of class edge
}

func parseSVG(t *testing.T, svg string) drawing {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var d drawing
	var class string
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = el.Name.Space + " " + el.Name.Local
			}
			class = ""
			for _, a := range el.Attr {
				if a.Name.Local == "class" {
					class = a.Value
				}
			}
			if el.Name.Local == "path" && class == "edge" {
				d.edges++
			}
			if el.Name.Local == "script" || el.Name.Local == "foreignObject" {
				t.Fatalf("the SVG has a %s element", el.Name.Local)
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(el)); s != "" {
				d.texts = append(d.texts, s)
				if class == "edge-label" {
					d.labels = append(d.labels, s)
				}
			}
		}
	}
	if root != "http://www.w3.org/2000/svg svg" {
		t.Fatalf("the root element is %q, want an SVG", root)
	}
	return d
}

// wantPairs counts the ways between distinct pairs of steps of f,
// worked out from the flow itself: the entry to the start and to each
// intent's step, then every target of every step.
func wantPairs(c *bot.Content, f *bot.Flow) int {
	pairs := map[[2]string]bool{}
	add := func(from, target string) {
		if target == bot.ReturnTarget {
			pairs[[2]string{from, target}] = true
			return
		}
		if tf, ts, ok := c.Resolve(f, target); ok {
			pairs[[2]string{from, tf.Name + "." + ts}] = true
		}
	}
	add("", f.StartStep())
	for _, in := range f.Intents {
		add("", in.Goto)
	}
	for _, s := range f.Steps {
		for _, target := range s.Targets() {
			add(s.ID, target)
		}
	}
	return len(pairs)
}

// TestSVGShippedFlows: each shipped flow draws as an SVG document that
// parses as XML, names every step, and has one arrow for each pair of
// steps a way joins.
func TestSVGShippedFlows(t *testing.T) {
	c, _ := bottest.Content(t, "../../flows", "../../locales")
	for name, f := range c.Flows {
		t.Run(name, func(t *testing.T) {
			d := parseSVG(t, flowgraph.SVG(c, name))
			for _, s := range f.Steps {
				if !contains(d.texts, s.ID) {
					t.Errorf("step %s is not drawn", s.ID)
				}
			}
			if want := wantPairs(c, f); d.edges != want {
				t.Errorf("%d arrows, want %d", d.edges, want)
			}
		})
	}
	all := parseSVG(t, flowgraph.SVG(c, ""))
	for name := range c.Flows {
		if !containsPrefix(all.texts, name+" ") {
			t.Errorf("the drawing of every flow has no title for %s", name)
		}
	}
}

// TestSVGEscapes: labels and step names are text, never markup: an
// option value, a condition and a step ID with markup in them read back
// as they were written, and no element comes of them.
func TestSVGEscapes(t *testing.T) {
	flow := `flow: tricky
intents:
  - name: "<b>intent</b>"
    goto: "ask"
    words: {en: [hello], zh-CN: [你好]}
steps:
  - id: ask
    choice: m.q
    slot: pick
    options:
      - {value: "<script>alert(1)</script>", label: m.a, next: "a&b"}
      - {value: plain, label: m.b, next: check}
  - id: "a&b"
    say: m.a
    next: check
  - id: check
    branch:
      - {if: 'pick == "plain" && 1 < 2', next: ask}
    next: done
  - id: done
    end: m.b
`
	fsys := fstest.MapFS{"tricky.yaml": {Data: []byte(flow)}}
	c, _ := bot.LoadContent(fsys, fstest.MapFS{}, bot.NewRegistry())
	f := c.Flows["tricky"]
	if f == nil {
		t.Fatal("the flow did not load")
	}
	svg := flowgraph.SVG(c, "tricky")
	if strings.Contains(svg, "<script") || strings.Contains(svg, "<b>") {
		t.Fatalf("markup from the flow reached the SVG:\n%s", svg)
	}
	d := parseSVG(t, svg)
	for _, want := range []string{"ask", "a&b", "check", "done"} {
		if !contains(d.texts, want) {
			t.Errorf("step %q is not drawn as text", want)
		}
	}
	for _, want := range []string{"<script>alert(1)</script>", "plain", `pick == "plain" && 1 < 2`, "else", "<b>intent</b>"} {
		if !contains(d.labels, want) {
			t.Errorf("no arrow is labelled %q (labels %q)", want, d.labels)
		}
	}
	// entry→ask (start and intent, one arrow), ask→a&b, ask→check,
	// a&b→check, check→ask, check→done.
	if d.edges != 6 || d.edges != wantPairs(c, f) {
		t.Errorf("%d arrows, want 6", d.edges)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsPrefix(list []string, prefix string) bool {
	for _, x := range list {
		if strings.HasPrefix(x, prefix) {
			return true
		}
	}
	return false
}
