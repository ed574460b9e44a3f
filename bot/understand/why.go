package understand

import (
	"strings"
	"unicode/utf8"
)

// maxWhyLen is the longest answer, in characters, read as a question
// about the question: a long message that says "why" is telling
// something, not asking.
const maxWhyLen = 40

var (
	whyHan     = []string{"为什么", "为啥", "干嘛要", "干吗要", "干嘛用", "干什么用", "做什么用", "有什么用", "要这个干嘛", "问这个干嘛", "凭什么"}
	whyEnglish = []string{"why", "what for", "what is this for", "what is it for", "whats this for", "whats it for", "what do you need it for", "what do you need this for"}
)

// AsksWhy reports whether an answer asks why the question is asked:
// "为什么要这个？", "问这个干嘛", "why do you need this?", "what for?".
func AsksWhy(text string) bool {
	if utf8.RuneCountInString(text) > maxWhyLen {
		return false
	}
	k := Key(text)
	for _, w := range whyHan {
		if strings.Contains(k, w) {
			return true
		}
	}
	for _, w := range whyEnglish {
		if i := strings.Index(k, w); i >= 0 && wordEdge(k, i, i+len(w)) {
			return true
		}
	}
	return false
}
