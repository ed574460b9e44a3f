package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/bot"
)

// TestChatAttach sends a file with /attach in "slipdesk chat" and finds
// it in the proof directory the environment names; a refused file is
// answered without reaching the store.
func TestChatAttach(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "proofs")
	photo := filepath.Join(t.TempDir(), "bank sms.png")
	data := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	if err := os.WriteFile(photo, data, 0o600); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(t.TempDir(), "notes.png")
	if err := os.WriteFile(text, []byte("just text"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SLIPDESK_PROOF_DIR": dir, "SLIPDESK_PROOF_MAX_SIZE": "1MiB"}
	stdin := "hello\n/attach " + text + "\n/attach \"" + photo + "\"\n"
	out, code := runMain(t, env, stdin, "chat", "--show-ids", "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	if !strings.Contains(out, "[sys.proof.type]") {
		t.Errorf("text file not refused:\n%s", out)
	}
	sum := sha256.Sum256(data)
	// The default user of "slipdesk chat" is "me".
	owner := bot.ProofOwner(bot.Key{Channel: console.Channel, User: "me"})
	stored, err := os.ReadFile(filepath.Join(dir, owner, hex.EncodeToString(sum[:])))
	if err != nil {
		t.Fatalf("photo not in the proof directory: %v\noutput:\n%s", err, out)
	}
	if string(stored) != string(data) {
		t.Errorf("stored %q, want %q", stored, data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("proof directory holds %d entries, want the user's folder only", len(entries))
	}
}
