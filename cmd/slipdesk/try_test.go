package main

import (
	"strings"
	"testing"
)

func TestFlowsTry(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string // lines the output must hold, in order
	}{
		{
			name: "choice",
			args: []string{"consent", "好的", "sure", "随便"},
			want: []string{`"好的"`, "  value: agree (slot consent)", `"sure"`, "  value: agree (slot consent)", `"随便"`, "  asks again: sys.choose_one"},
		},
		{
			name: "typed question",
			args: []string{"--now", "2026-11-25 21:00", "consumer.when", "为什么要这个？", "昨天3点", "忘了", "前几天"},
			want: []string{"  asks why: says consumer.why_when, then asks again", "  value: 2026-11-24 15:00 (slot when)",
				"  value: unknown (slot when kept empty)", "  value: ~2026-11-22 (slot when)"},
		},
		{
			name: "a notice at a question",
			args: []string{"--now", "2026-11-25 21:00", "consumer.amount", "【招商银行】您尾号1234的信用卡11月24日15:32在星光超市消费人民币128.00元"},
			want: []string{"  a pasted notification: fills amount=128.00, last4=1234, merchant=星光超市, paid_by=credit, when=2026-11-24 15:32"},
		},
		{
			name:  "first messages from standard input",
			stdin: "我的卡被盗刷了！！\n用支付宝付的小票丢了\n你好\n",
			args:  []string{"--first"},
			want: []string{"  leads to: consumer.urgent_first (intent fraud)", "  fills: problem=fraud, who=consumer",
				"  leads to: consumer.welcome (intent lost)", "  fills: paid_by=alipay, who=consumer",
				"  leads to: consumer.welcome (no intent: the start flow)"},
		},
		{
			name: "a card number is masked first",
			args: []string{"consumer.last4", "4111 1111 1111 1111"},
			want: []string{`  masked first (card): "****1111"`, "  value: 1111 (slot last4)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := runMain(t, nil, tt.stdin, append([]string{"flows", "try"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d, output:\n%s", code, out)
			}
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w+"\n")
				if i < 0 {
					t.Fatalf("output lacks %q (in order):\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestFlowsTryRefusesNoQuestion(t *testing.T) {
	for _, step := range []string{"consumer.welcome", "nowhere"} {
		if out, code := runMain(t, nil, "", "flows", "try", step, "hi"); code != 2 {
			t.Errorf("flows try %s: exit %d, want 2; output:\n%s", step, code, out)
		}
	}
}
