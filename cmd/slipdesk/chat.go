package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
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
	d, err := m.openDesk(ctx, cfg, console.DeclareMessages)
	if err != nil {
		return err
	}
	d.workers.Senders[console.Channel] = console.Sender(d.store)
	interactive := isTerminal(m.Stdin)
	chat := &console.Chat{
		Engine:       d.engine,
		Proofs:       d.proofs,
		MaxProofSize: int64(cfg.Proofs.MaxSize),
		User:         *user,
		LangHint:     *lang,
		ShowIDs:      *showIDs,
		Prompt:       interactive,
		Inbox:        d.store,
		Out:          m.Stdout,
	}
	if interactive {
		// At a terminal the workers run beside the chat, and what other
		// users cause (an alert, an answer) shows as it arrives.
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go d.workers.Run(ctx)
		go chat.Watch(ctx)
	} else {
		// Piped, each line's consequences are carried out before the
		// next line, so the output is the same on every run.
		chat.AfterSend = func(ctx context.Context) {
			if err := d.workers.Drain(ctx); err != nil {
				fmt.Fprintln(m.Stderr, "slipdesk: workers:", err)
			}
		}
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
