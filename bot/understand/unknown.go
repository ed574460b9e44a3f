package understand

import "strings"

// unknownWords are whole answers that say the user does not know.
var unknownWords = []string{
	"忘了", "忘记了", "我忘了", "不记得", "不记得了", "我不记得了", "记不清", "记不清了", "记不得了", "不知道", "我不知道", "不清楚",
	"不太清楚", "想不起来", "想不起来了", "没印象", "没印象了", "不确定", "不太确定", "没注意", "没留意",
	"not sure", "im not sure", "dunno", "dont know", "i dont know", "no idea", "i have no idea", "cant remember",
	"i cant remember", "dont remember", "i dont remember", "forgot", "i forgot", "unsure", "no clue", "not certain", "unknown",
}

var unknownKeys = func() map[string]bool {
	m := make(map[string]bool, len(unknownWords))
	for _, w := range unknownWords {
		m[Key(w)] = true
	}
	return m
}()

// IsUnknown reports whether an answer says the user does not know it:
// "忘了", "不记得了", "not sure", "dunno". Such an answer is an answer:
// the question is not asked again.
func IsUnknown(text string) bool {
	k := Key(text)
	k = strings.TrimSuffix(strings.TrimSuffix(k, "啊"), "呢")
	return unknownKeys[k]
}
