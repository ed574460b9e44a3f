package mask_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/mask"
)

// typicalMessage is what a consumer writes: dates, amounts, phone and
// shop numbers, no card.
const typicalMessage = "您好，我昨天（2026-11-24）下午15:30在星光超市人民路店刷卡消费了¥1,280.50，" +
	"用的是尾号1234的招商银行卡，小票不小心弄丢了。商户号 898110012345678，终端号 12345678，" +
	"我的手机号是13812345678，邮编100020。请问现在怎么才能拿到消费凭证？需要我提供什么材料？" +
	"另外银行那边说可以查交易流水，订单号 2026112415300017，麻烦帮忙看一下，谢谢！"

func BenchmarkMaskSensitive(b *testing.B) {
	for _, bc := range []struct {
		name string
		size int
		tail string
	}{
		{"200 runes", 200, ""},
		{"200 runes with a card and a code", 200, " 卡号 6222 0212 3456 7890 128，验证码是654321"},
		{"4096 runes", bot.MaxTextLen, ""},
	} {
		text := runes(strings.Repeat(typicalMessage, bot.MaxTextLen/utf8.RuneCountInString(typicalMessage)+1), bc.size-utf8.RuneCountInString(bc.tail)) + bc.tail
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				mask.SensitiveKinds(text)
			}
		})
	}
}

// runes returns the first n runes of s.
func runes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
