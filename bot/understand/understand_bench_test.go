package understand_test

import (
	"testing"

	"github.com/slipdesk/slipdesk/bot/understand"
)

// paidBy is the shipped payment question's options with their words, as
// the engine builds them from consumer.yaml and the locale files.
var paidBy = understand.NewChoices([][]string{
	{"debit", "借记卡(储蓄卡)", "借记卡", "储蓄卡", "debit card", "银行卡", "刷卡", "刷的卡", "借记", "debit", "bank card", "atm card"},
	{"credit", "信用卡", "credit card", "刷信用卡", "贷记卡", "credit", "visa", "mastercard", "master card", "amex"},
	{"alipay", "支付宝", "alipay", "花呗", "余额宝", "支付宝扫码", "ali pay", "huabei"},
	{"wechat", "微信支付", "wechat pay", "微信", "微信扫码", "零钱", "wechat", "weixin", "wepay"},
	{"unionpay_qr", "云闪付 / 银联二维码", "云闪付", "银联二维码", "银联扫码", "闪付", "unionpay", "cloud quickpass", "quickpass", "union pay", "unionpay qr"},
	{"other", "其他方式", "something else", "其他", "其它", "现金", "别的", "数字人民币", "other", "cash", "apple pay", "google pay", "samsung pay"},
})

// BenchmarkChoiceMatch reads one typed answer at the payment question:
// a number, a whole phrase, a phrase inside a sentence, and a miss.
func BenchmarkChoiceMatch(b *testing.B) {
	for _, in := range []string{"2", "支付宝", "我是用微信扫码付的钱", "I paid with my visa card at the till", "不太记得了呢"} {
		b.Run(in, func(b *testing.B) {
			for b.Loop() {
				paidBy.Match(in)
			}
		})
	}
}

// BenchmarkParseNotice reads a pasted bank SMS, an app notice, an English
// alert, and a plain answer that is no notice (what most answers are).
func BenchmarkParseNotice(b *testing.B) {
	env := noticeEnv()
	for name, in := range map[string]string{
		"bank_sms":  "【招商银行】您尾号1234的信用卡11月24日15:32在星光超市消费人民币128.00元，可用额度12,345.67元。",
		"alipay":    "付款成功\n￥128.00\n收款方 星光超市\n付款时间 2026-11-24 15:32:10\n付款方式 招商银行信用卡(1234)",
		"english":   "Citi Alert: A CNY 128.00 transaction was made at Starlight Supermarket on credit card ending in 1234 on 11/24/2026 at 3:32 PM.",
		"no_notice": "星光超市 人民路店",
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				understand.ParseNotice(env, in)
			}
		})
	}
}
