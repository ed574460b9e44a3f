package admin

import (
	"cmp"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/flowgraph"
)

// flowRow is one flow version on the flows page: a running flow, with
// its graph, or an older version conversations still run on.
type flowRow struct {
	Name, Version string
	Steps         int
	// InUse counts the conversations on this version.
	InUse int64
	// Old marks a version that is no longer the running one.
	Old bool
	// Mermaid is the graph's source; SVG the graph drawn, which
	// flowgraph escapes throughout.
	Mermaid string
	SVG     template.HTML
}

// flows shows the running flows with their versions and how many
// conversations run on each (older versions still in use too), the
// content every replica runs and who published it, the check of the
// operator's files as they are now, the reload button, and each flow's
// graph, drawn and in Mermaid.
func (c *Console) flows(ec echo.Context) error {
	return c.renderFlows(ec, http.StatusOK, nil, ec.QueryParam("reloaded") == "1")
}

func (c *Console) renderFlows(ec echo.Context, status int, refused []bot.Problem, reloaded bool) error {
	ctx := ec.Request().Context()
	content := c.opts.Engine.Content()
	use, err := c.opts.Store.FlowUse(ctx, c.opts.Now())
	if err != nil {
		return err
	}
	count := map[bot.FlowRef]int64{}
	for _, u := range use {
		count[u.FlowRef] = u.Conversations
	}
	var rows, old []flowRow
	for _, name := range slices.Sorted(maps.Keys(content.Flows)) {
		f := content.Flows[name]
		ref := bot.FlowRef{Flow: name, Version: f.Version}
		rows = append(rows, flowRow{
			Name: name, Version: f.Version, Steps: len(f.Steps), InUse: count[ref],
			Mermaid: flowgraph.Mermaid(content, name),
			// The drawing escapes every text it holds (see flowgraph.SVG).
			SVG: template.HTML(flowgraph.SVG(content, name)),
		})
		delete(count, ref)
	}
	for ref, n := range count {
		old = append(old, flowRow{Name: ref.Flow, Version: ref.Version, InUse: n, Old: true})
	}
	slices.SortFunc(old, func(a, b flowRow) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(b.InUse, a.InUse), cmp.Compare(a.Version, b.Version))
	})
	data := map[string]any{"Flows": rows, "Old": old, "Session": session(ec), "Reloaded": reloaded, "Refused": refused}
	if c.opts.Content != nil {
		problems, disk := c.opts.Content.Check()
		if refused != nil {
			problems = refused
		}
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = p.String()
		}
		data["Check"], data["Problems"] = true, lines
		data["Errors"] = len(bot.Errors(problems))
		data["Running"], data["Disk"] = c.opts.Content.Running(), disk
	}
	pub, err := c.opts.Store.PublishedContent(ctx)
	switch bot.ErrorCode(err) {
	case "":
		data["Published"] = pub
	case bot.ENOTFOUND:
	default:
		return err
	}
	return c.render(ec, status, "flows.html", data)
}

// reloadFlows loads the operator's files and, unless they have errors,
// publishes them for every replica; the refusal shows the problems and
// changes nothing. Either way it is audited.
func (c *Console) reloadFlows(ec echo.Context) error {
	if c.opts.Content == nil {
		return echo.ErrNotFound
	}
	sess := session(ec)
	problems, err := c.opts.Content.Publish(ec.Request().Context(), sess.Operator)
	if err != nil {
		return err
	}
	if errs := bot.Errors(problems); len(errs) > 0 {
		c.record(ec, sess.Operator, "reload_refused", "flows", strconv.Itoa(len(errs))+" errors")
		return c.renderFlows(ec, http.StatusUnprocessableEntity, problems, false)
	}
	c.record(ec, sess.Operator, "reload", "flows", c.opts.Content.Running())
	return ec.Redirect(http.StatusSeeOther, "/admin/flows?reloaded=1")
}
