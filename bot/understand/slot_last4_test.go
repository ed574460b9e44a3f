package understand_test

import (
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot/understand"
)

func TestLast4Slot(t *testing.T) {
	const bad = understand.MsgLast4
	tests := []slotCase{
		{"1234", "1234", ""},
		{"0042", "0042", ""},
		{" 1234。", "1234", ""},
		{"１２３４", "1234", ""},
		{"尾号1234", "1234", ""},
		{"尾号是1234", "1234", ""},
		{"尾号：1234", "1234", ""},
		{"卡号后四位 1234", "1234", ""},
		{"后4位1234", "1234", ""},
		{"ending 1234", "1234", ""},
		{"Ending in 1234", "1234", ""},
		{"card ending 1234", "1234", ""},
		{"last 4 digits: 1234", "1234", ""},
		{"last four is 1234", "1234", ""},
		{"****1234", "1234", ""},
		{"**** **** **** 1234", "1234", ""},
		{"xxxx-xxxx-xxxx-1234", "1234", ""},
		{"＊＊＊＊１２３４", "1234", ""},
		{"•••• 1234", "1234", ""},

		{"123", "", bad},
		{"12345", "", bad},
		{"1234 5678", "", bad},
		{"6222021234567890", "", bad},
		{"6222 0212 3456 7890", "", bad},
		{"6222********1234", "", bad},
		{"1234 thanks", "", bad},
		{"12a4", "", bad},
		{"一二三四", "", bad},
		{"尾号", "", bad},
		{"last 4", "", bad},
		{"****", "", bad},
		{"1*2*3*4", "", bad},
		{"-1234", "1234", ""},
	}
	for _, s := range hostile {
		tests = append(tests, slotCase{s, "", bad})
	}
	runSlotCases(t, "last4", slotEnv(), tests)
}

func FuzzLast4Slot(f *testing.F) {
	for _, s := range []string{"1234", "１２３４", "尾号1234", "ending 1234", "****1234", "12345", "6222021234567890", "\xff", "🧾", strings.Repeat("9", 300)} {
		f.Add(s)
	}
	st := understand.Types()["last4"]
	env := slotEnv()
	f.Fuzz(func(t *testing.T, s string) {
		v, problem := st.Parse(env, s)
		if problem != "" {
			if v != "" || problem != understand.MsgLast4 {
				t.Errorf("Parse(%q) = %q, %q; want no value and %s", s, v, problem, understand.MsgLast4)
			}
			return
		}
		if len(v) != 4 || strings.Trim(v, "0123456789") != "" {
			t.Fatalf("Parse(%q) = %q, want four digits", s, v)
		}
		if again, problem := st.Parse(env, v); again != v || problem != "" {
			t.Errorf("Parse(%q) = %q, but Parse(%q) = %q, %q", s, v, v, again, problem)
		}
	})
}
