package console_test

import (
	"testing"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/bot"
)

// TestRenderNamesAFile: a reply with a file shows its caption and names
// the file, since a terminal shows no pictures.
func TestRenderNamesAFile(t *testing.T) {
	r := bot.Reply{MsgID: "sys.alert.shared_file", Text: "Case PS-7K3Q9: the customer shared this file", File: &bot.Attachment{Name: "sms.png", Mime: "image/png", Size: 2048}}
	got := console.Render(r, false)
	want := "bot: Case PS-7K3Q9: the customer shared this file\n     [file sms.png, image/png, 2 KB]\n"
	if got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
}
