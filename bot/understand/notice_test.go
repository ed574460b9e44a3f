package understand_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot/understand"
)

// noticeEnv is the clock the notice files are written for.
func noticeEnv() understand.Env {
	loc := understand.DefaultLocation()
	return understand.Env{Now: time.Date(2026, 11, 25, 21, 0, 0, 0, loc), Loc: loc}
}

// readNotices reads testdata/notices: each file a notice, "---", and the
// fields expected.
func readNotices(t testing.TB) map[string][2]string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/notices/*.txt")
	if err != nil || len(files) < 12 {
		t.Fatalf("notice files: %v, %v; want at least 12", files, err)
	}
	out := map[string][2]string{}
	for _, f := range files {
		buf, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, want, ok := strings.Cut(string(buf), "\n---\n")
		if !ok {
			t.Fatalf("%s: no --- line", f)
		}
		out[filepath.Base(f)] = [2]string{text, want}
	}
	return out
}

func TestParseNoticeFiles(t *testing.T) {
	for name, nf := range readNotices(t) {
		t.Run(name, func(t *testing.T) {
			n, ok := understand.ParseNotice(noticeEnv(), nf[0])
			if !ok {
				t.Fatalf("not read as a notice:\n%s", nf[0])
			}
			want := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(nf[1]), "\n") {
				k, v, _ := strings.Cut(line, ": ")
				want[k] = v
			}
			got := n.Fields()
			for _, k := range []string{"when", "amount", "last4", "merchant", "paid_by"} {
				if got[k] != want[k] {
					t.Errorf("%s: got %q, want %q", k, got[k], want[k])
				}
			}
		})
	}
}

func TestParseNoticeRefusesAnswers(t *testing.T) {
	for _, s := range []string{
		"128元", "星光超市", "昨天下午3点", "尾号1234", "我在星光超市买东西，小票丢了",
		"yesterday 3pm at Starlight", "【招商银行】您的验证码是123456", "余额 128.00元",
		"my card ending 1234", "¥128", "",
	} {
		if n, ok := understand.ParseNotice(noticeEnv(), s); ok {
			t.Errorf("ParseNotice(%q) = %+v, want no notice", s, n)
		}
	}
}

func FuzzParseNotice(f *testing.F) {
	for _, nf := range readNotices(f) {
		f.Add(nf[0])
	}
	env := noticeEnv()
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := understand.ParseNotice(env, s)
		if !ok {
			if n != (understand.Notice{}) {
				t.Fatalf("ParseNotice(%q) = %+v with false", s, n)
			}
			return
		}
		if v, problem := understand.Types()["amount"].Parse(env, n.Amount); problem != "" || v != n.Amount {
			t.Errorf("ParseNotice(%q): amount %q is no amount slot value", s, n.Amount)
		}
		if n.When != "" {
			if v, problem := understand.Types()["datetime"].Parse(env, n.When); problem != "" || v != n.When {
				t.Errorf("ParseNotice(%q): when %q is no datetime slot value", s, n.When)
			}
		}
		if n.Last4 != "" && (len(n.Last4) != 4 || strings.Trim(n.Last4, "0123456789") != "") {
			t.Errorf("ParseNotice(%q): last4 %q", s, n.Last4)
		}
	})
}
