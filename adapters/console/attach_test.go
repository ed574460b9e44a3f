package console_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/adapters/proofdir"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// recorder is a console.Handler that keeps the events it gets.
type recorder struct{ events []bot.Event }

var _ console.Handler = (*recorder)(nil)

func (r *recorder) Handle(_ context.Context, ev bot.Event) ([]bot.Reply, error) {
	r.events = append(r.events, ev)
	return []bot.Reply{{MsgID: "got", Text: "ok"}}, nil
}

type attachChat struct {
	chat   *console.Chat
	out    *bytes.Buffer
	rec    *recorder
	proofs *proofdir.Store
}

func newAttachChat(t *testing.T, lang string) *attachChat {
	t.Helper()
	content, reg := bottest.Content(t, "../../flows", "../../locales")
	proofs, err := proofdir.New(filepath.Join(t.TempDir(), "proofs"))
	if err != nil {
		t.Fatal(err)
	}
	a := &attachChat{out: &bytes.Buffer{}, rec: &recorder{}, proofs: proofs}
	a.chat = &console.Chat{
		Engine:       bot.NewEngine(bottest.NewMemStore(), content, reg, bot.Config{}),
		Handler:      a.rec,
		Proofs:       proofs,
		MaxProofSize: 1 << 10,
		User:         "u",
		LangHint:     lang,
		ShowIDs:      true,
		Out:          a.out,
	}
	return a
}

// send types line and returns what the chat printed, parsed.
func (a *attachChat) send(t *testing.T, line string) []bot.Reply {
	t.Helper()
	a.out.Reset()
	if _, err := a.chat.Send(context.Background(), line); err != nil {
		t.Fatal(err)
	}
	return parseRendered(t, a.out.String())
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAttachSendsFile(t *testing.T) {
	data := pngBytes(t)
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	// A PNG named .pdf, in a folder with a space: sniffed, not believed.
	path := writeFile(t, "bank sms.pdf", data)
	for name, line := range map[string]string{
		"quoted":        `/attach "` + path + `"`,
		"single quoted": `/attach '` + path + `'`,
		"bare":          "/attach " + path,
		"spaced":        "  /ATTACH   " + path + "  ",
	} {
		t.Run(name, func(t *testing.T) {
			a := newAttachChat(t, "en")
			got := a.send(t, line)
			if len(got) != 1 || got[0].MsgID != "got" {
				t.Fatalf("printed %v, want the handler's reply", got)
			}
			if len(a.rec.events) != 1 {
				t.Fatalf("%d events sent, want 1", len(a.rec.events))
			}
			ev := a.rec.events[0]
			if ev.Kind != bot.EventFile || ev.File == nil || ev.Key != a.chat.Key() || ev.DeliveryID == "" {
				t.Fatalf("sent %+v, want an EventFile of the chat", ev)
			}
			want := bot.Attachment{
				Name: "bank sms.pdf", Mime: "image/png", Size: int64(len(data)), SHA256: hash,
				ChannelRef: "bank sms.pdf", StoreRef: bot.ProofOwner(a.chat.Key()) + "." + hash,
			}
			if *ev.File != want {
				t.Errorf("sent %+v, want %+v", *ev.File, want)
			}
			rc, err := a.proofs.Open(context.Background(), ev.File.StoreRef)
			if err != nil {
				t.Fatalf("file not in the proof store: %v", err)
			}
			defer rc.Close()
			if stored, _ := io.ReadAll(rc); !bytes.Equal(stored, data) {
				t.Errorf("stored %d bytes, want the file's %d", len(stored), len(data))
			}
		})
	}
}

func TestAttachRefused(t *testing.T) {
	dir := t.TempDir()
	big := append(pngBytes(t), make([]byte, 2<<10)...)
	tests := []struct {
		name, line, lang string
		wantID, wantText string
	}{
		{"too large", "/attach " + writeFile(t, "big.png", big), "en", bot.MsgProofTooLarge, "the limit is 1 KB"},
		{"too large zh", "/attach " + writeFile(t, "big.png", big), "zh-CN", bot.MsgProofTooLarge, "最大 1 KB"},
		{"text named png", "/attach " + writeFile(t, "fake.png", []byte("not a picture")), "en", bot.MsgProofType, "photos (JPG, PNG, HEIC"},
		{"html", "/attach " + writeFile(t, "page.html", []byte("<html><body>hi</body></html>")), "en", bot.MsgProofType, "photos (JPG, PNG, HEIC"},
		{"empty", "/attach " + writeFile(t, "empty.jpg", nil), "en", bot.MsgProofType, "photos (JPG, PNG, HEIC"},
		{"missing", "/attach " + filepath.Join(dir, "nope.png"), "en", bot.MsgProofMissingFile, "find or read that file: " + filepath.Join(dir, "nope.png")},
		{"missing zh by default", "/attach /no/such/file.png", "", bot.MsgProofMissingFile, "找不到或无法读取文件：/no/such/file.png"},
		{"directory", "/attach " + dir, "en", bot.MsgProofMissingFile, "find or read that file: " + dir},
		{"no path", "/attach", "en", bot.MsgProofMissingFile, "find or read that file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAttachChat(t, tt.lang)
			got := a.send(t, tt.line)
			if len(got) != 1 || got[0].MsgID != tt.wantID || !strings.Contains(got[0].Text, tt.wantText) {
				t.Errorf("printed %+v, want [%s] containing %q", got, tt.wantID, tt.wantText)
			}
			if len(a.rec.events) != 0 {
				t.Errorf("sent %+v, want nothing", a.rec.events)
			}
			if _, err := os.Stat(a.proofs.Dir()); !os.IsNotExist(err) {
				t.Errorf("proof store written: %v", err)
			}
		})
	}
}

// TestAttachWithoutStore sends /attach as text when the chat has no proof
// store, and other lines as text in any case.
func TestAttachWithoutStore(t *testing.T) {
	a := newAttachChat(t, "en")
	a.chat.Proofs = nil
	a.send(t, "/attach x.png")
	a.chat.Proofs = a.proofs
	a.send(t, "/attachments please")
	a.send(t, "please /attach x.png")
	if len(a.rec.events) != 3 {
		t.Fatalf("%d events, want 3", len(a.rec.events))
	}
	for i, want := range []string{"/attach x.png", "/attachments please", "please /attach x.png"} {
		if ev := a.rec.events[i]; ev.Kind != bot.EventText || ev.Text != want {
			t.Errorf("event %d: %+v, want text %q", i, ev, want)
		}
	}
}

// TestAttachMessageFallback shows the message ID when the locale files
// lack the message, rather than nothing.
func TestAttachMessageFallback(t *testing.T) {
	out := &bytes.Buffer{}
	proofs, err := proofdir.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	chat := &console.Chat{Handler: &recorder{}, Proofs: proofs, User: "u", Out: out}
	if _, err := chat.Send(context.Background(), "/attach /no/such/file"); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "bot: "+bot.MsgProofMissingFile+"\n"; got != want {
		t.Errorf("printed %q, want %q", got, want)
	}
}

// TestRunAttach pipes an /attach line as a script would.
func TestRunAttach(t *testing.T) {
	a := newAttachChat(t, "en")
	path := writeFile(t, "statement.png", pngBytes(t))
	in := strings.NewReader("hello\n/attach " + path + "\n")
	if err := a.chat.Run(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if len(a.rec.events) != 2 || a.rec.events[0].Kind != bot.EventText || a.rec.events[1].Kind != bot.EventFile {
		t.Fatalf("events %+v, want a text and a file", a.rec.events)
	}
	if a.rec.events[0].DeliveryID == a.rec.events[1].DeliveryID {
		t.Errorf("two messages share delivery ID %q", a.rec.events[0].DeliveryID)
	}
}
