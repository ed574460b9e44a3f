// Package postertest reads the QR code of a poster back, as a phone
// would: from the image as drawn and, when that fails, from the image at
// the other sizes a camera sees it at.
package postertest

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	xdraw "golang.org/x/image/draw"
)

// scales are the sizes tried, the poster's own first. gozxing misjudges
// the grid of a few sharp, clean codes at some sizes (it counts 35
// modules where there are 33 or 37) and reads them at others, as a
// phone's reader reads frame after frame until one decodes.
var scales = []float64{1, 0.9, 0.75, 0.6}

// Decode returns the text of the QR code in the PNG image pngData.
func Decode(tb testing.TB, pngData []byte) string {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		tb.Fatalf("the poster is not a PNG: %v", err)
	}
	var last error
	for _, s := range scales {
		b := img.Bounds()
		scaled := image.Image(img)
		if s != 1 {
			dst := image.NewRGBA(image.Rect(0, 0, int(float64(b.Dx())*s), int(float64(b.Dy())*s)))
			xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, xdraw.Src, nil)
			scaled = dst
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(scaled)
		if err != nil {
			tb.Fatal(err)
		}
		res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if err == nil {
			return res.GetText()
		}
		last = err
	}
	tb.Fatalf("no QR code read in the poster at any of the sizes %v: %v", scales, last)
	return ""
}
