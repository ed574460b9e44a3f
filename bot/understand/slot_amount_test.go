package understand_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot/understand"
)

func TestAmountSlot(t *testing.T) {
	const (
		bad      = understand.MsgAmount
		notPos   = understand.MsgAmountNotPositive
		decimals = understand.MsgAmountTooManyDecimals
		large    = understand.MsgAmountTooLarge
	)
	tests := []slotCase{
		// Digits, currency signs and words.
		{"128", "128.00", ""},
		{"128.5", "128.50", ""},
		{"128.50", "128.50", ""},
		{"128.500", "128.50", ""},
		{"0.5", "0.50", ""},
		{".5", "0.50", ""},
		{"007", "7.00", ""},
		{"¥128.50", "128.50", ""},
		{"￥128.5", "128.50", ""},
		{"¥ 128", "128.00", ""},
		{"128元", "128.00", ""},
		{"128.50 元", "128.50", ""},
		{"128块", "128.00", ""},
		{"128块钱", "128.00", ""},
		{"RMB 128", "128.00", ""},
		{"rmb128", "128.00", ""},
		{"CNY 128", "128.00", ""},
		{"128 CNY", "128.00", ""},
		{"128 yuan", "128.00", ""},
		{"人民币128元", "128.00", ""},
		{"1,280", "1280.00", ""},
		{"1,280.50", "1280.50", ""},
		{"12,345,678", "", large},
		{"1,234,567.89", "1234567.89", ""},
		{"１２８", "128.00", ""},
		{"１，２８０．５", "1280.50", ""},
		{"１２８元", "128.00", ""},
		// Scales.
		{"1.5万", "15000.00", ""},
		{"12万", "120000.00", ""},
		{"3千", "3000.00", ""},
		{"2k", "2000.00", ""},
		{"1.23456万", "12345.60", ""},
		// Chinese numerals, yuan, jiao and fen.
		{"一百二十八元", "128.00", ""},
		{"一千二百八十元五角", "1280.50", ""},
		{"一千零五十元", "1050.00", ""},
		{"一百零五", "105.00", ""},
		{"两百", "200.00", ""},
		{"两百五", "250.00", ""},
		{"一千二", "1200.00", ""},
		{"一万二", "12000.00", ""},
		{"十元", "10.00", ""},
		{"十五块", "15.00", ""},
		{"二十", "20.00", ""},
		{"一百点五", "100.50", ""},
		{"1万2千", "12000.00", ""},
		{"128块5", "128.50", ""},
		{"128元5角", "128.50", ""},
		{"128元5角3分", "128.53", ""},
		{"一块五", "1.50", ""},
		{"3块2毛5", "3.25", ""},
		{"一元零五分", "1.05", ""},
		{"一块零五", "1.05", ""},
		{"5分", "0.05", ""},
		{"五毛", "0.50", ""},
		{"壹佰贰拾捌元伍角整", "128.50", ""},
		{"一百元整", "100.00", ""},
		{"10,000,000", "10000000.00", ""},
		{"一千万", "10000000.00", ""},

		// Not positive.
		{"0", "", notPos},
		{"0.00", "", notPos},
		{"0元", "", notPos},
		{"零", "", notPos},
		{"-5", "", notPos},
		{"-¥5", "", notPos},
		{"¥-5", "", notPos},
		{"负一百", "", notPos},
		{"-0.001", "", notPos},
		// Too many decimals.
		{"1.234", "", decimals},
		{"0.001", "", decimals},
		{"1.2345678万", "", decimals},
		// Too large.
		{"10000000.01", "", large},
		{"20000000", "", large},
		{"123456789", "", large},
		{"九千九百九十九万", "", large},
		{"一亿", "", large},
		{strings.Repeat("9", 150), "", large},
		{"九千九百九十九万亿", "", bad},
		{"9" + strings.Repeat("万", 20), "", bad},
		// Not an amount.
		{"1,28", "", bad},
		{"12,34,567", "", bad},
		{",128", "", bad},
		{"1.2.3", "", bad},
		{"1 280", "", bad},
		{"128..5", "", bad},
		{"$128", "", bad},
		{"128 USD", "", bad},
		{"+5", "", bad},
		{"0x10", "", bad},
		{"1e3", "", bad},
		{"元", "", bad},
		{"元5角", "", bad},
		{"12.5元5角", "", bad},
		{"128块50", "", bad},
		{"百", "", bad},
		{"一百免", "", bad}, // found by FuzzAmountSlot: no unit, no digit
		{"二十三百", "", bad},
		{"一二三", "123.00", ""},
		{"一百点", "", bad},
		{"about 100", "~100.00", ""},
		// Approximate amounts keep a "~"; English words and "w" read too.
		{"一百多块", "~100.00", ""},
		{"100多", "~100.00", ""},
		{"128元左右", "~128.00", ""},
		{"约128元", "~128.00", ""},
		{"~128.00", "~128.00", ""},
		{"1.2w", "12000.00", ""},
		{"1.2万", "12000.00", ""},
		{"one hundred twenty eight", "128.00", ""},
		{"one hundred and twenty-eight yuan", "128.00", ""},
		{"two thousand five hundred", "2500.00", ""},
		{"one hundred apples", "", bad},
		{"多", "", bad},
		{"--5", "", bad},
	}
	for _, s := range hostile {
		tests = append(tests, slotCase{s, "", bad})
	}
	runSlotCases(t, "amount", slotEnv(), tests)
}

var amountValue = regexp.MustCompile(`^(0|[1-9][0-9]{0,7})\.[0-9]{2}$`)

func FuzzAmountSlot(f *testing.F) {
	for _, s := range []string{
		"¥128.50", "￥128.5", "128元", "RMB 128", "CNY 128", "128.5", "1,280", "１２８", "一百二十八元",
		"一千二百八十元五角", "128块5", "两百", "-5", "0", "1.234", "20000000", "1.5万", "3块2毛5", "\xff", "🧾",
	} {
		f.Add(s)
	}
	st := understand.Types()["amount"]
	env := slotEnv()
	f.Fuzz(func(t *testing.T, s string) {
		v, problem := st.Parse(env, s)
		if problem != "" {
			switch problem {
			case understand.MsgAmount, understand.MsgAmountNotPositive, understand.MsgAmountTooManyDecimals, understand.MsgAmountTooLarge:
			default:
				t.Errorf("Parse(%q): problem %q is no amount problem", s, problem)
			}
			if v != "" {
				t.Errorf("Parse(%q) = %q with problem %s, want no value", s, v, problem)
			}
			return
		}
		// An approximate amount is marked with "~".
		exact := strings.TrimPrefix(v, "~")
		if !amountValue.MatchString(exact) {
			t.Fatalf("Parse(%q) = %q, want digits with two decimals", s, v)
		}
		if n, err := strconv.ParseFloat(exact, 64); err != nil || n <= 0 || n > understand.MaxAmount {
			t.Errorf("Parse(%q) = %q, want more than 0 and at most %d", s, v, understand.MaxAmount)
		}
		if again, problem := st.Parse(env, v); again != v || problem != "" {
			t.Errorf("Parse(%q) = %q, but Parse(%q) = %q, %q", s, v, v, again, problem)
		}
	})
}
