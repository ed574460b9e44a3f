package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestTwoTerminals plays the README's walk-through: with one shared
// Redis, an operator registers a shop and gives it a link code, one
// "slipdesk chat" links the shop's chat, another reports a lost slip
// there, the shop's chat gets the alert and answers with one tap, and the
// consumer's chat shows the answer.
func TestTwoTerminals(t *testing.T) {
	env := map[string]string{"REDIS_URL": redisURL(), "SLIPDESK_KEY_PREFIX": testPrefix(t), "SLIPDESK_PROOF_DIR": t.TempDir()}
	id, code := runMain(t, env, "", "merchants", "add", "--name", "星光超市", "--alias", "Starlight", "--lang", "zh-CN")
	if code != 0 {
		t.Fatalf("merchants add: exit %d", code)
	}
	id = strings.TrimSpace(id)
	link, code := runMain(t, env, "", "merchants", "link-code", id)
	if code != 0 {
		t.Fatalf("merchants link-code: exit %d", code)
	}
	out, _ := runMain(t, env, "/start "+strings.TrimSpace(link)+"\n", "chat", "--user", "shop", "--show-ids")
	if !strings.Contains(out, "[system.linked]") || !strings.Contains(out, "星光超市") {
		t.Fatalf("shop chat not linked:\n%s", out)
	}

	// Consent, I paid, a card slip, when, where, only lost, how much,
	// credit card, its last four, no IDs, for a refund, all correct, open
	// a case, it is this shop, proof later.
	report := "你好\n1\n1\n1\n昨天下午3点\n星光超市\n1\n128元\n2\n1234\n1\n1\n1\n1\n1\n6\n"
	out, _ = runMain(t, env, report, "chat", "--user", "alice", "--show-ids")
	no := regexp.MustCompile(`PS-[0-9A-Z]{5}`).FindString(out)
	if no == "" || !strings.Contains(out, "[consumer.wait_merchant]") {
		t.Fatalf("no case opened:\n%s", out)
	}

	out, _ = runMain(t, env, "1\n", "chat", "--user", "shop", "--show-ids")
	for _, want := range []string{"[merchant_desk.alert]", no, "卡号后四位：1234", "[merchant_desk.sent]"} {
		if !strings.Contains(out, want) {
			t.Errorf("shop chat lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "alice") {
		t.Errorf("the shop sees who the customer is:\n%s", out)
	}

	out, _ = runMain(t, env, "/status\n", "chat", "--user", "alice", "--show-ids")
	for _, want := range []string{"[consumer.merchant_found]", "[sys.case.line]", "找到这笔交易"} {
		if !strings.Contains(out, want) {
			t.Errorf("consumer chat lacks %q:\n%s", want, out)
		}
	}
}
