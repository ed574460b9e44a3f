package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"time"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/bot"
)

func (m *Main) runChat(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	var common commonFlags
	common.register(fs)
	user := fs.String("user", "me", "who is talking: each user is its own conversation")
	lang := fs.String("lang", "", "language hint, as a channel would give it (en, zh-CN)")
	showIDs := fs.Bool("show-ids", false, "show message IDs and option values")
	if err := fs.Parse(args); err != nil {
		return &exitError{2}
	}
	cfg, err := m.loadConfig(common)
	if err != nil {
		return err
	}
	e, err := m.newEngine(ctx, cfg)
	if err != nil {
		return err
	}
	proofs, err := openProofs(cfg)
	if err != nil {
		return err
	}
	chat := &console.Chat{
		Engine:       e,
		Proofs:       proofs,
		MaxProofSize: int64(cfg.Proofs.MaxSize),
		User:         *user,
		LangHint:     *lang,
		ShowIDs:      *showIDs,
		Prompt:       isTerminal(m.Stdin),
		Out:          m.Stdout,
	}
	err = chat.Run(ctx, m.Stdin)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// isTerminal reports whether r is an interactive terminal, where a prompt
// helps; piped input gets none.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func durationOf(d bot.Duration) time.Duration { return time.Duration(d) }
