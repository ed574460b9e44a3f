package understand

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// maxInsideLen is the longest answer, in bytes of its key, searched for
// phrases inside it. An answer to a choice is short; a pasted page is not
// one, and the bound keeps the search cheap whatever arrives.
const maxInsideLen = 600

// Choices reads which of a question's options a typed answer means. Each
// option has phrases: its value, its labels and the words operators gave
// it, in any language.
type Choices struct {
	opts [][]string // the keys of each option's phrases
}

// NewChoices prepares the phrases of each option, in the options' order.
// Phrases with nothing to compare (punctuation only) are left out.
func NewChoices(phrases [][]string) *Choices {
	c := &Choices{opts: make([][]string, len(phrases))}
	for i, ps := range phrases {
		for _, p := range ps {
			if k := Key(p); k != "" && !slices.Contains(c.opts[i], k) {
				c.opts[i] = append(c.opts[i], k)
			}
		}
	}
	return c
}

// Len returns the number of options.
func (c *Choices) Len() int { return len(c.opts) }

// Match returns the index of the option text means, or -1 when it means
// none or could mean more than one.
func (c *Choices) Match(text string) int {
	if cs := c.Candidates(text); len(cs) == 1 {
		return cs[0]
	}
	return -1
}

// Candidates returns the options text may mean, in order:
//
//   - the option picked by its place ("2", "第二个", "the second one");
//   - else every option with a phrase equal to the whole answer;
//   - else every option with a phrase of two characters or more found
//     inside the answer, where a phrase inside a longer phrase found
//     there does not count ("不是" holds "是"), nor one right after a
//     negation ("不同意", "not correct"), and an English phrase counts
//     only as whole words.
func (c *Choices) Candidates(text string) []int {
	k := Key(text)
	if k == "" {
		return nil
	}
	if n := Ordinal(k, len(c.opts)); n > 0 && !negativeNumber(text) {
		return []int{n - 1}
	}
	return c.phrases(k)
}

// Found returns the options whose phrases text holds, whole or inside,
// as Candidates does but never by place: in a message that is no answer
// to the question ("1 张小票丢了"), a number picks nothing.
func (c *Choices) Found(text string) []int {
	k := Key(text)
	if k == "" {
		return nil
	}
	return c.phrases(k)
}

func (c *Choices) phrases(k string) []int {
	var exact []int
	for i, ps := range c.opts {
		if slices.Contains(ps, k) {
			exact = append(exact, i)
		}
	}
	if len(exact) > 0 || len(k) > maxInsideLen {
		return exact
	}
	return c.inside(k)
}

// hit is a phrase found inside an answer: bytes a to b of its key. A
// negated hit counts for no option but still covers the phrases inside
// it: in "不知道商户号", "知道商户号" is negated and "商户号" not meant.
type hit struct {
	a, b, opt int
	negated   bool
}

func (c *Choices) inside(k string) []int {
	var hits []hit
	for i, ps := range c.opts {
		for _, p := range ps {
			// One character ("是", "好") says too little inside a
			// sentence: "我的卡号是..." is no yes.
			if utf8.RuneCountInString(p) > 1 {
				hits = findPhrase(hits, k, p, i)
			}
		}
	}
	var out []int
	for _, h := range hits {
		if !h.negated && !shadowed(h, hits) && !slices.Contains(out, h.opt) {
			out = append(out, h.opt)
		}
	}
	slices.Sort(out)
	return out
}

// findPhrase appends every place phrase p stands in key k as a word of
// its own.
func findPhrase(hits []hit, k, p string, opt int) []hit {
	for from := 0; from < len(k); {
		i := strings.Index(k[from:], p)
		if i < 0 {
			break
		}
		a, b := from+i, from+i+len(p)
		from = a + 1
		if wordEdge(k, a, b) {
			hits = append(hits, hit{a, b, opt, negated(k, a)})
		}
	}
	return hits
}

// wordEdge reports whether k[a:b] does not cut a Latin word or number.
func wordEdge(k string, a, b int) bool {
	before, _ := utf8.DecodeLastRuneInString(k[:a])
	after, _ := utf8.DecodeRuneInString(k[b:])
	first, _ := utf8.DecodeRuneInString(k[a:])
	last, _ := utf8.DecodeLastRuneInString(k[:b])
	if a > 0 && latinAlnum(first) && latinAlnum(before) {
		return false
	}
	return b == len(k) || !latinAlnum(last) || !latinAlnum(after)
}

var (
	negationsHan     = []string{"不", "没", "别", "未", "非", "无"}
	negationsEnglish = map[string]bool{"not": true, "dont": true, "no": true, "never": true, "isnt": true, "wasnt": true, "doesnt": true, "didnt": true, "cant": true, "cannot": true, "without": true}
)

// negated reports whether the phrase at k[a:] follows a negation: "不"
// or "没" right before it, or an English "not", "don't", "no".
func negated(k string, a int) bool {
	before := k[:a]
	for _, n := range negationsHan {
		if strings.HasSuffix(before, n) {
			return true
		}
	}
	before = strings.TrimSuffix(before, " ")
	if i := strings.LastIndexByte(before, ' '); i >= 0 {
		before = before[i+1:]
	}
	return negationsEnglish[before] && a > 0 && k[a-1] == ' '
}

// shadowed reports whether h lies inside a longer hit.
func shadowed(h hit, hits []hit) bool {
	for _, o := range hits {
		if o.a <= h.a && h.b <= o.b && o.b-o.a > h.b-h.a {
			return true
		}
	}
	return false
}

// negativeNumber reports whether text starts with a minus sign: "-1"
// picks no option, though its key is "1".
func negativeNumber(text string) bool {
	t := strings.TrimSpace(FoldWidth(text))
	return strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−")
}
