package bottest

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

// Driver sends a transcript's inputs through one channel and returns the
// replies as that channel rendered them back into bot.Reply values.
type Driver interface {
	// Text sends what the user typed.
	Text(t testing.TB, text string) []bot.Reply
	// Button taps the option with value on the last reply that had
	// options.
	Button(t testing.TB, last []bot.Reply, value string) []bot.Reply
	// Redeliver delivers the previous event again with its delivery ID.
	Redeliver(t testing.TB) []bot.Reply
	// Signal delivers an outside event to the conversation.
	Signal(t testing.TB, name, value string) []bot.Reply
	// Tick fires the conversation's due timer.
	Tick(t testing.TB) []bot.Reply
}

// Files returns the transcript files under dir, sorted.
func Files(t testing.TB, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts in %s: %v", dir, err)
	}
	slices.Sort(files)
	return files
}

// Run plays tr through d, advancing clock where the transcript says, and
// fails t at the first reply that differs.
func Run(t *testing.T, tr *Transcript, d Driver, clock *Clock) {
	t.Helper()
	var last, prev []bot.Reply
	for _, st := range tr.Steps {
		var got []bot.Reply
		switch st.Kind {
		case SendText:
			got = d.Text(t, st.Text)
		case TapButton:
			got = d.Button(t, last, st.Text)
		case Redeliver:
			got = d.Redeliver(t)
			if !sameReplies(got, prev) {
				t.Fatalf("%s:%d: redelivery answered %v, first delivery %v", tr.Name, st.Line, IDs(got), IDs(prev))
			}
		case Signal:
			got = d.Signal(t, st.Text, st.Value)
		case Tick:
			got = d.Tick(t)
		case Advance:
			clock.Advance(st.Wait)
			continue
		}
		check(t, tr.Name, st, got)
		prev = got
		for _, r := range got {
			if len(r.Options) > 0 {
				last = got
			}
		}
	}
}

func check(t *testing.T, name string, st Step, got []bot.Reply) {
	t.Helper()
	if st.Kind == Redeliver && len(st.Expect) == 0 {
		return
	}
	want := make([]string, len(st.Expect))
	for i, e := range st.Expect {
		want[i] = e.MsgID
	}
	if !slices.Equal(IDs(got), want) {
		t.Fatalf("%s:%d: replies %v, want %v\n%s", name, st.Line, IDs(got), want, Texts(got))
	}
	for i, e := range st.Expect {
		r := got[i]
		if e.Contains != "" && !strings.Contains(r.Text, e.Contains) {
			t.Errorf("%s:%d: reply %s is %q, want it to contain %q", name, e.Line, r.MsgID, r.Text, e.Contains)
		}
		if e.Options != nil {
			var vals []string
			for _, o := range r.Options {
				vals = append(vals, o.Value)
			}
			if !slices.Equal(vals, e.Options) {
				t.Errorf("%s:%d: reply %s offers %v, want %v", name, e.Line, r.MsgID, vals, e.Options)
			}
		}
		if strings.TrimSpace(r.Text) == "" && r.MsgID != "" {
			t.Errorf("%s:%d: reply %s has no text", name, e.Line, r.MsgID)
		}
	}
}

// IDs returns the message IDs of replies, in order.
func IDs(rs []bot.Reply) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.MsgID
	}
	return out
}

// Texts lists replies one per line, ID and text, for failure messages.
func Texts(rs []bot.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "  %s: %q\n", r.MsgID, r.Text)
	}
	return b.String()
}

func sameReplies(a, b []bot.Reply) bool {
	return slices.EqualFunc(a, b, func(x, y bot.Reply) bool {
		return x.MsgID == y.MsgID && x.Text == y.Text && slices.Equal(x.Options, y.Options)
	})
}
