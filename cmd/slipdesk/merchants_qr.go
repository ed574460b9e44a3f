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
	"github.com/slipdesk/slipdesk/configs"
)

// defaultPublicURL is where "slipdesk serve" listens by default.
const defaultPublicURL = "http://127.0.0.1:8080"

// runMerchantsQR writes a shop's QR posters: PNG and SVG, with the link
// that opens the web chat with the shop known, signed with the web
// chat's secret so that nobody can make a link for another shop.
func (m *Main) runMerchantsQR(ctx context.Context, args []string) error {
	fs, config := m.toolFlags("merchants qr")
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
	reg := bot.NewRegistry()
	webchat.DeclareMessages(reg)
	content, problems := bot.LoadContent(ffs, lfs, reg)
	if err := bot.ProblemsError(problems); err != nil {
		return m.failed(fs.Name(), err)
	}
	pm := newPosterMaker(cfg, content.Catalog, fonts)
	pngBytes, err := pm.Poster(mer, "png")
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	svgBytes, err := pm.Poster(mer, "svg")
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
	fmt.Fprintf(m.Stderr, "The posters of %s (%s) open the web chat at\n\n    %s\n\nwith the shop known: customers are not asked which shop it was.\n", mer.Name, mer.ID, pm.link(mer))
	if link := m.telegramLink(ctx, *config, pm.signer.TelegramPayload(mer.ID)); link != "" {
		fmt.Fprintf(m.Stderr, "On Telegram, this link opens the bot with the shop known:\n\n    %s\n", link)
	}
	return nil
}

// posterMaker draws shops' QR posters for the command and the console.
type posterMaker struct {
	signer *webchat.Signer
	base   string
	lines  []string
	fonts  poster.Fonts
}

// newPosterMaker signs links with the web chat's secret, which must be
// set, at the configured public address.
func newPosterMaker(cfg configs.Config, cat *bot.Catalog, fonts poster.Fonts) *posterMaker {
	base := cfg.Web.PublicURL
	if base == "" {
		base = defaultPublicURL
	}
	pm := &posterMaker{signer: webchat.NewSigner([]byte(cfg.Web.Secret)), base: strings.TrimRight(base, "/"), fonts: fonts}
	for _, lang := range bot.Languages {
		pm.lines = append(pm.lines, cat.ChannelReply(lang, webchat.MsgPosterLine, nil).Text)
	}
	return pm
}

// link is the web chat's address with the shop's signed reference.
func (pm *posterMaker) link(m bot.Merchant) string {
	return pm.base + "/?shop=" + url.QueryEscape(pm.signer.Merchant(m.ID))
}

// Poster implements admin.Posters.
func (pm *posterMaker) Poster(m bot.Merchant, format string) ([]byte, error) {
	p := poster.Poster{Name: m.Name, Lines: pm.lines, Link: pm.link(m)}
	if format == "svg" {
		return poster.SVG(p)
	}
	return poster.PNG(p, pm.fonts)
}
