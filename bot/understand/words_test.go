package understand_test

import (
	"testing"

	"github.com/slipdesk/slipdesk/bot/understand"
)

func TestAnswerKinds(t *testing.T) {
	tests := []struct {
		name string
		f    func(string) bool
		yes  []string
		no   []string
	}{
		{"AsksWhy", understand.AsksWhy,
			[]string{"为什么要这个？", "问这个干嘛", "为啥", "why do you need this?", "What for?", "why"},
			[]string{"星光超市", "Whyte's Bakery", "I don't know why I lost it but it was at the Starlight Supermarket on the corner of the road", "somewhy"}},
		{"IsUnknown", understand.IsUnknown,
			[]string{"忘了", "不记得了", "记不清了", "not sure", "dunno", "I don't know", "No idea."},
			[]string{"昨天", "not sure it was yesterday", "知道", "no"}},
		{"IsThanks", understand.IsThanks,
			[]string{"谢谢", "好的谢谢", "谢谢！", "thanks", "Thank you.", "ok thanks"},
			[]string{"谢谢，我还有一个问题", "thanks but it is not solved", "你好"}},
		{"HasLongNumber", understand.HasLongNumber,
			[]string{"星光超市 6222021234567891", "6222 0212 3456 7891", "card ****1111", "1234567890123"},
			[]string{"星光超市", "898110012345", "2026-11-24 15:30", "电话 13812345678"}},
	}
	for _, tt := range tests {
		for _, s := range tt.yes {
			if !tt.f(s) {
				t.Errorf("%s(%q) = false, want true", tt.name, s)
			}
		}
		for _, s := range tt.no {
			if tt.f(s) {
				t.Errorf("%s(%q) = true, want false", tt.name, s)
			}
		}
	}
}

func TestMerchantIDAndNameSlots(t *testing.T) {
	env := understand.Env{}
	types := understand.Types()
	tests := []struct{ typ, in, want, problem string }{
		{"merchant_id", "898110012345676", "898110012345676", ""},
		{"merchant_id", "商户编号：898 1100 1234 5676", "898110012345676", ""},
		{"merchant_id", "ab12-34cd", "AB1234CD", ""},
		{"merchant_id", "****1111", "", understand.MsgMerchantIDCard},
		{"merchant_id", "6222021234567890128", "", understand.MsgMerchantIDCard},
		{"merchant_id", "12", "", understand.MsgMerchantID},
		{"merchant_id", "星光超市", "", understand.MsgMerchantID},
		{"name", "星光超市 人民路店", "星光超市 人民路店", ""},
		{"name", "星光超市 6222021234567891", "", understand.MsgNumberInText},
		{"name", "card ****1111", "", understand.MsgNumberInText},
		{"name", "星光超市 6222\t0212\r\n3456 7891", "", understand.MsgNumberInText},
		{"name", "???", "", understand.MsgRetry},
	}
	for _, tt := range tests {
		v, problem := types[tt.typ].Parse(env, tt.in)
		if v != tt.want || problem != tt.problem {
			t.Errorf("%s.Parse(%q) = %q, %q; want %q, %q", tt.typ, tt.in, v, problem, tt.want, tt.problem)
		}
	}
}
