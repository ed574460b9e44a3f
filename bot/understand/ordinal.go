package understand

import (
	"strconv"
	"strings"
)

// Ordinal reads an answer that picks an option by its place among n:
// "1", "1、", "①", "1️⃣", "第一个", "选2", "the first one", "option 2",
// "#3", "2nd", "最后一个", "the last one". It returns 1 to n, or 0 when
// the answer is not such a pick. key is the answer as Key gives it.
func Ordinal(key string, n int) int {
	var i int
	if strings.ContainsFunc(key, latinAlnum) && !hasHanKey(key) {
		i = ordinalEnglish(key, n)
	} else {
		i = ordinalChinese(key, n)
	}
	if i < 1 || i > n {
		return 0
	}
	return i
}

var (
	zhPickPrefixes = []string{"我选择", "我选", "我要", "选择", "选", "就", "要"}
	zhPickSuffixes = []string{"个选项", "选项", "个吧", "个", "项", "号", "种", "条", "吧", "啊", "呀"}
	zhNumerals     = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
)

func ordinalChinese(k string, n int) int {
	for _, p := range zhPickPrefixes {
		if rest, ok := strings.CutPrefix(k, p); ok {
			k = rest
			break
		}
	}
	for _, s := range zhPickSuffixes {
		if rest, ok := strings.CutSuffix(k, s); ok {
			k = rest
			break
		}
	}
	if k == "最后" || k == "最后一" {
		return n
	}
	th, hasTh := strings.CutPrefix(k, "第")
	if hasTh {
		if v, ok := zhNumerals[th]; ok {
			return v
		}
		k = th
	}
	return smallNumber(k)
}

// englishFillers are words around an English pick that do not change it.
var englishFillers = map[string]bool{
	"the": true, "option": true, "number": true, "no": true, "nr": true, "choice": true,
	"please": true, "i": true, "ill": true, "choose": true, "pick": true, "take": true,
	"want": true, "go": true, "with": true, "its": true, "it": true, "is": true, "answer": true,
}

var englishOrdinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
	"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "9th": 9, "10th": 10,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}

func ordinalEnglish(k string, n int) int {
	var words []string
	for _, w := range strings.Fields(k) {
		if !englishFillers[w] {
			words = append(words, w)
		}
	}
	// "the first one": "one" after a pick is a filler too.
	if len(words) == 2 && words[1] == "one" {
		words = words[:1]
	}
	if len(words) != 1 {
		return 0
	}
	if words[0] == "last" {
		return n
	}
	if v, ok := englishOrdinals[words[0]]; ok {
		return v
	}
	return smallNumber(words[0])
}

// smallNumber reads one or two ASCII digits.
func smallNumber(s string) int {
	if len(s) == 0 || len(s) > 2 || strings.Trim(s, "0123456789") != "" {
		return 0
	}
	v, _ := strconv.Atoi(s)
	return v
}

// hasHanKey reports whether a key holds a character outside ASCII: in a
// key, that is Han (or another script), never punctuation.
func hasHanKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if k[i] >= 0x80 {
			return true
		}
	}
	return false
}
