package main

import (
	"bufio"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/understand"
)

const slotsUsage = `Usage:
  slipdesk slots check [flags] TYPE [TEXT...]

Shows what each TEXT becomes as the answer to a question of slot type TYPE:
the value stored, or the message that asks again, in every language.
Without TEXT, reads one answer a line from standard input.

Flags:
`

// runSlots runs "slots check": an operator sees how answers are read and
// what a wrong one is told, with the locale texts in use, before a flow
// asks for a slot of that type.
func (m *Main) runSlots(args []string) error {
	fset := flag.NewFlagSet("slots check", flag.ContinueOnError)
	fset.SetOutput(m.Stderr)
	fset.Usage = func() {
		fmt.Fprint(m.Stderr, slotsUsage)
		fset.PrintDefaults()
	}
	if len(args) == 0 || args[0] != "check" {
		fset.Usage()
		return &exitError{2}
	}
	var common commonFlags
	common.register(fset)
	tz := fset.String("tz", "", "time zone answers are read in (default Asia/Shanghai, as the engine)")
	nowFlag := fset.String("now", "", `time of the message, "2006-01-02 15:04" in --tz or RFC 3339 (default: the current time)`)
	if err := fset.Parse(args[1:]); err != nil {
		return &exitError{2}
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return &exitError{2}
	}
	reg := bot.NewRegistry()
	typ := fset.Arg(0)
	st := reg.SlotTypes[typ]
	if st == nil {
		fmt.Fprintf(m.Stderr, "slipdesk slots check: unknown slot type %q; known types: %s\n",
			typ, strings.Join(slices.Sorted(maps.Keys(reg.SlotTypes)), ", "))
		return &exitError{2}
	}
	env, err := slotEnv(*tz, *nowFlag)
	if err != nil {
		fmt.Fprintln(m.Stderr, "slipdesk slots check:", err)
		return &exitError{2}
	}
	cfg, err := m.loadConfig(common)
	if err != nil {
		return err
	}
	ffs, lfs := contentFS(cfg)
	content, problems := bot.LoadContent(ffs, lfs, reg)
	if err := bot.ProblemsError(problems); err != nil {
		return err
	}
	texts, err := m.textsOrStdin(fset.Args()[1:])
	if err != nil {
		return err
	}
	for _, text := range texts {
		fmt.Fprintf(m.Stdout, "%q\n", text)
		v, problem := st.Parse(env, text)
		if problem == "" {
			fmt.Fprintf(m.Stdout, "  value: %s\n", v)
			continue
		}
		note := ""
		if problem == bot.MsgRetry {
			note = " (a step's own retry: message is said instead)"
		}
		if err := m.printReask(content, problem, note); err != nil {
			return err
		}
	}
	return nil
}

// printReask prints the message that asks again, in every language.
func (m *Main) printReask(content *bot.Content, problem, note string) error {
	fmt.Fprintf(m.Stdout, "  asks again: %s%s\n", problem, note)
	for _, lang := range bot.Languages {
		msg, err := content.Catalog.Render(lang, problem, nil)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "  %s: %s\n", lang, msg)
	}
	return nil
}

// textsOrStdin returns texts, or one text a line from standard input
// when there are none.
func (m *Main) textsOrStdin(texts []string) ([]string, error) {
	if len(texts) > 0 {
		return texts, nil
	}
	sc := bufio.NewScanner(m.Stdin)
	for sc.Scan() {
		texts = append(texts, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read answers: %w", err)
	}
	return texts, nil
}

// slotEnv builds the time and zone answers are read against from the
// --tz and --now flags.
func slotEnv(tz, now string) (bot.SlotEnv, error) {
	env := bot.SlotEnv{Now: time.Now(), Loc: bot.DefaultLocation()}
	if tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return env, fmt.Errorf("--tz %q: %w", tz, err)
		}
		env.Loc = loc
	}
	if now != "" {
		t, err := time.ParseInLocation(understand.DatetimeLayout, now, env.Loc)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, now); err != nil {
				return env, fmt.Errorf(`--now %q: write "2006-01-02 15:04" or RFC 3339`, now)
			}
		}
		env.Now = t
	}
	return env, nil
}
