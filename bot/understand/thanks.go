package understand

import "strings"

// thanksWords are whole answers that only thank or close: "谢谢",
// "好的谢谢", "thanks", "ok thank you".
var thanksWords = []string{
	"谢谢", "谢谢你", "谢谢您", "多谢", "感谢", "非常感谢", "谢啦", "谢了", "辛苦了", "好的谢谢", "好谢谢", "嗯谢谢", "收到", "收到谢谢", "好的收到", "知道了", "知道了谢谢", "明白了", "明白了谢谢", "好的", "好", "嗯", "嗯嗯", "ok", "okay",
	"thanks", "thank you", "thx", "ty", "many thanks", "thanks a lot", "thank you very much", "ok thanks", "ok thank you", "great thanks", "cheers", "got it", "got it thanks", "bye", "再见", "拜拜",
}

// IsThanks reports whether an answer only thanks or takes leave, with
// nothing to act on.
func IsThanks(text string) bool {
	k := Key(text)
	k = strings.TrimSuffix(strings.TrimSuffix(k, "啦"), "了啊")
	for _, w := range thanksWords {
		if k == Key(w) {
			return true
		}
	}
	return false
}
