package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/bot"
)

// Posters draws a shop's QR posters; the service builds it from the web
// chat's signer, its public address and the poster fonts.
type Posters interface {
	// Poster returns the PNG (format "png") or SVG ("svg") poster of m.
	Poster(m bot.Merchant, format string) ([]byte, error)
}

// linkCodeTTL is how long a code made in the console works.
const linkCodeTTL = 24 * time.Hour

// shops lists the registered shops, with a form to add one, and for each
// a button for a link code and its QR posters.
func (c *Console) shops(ec echo.Context) error {
	return c.renderShops(ec, http.StatusOK, "", "")
}

func (c *Console) renderShops(ec echo.Context, status int, problem, code string) error {
	if c.opts.Merchants == nil {
		return echo.ErrNotFound
	}
	list, err := c.opts.Merchants.Merchants(ec.Request().Context())
	if err != nil {
		return err
	}
	return c.render(ec, status, "shops.html", map[string]any{
		"Shops": list, "Session": session(ec), "Problem": problem, "Code": code,
		"Posters": c.opts.Posters != nil, "CodeFor": ec.FormValue("id"),
	})
}

// addShop registers a shop; a name or alias the registry refuses is
// said on the page and changes nothing.
func (c *Console) addShop(ec echo.Context) error {
	if c.opts.Merchants == nil {
		return echo.ErrNotFound
	}
	m := bot.Merchant{Name: ec.FormValue("name"), Lang: ec.FormValue("lang")}
	for _, a := range strings.Split(ec.FormValue("aliases"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			m.Aliases = append(m.Aliases, a)
		}
	}
	added, err := c.opts.Merchants.AddMerchant(ec.Request().Context(), m.Normalize())
	if code := bot.ErrorCode(err); code == bot.EINVALID || code == bot.ECONFLICT {
		return c.renderShops(ec, http.StatusBadRequest, messageOf(err), "")
	}
	if err != nil {
		return err
	}
	c.record(ec, session(ec).Operator, "add_shop", added.ID, added.Name)
	return ec.Redirect(http.StatusSeeOther, "/admin/shops")
}

// linkCode makes a one-time code that links a chat to the shop, shown
// once on the page.
func (c *Console) linkCode(ec echo.Context) error {
	if c.opts.Merchants == nil {
		return echo.ErrNotFound
	}
	id := ec.FormValue("id")
	code, err := c.opts.Merchants.NewLinkCode(ec.Request().Context(), id, linkCodeTTL)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.record(ec, session(ec).Operator, "link_code", id, "")
	return c.renderShops(ec, http.StatusOK, "", code)
}

// poster serves a shop's QR poster as a download.
func (c *Console) poster(ec echo.Context) error {
	if c.opts.Merchants == nil || c.opts.Posters == nil {
		return echo.ErrNotFound
	}
	format := ec.QueryParam("format")
	if format != "png" && format != "svg" {
		return echo.ErrNotFound
	}
	m, err := c.opts.Merchants.Merchant(ec.Request().Context(), ec.QueryParam("id"))
	if err != nil {
		return echo.ErrNotFound
	}
	b, err := c.opts.Posters.Poster(m, format)
	if err != nil {
		return err
	}
	c.record(ec, session(ec).Operator, "poster", m.ID, format)
	mime := map[string]string{"png": "image/png", "svg": "image/svg+xml"}[format]
	h := ec.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+m.ID+`-poster.`+format+`"`)
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	return ec.Blob(http.StatusOK, mime, b)
}

// messageOf is an error's text for an operator, without the code prefix
// of a bot.Error that stands alone.
func messageOf(err error) string {
	if e, ok := err.(*bot.Error); ok {
		return e.Message
	}
	return err.Error()
}
