package admin

import (
	"maps"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/bot/flowgraph"
)

// flowRow is one running flow on the flows page.
type flowRow struct {
	Name, Version, Graph string
	Steps                int
}

// flows lists the running flows with their versions and each one's
// graph in Mermaid, as "slipdesk flows graph --format mermaid" prints it.
func (c *Console) flows(ec echo.Context) error {
	content := c.opts.Engine.Content()
	var rows []flowRow
	for _, name := range slices.Sorted(maps.Keys(content.Flows)) {
		f := content.Flows[name]
		rows = append(rows, flowRow{Name: name, Version: f.Version, Steps: len(f.Steps), Graph: flowgraph.Mermaid(content, name)})
	}
	return c.render(ec, http.StatusOK, "flows.html", map[string]any{"Flows": rows, "Session": session(ec)})
}
