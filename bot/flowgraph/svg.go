package flowgraph

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/slipdesk/slipdesk/bot"
)

// Sizes of the drawing, in SVG user units (pixels).
const (
	boxHeight  = 38
	rowGap     = 64
	colGap     = 28
	margin     = 24
	titleSize  = 16
	stepSize   = 13
	kindSize   = 10
	labelSize  = 10
	boxPadding = 10
	// maxPerRow wraps a layer with more steps onto further rows, so that
	// a step many ways lead to does not make the drawing a mile wide.
	maxPerRow = 6
	// loopOffset is how far right a way back up the drawing bends.
	loopOffset = 36
)

// kindFill is the colour of a step's box by its kind.
var kindFill = map[bot.StepKind]string{
	bot.KindSay: "#eef5ff", bot.KindAsk: "#fff6e0", bot.KindChoice: "#fff0f0",
	bot.KindBranch: "#f3ecff", bot.KindAction: "#e9f8ee", bot.KindWait: "#e8f6f8",
	bot.KindEnd: "#eeeeee",
}

// node is one box of a drawn flow.
type node struct {
	id, text, sub string
	dashed        bool
	x, y, w       float64 // x is the centre, y the top
}

// SVG draws the flows of c, or only the flow named only when it is not
// empty, as one SVG document: each flow a layered graph from its entry
// (▶), steps as boxes in layers by their distance from it, and each way
// between two steps an arrow labelled with the options, intents,
// conditions or outcomes that take it (see Transitions). Steps of other
// flows that a flow leads to are dashed boxes. Every text is escaped; no
// script or outside resource is used.
func SVG(c *bot.Content, only string) string {
	var body strings.Builder
	width, y := 0.0, float64(margin)
	for _, name := range slices.Sorted(maps.Keys(c.Flows)) {
		if only != "" && name != only {
			continue
		}
		f := c.Flows[name]
		w, h := drawFlow(&body, c, f, y, markerID(only))
		width = max(width, w)
		y += h + rowGap
	}
	height := y - rowGap + margin
	if body.Len() == 0 {
		height = 2 * margin
	}
	width = max(width, 2*margin)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" role="img">`, width, height, width, height)
	b.WriteString("\n<title>")
	b.WriteString(escape(strings.TrimSpace("flows " + only)))
	b.WriteString("</title>\n")
	fmt.Fprintf(&b, `<defs><marker id="%s" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>`, markerID(only))
	b.WriteString("\n")
	b.WriteString(body.String())
	b.WriteString("</svg>\n")
	return b.String()
}

// markerID names the arrow head of a drawing: several drawings may share
// one page.
func markerID(only string) string { return "arrow-" + nodeID(only, "") }

// drawFlow writes flow f at height top and returns the width and height
// it took.
func drawFlow(b *strings.Builder, c *bot.Content, f *bot.Flow, top float64, marker string) (float64, float64) {
	ts := Transitions(c, f)
	nodes := map[string]*node{Entry: {id: Entry, text: Entry, sub: "start"}}
	for _, s := range f.Steps {
		nodes[s.ID] = &node{id: s.ID, text: s.ID, sub: string(s.Kind)}
	}
	for _, t := range ts {
		if nodes[t.To] == nil {
			nodes[t.To] = &node{id: t.To, text: t.To, sub: "→", dashed: true}
		}
	}
	rows := layers(f, ts, nodes)
	titleH := float64(titleSize) + 14
	width := 0.0
	for _, row := range rows {
		w := -float64(colGap)
		for _, n := range row {
			n.w = max(textWidth(n.text, stepSize), textWidth(n.sub, kindSize)) + 2*boxPadding
			w += n.w + colGap
		}
		width = max(width, w)
	}
	for i, row := range rows {
		w := -float64(colGap)
		for _, n := range row {
			w += n.w + colGap
		}
		x := margin + (width-w)/2
		for _, n := range row {
			n.x = x + n.w/2
			n.y = top + titleH + float64(i)*(boxHeight+rowGap)
			x += n.w + colGap
		}
	}
	fmt.Fprintf(b, `<g class="flow"><text class="flow-title" x="%d" y="%.0f" font-size="%d" font-weight="bold">%s</text>`+"\n",
		margin, top+titleSize, titleSize, escape(f.Name+" "+shortVersion(f.Version)))
	for _, t := range ts {
		drawEdge(b, nodes[t.From], nodes[t.To], t.Label, marker)
	}
	kinds := map[string]bot.StepKind{}
	for _, s := range f.Steps {
		kinds[s.ID] = s.Kind
	}
	for _, row := range rows {
		for _, n := range row {
			drawNode(b, n, kinds[n.id])
		}
	}
	b.WriteString("</g>\n")
	height := titleH + float64(len(rows))*(boxHeight+rowGap) - rowGap
	return width + 2*margin + loopOffset, height
}

// layers puts the nodes in rows by their distance from the entry (a
// breadth-first walk over the transitions), wraps long rows, and orders
// each row by where the steps leading to it stand, so that fewer arrows
// cross. Steps the walk does not reach come last.
func layers(f *bot.Flow, ts []Transition, nodes map[string]*node) [][]*node {
	out := map[string][]string{}
	for _, t := range ts {
		out[t.From] = append(out[t.From], t.To)
	}
	depth := map[string]int{Entry: 0}
	order := []string{Entry}
	for i := 0; i < len(order); i++ {
		for _, to := range out[order[i]] {
			if _, seen := depth[to]; !seen {
				depth[to] = depth[order[i]] + 1
				order = append(order, to)
			}
		}
	}
	last := 0
	for _, d := range depth {
		last = max(last, d)
	}
	// Steps the walk does not reach, in the file's order, then any other
	// box, by name.
	var rest, others []string
	for _, s := range f.Steps {
		if _, ok := depth[s.ID]; !ok {
			rest = append(rest, s.ID)
		}
	}
	for id := range nodes {
		if _, ok := depth[id]; !ok && f.Step(id) == nil {
			others = append(others, id)
		}
	}
	slices.Sort(others)
	rest = append(rest, others...)
	for _, id := range rest {
		depth[id] = last + 1
		order = append(order, id)
	}
	byDepth := map[int][]string{}
	for _, id := range order {
		byDepth[depth[id]] = append(byDepth[depth[id]], id)
	}
	// Where each node stands in the walk, then, row by row, the mean
	// place of the nodes above that lead to it.
	pos := map[string]float64{}
	for i, id := range order {
		pos[id] = float64(i)
	}
	in := map[string][]string{}
	for _, t := range ts {
		in[t.To] = append(in[t.To], t.From)
	}
	var rows [][]*node
	for d := 0; d <= last+1; d++ {
		ids := byDepth[d]
		if len(ids) == 0 {
			continue
		}
		mean := map[string]float64{}
		for _, id := range ids {
			sum, n := 0.0, 0
			for _, from := range in[id] {
				if depth[from] < d {
					sum += pos[from]
					n++
				}
			}
			mean[id] = pos[id]
			if n > 0 {
				mean[id] = sum / float64(n)
			}
		}
		slices.SortStableFunc(ids, func(a, b string) int { return cmp.Compare(mean[a], mean[b]) })
		for i, id := range ids {
			pos[id] = float64(i)
		}
		for len(ids) > 0 {
			n := min(len(ids), maxPerRow)
			row := make([]*node, n)
			for i, id := range ids[:n] {
				row[i] = nodes[id]
			}
			rows = append(rows, row)
			ids = ids[n:]
		}
	}
	return rows
}

func drawNode(b *strings.Builder, n *node, kind bot.StepKind) {
	fill := kindFill[kind]
	if fill == "" {
		fill = "#ffffff"
	}
	dash := ""
	if n.dashed {
		dash = ` stroke-dasharray="4 3"`
	}
	fmt.Fprintf(b, `<g class="step"><rect x="%.1f" y="%.1f" width="%.1f" height="%d" rx="6" fill="%s" stroke="#456"%s/>`,
		n.x-n.w/2, n.y, n.w, boxHeight, fill, dash)
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="%d" text-anchor="middle">%s</text>`, n.x, n.y+17, stepSize, escape(n.text))
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" font-size="%d" text-anchor="middle" fill="#667">%s</text></g>`+"\n", n.x, n.y+31, kindSize, escape(n.sub))
}

// drawEdge draws the arrow from a to b: down from a's bottom to b's top
// when b stands lower, an arch between their tops in one row, else
// around on the right, from side to side.
func drawEdge(b *strings.Builder, from, to *node, label, marker string) {
	var x1, y1, c1x, c1y, c2x, c2y, x2, y2 float64
	switch {
	case from == to:
		x1, y1 = from.x+from.w/2, from.y+boxHeight/3
		x2, y2 = from.x+from.w/2, from.y+2*boxHeight/3
		c1x, c1y, c2x, c2y = x1+loopOffset, y1-12, x2+loopOffset, y2+12
	case to.y > from.y:
		x1, y1 = from.x, from.y+boxHeight
		x2, y2 = to.x, to.y
		bend := (y2 - y1) / 2
		c1x, c1y, c2x, c2y = x1, y1+bend, x2, y2-bend
	case to.y == from.y:
		// An arch over the row, from top to top.
		x1, y1 = from.x, from.y
		x2, y2 = to.x, to.y
		c1x, c1y, c2x, c2y = x1, y1-rowGap/2, x2, y2-rowGap/2
	default:
		x1, y1 = from.x+from.w/2, from.y+boxHeight/2
		x2, y2 = to.x+to.w/2, to.y+boxHeight/2
		right := max(x1, x2) + loopOffset
		c1x, c1y, c2x, c2y = right, y1, right, y2
	}
	fmt.Fprintf(b, `<path class="edge" d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" stroke="#555" marker-end="url(#%s)"/>`+"\n",
		x1, y1, c1x, c1y, c2x, c2y, x2, y2, marker)
	if label == "" {
		return
	}
	// The middle of the curve.
	mx := (x1 + 3*c1x + 3*c2x + x2) / 8
	my := (y1 + 3*c1y + 3*c2y + y2) / 8
	fmt.Fprintf(b, `<text class="edge-label" x="%.1f" y="%.1f" font-size="%d" text-anchor="middle" fill="#a33" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`+"\n",
		mx, my+labelSize/2, labelSize, escape(label))
}

// textWidth guesses the width of s at size: wide characters (Chinese)
// take a full em, others a little over half.
func textWidth(s string, size int) float64 {
	w := 0.0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || r > 0x2E80 {
			w += float64(size)
		} else {
			w += 0.62 * float64(size)
		}
	}
	return w
}

// escape makes s fit in XML text or an attribute.
func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
