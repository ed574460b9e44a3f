package understand_test

import (
	"testing"

	"github.com/slipdesk/slipdesk/bot/understand"
)

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"POS小票", "pos小票"},
		{"POS 小票", "pos小票"},
		{"ＰＯＳ　小票！", "pos小票"},
		{"Don't know.", "dont know"},
		{"  the   FIRST one ", "the first one"},
		{"①", "1"},
		{"1️⃣", "1"},
		{"1、", "1"},
		{"第⑫个", "第12个"},
		{"❸", "3"},
		{"！？。", ""},
		{"a1 b2", "a1 b2"},
	}
	for _, tt := range tests {
		if got := understand.Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOrdinal(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want int
	}{
		{"1", 3, 1}, {"1、", 3, 1}, {"①", 3, 1}, {"1️⃣", 3, 1}, {"(2)", 3, 2},
		{"第一个", 3, 1}, {"第二项", 3, 2}, {"第3个", 3, 3}, {"选2", 3, 2}, {"我选第一个", 3, 1},
		{"最后一个", 4, 4}, {"the first one", 3, 1}, {"first", 3, 1}, {"option 2", 3, 2},
		{"#3", 3, 3}, {"2nd", 3, 2}, {"No. 1", 3, 1}, {"the last one", 5, 5}, {"number two", 3, 2},
		{"4", 3, 0}, {"0", 3, 0}, {"第四个", 3, 0}, {"no", 3, 0}, {"one hundred", 3, 0},
		{"1 and 2", 3, 0}, {"123", 3, 0}, {"一", 3, 0}, {"好的", 3, 0},
	}
	for _, tt := range tests {
		if got := understand.Ordinal(understand.Key(tt.in), tt.n); got != tt.want {
			t.Errorf("Ordinal(%q, %d) = %d, want %d", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestChoicesMatch(t *testing.T) {
	yesNo := understand.NewChoices([][]string{
		{"yes", "是", "对的", "没错", "correct", "looks good"},
		{"no", "不是", "不对", "wrong"},
	})
	lookup := understand.NewChoices([][]string{
		{"none", "不知道", "跳过", "dont know"},
		{"merchant_id", "商户号", "知道商户号", "merchant number"},
		{"terminal_id", "终端号", "terminal id"},
	})
	slip := understand.NewChoices([][]string{
		{"card_slip", "签购单", "小票", "POS小票"},
		{"mobile_receipt", "扫码", "手机支付的小票"},
	})
	tests := []struct {
		c    *understand.Choices
		in   string
		want int
	}{
		{yesNo, "是", 0},
		{yesNo, "对的！", 0},
		{yesNo, "没错，就是这家", 0},
		{yesNo, "Looks good to me", 0},
		{yesNo, "不是", 1},
		{yesNo, "不是的，不对", 1},
		{yesNo, "that is not correct", -1},
		{yesNo, "我的卡号是****1234", -1}, // one character says nothing inside a sentence
		{yesNo, "2", 1},
		{yesNo, "yes and no", -1},
		{yesNo, "eyes", -1}, // a word inside another is no word
		{lookup, "不知道商户号", 0},
		{lookup, "我知道商户号", 1},
		{lookup, "有终端号", 2},
		{lookup, "I know the terminal ID", 2},
		{slip, "POS 小票", 0},
		{slip, "pos小票", 0},
		{slip, "我丢的是手机支付的小票", 1},
		{slip, "小票", 0},
		{slip, "", -1},
	}
	for _, tt := range tests {
		if got := tt.c.Match(tt.in); got != tt.want {
			t.Errorf("Match(%q) = %d, want %d (candidates %v)", tt.in, got, tt.want, tt.c.Candidates(tt.in))
		}
	}
}

func FuzzChoices(f *testing.F) {
	for _, s := range []string{"1", "第一个", "不是", "我的卡号是", "ＰＯＳ 小票", "1️⃣", "\xff", "the first one", "not correct"} {
		f.Add(s)
	}
	c := understand.NewChoices([][]string{{"yes", "是", "没错", "looks good"}, {"no", "不是", "不对"}, {"later", "以后"}})
	f.Fuzz(func(t *testing.T, s string) {
		cs := c.Candidates(s)
		for i, v := range cs {
			if v < 0 || v >= c.Len() || (i > 0 && cs[i-1] >= v) {
				t.Fatalf("Candidates(%q) = %v: out of range or not in order", s, cs)
			}
		}
		if m := c.Match(s); (m >= 0) != (len(cs) == 1) {
			t.Fatalf("Match(%q) = %d with candidates %v", s, m, cs)
		}
	})
}
