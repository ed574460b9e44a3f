package webchat

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/bot"
)

//go:embed static
var static embed.FS

// page is the chat page's template and its static files.
type page struct {
	tmpl  *template.Template
	files fs.FS
}

func newPage() (*page, error) {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	t, err := template.ParseFS(sub, "index.html")
	if err != nil {
		return nil, bot.Errorf(bot.EINTERNAL, "webchat: page template: %v", err)
	}
	return &page{tmpl: t, files: sub}, nil
}

// pageData is what the page's template fills in.
type pageData struct {
	Lang  string
	Title string
	// Texts are the page's texts in every language, so that switching
	// language needs no request.
	Texts map[string]map[string]string
	// Shop is the signed shop reference of a QR code's link.
	Shop string
}

// securityHeaders keep the page from running anything but its own
// script, from being framed, and from leaking its address.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}

// servePage serves the chat page in the browser's language, with every
// text html/template escapes for where it goes.
func (c *Chat) servePage(ec echo.Context) error {
	lang := c.lang(ec.Request())
	cat := c.opts.Engine.Content().Catalog
	texts := map[string]map[string]string{}
	for _, l := range bot.Languages {
		texts[l] = map[string]string{}
		for _, id := range Messages {
			texts[l][id] = cat.ChannelReply(l, id, map[string]any{"Percent": "{p}", "Seconds": "{s}"}).Text
		}
	}
	shop := ""
	if ref := ec.QueryParam("shop"); ref != "" {
		if _, ok := c.signer.OpenMerchant(ref); ok {
			shop = ref
		}
	}
	var buf bytes.Buffer
	data := pageData{Lang: lang, Title: texts[lang][MsgTitle], Texts: texts, Shop: shop}
	if err := c.page.tmpl.Execute(&buf, data); err != nil {
		return err
	}
	h := ec.Response().Header()
	securityHeaders(h)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", lang)
	return ec.HTMLBlob(http.StatusOK, buf.Bytes())
}

// serveStatic serves the page's script and style sheet.
func (c *Chat) serveStatic(ec echo.Context) error {
	name := ec.Param("file")
	if name == "index.html" || path.Base(name) != name {
		return echo.ErrNotFound
	}
	b, err := fs.ReadFile(c.page.files, name)
	if err != nil {
		return echo.ErrNotFound
	}
	h := ec.Response().Header()
	securityHeaders(h)
	h.Set("Cache-Control", "public, max-age=300")
	return ec.Blob(http.StatusOK, mime.TypeByExtension(path.Ext(name)), b)
}
