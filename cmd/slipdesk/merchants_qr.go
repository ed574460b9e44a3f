package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/slipdesk/slipdesk/adapters/poster"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
)

// defaultPublicURL is where "slipdesk serve" listens by default.
const defaultPublicURL = "http://127.0.0.1:8080"

// runMerchantsQR writes a shop's QR posters: PNG and SVG, with the link
// that opens the web chat with the shop known, signed with the web
// chat's secret so that nobody can make a link for another shop.
func (m *Main) runMerchantsQR(ctx context.Context, args []string) error {
	fs := m.merchantsFlags("qr")
	config := fs.String("config", "", "configuration file (default $SLIPDESK_CONFIG)")
	out := fs.String("out", ".", "folder the posters are written to")
	fontPath := fs.String("font", "", "font file with Chinese characters for the PNG (default: the first of "+strings.Join(poster.FontPaths, ", ")+")")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return m.usageError(fs, "give one merchant ID (see slipdesk merchants list)")
	}
	id, ok := bot.NormalizeMerchantRef(rest[0])
	if !ok {
		return m.usageError(fs, "%q is not a merchant ID: they look like M4KX7PQ (see slipdesk merchants list)", rest[0])
	}
	cfg, err := m.loadConfig(commonFlags{config: *config})
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	if cfg.Web.Secret == "" {
		return m.failed(fs.Name(), bot.Errorf(bot.EINVALID, "set SLIPDESK_WEB_SECRET to the secret slipdesk serve uses: it signs the shop's link"))
	}
	fonts, err := poster.LoadFonts(*fontPath)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	store, err := m.openRegistry(ctx, fs.Name(), *config)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	mer, err := store.Merchant(ctx, id)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	ffs, lfs := contentFS(cfg)
	content, problems := bot.LoadContent(ffs, lfs, bot.NewRegistry())
	if err := bot.ProblemsError(problems); err != nil {
		return m.failed(fs.Name(), err)
	}
	base := cfg.Web.PublicURL
	if base == "" {
		base = defaultPublicURL
	}
	ref := webchat.NewSigner([]byte(cfg.Web.Secret)).Merchant(mer.ID)
	p := poster.Poster{Name: mer.Name, Link: strings.TrimRight(base, "/") + "/?shop=" + url.QueryEscape(ref)}
	for _, lang := range bot.Languages {
		p.Lines = append(p.Lines, content.Catalog.ChannelReply(lang, bot.MsgWebPosterLine, nil).Text)
	}
	pngBytes, err := poster.PNG(p, fonts)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	svgBytes, err := poster.SVG(p)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return m.failed(fs.Name(), err)
	}
	for ext, b := range map[string][]byte{".png": pngBytes, ".svg": svgBytes} {
		path := filepath.Join(*out, mer.ID+"-poster"+ext)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return m.failed(fs.Name(), err)
		}
		fmt.Fprintln(m.Stdout, path)
	}
	fmt.Fprintf(m.Stderr, "The posters of %s (%s) open the web chat at\n\n    %s\n\nwith the shop known: customers are not asked which shop it was.\n", mer.Name, mer.ID, p.Link)
	return nil
}
