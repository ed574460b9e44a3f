// Package poster draws a shop's QR poster, as PNG and as SVG: the shop's
// name, a line in each language, and a QR code of the link that opens the
// web chat with the shop known (github.com/skip2/go-qrcode for the code,
// golang.org/x/image for the PNG's text).
package poster

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/slipdesk/slipdesk/bot"
)

// Poster is what a poster shows.
type Poster struct {
	// Name is the shop's name, the poster's title.
	Name string
	// Lines are short lines under the name, one per language.
	Lines []string
	// Link is what the QR code holds.
	Link string
}

// FontPaths are where a font with Chinese characters is looked for when
// none is given: Debian's fonts-droid-fallback, then fonts-wqy-zenhei.
// (golang.org/x/image reads neither fonts-wqy-microhei nor the CFF fonts
// of fonts-noto-cjk.)
var FontPaths = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
}

// LatinFontPaths are where a font for the Latin letters is looked for:
// the Chinese fallback fonts have none. Debian's fonts-dejavu-core.
var LatinFontPaths = []string{
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
}

// Fonts are the fonts a PNG poster draws with: for each character, the
// first that has it.
type Fonts []*opentype.Font

// LoadFonts reads the font at path, or the first of FontPaths that
// exists when path is empty, and then the first of LatinFontPaths that
// exists, if any.
func LoadFonts(path string) (Fonts, error) {
	f, err := loadFont(path, FontPaths)
	if err != nil {
		return nil, err
	}
	fonts := Fonts{f}
	if latin, err := loadFont("", LatinFontPaths); err == nil {
		fonts = append(fonts, latin)
	}
	return fonts, nil
}

// loadFont reads the font at path, or the first of paths that exists
// when path is empty. A collection (.ttc) gives its first font.
func loadFont(path string, candidates []string) (*opentype.Font, error) {
	paths := candidates
	if path != "" {
		paths = []string{path}
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			if path != "" {
				return nil, bot.Errorf(bot.EINVALID, "read font %s: %v", p, err)
			}
			continue
		}
		if c, err := opentype.ParseCollection(b); err == nil && c.NumFonts() > 0 {
			return c.Font(0)
		}
		f, err := opentype.Parse(b)
		if err != nil {
			return nil, bot.Errorf(bot.EINVALID, "font %s: %v", p, err)
		}
		return f, nil
	}
	return nil, bot.Errorf(bot.ENOTFOUND, "no font in %s: install fonts-droid-fallback and fonts-dejavu-core, or name a font file", strings.Join(candidates, ", "))
}

// Layout of a poster, in pixels of the PNG and units of the SVG.
const (
	width     = 800
	margin    = 48
	titleSize = 52
	lineSize  = 30
	linkSize  = 18
	qrSize    = 560
)

// layout is where each part of the poster goes.
type layout struct {
	titleY  int
	linesY  []int
	qrX     int
	qrY     int
	module  int
	modules int
	linkY   int
	height  int
}

func plan(p Poster, bitmap [][]bool) layout {
	var l layout
	y := margin + titleSize
	l.titleY = y
	y += 24
	for range p.Lines {
		y += lineSize + 14
		l.linesY = append(l.linesY, y)
	}
	y += 24
	l.modules = len(bitmap)
	l.module = max(qrSize/l.modules, 1)
	l.qrX = (width - l.module*l.modules) / 2
	l.qrY = y
	y += l.module*l.modules + 16 + linkSize
	l.linkY = y
	l.height = y + margin
	return l
}

// code returns the QR code's modules, quiet zone included.
func code(link string) ([][]bool, error) {
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return nil, bot.Errorf(bot.EINVALID, "QR code of %q: %v", link, err)
	}
	return q.Bitmap(), nil
}

// PNG draws the poster with fonts f.
func PNG(p Poster, f Fonts) ([]byte, error) {
	bitmap, err := code(p.Link)
	if err != nil {
		return nil, err
	}
	l := plan(p, bitmap)
	img := image.NewRGBA(image.Rect(0, 0, width, l.height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	if err := text(img, f, p.Name, titleSize, l.titleY); err != nil {
		return nil, err
	}
	for i, line := range p.Lines {
		if err := text(img, f, line, lineSize, l.linesY[i]); err != nil {
			return nil, err
		}
	}
	for y, row := range bitmap {
		for x, dark := range row {
			if dark {
				r := image.Rect(l.qrX+x*l.module, l.qrY+y*l.module, l.qrX+(x+1)*l.module, l.qrY+(y+1)*l.module)
				draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
			}
		}
	}
	if err := text(img, f, p.Link, linkSize, l.linkY); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// text draws s centred on the baseline y, at size points, each
// character in the first of fonts that has it.
func text(img draw.Image, fonts Fonts, s string, size float64, y int) error {
	faces := make([]font.Face, 0, len(fonts))
	for _, f := range fonts {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return err
		}
		defer face.Close()
		faces = append(faces, face)
	}
	pick := func(r rune) (font.Face, fixed.Int26_6) {
		for _, face := range faces {
			if adv, ok := face.GlyphAdvance(r); ok {
				return face, adv
			}
		}
		adv, _ := faces[0].GlyphAdvance(r)
		return faces[0], adv
	}
	var w fixed.Int26_6
	for _, r := range s {
		_, adv := pick(r)
		w += adv
	}
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black)}
	d.Dot = fixed.P(max((width-w.Round())/2, 8), y)
	for _, r := range s {
		d.Face, _ = pick(r)
		d.DrawString(string(r))
	}
	return nil
}

// SVG draws the poster as SVG; the viewer's fonts render its text.
func SVG(p Poster) ([]byte, error) {
	bitmap, err := code(p.Link)
	if err != nil {
		return nil, err
	}
	l := plan(p, bitmap)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", width, l.height, width, l.height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#fff"/>`+"\n")
	svgText(&b, p.Name, titleSize, l.titleY, "bold")
	for i, line := range p.Lines {
		svgText(&b, line, lineSize, l.linesY[i], "normal")
	}
	fmt.Fprintf(&b, `<path fill="#000" shape-rendering="crispEdges" d="`)
	for y, row := range bitmap {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh%dv%dh-%dz", l.qrX+x*l.module, l.qrY+y*l.module, l.module, l.module, l.module)
			}
		}
	}
	b.WriteString("\"/>\n")
	svgText(&b, p.Link, linkSize, l.linkY, "normal")
	b.WriteString("</svg>\n")
	return b.Bytes(), nil
}

func svgText(b *bytes.Buffer, s string, size, y int, weight string) {
	fmt.Fprintf(b, `<text x="%d" y="%d" font-size="%d" font-weight="%s" text-anchor="middle" font-family="'PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif">`, width/2, y, size, weight)
	// EscapeText makes a name such as "<script>" plain text.
	_ = xml.EscapeText(b, []byte(s))
	b.WriteString("</text>\n")
}
