package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

var caseNoRe = regexp.MustCompile(`PS-[0-9A-Z]{5}`)

// TestCasesCommands builds cases the way people do, through "slipdesk
// chat" on a shared Redis, and reads them back with the operators'
// commands: a case alerted to a linked shop that answers, one alerted to
// a shop with no linked chat (escalated as it opens, with no alert), one for a shop slipdesk does not know, with a proof
// file, and a handover.
func TestCasesCommands(t *testing.T) {
	env := map[string]string{"REDIS_URL": redisURL(), "SLIPDESK_KEY_PREFIX": testPrefix(t), "SLIPDESK_PROOF_DIR": t.TempDir()}
	run := func(stdin string, args ...string) string {
		t.Helper()
		out, code := runMain(t, env, stdin, args...)
		if code != 0 {
			t.Fatalf("%q: exit %d, output:\n%s", args, code, out)
		}
		return out
	}
	linked := strings.TrimSpace(run("", "merchants", "add", "--name", "星光超市"))
	unlinked := strings.TrimSpace(run("", "merchants", "add", "--name", "月亮便利店"))
	code := strings.TrimSpace(run("", "merchants", "link-code", linked))
	if out := run("/start "+code+"\n", "chat", "--user", "shop", "--show-ids"); !strings.Contains(out, "[system.linked]") {
		t.Fatalf("shop chat not linked:\n%s", out)
	}

	// Consent, I paid, a card slip, when, the shop, only lost, how much,
	// credit card, its last four, no IDs, for a refund, all correct, open
	// a case; then "it is this shop" when the shop is known.
	details := func(shop string) string {
		return "你好\n1\n1\n1\n昨天下午3点\n" + shop + "\n1\n128元\n2\n1234\n1\n1\n1\n1\n"
	}
	report := func(user, stdin string) string {
		t.Helper()
		out := run(stdin, "chat", "--user", user, "--show-ids")
		no := caseNoRe.FindString(out)
		if no == "" {
			t.Fatalf("%s opened no case:\n%s", user, out)
		}
		return no
	}
	// Proof later.
	answered := report("alice", details("星光超市")+"1\n6\n")
	dead := report("bob", details("月亮便利店")+"1\n6\n")
	photo := filepath.Join(t.TempDir(), "sms.png")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	if err := os.WriteFile(photo, png, 0o600); err != nil {
		t.Fatal(err)
	}
	// No shop to confirm; a bank SMS, sent, done.
	open := report("carol", details("太阳商店")+"1\n/attach "+photo+"\n1\n")

	if out := run("1\n", "chat", "--user", "shop", "--show-ids"); !strings.Contains(out, "[merchant_desk.sent]") {
		t.Fatalf("shop did not answer %s:\n%s", answered, out)
	}
	run("你好\n/human\n", "chat", "--user", "dave", "--show-ids")

	list := func(args ...string) []string {
		t.Helper()
		out := run("", append([]string{"cases", "list"}, args...)...)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if !regexp.MustCompile(`^CASE +STATUS +REASON +MERCHANT +OPENED +UPDATED +PROOFS +ANONYMOUS$`).MatchString(lines[0]) {
			t.Fatalf("cases list %q: header %q", args, lines[0])
		}
		return lines[1:]
	}
	cases := func(rows []string) []string {
		var nos []string
		for _, r := range rows {
			nos = append(nos, caseNoRe.FindString(r))
		}
		return nos
	}

	t.Run("list", func(t *testing.T) {
		rows := list()
		if got := cases(rows); len(got) != 3 || !containsAll(strings.Join(got, " "), answered, dead, open) {
			t.Fatalf("cases list shows %q, want %s, %s and %s:\n%s", got, answered, dead, open, strings.Join(rows, "\n"))
		}
		date := `\d{4}-\d\d-\d\d \d\d:\d\d`
		for _, want := range []string{
			"^" + open + " +open +merchant_unregistered +- +" + date + " +" + date + " +1 +no$",
			"^" + dead + " +escalated +merchant_unreachable +" + unlinked + " +" + date + " +" + date + " +0 +no$",
			"^" + answered + " +merchant_answered +- +" + linked + " +" + date + " +" + date + " +0 +no$",
		} {
			if !regexp.MustCompile("(?m)" + want).MatchString(strings.Join(rows, "\n")) {
				t.Errorf("no row matches %s:\n%s", want, strings.Join(rows, "\n"))
			}
		}
		for _, tt := range []struct {
			args []string
			want []string
		}{
			{[]string{"--status", "open"}, []string{open}},
			{[]string{"--status", "escalated"}, []string{dead}},
			{[]string{"--status", "unreachable"}, []string{dead}},
			{[]string{"--status", "unregistered"}, []string{open}},
			{[]string{"--status", "waiting_merchant"}, nil},
			{[]string{"--status", "MERCHANT_ANSWERED"}, []string{answered}},
			{[]string{"--status", "resolved"}, nil},
			{[]string{"--merchant", strings.ToLower(linked)}, []string{answered}},
			{[]string{"--merchant", unlinked, "--status", "open"}, nil},
			{[]string{"--merchant", unlinked, "--status", "all"}, []string{dead}},
		} {
			out, errOut, code := runCapture(t, env, append([]string{"cases", "list"}, tt.args...)...)
			var got []string
			if out != "" {
				got = cases(strings.Split(strings.TrimSuffix(out, "\n"), "\n")[1:])
			}
			if code != 0 || strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("cases list %q: exit %d, cases %q, want %q\n%s%s", tt.args, code, got, tt.want, out, errOut)
			}
			if tt.want == nil && !strings.Contains(errOut, "no cases") {
				t.Errorf("cases list %q found nothing without saying so: %q", tt.args, errOut)
			}
		}
		if rows := list("--limit", "2"); len(rows) != 2 {
			t.Errorf("cases list --limit 2 shows %d rows", len(rows))
		}
	})

	t.Run("show", func(t *testing.T) {
		ref := strings.ToLower(strings.Replace(answered, "-", " ", 1))
		out := run("", "cases", "show", ref)
		for _, want := range []string{
			"Case: +" + answered, "Status: +merchant_answered", "Merchant: +" + linked + ` \(星光超市\)`,
			"Consumer: +on console", "Anonymous: +no", "Language: +zh-CN",
			"(?m)^  amount: 128.00$", "(?m)^  last4: 1234$", "(?m)^  merchant: 星光超市$",
			`History:\n  TIME +STATUS +ACTOR +NOTE\n`,
			"open +consumer", "waiting_merchant +consumer +merchant alerted",
			"merchant_answered +merchant:" + linked + " +found",
			"Merchant's answer:\n  found at ",
		} {
			if !regexp.MustCompile(want).MatchString(out) {
				t.Errorf("cases show %q lacks %s:\n%s", ref, want, out)
			}
		}
		if strings.Contains(out, "alice") {
			t.Errorf("cases show names the consumer:\n%s", out)
		}
		// Fields in order of their names.
		if a, l := strings.Index(out, "  amount:"), strings.Index(out, "  last4:"); a < 0 || l < a {
			t.Errorf("fields not sorted:\n%s", out)
		}

		out = run("", "cases", "show", open)
		sum := sha256.Sum256(png)
		for _, want := range []string{
			"Status: +open", "Merchant: +none",
			"bank_sms +image/png +" + regexp.QuoteMeta(bot.FormatSize(int64(len(png)))) + " +" + hex.EncodeToString(sum[:])[:12] +
				" +" + bot.ProofOwner(bot.Key{Channel: "console", User: "carol"}) + `\.` + hex.EncodeToString(sum[:]),
		} {
			if !regexp.MustCompile(want).MatchString(out) {
				t.Errorf("cases show %s lacks %s:\n%s", open, want, out)
			}
		}
		if strings.Contains(out, "carol") {
			t.Errorf("cases show names the consumer:\n%s", out)
		}

		// Times are in the configured zone.
		opened := func(zone string) time.Time {
			t.Helper()
			e := map[string]string{"SLIPDESK_TIME_ZONE": zone}
			for k, v := range env {
				e[k] = v
			}
			out, code := runMain(t, e, "", "cases", "show", open)
			m := regexp.MustCompile(`Opened: +(.+)`).FindStringSubmatch(out)
			if code != 0 || m == nil {
				t.Fatalf("cases show in %s: exit %d\n%s", zone, code, out)
			}
			at, err := time.Parse(timeLayout, m[1])
			if err != nil {
				t.Fatal(err)
			}
			return at
		}
		if d := opened("Asia/Shanghai").Sub(opened("UTC")); d != 8*time.Hour {
			t.Errorf("opened in Asia/Shanghai is %v after UTC, want 8h", d)
		}

		out, errOut, code := runCapture(t, env, "cases", "show", "PS-33333")
		if code != 1 || out != "" || !strings.Contains(errOut, "no case PS-33333") {
			t.Errorf("show an unknown case: exit %d, stdout %q, stderr %q; want exit 1 saying so", code, out, errOut)
		}
	})

	t.Run("merchants wanted", func(t *testing.T) {
		out := run("", "merchants", "wanted")
		if !regexp.MustCompile(`(?m)^NAME +CASES\n太阳商店 +1$`).MatchString(out) {
			t.Errorf("merchants wanted:\n%s\nwant 太阳商店 named by one case", out)
		}
	})

	t.Run("alerts dead", func(t *testing.T) {
		// The shop with no linked chat is never alerted: its case went to
		// operators as it opened, so no alert was left to die.
		out, errOut, code := runCapture(t, env, "alerts", "dead")
		if code != 0 || out != "" || !strings.Contains(errOut, "no dead-lettered alerts") {
			t.Errorf("alerts dead: exit %d, stdout %q, stderr %q; want none", code, out, errOut)
		}
	})

	t.Run("ops events", func(t *testing.T) {
		out := run("", "ops", "events", "--limit", "5")
		want := `(?m)^TIME +KIND +CASE +REASON +CONVERSATION\n\d{4}-\d\d-\d\d \d\d:\d\d +handover +- +asked +console:dave$`
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("ops events:\n%s\nwant a line matching %s", out, want)
		}
	})

	t.Run("command line errors", func(t *testing.T) {
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"cases"}, "Usage"},
			{[]string{"cases", "delete"}, "unknown command"},
			{[]string{"alerts", "list"}, "unknown command"},
			{[]string{"ops"}, "Usage"},
			{[]string{"cases", "list", "--status", "lost"}, "use one of open, waiting_merchant"},
			{[]string{"cases", "list", "--limit", "0"}, "--limit"},
			{[]string{"cases", "list", "--merchant", "12345"}, "not a merchant ID"},
			{[]string{"cases", "list", "extra"}, "unexpected argument"},
			{[]string{"cases", "show"}, "one case number"},
			{[]string{"cases", "show", "PS-00000"}, "not a case number"},
			{[]string{"alerts", "dead", "--limit", "x"}, "invalid value"},
			{[]string{"ops", "events", "extra"}, "unexpected argument"},
		} {
			out, errOut, code := runCapture(t, env, tt.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 saying %q", tt.args, code, out, errOut, tt.want)
			}
		}
		if out, _, code := runCapture(t, env, "cases", "help"); code != 0 || !strings.Contains(out, "slipdesk cases show NO") {
			t.Errorf("cases help: exit %d, stdout %q", code, out)
		}
	})
}

// With no REDIS_URL the commands run on an empty embedded store and say
// that it is not where the cases are.
func TestCasesWithoutRedis(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"cases", "list"}, "no cases"},
		{[]string{"alerts", "dead"}, "no dead-lettered alerts"},
		{[]string{"ops", "events"}, "no operator events"},
	} {
		out, errOut, code := runCapture(t, map[string]string{}, tt.args...)
		if code != 0 || out != "" || !strings.Contains(errOut, "set REDIS_URL") || !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 0, a warning and %q", tt.args, code, out, errOut, tt.want)
		}
	}
	out, errOut, code := runCapture(t, map[string]string{}, "cases", "show", "PS-7K3Q9")
	if code != 1 || out != "" || !strings.Contains(errOut, "no case PS-7K3Q9") {
		t.Errorf("show on the embedded store: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestPrintable keeps terminal escapes that users typed from reaching an
// operator's terminal.
func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"星光超市":          "星光超市",
		"a\nb":          `a\nb`,
		"\x1b[2Jwiped":  `\x1b[2Jwiped`,
		"gpj.\u202eexe": `gpj.\u202eexe`,
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
