package bottest

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"
)

// A transcript file is a whole conversation: what the user sends and what
// the bot must answer, one line each.
//
//	# a comment
//	@lang en                 the channel's language hint (optional)
//	> hello                  the user sends a text
//	< consumer.welcome       the next reply has this message ID
//	< consumer.wait ~ 星光   ... and its text contains "星光"
//	< consumer.paid_by [debit credit alipay]   ... and offers these values
//	>* credit                the user taps the button with this value
//	! signal merchant_answer found   an outside event arrives
//	! advance 49h            time passes
//	! tick                   a timer fires
//	! redeliver              the channel delivers the last event again
//
// Transcripts of a case, where a consumer and a merchant talk through the
// help desk, use a channel that runs the workers too (see PartyDriver):
//
//	! merchant M1 name=星光超市 alias=Starlight mid=123456789012345 chat=shop
//	                         register a merchant, its chat linked to user shop
//	                         (an underscore in a name stands for a space)
//	@as shop                 the following inputs come from user shop
//	! work                   the workers run until idle; the "<" lines that
//	                         follow are the replies they pushed, in order
//	< @shop merchant_desk.alert ~ PS-   a pushed reply to user shop
//	! file png               the user sends a photo (png, jpeg or pdf)
//
// After every input, the replies must be exactly the "<" lines that
// follow it, in order.

// Transcript is a parsed transcript file.
type Transcript struct {
	Name     string
	LangHint string
	Steps    []Step
}

// StepKind is what a transcript step does.
type StepKind int

// The transcript step kinds.
const (
	SendText StepKind = iota
	TapButton
	Signal
	Advance
	Tick
	Redeliver
	// As switches the user who sends; Text names them.
	As
	// Work runs the workers until idle.
	Work
	// AddMerchant registers a merchant; Args holds its fields.
	AddMerchant
	// SendFile sends a file of the type in Text.
	SendFile
)

// Step is one input of a transcript and the replies expected to it.
type Step struct {
	Line   int
	Kind   StepKind
	Text   string // the text, the button value, or the signal name
	Value  string // the signal value
	Wait   time.Duration
	Args   map[string][]string
	Expect []Expect
}

// Expect is one expected reply.
type Expect struct {
	Line int
	// To names the user a pushed reply went to (after ! work).
	To       string
	MsgID    string
	Contains string
	Options  []string
}

// Parse reads a transcript file.
func Parse(path string) (*Transcript, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr := &Transcript{Name: path}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "@lang "):
			tr.LangHint = strings.TrimSpace(line[len("@lang "):])
		case strings.HasPrefix(line, "@as "):
			tr.Steps = append(tr.Steps, Step{Line: n, Kind: As, Text: strings.TrimSpace(line[len("@as "):])})
		case strings.HasPrefix(line, ">* "):
			tr.Steps = append(tr.Steps, Step{Line: n, Kind: TapButton, Text: strings.TrimSpace(line[3:])})
		case strings.HasPrefix(line, "> ") || line == ">":
			tr.Steps = append(tr.Steps, Step{Line: n, Kind: SendText, Text: strings.TrimPrefix(strings.TrimPrefix(line, ">"), " ")})
		case strings.HasPrefix(line, "! "):
			st, err := parseBang(n, strings.Fields(line[2:]))
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, n, err)
			}
			tr.Steps = append(tr.Steps, st)
		case strings.HasPrefix(line, "< "):
			if len(tr.Steps) == 0 {
				return nil, fmt.Errorf("%s:%d: a reply before any input", path, n)
			}
			last := &tr.Steps[len(tr.Steps)-1]
			last.Expect = append(last.Expect, parseExpect(n, line[2:]))
		default:
			return nil, fmt.Errorf("%s:%d: cannot read %q (lines start with >, >*, <, !, @ or #)", path, n, line)
		}
	}
	return tr, sc.Err()
}

func parseBang(n int, f []string) (Step, error) {
	if len(f) == 0 {
		return Step{}, fmt.Errorf("empty ! line")
	}
	switch f[0] {
	case "signal":
		if len(f) != 3 {
			return Step{}, fmt.Errorf("write: ! signal NAME VALUE")
		}
		return Step{Line: n, Kind: Signal, Text: f[1], Value: f[2]}, nil
	case "advance":
		if len(f) != 2 {
			return Step{}, fmt.Errorf("write: ! advance 49h")
		}
		d, err := time.ParseDuration(f[1])
		if err != nil {
			return Step{}, err
		}
		return Step{Line: n, Kind: Advance, Wait: d}, nil
	case "tick":
		return Step{Line: n, Kind: Tick}, nil
	case "redeliver":
		return Step{Line: n, Kind: Redeliver}, nil
	case "work":
		return Step{Line: n, Kind: Work}, nil
	case "file":
		if len(f) != 2 {
			return Step{}, fmt.Errorf("write: ! file png")
		}
		return Step{Line: n, Kind: SendFile, Text: f[1]}, nil
	case "merchant":
		if len(f) < 3 {
			return Step{}, fmt.Errorf("write: ! merchant ID name=NAME [alias=A] [mid=M] [tid=T] [lang=L] [chat=USER]")
		}
		st := Step{Line: n, Kind: AddMerchant, Text: f[1], Args: map[string][]string{}}
		for _, kv := range f[2:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return Step{}, fmt.Errorf("merchant field %q: write key=value", kv)
			}
			st.Args[k] = append(st.Args[k], v)
		}
		return st, nil
	}
	return Step{}, fmt.Errorf("unknown ! command %q", f[0])
}

func parseExpect(n int, s string) Expect {
	e := Expect{Line: n}
	if strings.HasPrefix(s, "@") {
		to, rest, _ := strings.Cut(s[1:], " ")
		e.To, s = to, rest
	}
	if i := strings.Index(s, " ["); i >= 0 && strings.HasSuffix(s, "]") {
		e.Options = strings.Fields(s[i+2 : len(s)-1])
		s = s[:i]
	}
	if id, frag, ok := strings.Cut(s, " ~ "); ok {
		e.MsgID, e.Contains = strings.TrimSpace(id), strings.TrimSpace(frag)
	} else {
		e.MsgID = strings.TrimSpace(s)
	}
	return e
}
