package understand

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxNoticeLen is the longest pasted notification read, in bytes: bank
// SMS and app notices are a few hundred at most.
const maxNoticeLen = 1200

// minNoticeLen is the shortest, in bytes: an amount, a card or shop and
// a sender take more than "尾号1234 128元".
const minNoticeLen = 24

// Notice is what a pasted bank SMS or payment app notification says
// about a payment. A field it does not give is "".
type Notice struct {
	// When is the time of the payment as the datetime slot writes it.
	When string
	// Amount has two decimals, as the amount slot writes it.
	Amount string
	Last4  string
	// Merchant is the shop's name as the notice writes it.
	Merchant string
	// PaidBy is the payment method as the shipped payment question's
	// values name it: debit, credit, alipay, wechat, unionpay_qr.
	PaidBy string
}

// Fields returns the notice's fields by name (when, amount, last4,
// merchant, paid_by), leaving out those it does not give.
func (n Notice) Fields() map[string]string {
	m := map[string]string{}
	for k, v := range map[string]string{"when": n.When, "amount": n.Amount, "last4": n.Last4, "merchant": n.Merchant, "paid_by": n.PaidBy} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

var (
	// noticeSource shows that a text comes from a bank or payment app.
	noticeSource = regexp.MustCompile(`^\s*[【\[][^】\]]{2,12}[】\]]|银行|银联|云闪付|支付宝|微信支付|付款成功|支付成功|交易提醒|尾号|(?i)\b(?:card ending|ending in|alert|transaction|bank)\b`)

	// Amounts: after a currency word or sign, or before 元. Balances and
	// credit limits are skipped by noticeAmount.
	noticeAmounts = []*regexp.Regexp{
		regexp.MustCompile(`(?i)(?:人民币|rmb|cny|¥|￥|付款金额|支付金额|金额)\s*[:：]?\s*-?\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)`),
		regexp.MustCompile(`([0-9][0-9,]*\.[0-9]{2})\s*元`),
		regexp.MustCompile(`(?:消费|支出|付款|支付)\s*([0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*元`),
	}
	noticeNotAmount = []string{"余额", "额度", "可用", "balance", "limit", "available"}

	noticeLast4 = []*regexp.Regexp{
		regexp.MustCompile(`尾号\s*[*＊xX]*\s*([0-9]{4})(?:[^0-9]|$)`),
		regexp.MustCompile(`(?:借记卡|储蓄卡|信用卡|银行卡)账户\s*[*]*([0-9]{4})(?:[^0-9]|$)`),
		regexp.MustCompile(`(?:信用卡|储蓄卡|借记卡|银行卡)\s*[(（]\s*([0-9]{4})\s*[)）]`),
		regexp.MustCompile(`(?i)ending(?:\s+in|\s+with)?\s*[*x]*\s*([0-9]{4})\b`),
	}

	noticeMerchant = []*regexp.Regexp{
		regexp.MustCompile(`(?:收款方|商户名称|商户|商家)\s*[:：]?\s*([^\s,，。:：]{2,30})`),
		regexp.MustCompile(`\((?:消费|支付)?([^()]{2,30})\)`),
		regexp.MustCompile(`在([^\s,，。在]{2,30}?)(?:POS|pos)?(?:成功)?(?:消费|使用|支付|付款|完成|刷卡)`),
		regexp.MustCompile(`\bat\s+(.{2,40}?)\s+(?:on|at)\s`),
		regexp.MustCompile(`\bat\s+([^.]{2,40})\.`),
	}

	noticeDates = []*regexp.Regexp{
		regexp.MustCompile(`(\d{4}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2}\s*日?)`),
		regexp.MustCompile(`(\d{1,2}\s*月\s*\d{1,2}\s*日)`),
		regexp.MustCompile(`(?i)(\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4})`),
		regexp.MustCompile(`(\d{1,2}/\d{1,2}/\d{4})`),
	}
	noticeClock = regexp.MustCompile(`(?i)(\d{1,2})\s*(?:[:：]|时)\s*(\d{2})\s*(?:分)?(?:[:：]\d{2})?(?:\s*(am|pm))?`)
)

// ParseNotice reads a pasted bank SMS or payment notification: the big
// banks' and UnionPay's card messages, Alipay and WeChat Pay payment
// notices, English card alerts. It reports false for anything else, a
// plain answer ("128元", "星光超市") above all: a notice names its
// sender or card and gives an amount with a time, card or shop.
func ParseNotice(env Env, text string) (Notice, bool) {
	// A notice is longer than a plain answer and has digits: most
	// answers stop here, before any pattern runs.
	if len(text) < minNoticeLen || len(text) > maxNoticeLen || !strings.ContainsAny(text, "0123456789０１２３４５６７８９") || !utf8.ValidString(text) {
		return Notice{}, false
	}
	s := FoldWidth(text)
	if !noticeSource.MatchString(s) {
		return Notice{}, false
	}
	var n Notice
	n.Amount = noticeAmount(env, s)
	if n.Amount == "" {
		return Notice{}, false
	}
	n.Last4 = firstGroup(noticeLast4, s)
	n.Merchant = noticeMerchantName(s)
	n.When = noticeWhen(env, s)
	n.PaidBy = noticePaidBy(s)
	found := 0
	for _, v := range []string{n.Last4, n.Merchant, n.When} {
		if v != "" {
			found++
		}
	}
	if found < 2 {
		return Notice{}, false
	}
	return n, true
}

// noticeAmount returns the first amount that is no balance or limit, as
// the amount slot writes it.
func noticeAmount(env Env, s string) string {
	best, at := "", len(s)+1
	for _, re := range noticeAmounts {
		for _, m := range re.FindAllStringSubmatchIndex(s, 4) {
			before := strings.ToLower(s[max(0, m[0]-12):m[0]])
			skip := false
			for _, w := range noticeNotAmount {
				if strings.Contains(before, w) {
					skip = true
				}
			}
			if skip || m[0] >= at {
				continue
			}
			v, problem := amountSlot{}.Parse(env, s[m[2]:m[3]])
			if problem == "" {
				best, at = v, m[0]
			}
			break
		}
	}
	return best
}

func noticeMerchantName(s string) string {
	for _, re := range noticeMerchant {
		m := re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		name := strings.Trim(strings.TrimSpace(m[1]), "\"'“”")
		name = strings.TrimSuffix(name, "POS")
		if name == "" || strings.Trim(name, "0123456789 .,:") == "" || strings.ContainsAny(name, "¥￥") {
			continue
		}
		return name
	}
	return ""
}

// noticeWhen finds the date and the time of day and reads them together
// with the datetime slot, so that they obey its rules (never in the
// future, a year-less date is the last one).
func noticeWhen(env Env, s string) string {
	date := firstGroup(noticeDates, s)
	if date == "" {
		return ""
	}
	rest := strings.Replace(s, date, " ", 1)
	at := ""
	if m := noticeClock.FindStringSubmatch(rest); m != nil {
		at = m[1] + ":" + m[2]
		if m[3] != "" {
			at += " " + strings.ToLower(m[3])
		}
	}
	v, problem := datetimeSlot{}.Parse(env, strings.TrimSuffix(date, ".")+" "+at)
	if problem != "" {
		return ""
	}
	return v
}

// noticePaidBy names the payment method: the app for an app's notice,
// else the kind of card (a bank's card message without "信用卡" is a
// debit card's).
func noticePaidBy(s string) string {
	l := strings.ToLower(s)
	switch {
	case strings.Contains(s, "支付宝") && !strings.Contains(s, "快捷支付") || strings.Contains(s, "收款方") && strings.Contains(s, "付款方式"):
		return "alipay"
	case strings.Contains(s, "微信"):
		return "wechat"
	case strings.Contains(s, "云闪付") || strings.Contains(s, "银联二维码"):
		return "unionpay_qr"
	case strings.Contains(s, "信用卡") || strings.Contains(l, "credit card"):
		return "credit"
	case strings.Contains(s, "卡") || strings.Contains(s, "账户") || strings.Contains(l, "card"):
		return "debit"
	}
	return ""
}

func firstGroup(res []*regexp.Regexp, s string) string {
	for _, re := range res {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1]
		}
	}
	return ""
}
