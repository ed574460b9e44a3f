package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/poster/postertest"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
)

// TestMerchantsQR: the PNG poster decodes back to a link that opens the
// web chat at the public address with the shop's signed reference; the
// SVG poster carries the same code, the name as text, escaped.
func TestMerchantsQR(t *testing.T) {
	const secret = "qr-test-secret-0123456789"
	env := map[string]string{"REDIS_URL": redisURL(), "SLIPDESK_KEY_PREFIX": testPrefix(t)}
	out, errOut, code := runCapture(t, env, "merchants", "add", "--name", "星光超市 <Starlight & Co>")
	if code != 0 {
		t.Fatalf("add: %d %s", code, errOut)
	}
	id := strings.TrimSpace(out)
	dir := t.TempDir()

	if _, errOut, code := runCapture(t, env, "merchants", "qr", id, "--out", dir); code != 1 || !strings.Contains(errOut, "SLIPDESK_WEB_SECRET") {
		t.Fatalf("qr without a secret: exit %d, %s; want 1 asking for it", code, errOut)
	}
	env["SLIPDESK_WEB_SECRET"] = secret
	env["SLIPDESK_PUBLIC_URL"] = "https://help.example.com/"
	out, errOut, code = runCapture(t, env, "merchants", "qr", strings.ToLower(id), "--out", dir)
	if code != 0 {
		t.Fatalf("qr: exit %d\n%s", code, errOut)
	}
	pngPath, svgPath := filepath.Join(dir, id+"-poster.png"), filepath.Join(dir, id+"-poster.svg")
	if !strings.Contains(out, pngPath) || !strings.Contains(out, svgPath) {
		t.Fatalf("qr printed %q, want both paths", out)
	}
	link := decodeQR(t, pngPath)
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || u.Host != "help.example.com" || u.Path != "/" {
		t.Fatalf("the code holds %q, want the public address", link)
	}
	got, ok := webchat.NewSigner([]byte(secret)).OpenMerchant(u.Query().Get("shop"))
	if !ok || got != id {
		t.Fatalf("the link's shop reference opens %q (%v), want %s", got, ok, id)
	}
	if !strings.Contains(errOut, link) {
		t.Errorf("qr did not tell the link: %s", errOut)
	}

	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok && strings.TrimSpace(string(cd)) != "" {
			texts = append(texts, string(cd))
		}
	}
	want := []string{"星光超市 <Starlight & Co>", "付款单丢了？扫码求助", "Lost your payment slip? Scan for help.", link}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Fatalf("the SVG's texts are %q, want %q", texts, want)
	}
	if bytes.Contains(svg, []byte("<Starlight")) {
		t.Fatal("the SVG carries the shop's name as markup")
	}

	// With the bot's token, it also gives the Telegram deep link whose
	// payload is the shop's signed reference.
	fake := telegramtest.New(t, "4343:qr-token")
	env["TELEGRAM_BOT_TOKEN"], env["TELEGRAM_API_URL"] = "4343:qr-token", fake.URL
	_, errOut, code = runCapture(t, env, "merchants", "qr", id, "--out", dir)
	delete(env, "TELEGRAM_BOT_TOKEN")
	payload := webchat.NewSigner([]byte(secret)).TelegramPayload(id)
	if want := "https://t.me/" + telegramtest.BotUsername + "?start=" + payload; code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("qr with a bot token: exit %d, stderr lacks %s:\n%s", code, want, errOut)
	}

	if _, errOut, code := runCapture(t, env, "merchants", "qr", "M222222", "--out", dir); code != 1 {
		t.Errorf("qr of an unknown merchant: exit %d, %s", code, errOut)
	}
	if _, errOut, code := runCapture(t, env, "merchants", "qr", id, "--font", filepath.Join(dir, "none.ttf"), "--out", dir); code != 1 || !strings.Contains(errOut, "font") {
		t.Errorf("qr with a missing font: exit %d, %s", code, errOut)
	}
}

// decodeQR reads the QR code of a PNG file back.
func decodeQR(t *testing.T, path string) string {
	t.Helper()
	buf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return postertest.Decode(t, buf)
}
