package bot

import (
	"strings"
	"unicode"
)

// DetectLang picks a conversation's language: the channel's hint when it
// names a supported language, else the script of the first message (Han
// characters mean zh-CN, Latin letters en), else fallback.
func DetectLang(hint, text, fallback string) string {
	if l := NormalizeLang(hint); l != "" {
		return l
	}
	if hasHan(text) {
		return "zh-CN"
	}
	for _, r := range text {
		if unicode.In(r, unicode.Latin) && unicode.IsLetter(r) {
			return "en"
		}
	}
	return fallback
}

// NormalizeLang maps a language tag ("zh", "zh-hans", "zh_CN", "en-US")
// onto a supported language, or "" when it names none.
func NormalizeLang(tag string) string {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	switch {
	case t == "":
		return ""
	case t == "zh" || strings.HasPrefix(t, "zh-"):
		return "zh-CN"
	case t == "en" || strings.HasPrefix(t, "en-"):
		return "en"
	}
	return ""
}
