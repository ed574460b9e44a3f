package bot_test

import (
	"bufio"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/mask"
)

// corpusLine is one message of testdata/understanding and the reading
// expected of it.
type corpusLine struct {
	file     string
	line     int
	question string // "flow.step", or "first"
	text     string
	want     string
	miss     bool // a known miss: read otherwise today
}

func readCorpus(t testing.TB) (map[string][]corpusLine, []string) {
	t.Helper()
	files, err := filepath.Glob("../testdata/understanding/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("corpus files: %v, %v", files, err)
	}
	out := map[string][]corpusLine{}
	var cats []string
	for _, f := range files {
		cat := strings.TrimSuffix(filepath.Base(f), ".txt")
		cats = append(cats, cat)
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		question, n := "", 0
		for sc.Scan() {
			n++
			l := sc.Text()
			switch {
			case strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#"):
				continue
			case strings.HasPrefix(l, "@ "):
				question = strings.TrimSpace(l[2:])
				continue
			}
			text, want, ok := strings.Cut(l, " =>")
			if !ok || question == "" {
				t.Fatalf("%s:%d: want TEXT => READING under an @ line", f, n)
			}
			miss := strings.HasPrefix(want, "~")
			want = strings.TrimSpace(strings.TrimPrefix(want, "~"))
			out[cat] = append(out[cat], corpusLine{file: filepath.Base(f), line: n, question: question, text: text, want: want, miss: miss})
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out, cats
}

// corpusReader reads corpus lines with the shipped content, as the engine
// would: masked first, a pasted notice before an answer.
type corpusReader struct {
	content *bot.Content
	reg     *bot.Registry
	env     bot.SlotEnv
}

func newCorpusReader(t testing.TB) *corpusReader {
	t.Helper()
	reg := bot.NewRegistry()
	content, problems := bot.LoadContent(os.DirFS("../flows"), os.DirFS("../locales"), reg)
	if err := bot.ProblemsError(problems); err != nil {
		t.Fatal(err)
	}
	loc := bot.DefaultLocation()
	return &corpusReader{content: content, reg: reg, env: bot.SlotEnv{Now: time.Date(2026, 11, 25, 21, 0, 0, 0, loc), Loc: loc}}
}

// read returns the reading of l in the corpus notation.
func (r *corpusReader) read(t testing.TB, l corpusLine) string {
	if l.question == "first" {
		text, _ := mask.SensitiveKinds(l.text)
		if cmd := r.content.Command(text); cmd != nil && cmd.Goto != "" {
			return cmd.Goto
		}
		rt, ok := r.content.Route(r.env, text)
		if !ok {
			f := r.content.Flows[r.content.StartFlow]
			return f.Name + "." + f.StartStep()
		}
		return joinSlots(rt.Target, rt.Slots)
	}
	f, id, ok := r.content.Resolve(nil, l.question)
	if !ok {
		t.Fatalf("%s:%d: no question %q", l.file, l.line, l.question)
	}
	s := f.Step(id)
	text, _ := bot.MaskAnswer(s, l.text)
	if _, slots, ok := f.ReadNotice(r.env, text); ok {
		return joinSlots("notice", slots)
	}
	rd := r.content.Read(r.reg, r.env, s, text, nil)
	switch {
	case rd.Why:
		return "?why"
	case rd.Unknown:
		return "?unknown"
	case rd.Problem != "":
		return "!"
	}
	return rd.Value
}

func joinSlots(head string, slots map[string]string) string {
	parts := []string{head}
	for _, k := range slices.Sorted(maps.Keys(slots)) {
		parts = append(parts, k+"="+slots[k])
	}
	return strings.Join(parts, " ")
}

// TestUnderstandingCorpus reads every message of the corpus: a line not
// read as expected is a regression, a known miss read as expected should
// lose its mark, and the share understood must stay at 97% overall and
// at 100% of the required examples.
func TestUnderstandingCorpus(t *testing.T) {
	corpus, cats := readCorpus(t)
	r := newCorpusReader(t)
	total, good := 0, 0
	for _, cat := range cats {
		for _, l := range corpus[cat] {
			got := r.read(t, l)
			total++
			switch {
			case got == l.want && l.miss:
				good++
				t.Errorf("%s:%d: %q is now read as expected (%s): remove the ~", l.file, l.line, l.text, got)
			case got == l.want:
				good++
			case !l.miss:
				t.Errorf("%s:%d: %q at %s: got %q, want %q", l.file, l.line, l.text, l.question, got, l.want)
			}
		}
	}
	if total < 500 {
		t.Errorf("corpus holds %d messages, want at least 500", total)
	}
	if share := float64(good) / float64(total); share < 0.97 {
		t.Errorf("understood %d of %d (%.1f%%), want at least 97%%", good, total, 100*share)
	}
	for _, l := range corpus["required_examples"] {
		if l.miss {
			t.Errorf("%s:%d: a required example may not be a known miss", l.file, l.line)
		}
	}
}

// BenchmarkUnderstanding reads the whole corpus per iteration and reports
// the share understood per category (understood-%/CATEGORY) and the time
// per message.
func BenchmarkUnderstanding(b *testing.B) {
	corpus, cats := readCorpus(b)
	r := newCorpusReader(b)
	var lines []corpusLine
	for _, cat := range cats {
		lines = append(lines, corpus[cat]...)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, l := range lines {
			r.read(b, l)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/message")
	good := 0
	for _, cat := range cats {
		n := 0
		for _, l := range corpus[cat] {
			if r.read(b, l) == l.want {
				n++
			}
		}
		good += n
		b.ReportMetric(100*float64(n)/float64(len(corpus[cat])), "understood-%/"+cat)
	}
	b.ReportMetric(100*float64(good)/float64(len(lines)), "understood-%/all")
	b.ReportMetric(float64(len(lines)), "messages")
}
