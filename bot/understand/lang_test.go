package understand_test

import (
	"testing"

	"github.com/slipdesk/slipdesk/bot/understand"
)

func TestClearLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"你好", "zh-CN"},
		{"我的POS小票丢了", "zh-CN"},
		{"用visa付的", "zh-CN"},
		{"OK", ""},
		{"ok好的", "zh-CN"},
		{"hi", "en"},
		{"I lost my receipt", "en"},
		{"yesterday 3pm", "en"},
		{"128", ""},
		{"🙈", ""},
		{"星光超市 Starlight", ""},
		{"KFC", ""},
		{"昨天下午3pm", "zh-CN"},
	}
	for _, tt := range tests {
		if got := understand.ClearLang(tt.in); got != tt.want {
			t.Errorf("ClearLang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
