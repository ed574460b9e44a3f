package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// MountMetrics serves h, the metrics in Prometheus's text format, on
// GET /metrics. The figures hold no user data, but say how busy the
// service is: keep the address off the public internet, or filter the
// path at the proxy.
func MountMetrics(e *echo.Echo, h http.Handler) {
	e.GET("/metrics", echo.WrapHandler(h))
}
