package main

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/mask"
)

const tryUsage = `Usage:
  slipdesk flows try [flags] STEP TEXT...
  slipdesk flows try [flags] --first TEXT...

Shows what a question (STEP: flow.step, or a step of the start flow)
makes of each TEXT, without a conversation: the value it takes and the
slots it fills, or why it asks again. With --first, shows where each
TEXT leads as the first message of a conversation and what it fills.
Without TEXT, reads one text a line from standard input.

Flags:
`

// runTry runs "flows try": operators check the phrases they add to
// options and intents before they put them live.
func (m *Main) runTry(args []string) error {
	fset := flag.NewFlagSet("flows try", flag.ContinueOnError)
	fset.SetOutput(m.Stderr)
	fset.Usage = func() {
		fmt.Fprint(m.Stderr, tryUsage)
		fset.PrintDefaults()
	}
	var common commonFlags
	common.register(fset)
	first := fset.Bool("first", false, "show where each TEXT leads as a first message")
	tz := fset.String("tz", "", "time zone answers are read in (default Asia/Shanghai, as the engine)")
	nowFlag := fset.String("now", "", `time of the message, "2006-01-02 15:04" in --tz or RFC 3339 (default: the current time)`)
	if err := fset.Parse(args); err != nil {
		return &exitError{2}
	}
	rest := fset.Args()
	if !*first && len(rest) == 0 {
		fset.Usage()
		return &exitError{2}
	}
	env, err := slotEnv(*tz, *nowFlag)
	if err != nil {
		fmt.Fprintln(m.Stderr, "slipdesk flows try:", err)
		return &exitError{2}
	}
	cfg, err := m.loadConfig(common)
	if err != nil {
		return err
	}
	reg := bot.NewRegistry()
	ffs, lfs := contentFS(cfg)
	content, problems := bot.LoadContent(ffs, lfs, reg)
	if err := bot.ProblemsError(problems); err != nil {
		return err
	}
	var step *bot.Step
	var flow *bot.Flow
	if !*first {
		f, id, ok := content.Resolve(content.Flows[content.StartFlow], rest[0])
		if ok {
			flow, step = f, f.Step(id)
		}
		if step == nil || (step.Kind != bot.KindAsk && step.Kind != bot.KindChoice) {
			fmt.Fprintf(m.Stderr, "slipdesk flows try: %q is no question (an ask or choice step; write flow.step)\n", rest[0])
			return &exitError{2}
		}
		rest = rest[1:]
	}
	texts, err := m.textsOrStdin(rest)
	if err != nil {
		return err
	}
	for _, raw := range texts {
		fmt.Fprintf(m.Stdout, "%q\n", raw)
		text, masked := mask.SensitiveKinds(raw)
		if masked != 0 {
			fmt.Fprintf(m.Stdout, "  masked first (%s): %q\n", masked, text)
		}
		if *first {
			m.tryFirst(content, env, text)
			continue
		}
		if err := m.tryStep(content, reg, env, flow, step, text); err != nil {
			return err
		}
	}
	return nil
}

// tryFirst prints where a first message leads.
func (m *Main) tryFirst(content *bot.Content, env bot.SlotEnv, text string) {
	r, ok := content.Route(env, text)
	if !ok {
		f := content.Flows[content.StartFlow]
		fmt.Fprintf(m.Stdout, "  leads to: %s.%s (no intent: the start flow)\n", f.Name, f.StartStep())
		return
	}
	what := "intent " + r.Intent
	if r.Notice != nil {
		what += ", a pasted notification"
	}
	fmt.Fprintf(m.Stdout, "  leads to: %s (%s)\n", r.Target, what)
	if len(r.Slots) > 0 {
		fmt.Fprintf(m.Stdout, "  fills: %s\n", slotList(r.Slots))
	}
}

// tryStep prints what question s of flow f makes of text.
func (m *Main) tryStep(content *bot.Content, reg *bot.Registry, env bot.SlotEnv, f *bot.Flow, s *bot.Step, text string) error {
	if _, slots, ok := f.ReadNotice(env, text); ok {
		fmt.Fprintf(m.Stdout, "  a pasted notification: fills %s\n", slotList(slots))
		return nil
	}
	r := content.Read(reg, env, s, text, nil)
	switch {
	case r.Why:
		msg := s.Why
		if msg == "" {
			msg = bot.MsgWhy
		}
		fmt.Fprintf(m.Stdout, "  asks why: says %s, then asks again\n", msg)
		return nil
	case r.Unknown:
		fmt.Fprintf(m.Stdout, "  value: unknown (slot %s kept empty)\n", slotName(s))
		return nil
	case r.Problem == "":
		fmt.Fprintf(m.Stdout, "  value: %s (slot %s)\n", r.Value, slotName(s))
		return nil
	}
	problem := r.Problem
	if s.Retry != "" && (problem == bot.MsgRetry || problem == bot.MsgChooseOne) {
		problem = s.Retry
	}
	return m.printReask(content, problem, "")
}

func slotName(s *bot.Step) string {
	if s.Slot == "" {
		return "none"
	}
	return s.Slot
}

func slotList(slots map[string]string) string {
	parts := make([]string, 0, len(slots))
	for _, k := range slices.Sorted(maps.Keys(slots)) {
		parts = append(parts, k+"="+slots[k])
	}
	return strings.Join(parts, ", ")
}
