package bot_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

func TestMaskSensitiveCards(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "4111111111111111", "****1111"},
		{"spaces", "4111 1111 1111 1111", "****1111"},
		{"dashes", "4111-1111-1111-1111", "****1111"},
		{"in a sentence", "my card is 4111111111111111, thanks", "my card is ****1111, thanks"},
		{"full-width digits", "４１１１１１１１１１１１１１１１", "****1111"},
		{"full-width digits and spaces", "卡号４１１１　１１１１　１１１１　１１１１。", "卡号****1111。"},
		{"full-width dashes", "４１１１－１１１１－１１１１－１１１１", "****1111"},
		{"19-digit UnionPay", "6222021234567890128", "****0128"},
		{"19-digit UnionPay in groups", "6222 0212 3456 7890 128", "****0128"},
		{"15-digit Amex 4-6-5", "3782 822463 10005", "****0005"},
		{"13-digit", "4222222222222", "****2222"},
		{"followed by an expiry date", "4111 1111 1111 1111 12/28", "****1111 12/28"},
		{"followed by a CVV", "4111111111111111 123", "****1111 123"},
		{"after a phone number", "13812345678 4111 1111 1111 1111", "13812345678 ****1111"},
		{"two cards", "4111111111111111 and 378282246310005", "****1111 and ****0005"},
		// Masking the PIN leaves a card number of its own behind it.
		{"after a PIN without a space", "pin 123456784111111111111111", "pin ************1111"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, masked := bot.MaskSensitive(tt.in)
			if got != tt.want || !masked {
				t.Errorf("MaskSensitive(%q): got %q, %v, want %q, true", tt.in, got, masked, tt.want)
			}
		})
	}
}

func TestMaskSensitiveCodes(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"CVV", "CVV 123", "CVV ***"},
		{"cvv2 with colon", "cvv2: 4567", "cvv2: ****"},
		{"PIN is", "my PIN is 1234", "my PIN is ****"},
		{"OTP equals", "OTP=998877", "OTP=******"},
		{"password", "密码123456", "密码******"},
		{"password is", "密码是 123456", "密码是 ******"},
		{"password is, with colon", "密码是：123456", "密码是：******"},
		{"one-time code, full-width", "验证码：８８８８８８", "验证码：******"},
		{"one-time code is", "验证码是654321，请勿泄露", "验证码是******，请勿泄露"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, masked := bot.MaskSensitive(tt.in)
			if got != tt.want || !masked {
				t.Errorf("MaskSensitive(%q): got %q, %v, want %q, true", tt.in, got, masked, tt.want)
			}
		})
	}
}

// TestMaskSensitiveNearMisses lists numbers people send that are no card
// and must reach the flow unchanged.
func TestMaskSensitiveNearMisses(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"phone number", "13812345678"},
		{"phone number with dashes", "138-1234-5678"},
		{"date", "2026-11-24"},
		{"date and time", "2026-11-24 15:30"},
		{"phone and date", "13812345678 2026-11-24"},
		{"amount", "1,280.50"},
		{"amount in yuan", "¥1,280.50 元"},
		{"order number failing Luhn", "order 4111111111111112"},
		{"order number in groups failing Luhn", "4111 1111 1111 1112"},
		{"19-digit order number failing Luhn", "6222021234567890123"},
		{"long order number", "订单号 2026112415300017"},
		{"12 digits", "123456789012"},
		{"last four only", "card ending 1111"},
		{"20-digit reference", "41111111111111110000"},
		{"no digits", "星光超市 人民路店"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ds := digitsOf(tt.in); len(ds) >= 13 && len(ds) <= 19 && luhnValid(ds) {
				t.Fatalf("fixture %q passes Luhn; pick a near miss", tt.in)
			}
			got, masked := bot.MaskSensitive(tt.in)
			if got != tt.in || masked {
				t.Errorf("MaskSensitive(%q): got %q, %v, want it unchanged, false", tt.in, got, masked)
			}
		})
	}
}

// TestMaskSensitiveProperty masks random Luhn-valid numbers of 13 to 19
// digits, written with random separators and digit widths in random text.
func TestMaskSensitiveProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(20261124, 1530))
	prefixes := []string{"", "card ", "我的卡号是", "no: ", "(", "卡号：", "pay with\n"}
	suffixes := []string{"", " thanks", "。", ")", "，谢谢", "\nbye"}
	seps := []string{" ", "-", "\u3000", "\uFF0D"}
	for range 2000 {
		ds := randomCard(r, 13+r.IntN(7))
		card := writeCard(r, ds, seps)
		pre, suf := prefixes[r.IntN(len(prefixes))], suffixes[r.IntN(len(suffixes))]
		in := pre + card + suf
		got, masked := bot.MaskSensitive(in)
		last4 := digitString(ds[len(ds)-4:])
		switch {
		case !masked:
			t.Fatalf("MaskSensitive(%q): got masked false", in)
		case !strings.Contains(got, "****"+last4):
			t.Fatalf("MaskSensitive(%q) = %q: want it to keep the last four, %s", in, got, last4)
		case digitString(digitsOf(got)) != last4:
			t.Fatalf("MaskSensitive(%q) = %q: want no digit but the last four %s", in, got, last4)
		case !strings.HasPrefix(got, pre) || !strings.HasSuffix(got, suf):
			t.Fatalf("MaskSensitive(%q) = %q: want the text around the number kept", in, got)
		}
		if run := longestCardRun(got, ds); run > 4 {
			t.Fatalf("MaskSensitive(%q) = %q: keeps %d digits of the card in a row, want at most 4", in, got, run)
		}
	}
}

func FuzzMaskSensitive(f *testing.F) {
	for _, s := range []string{
		"4111 1111 1111 1111", "４１１１１１１１１１１１１１１１", "6222021234567890128 12/28",
		"13812345678 4111-1111-1111-1111", "CVV 123", "密码是：123456", "2026-11-24",
		"pin 123456784111111111111111", "1 2 3 4 5 6 7 8 9 0 1 2 3", "\xff4111111111111111",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, _ := bot.MaskSensitive(s)
		for _, run := range digitRuns(got) {
			if n := len(run); n >= 13 && n <= 19 && luhnValid(run) {
				t.Fatalf("MaskSensitive(%q) = %q: keeps the Luhn-valid run %s", s, got, digitString(run))
			}
		}
	})
}

// randomCard returns n random digits whose last is the Luhn check digit.
func randomCard(r *rand.Rand, n int) []int {
	ds := make([]int, n)
	for i := range n - 1 {
		ds[i] = r.IntN(10)
	}
	for c := range 10 {
		ds[n-1] = c
		if luhnValid(ds) {
			return ds
		}
	}
	panic("no Luhn check digit")
}

// writeCard writes ds with ASCII, full-width or mixed digits and a random
// single separator, or none, between digits.
func writeCard(r *rand.Rand, ds []int, seps []string) string {
	width := r.IntN(3) // 0 ASCII, 1 full-width, 2 mixed
	sep := seps[r.IntN(len(seps))]
	gap := r.IntN(3) // 0 never, 1 in groups of four, 2 at random
	var b strings.Builder
	for i, d := range ds {
		if i > 0 && (gap == 1 && i%4 == 0 || gap == 2 && r.IntN(4) == 0) {
			b.WriteString(sep)
		}
		if width == 1 || width == 2 && r.IntN(2) == 0 {
			b.WriteRune('０' + rune(d))
		} else {
			b.WriteRune('0' + rune(d))
		}
	}
	return b.String()
}

func digitOf(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

func digitsOf(s string) []int {
	var ds []int
	for _, r := range s {
		if d := digitOf(r); d >= 0 {
			ds = append(ds, d)
		}
	}
	return ds
}

func digitString(ds []int) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteByte(byte('0' + d))
	}
	return b.String()
}

func luhnValid(ds []int) bool {
	sum := 0
	for i := range ds {
		d := ds[len(ds)-1-i]
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

func isSep(r rune) bool {
	return r == ' ' || r == '-' || r == '\u3000' || r == '\uFF0D'
}

// digitRuns returns the digits of every run a reader would take for one
// number: digits alone, and digits joined by single separators.
func digitRuns(s string) [][]int {
	rs := []rune(s)
	var runs [][]int
	var plain, joined []int
	flush := func(run *[]int) {
		if len(*run) > 0 {
			runs = append(runs, *run)
		}
		*run = nil
	}
	for i, r := range rs {
		if d := digitOf(r); d >= 0 {
			plain = append(plain, d)
			joined = append(joined, d)
			continue
		}
		flush(&plain)
		if isSep(r) && i > 0 && digitOf(rs[i-1]) >= 0 && i+1 < len(rs) && digitOf(rs[i+1]) >= 0 {
			continue
		}
		flush(&joined)
	}
	flush(&plain)
	flush(&joined)
	return runs
}

// longestCardRun returns the most digits of card that s holds in a row,
// separators aside.
func longestCardRun(s string, card []int) int {
	got := digitString(digitsOf(s))
	want := digitString(card)
	best := 0
	for i := range want {
		for j := i + best + 1; j <= len(want); j++ {
			if !strings.Contains(got, want[i:j]) {
				break
			}
			best = j - i
		}
	}
	return best
}
