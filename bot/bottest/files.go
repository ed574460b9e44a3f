package bottest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// SampleFile returns a small valid file of kind png, jpeg or pdf, to
// send as proof; kind "txt" gives text, which no proof store takes.
func SampleFile(t testing.TB, kind string) []byte {
	t.Helper()
	switch kind {
	case "png":
		img := image.NewRGBA(image.Rect(0, 0, 4, 4))
		img.Set(1, 1, color.RGBA{R: 200, A: 255})
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	case "jpeg":
		return append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, bytes.Repeat([]byte{0}, 32)...)
	case "pdf":
		return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	case "txt":
		return []byte("just some text\n")
	}
	t.Fatalf("no sample file of kind %q", kind)
	return nil
}
