package bot_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/slipdesk/slipdesk/bot"
)

// Tiny files with each type's real header; a proof sniffer needs no more.
var (
	jpegFile = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0xFF, 0xD9}
	pngFile  = append([]byte("\x89PNG\r\n\x1a\n"), 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0)
	gif87    = []byte("GIF87a\x01\x00\x01\x00\x00\x00\x00;")
	gif89    = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00;")
	pdfFile  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
)

// riff builds a WebP file whose first chunk is fourcc.
func riff(fourcc string) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBP" + fourcc + "\x00\x00\x00\x00")
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

// ftyp builds an ISO media file starting with an ftyp box of the major
// brand and the compatible brands.
func ftyp(major string, compatible ...string) []byte {
	body := major + "\x00\x00\x00\x00" + strings.Join(compatible, "")
	b := make([]byte, 8, 8+len(body)+8)
	binary.BigEndian.PutUint32(b, uint32(8+len(body)))
	copy(b[4:], "ftyp")
	b = append(b, body...)
	return append(b, "\x00\x00\x00\x08meta"...)
}

func TestReadProofTypes(t *testing.T) {
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"jpeg", jpegFile, "image/jpeg"},
		{"png", pngFile, "image/png"},
		{"gif87a", gif87, "image/gif"},
		{"gif89a", gif89, "image/gif"},
		{"webp lossy", riff("VP8 "), "image/webp"},
		{"webp lossless", riff("VP8L"), "image/webp"},
		{"webp extended", riff("VP8X"), "image/webp"},
		{"heic", ftyp("heic", "mif1", "heic"), "image/heic"},
		{"heix", ftyp("heix", "mif1"), "image/heic"},
		{"heif", ftyp("mif1", "heic"), "image/heif"},
		{"heif sequence", ftyp("msf1", "hevc"), "image/heif"},
		{"pdf", pdfFile, "application/pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, buf, err := bot.ReadProof(bytes.NewReader(tt.file), "proof", 0)
			if err != nil {
				t.Fatalf("ReadProof: %v", err)
			}
			sum := sha256.Sum256(tt.file)
			want := bot.Attachment{Name: "proof", Mime: tt.want, Size: int64(len(tt.file)), SHA256: hex.EncodeToString(sum[:])}
			if a != want {
				t.Errorf("got %+v, want %+v", a, want)
			}
			if !bytes.Equal(buf, tt.file) {
				t.Errorf("got bytes %q, want %q", buf, tt.file)
			}
			if !slices.Contains(bot.ProofMimes, a.Mime) {
				t.Errorf("type %q is not in ProofMimes", a.Mime)
			}
		})
	}
}

// TestReadProofIgnoresName sniffs the content whatever the name claims.
func TestReadProofIgnoresName(t *testing.T) {
	a, _, err := bot.ReadProof(bytes.NewReader(pngFile), "statement.pdf", 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Mime != "image/png" || a.Name != "statement.pdf" {
		t.Errorf("got %q named %q, want image/png named statement.pdf", a.Mime, a.Name)
	}
	if _, _, err := bot.ReadProof(strings.NewReader("#!/bin/sh\nrm -rf /\n"), "photo.jpg", 0); !errors.Is(err, bot.ErrProofType) {
		t.Errorf("a script named photo.jpg: got %v, want ErrProofType", err)
	}
}

func TestReadProofRefusesOtherTypes(t *testing.T) {
	tests := map[string][]byte{
		"text":             []byte("I paid 128.00 at Starlight Supermarket"),
		"html":             []byte("<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>"),
		"svg":              []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"zip":              []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"),
		"docx":             []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"),
		"windows exe":      []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"),
		"elf":              []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
		"mach-o":           []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00"),
		"shell script":     []byte("#!/bin/sh\necho hi\n"),
		"mp4":              ftyp("isom", "isom", "mp41"),
		"avif":             ftyp("avif", "mif1", "avif"),
		"riff wave":        []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"),
		"ftyp odd size":    append([]byte{0, 0, 0, 17}, ftyp("heic")[4:]...),
		"ftyp short":       []byte("\x00\x00\x00\x0cftypheic"),
		"pdf not at start": []byte(" %PDF-1.7\n"),
		"jpeg cut short":   {0xFF, 0xD8},
		"png cut short":    []byte("\x89PNG\r\n"),
		"one zero byte":    {0},
	}
	for name, file := range tests {
		t.Run(name, func(t *testing.T) {
			_, buf, err := bot.ReadProof(bytes.NewReader(file), "x", 0)
			if !errors.Is(err, bot.ErrProofType) {
				t.Fatalf("got %v, want ErrProofType", err)
			}
			if buf != nil {
				t.Errorf("bytes returned with the error")
			}
			if got := bot.ErrorCode(err); got != bot.EINVALID {
				t.Errorf("code %q, want %q", got, bot.EINVALID)
			}
			if got := bot.ProofMessage(err); got != bot.MsgProofType {
				t.Errorf("message %q, want %q", got, bot.MsgProofType)
			}
		})
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestReadProofSizeLimit(t *testing.T) {
	const limit = 1000
	file := func(n int) []byte { return append(slices.Clone(pngFile), make([]byte, n-len(pngFile))...) }
	t.Run("at the limit", func(t *testing.T) {
		a, _, err := bot.ReadProof(bytes.NewReader(file(limit)), "x.png", limit)
		if err != nil || a.Size != limit {
			t.Fatalf("got %+v, %v; want %d bytes taken", a, err, limit)
		}
	})
	t.Run("one byte over", func(t *testing.T) {
		_, _, err := bot.ReadProof(bytes.NewReader(file(limit+1)), "x.png", limit)
		if !errors.Is(err, bot.ErrProofTooLarge) {
			t.Fatalf("got %v, want ErrProofTooLarge", err)
		}
		if errors.Is(err, bot.ErrProofType) || errors.Is(err, bot.ErrProofEmpty) {
			t.Errorf("%v matches another sentinel", err)
		}
		if got := bot.ErrorCode(err); got != bot.EINVALID {
			t.Errorf("code %q, want %q", got, bot.EINVALID)
		}
		if got := bot.ProofMessage(err); got != bot.MsgProofTooLarge {
			t.Errorf("message %q, want %q", got, bot.MsgProofTooLarge)
		}
	})
	t.Run("reads no more than the limit and one", func(t *testing.T) {
		r := &countingReader{r: bytes.NewReader(file(10 * limit))}
		if _, _, err := bot.ReadProof(r, "x.png", limit); !errors.Is(err, bot.ErrProofTooLarge) {
			t.Fatalf("got %v, want ErrProofTooLarge", err)
		}
		if r.n != limit+1 {
			t.Errorf("read %d bytes, want %d", r.n, limit+1)
		}
	})
	t.Run("default limit", func(t *testing.T) {
		big := io.MultiReader(bytes.NewReader(pngFile), io.LimitReader(zeros{}, bot.DefaultMaxProofSize))
		if _, _, err := bot.ReadProof(big, "x.png", 0); !errors.Is(err, bot.ErrProofTooLarge) {
			t.Errorf("got %v, want ErrProofTooLarge over the default limit", err)
		}
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestReadProofEmpty(t *testing.T) {
	_, _, err := bot.ReadProof(strings.NewReader(""), "empty.jpg", 0)
	if !errors.Is(err, bot.ErrProofEmpty) || bot.ErrorCode(err) != bot.EINVALID {
		t.Fatalf("got %v, want ErrProofEmpty with code %s", err, bot.EINVALID)
	}
	if got := bot.ProofMessage(err); got != bot.MsgProofType {
		t.Errorf("message %q, want %q", got, bot.MsgProofType)
	}
}

func TestReadProofReaderError(t *testing.T) {
	boom := errors.New("connection reset")
	_, _, err := bot.ReadProof(iotest.ErrReader(boom), "x.png", 0)
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the reader's error", err)
	}
	if bot.ProofMessage(err) != "" {
		t.Errorf("a read failure is mapped to a user message: %q", bot.ProofMessage(err))
	}
}

func TestCleanProofName(t *testing.T) {
	long := strings.Repeat("收", 150)
	tests := []struct {
		name, in, want string
	}{
		{"plain", "IMG_0412.HEIC", "IMG_0412.HEIC"},
		{"unix path", "/home/li/Pictures/bank sms.png", "bank sms.png"},
		{"windows path", `C:\Users\li\Desktop\statement.pdf`, "statement.pdf"},
		{"traversal", "../../etc/passwd", "passwd"},
		{"dot dot", "..", ""},
		{"trailing slash", "photos/", ""},
		{"control characters", "a\x00b\nc\td\x1b[31m.png", "abcd[31m.png"},
		{"right-to-left override", "invoice\u202Egpj.exe", "invoicegpj.exe"},
		{"invalid utf-8", "bad\xff.png", "bad\uFFFD.png"},
		{"spaces trimmed", "  receipt.jpg  ", "receipt.jpg"},
		{"card number masked", "4111111111111111.jpg", "****1111.jpg"},
		{"chinese", "银行短信截图.png", "银行短信截图.png"},
		{"long keeps extension", long + ".jpeg", strings.Repeat("收", 95) + ".jpeg"},
		{"long without extension", long, strings.Repeat("收", 100)},
		{"long extension cut", "a." + long, "a." + strings.Repeat("收", 98)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := bot.CleanProofName(tt.in)
			if got != tt.want {
				t.Errorf("CleanProofName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > bot.MaxProofNameLen {
				t.Errorf("%d characters, over %d", n, bot.MaxProofNameLen)
			}
		})
	}
}

func TestReadProofCleansName(t *testing.T) {
	a, _, err := bot.ReadProof(bytes.NewReader(jpegFile), "/tmp/x/\x07photo.jpg", 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "photo.jpg" {
		t.Errorf("name %q, want photo.jpg", a.Name)
	}
}

func TestProofKinds(t *testing.T) {
	want := []string{"bank_sms", "statement", "mobile_record", "bank_proof", "other"}
	if !slices.Equal(bot.ProofKinds, want) {
		t.Errorf("ProofKinds = %v, want %v", bot.ProofKinds, want)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		0:                       "0 B",
		1023:                    "1023 B",
		1024:                    "1 KB",
		1536:                    "1.5 KB",
		bot.DefaultMaxProofSize: "10 MB",
		20 << 20:                "20 MB",
		3 << 30:                 "3 GB",
	} {
		if got := bot.FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func FuzzReadProof(f *testing.F) {
	for _, seed := range [][]byte{jpegFile, pngFile, gif89, pdfFile, riff("VP8 "), ftyp("heic", "mif1"), []byte("hello"), {}} {
		f.Add(seed, "name.png")
	}
	f.Fuzz(func(t *testing.T, file []byte, name string) {
		const limit = 64
		a, buf, err := bot.ReadProof(bytes.NewReader(file), name, limit)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("error %v has code %q", err, bot.ErrorCode(err))
			}
			if bot.ProofMessage(err) == "" {
				t.Fatalf("error %v maps to no message", err)
			}
			return
		}
		if !slices.Contains(bot.ProofMimes, a.Mime) {
			t.Fatalf("accepted type %q", a.Mime)
		}
		if a.Size != int64(len(file)) || a.Size != int64(len(buf)) || a.Size > limit || a.Size == 0 {
			t.Fatalf("size %d of a %d-byte file (%d returned)", a.Size, len(file), len(buf))
		}
		if !bytes.Equal(buf, file) {
			t.Fatalf("returned bytes differ from the file")
		}
		if !utf8.ValidString(a.Name) || utf8.RuneCountInString(a.Name) > bot.MaxProofNameLen || strings.ContainsAny(a.Name, "/\\\x00\n") {
			t.Fatalf("name %q kept", a.Name)
		}
	})
}
