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

// Pushed is a reply the workers pushed to a user.
type Pushed struct {
	To    string
	Reply bot.Reply
}

// PartyDriver is a Driver whose channel has more than one user and runs
// the workers, for transcripts of cases.
type PartyDriver interface {
	Driver
	// As makes user the sender of the following inputs.
	As(t testing.TB, user string)
	// Work runs the workers until idle and returns what they pushed.
	Work(t testing.TB) []Pushed
	// Merchant registers m with the chats of users chats linked to it
	// (none for a shop with no linked chat).
	Merchant(t testing.TB, m bot.Merchant, chats ...string)
	// File sends a file with the given content, as a photo or document.
	File(t testing.TB, name string, content []byte) []bot.Reply
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
	var prev []bot.Reply
	// Party drivers start as user "consumer"; a plain driver has one
	// user, whose name does not matter.
	user := "consumer"
	lastOf := map[string][]bot.Reply{}
	party := func(st Step) PartyDriver {
		pd, ok := d.(PartyDriver)
		if !ok {
			t.Fatalf("%s:%d: this channel's driver cannot play several users or run workers", tr.Name, st.Line)
		}
		return pd
	}
	for _, st := range tr.Steps {
		var got []bot.Reply
		switch st.Kind {
		case As:
			user = st.Text
			party(st).As(t, user)
			continue
		case AddMerchant:
			a := st.Args
			m := bot.Merchant{ID: st.Text, Name: spaced(first(a["name"])), Aliases: spacedAll(a["alias"]), MerchantIDs: a["mid"], TerminalIDs: a["tid"], Lang: first(a["lang"])}
			party(st).Merchant(t, m, a["chat"]...)
			continue
		case Work:
			pushed := party(st).Work(t)
			checkPushed(t, tr.Name, st, pushed)
			for _, p := range pushed {
				if len(p.Reply.Options) > 0 {
					lastOf[p.To] = []bot.Reply{p.Reply}
				}
			}
			continue
		case SendFile:
			got = party(st).File(t, "proof."+st.Text, SampleFile(t, st.Text))
		case SendText:
			got = d.Text(t, st.Text)
		case TapButton:
			got = d.Button(t, lastOf[user], st.Text)
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
				lastOf[user] = got
			}
		}
	}
}

// spaced turns the underscores of a name written in a ! line into the
// spaces it stands for.
func spaced(s string) string { return strings.ReplaceAll(s, "_", " ") }

func spacedAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = spaced(v)
	}
	return out
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// checkPushed compares what the workers pushed with the expected lines,
// each of which names its user. Only the order of each user's replies
// counts: channels deliver to users independently.
func checkPushed(t *testing.T, name string, st Step, got []Pushed) {
	t.Helper()
	slices.SortStableFunc(got, func(a, b Pushed) int { return strings.Compare(a.To, b.To) })
	st.Expect = slices.Clone(st.Expect)
	slices.SortStableFunc(st.Expect, func(a, b Expect) int { return strings.Compare(a.To, b.To) })
	want := make([]string, len(st.Expect))
	for i, e := range st.Expect {
		want[i] = "@" + e.To + " " + e.MsgID
	}
	have := make([]string, len(got))
	var replies []bot.Reply
	for i, p := range got {
		have[i] = "@" + p.To + " " + p.Reply.MsgID
		replies = append(replies, p.Reply)
	}
	if !slices.Equal(have, want) {
		t.Fatalf("%s:%d: workers pushed %v, want %v\n%s", name, st.Line, have, want, Texts(replies))
	}
	byReply := st
	byReply.Expect = nil
	for _, e := range st.Expect {
		e.To = ""
		byReply.Expect = append(byReply.Expect, e)
	}
	check(t, name, byReply, replies)
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
