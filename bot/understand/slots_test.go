package understand_test

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slipdesk/slipdesk/bot/understand"
)

func TestSlotTypes(t *testing.T) {
	manyDigits := strings.Repeat("9", 10000)
	tests := []struct {
		typ, in string
		want    string
		wantOK  bool
	}{
		{"text", "Starlight Supermarket", "Starlight Supermarket", true},
		{"text", "  星光超市 \n 人民路店  ", "星光超市 人民路店", true},
		{"text", "🧾 receipt", "🧾 receipt", true},
		{"text", "🧾🧾", "", false},
		{"text", "???", "", false},
		{"text", "１２３", "１２３", true},
		{"text", strings.Repeat("字", understand.MaxTextLen), strings.Repeat("字", understand.MaxTextLen), true},
		{"text", strings.Repeat("字", understand.MaxTextLen+1), "", false},
		{"text", manyDigits, "", false},
		{"text", "", "", false},
		{"text", " \t\n ", "", false},

		{"yesno", "yes", "yes", true},
		{"yesno", "no", "no", true},
		{"yesno", "是", "yes", true},
		{"yesno", "否", "no", true},
		{"yesno", "好的", "yes", true},
		{"yesno", "不是", "no", true},
		{"yesno", "ＹＥＳ", "yes", true},
		{"yesno", "Yes!", "yes", true},
		{"yesno", "  No.  ", "no", true},
		{"yesno", "是的。", "yes", true},
		{"yesno", "没有", "no", true},
		{"yesno", "Y", "yes", true},
		{"yesno", "ｙ", "yes", true},
		{"yesno", "对", "yes", true},
		{"yesno", "对啊", "yes", true},
		{"yesno", "嗯嗯", "yes", true},
		{"yesno", "没问题", "yes", true},
		{"yesno", "yup", "yes", true},
		{"yesno", "不用了", "no", true},
		{"yesno", "算了", "no", true},
		{"yesno", "No thanks", "no", true},
		{"yesno", "ＮＯ", "no", true},
		{"yesno", "maybe", "", false},
		{"yesno", "是不是", "", false},
		{"yesno", "yes no", "", false},
		{"yesno", "👍", "", false},
		{"yesno", manyDigits, "", false},
		{"yesno", "", "", false},

		{"number", "12", "12", true},
		{"number", "１２", "12", true},
		{"number", "1,280", "1280", true},
		{"number", "１，２８０", "1280", true},
		{"number", " 7 ", "7", true},
		{"number", "007", "7", true},
		{"number", "0", "0", true},
		{"number", "999999999999999999", "999999999999999999", true},
		{"number", "9999999999999999999", "", false},
		{"number", "-5", "", false},
		{"number", "+5", "", false},
		{"number", "1.5", "", false},
		{"number", "1 280", "", false},
		{"number", "0x10", "", false},
		{"number", "1_000", "", false},
		{"number", "十二", "", false},
		{"number", "abc", "", false},
		{"number", "🧾", "", false},
		{"number", manyDigits, "", false},
		{"number", "", "", false},
		{"number", ",", "", false},
	}
	types := understand.Types()
	env := understand.Env{Now: time.Now(), Loc: understand.DefaultLocation()}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 20 {
			name = name[:20] + "..."
		}
		t.Run(tt.typ+"/"+name, func(t *testing.T) {
			st := types[tt.typ]
			if st == nil {
				t.Fatalf("no slot type %q", tt.typ)
			}
			got, problem := st.Parse(env, tt.in)
			ok := problem == ""
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("%s.Parse(%q): got %q, %v, want %q, %v", tt.typ, tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func FuzzSlotTypes(f *testing.F) {
	for _, s := range []string{"", "yes", "是", "否", "好的", "不是", "ＹＥＳ", "1,280", "１２", "🧾", "\xff\xfe", " \t ", strings.Repeat("9", 100)} {
		f.Add(s)
	}
	types := understand.Types()
	env := understand.Env{Now: time.Now(), Loc: understand.DefaultLocation()}
	f.Fuzz(func(t *testing.T, s string) {
		for name, st := range types {
			v, problem := st.Parse(env, s)
			if problem != "" {
				if v != "" {
					t.Errorf("%s.Parse(%q): got %q with false, want \"\"", name, s, v)
				}
				continue
			}
			// A parsed value is normalised: parsing it again keeps it.
			if again, problem := st.Parse(env, v); problem != "" || again != v {
				t.Errorf("%s.Parse(%q) = %q, but %s.Parse(%q) = %q, %q", name, s, v, name, v, again, problem)
			}
			switch name {
			case "yesno":
				if v != "yes" && v != "no" {
					t.Errorf("yesno.Parse(%q): got %q, want yes or no", s, v)
				}
			case "number":
				if _, err := strconv.ParseUint(v, 10, 64); err != nil {
					t.Errorf("number.Parse(%q): got %q, not a number: %v", s, v, err)
				}
			case "text":
				if v == "" || utf8.RuneCountInString(v) > understand.MaxTextLen {
					t.Errorf("text.Parse(%q): got %q, want 1 to %d characters", s, v, understand.MaxTextLen)
				}
			}
		}
	})
}
