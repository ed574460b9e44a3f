package mask_test

import (
	"testing"

	"github.com/slipdesk/slipdesk/bot/mask"
)

// maskCase is one text, what masking must make of it and the kinds it must
// report.
type maskCase struct {
	name, in, want string
	kinds          mask.Masked
}

func runMaskCases(t *testing.T, tests []maskCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, kinds := mask.SensitiveKinds(tt.in)
			if got != tt.want || kinds != tt.kinds {
				t.Errorf("MaskSensitiveKinds(%q): got %q, %v, want %q, %v", tt.in, got, kinds, tt.want, tt.kinds)
			}
			got2, masked := mask.Sensitive(tt.in)
			if got2 != got || masked != (kinds != 0) {
				t.Errorf("MaskSensitive(%q): got %q, %v, want %q, %v", tt.in, got2, masked, got, kinds != 0)
			}
		})
	}
}

func TestMaskSensitiveCards(t *testing.T) {
	card := mask.Card
	runMaskCases(t, []maskCase{
		{"plain", "4111111111111111", "****1111", card},
		{"spaces", "4111 1111 1111 1111", "****1111", card},
		{"dashes", "4111-1111-1111-1111", "****1111", card},
		{"spaced dashes", "4111 - 1111 - 1111 - 1111", "****1111", card},
		{"dots", "4111.1111.1111.1111", "****1111", card},
		{"double spaces", "4111  1111  1111  1111", "****1111", card},
		{"in a sentence", "my card is 4111111111111111, thanks", "my card is ****1111, thanks", card},
		{"full-width digits", "４１１１１１１１１１１１１１１１", "****1111", card},
		{"full-width digits and spaces", "卡号４１１１　１１１１　１１１１　１１１１。", "卡号****1111。", card},
		{"full-width dashes", "４１１１－１１１１－１１１１－１１１１", "****1111", card},
		{"half and full-width spaces", "4111 1111\u30001111 1111", "****1111", card},
		{"19-digit UnionPay", "6222021234567890128", "****0128", card},
		{"19-digit UnionPay in groups", "6222 0212 3456 7890 128", "****0128", card},
		{"UnionPay in a Chinese sentence", "我的卡号是6222021234567890128，谢谢", "我的卡号是****0128，谢谢", card},
		{"15-digit Amex 4-6-5", "3782 822463 10005", "****0005", card},
		{"13-digit", "4222222222222", "****2222", card},
		{"followed by an expiry date", "4111 1111 1111 1111 12/28", "****1111 12/28", card},
		{"followed by a CVV", "4111111111111111 123", "****1111 123", card},
		{"dashes, then a space and a CVV", "4111-1111-1111-1111 123", "****1111 123", card},
		{"after a phone number", "13812345678 4111 1111 1111 1111", "13812345678 ****1111", card},
		{"two cards", "4111111111111111 and 378282246310005", "****1111 and ****0005", card},
		{"two cards side by side", "4111111111111111 4111111111111111", "****1111 ****1111", card},
		{"after a slash command", "/foo 4111111111111111", "/foo ****1111", card},
		{"16 digits after a plus", "+4111111111111111", "+****1111", card},
		{"card and CVV", "card 4111-1111-1111-1111 cvv 123", "card ****1111 cvv ***", card | mask.Code},
		{"card and PIN", "Starlight, card 4111 1111 1111 1111, PIN 1234", "Starlight, card ****1111, PIN ****", card | mask.Code},
		// The last four join the digits after them into a card of their
		// own; masking again keeps the promise that none is left.
		{"last four make another card", "4111111111111111 111111112", "********1112", card},
	})
}

func TestMaskSensitiveIDNumbers(t *testing.T) {
	id := mask.ID
	runMaskCases(t, []maskCase{
		{"plain", "11010519491231002X", "****002X", id},
		{"lower-case x", "11010519491231002x", "****002X", id},
		{"full-width", "１１０１０５１９４９１２３１００２Ｘ", "****002X", id},
		{"digit check", "440305198001010013", "****0013", id},
		{"in a Chinese sentence", "我的身份证号是11010519491231002X，谢谢", "我的身份证号是****002X，谢谢", id},
		{"grouped 6-8-4", "110105 19491231 002X", "****002X", id},
		{"X apart", "110105-19491231-002-X", "****002X", id},
		{"after its name", "身份证：510107199002151234。", "身份证：****1234。", id},
		{"ID and card", "ID 11010519491231002X card 4111111111111111", "ID ****002X card ****1111", id | mask.Card},
	})
}

func TestMaskSensitiveCodes(t *testing.T) {
	code := mask.Code
	runMaskCases(t, []maskCase{
		{"CVV", "CVV 123", "CVV ***", code},
		{"cvv2 with colon", "cvv2: 4567", "cvv2: ****", code},
		{"CVV glued", "cvv123", "cvv***", code},
		{"full-width CVV", "ＣＶＶ：１２３", "ＣＶＶ：***", code},
		{"PIN is", "my PIN is 1234", "my PIN is ****", code},
		{"PIN code", "PIN code: 1234", "PIN code: ****", code},
		{"PIN码是", "PIN码是1234", "PIN码是****", code},
		{"OTP equals", "OTP=998877", "OTP=******", code},
		{"code", "the code is 482913", "the code is ******", code},
		{"verification code in halves", "verification code: 123 456", "verification code: *** ***", code},
		{"password", "密码123456", "密码******", code},
		{"password is", "密码是 123456", "密码是 ******", code},
		{"password is, with colon", "密码是：123456", "密码是：******", code},
		{"payment password", "支付密码为123456", "支付密码为******", code},
		{"one-time code, full-width", "验证码：８８８８８８", "验证码：******", code},
		{"one-time code is", "验证码是654321，请勿泄露", "验证码是******，请勿泄露", code},
		{"dynamic code", "动态码 3344", "动态码 ****", code},
		{"security code", "卡背面安全码是 123", "卡背面安全码是 ***", code},
		{"traditional", "驗證碼：123456", "驗證碼：******", code},
		// The whole run after the name is the code, whatever hides in it.
		{"PIN glued to a card", "pin 123456784111111111111111", "pin ************************", code},
	})
}

// TestMaskSensitiveNearMisses lists numbers people send that are no card,
// ID number or code, and must reach the flow unchanged.
func TestMaskSensitiveNearMisses(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"mobile", "13812345678"},
		{"mobile with dashes", "138-1234-5678"},
		{"mobile with country code", "+86 139 1234 5678"},
		{"Luhn-valid mobile with country code", "电话：+86 138 1234 5678"},
		{"landline", "010-12345678"},
		{"service number", "400-800-1234"},
		{"bank hotline", "95516"},
		{"date", "2026-11-24"},
		{"date without dashes", "20261124"},
		{"Chinese date", "2026年11月24日"},
		{"date and time", "2026-11-24 15:30"},
		{"time", "下午15:30左右"},
		{"phone and date", "13812345678 2026-11-24"},
		{"phone and amount", "13812345678 1280.50"},
		{"amount", "1,280.50"},
		{"amount in yuan", "¥1,280.50 元"},
		{"amount in Chinese", "一共128元"},
		{"order number failing Luhn", "order 4111111111111112"},
		{"order number in groups failing Luhn", "4111 1111 1111 1112"},
		{"19-digit order number failing Luhn", "6222021234567890123"},
		{"long order number", "订单号 2026112415300017"},
		{"18 digits with a Luhn-valid 16-digit head", "订单号411111111111111123"},
		{"order number glued to letters", "order ORD4111111111111111"},
		{"merchant ID", "商户号 898110012345678"},
		{"terminal ID", "终端号 12345678"},
		{"12 digits", "123456789012"},
		{"last four", "尾号1234"},
		{"last four in English", "card ending 1111"},
		{"20-digit reference", "41111111111111110000"},
		{"ID number with a wrong check digit", "110105194912310021"},
		{"ID-like number with an impossible date", "110105194913310021"},
		{"postcode", "100020"},
		{"postcode in Chinese", "邮编100020"},
		{"zip code", "zip code 100020"},
		{"zip code is", "my zip code is 100020"},
		{"zip-code", "zip-code: 100020"},
		{"postcode word", "postcode 100020"},
		{"post code", "post code: 100020"},
		{"area code", "area code 010"},
		{"auth code on the slip", "auth code 123456"},
		{"promo code", "promo code 2026"},
		{"code glued into a word", "barcode 6901234"},
		{"PIN too short", "PIN 12"},
		{"password then another number", "密码忘了，订单号是20261124"},
		{"one-time code not sent", "没收到验证码，手机13812345678"},
		{"no digits", "星光超市 人民路店"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if runs := sensitiveRuns(tt.in); len(runs) > 0 {
				t.Fatalf("fixture %q holds %q; pick a near miss", tt.in, runs)
			}
			got, kinds := mask.SensitiveKinds(tt.in)
			if got != tt.in || kinds != 0 {
				t.Errorf("MaskSensitiveKinds(%q): got %q, %v, want it unchanged, none", tt.in, got, kinds)
			}
		})
	}
}

func TestMaskedKinds(t *testing.T) {
	m := mask.Code | mask.Card | mask.ID
	if got, want := m.String(), "card|id|code"; got != want {
		t.Errorf("String: got %q, want %q", got, want)
	}
	if got := mask.Masked(0).String(); got != "" {
		t.Errorf("String of none: got %q, want \"\"", got)
	}
	ks := mask.Code.Kinds()
	if len(ks) != 1 || ks[0] != mask.Code {
		t.Errorf("Kinds of code: got %v, want [code]", ks)
	}
	if !m.Has(mask.ID) || mask.Card.Has(mask.ID) {
		t.Errorf("Has: got %v and %v, want true and false", m.Has(mask.ID), mask.Card.Has(mask.ID))
	}
}
