// Command slipdesk is the help desk for lost POS payment slips: the chat
// channels, the flow tools and the operators' commands in one binary.
//
//	slipdesk serve [--addr HOST:PORT]
//	slipdesk chat [--user NAME] [--lang en|zh-CN] [--show-ids]
//	slipdesk flows lint [DIR] [--locales DIR]
//	slipdesk flows graph [DIR] [--flow NAME] [--format dot|mermaid|svg]
//	slipdesk flows try STEP TEXT... | --first TEXT...
//	slipdesk merchants add|list|link-code ...
//	slipdesk slots check TYPE TEXT...
//	slipdesk cases list|show ...
//	slipdesk alerts dead
//	slipdesk ops events
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	// The time zone database, for machines without one: dates users
	// type are read in the configured zone.
	_ "time/tzdata"
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	stop()
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	var exit *exitError
	switch {
	case errors.As(err, &exit):
		os.Exit(exit.code)
	case err != nil:
		fmt.Fprintln(os.Stderr, "slipdesk:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a code after its output was written.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main is the program: its I/O and environment, so that tests run it whole.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr *os.File
	Getenv func(string) string

	closers []func() error
}

// NewMain returns a Main wired to the process's standard streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// Close releases what Run opened.
func (m *Main) Close() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i]())
	}
	m.closers = nil
	return errors.Join(errs...)
}

const usage = `slipdesk: a help desk for lost POS payment slips

Usage:
  slipdesk serve [--addr HOST:PORT]   run the service: Telegram, workers, health
  slipdesk chat [flags]          talk to the flows in this terminal
  slipdesk flows lint [DIR]      check flow and locale files
  slipdesk flows graph [DIR]     print the flows as a graph (Graphviz; --format mermaid or svg)
  slipdesk flows try STEP TEXT...   what a question makes of answers (--first: of first messages)
  slipdesk merchants add|list|link-code   manage the merchant registry
  slipdesk cases list|show, alerts dead, ops events   look at cases and what needs a person
  slipdesk slots check TYPE TEXT...        try a slot type on answers
  slipdesk bench [--mode engine|webhook]   measure turns/s, latency, round trips, bytes per conversation

Run "slipdesk COMMAND -h" for a command's flags.
`

// Run runs the command args name.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return &exitError{2}
	}
	switch args[0] {
	case "serve":
		return m.runServe(ctx, args[1:])
	case "chat":
		return m.runChat(ctx, args[1:])
	case "flows":
		if len(args) < 2 {
			fmt.Fprint(m.Stderr, usage)
			return &exitError{2}
		}
		switch args[1] {
		case "lint":
			return m.runLint(args[2:])
		case "graph":
			return m.runGraph(args[2:])
		case "try":
			return m.runTry(args[2:])
		}
	case "slots":
		return m.runSlots(args[1:])
	case "bench":
		return m.runBench(ctx, args[1:])
	case "merchants":
		return m.runMerchants(ctx, args[1:])
	case "operators":
		return m.runOperators(ctx, args[1:])
	case "cases", "alerts", "ops":
		return m.runCases(ctx, args)
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprintf(m.Stderr, "slipdesk: unknown command %q\n\n%s", args[0], usage)
	return &exitError{2}
}
