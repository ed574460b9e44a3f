package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/web/admin"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/locales"
)

// runLint loads flows and locales and prints every problem; it exits 1
// when any is an error, so CI and operators can gate an edit on it.
func (m *Main) runLint(args []string) error {
	fset := flag.NewFlagSet("flows lint", flag.ContinueOnError)
	ffs, lfs, err := m.flowArgs(fset, args)
	if err != nil {
		return err
	}
	// The texts of every channel and of the console: content that passes
	// runs with any of them.
	reg := bot.NewRegistry()
	for _, declare := range []func(*bot.Registry){webchat.DeclareMessages, admin.DeclareMessages, telegram.DeclareMessages, console.DeclareMessages} {
		declare(reg)
	}
	_, problems := bot.LoadContent(ffs, lfs, reg)
	errs := 0
	for _, p := range problems {
		fmt.Fprintln(m.Stdout, p.String())
		if !p.Warning {
			errs++
		}
	}
	if errs > 0 {
		fmt.Fprintf(m.Stdout, "%d error(s), %d warning(s)\n", errs, len(problems)-errs)
		return &exitError{1}
	}
	fmt.Fprintf(m.Stdout, "ok: flows and locales are valid (%d warning(s))\n", len(problems))
	return nil
}

// flowArgs parses the flags of a flow tool and its DIR argument (default
// flows), and returns the flow files and the locale files to check them
// against.
func (m *Main) flowArgs(fset *flag.FlagSet, args []string) (fs.FS, fs.FS, error) {
	fset.SetOutput(m.Stderr)
	localesDir := fset.String("locales", "", "locale files folder (default: locales/ beside DIR if present, else built in)")
	if err := fset.Parse(args); err != nil {
		return nil, nil, &exitError{2}
	}
	dir := "flows"
	if fset.NArg() > 0 {
		dir = fset.Arg(0)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		fmt.Fprintf(m.Stderr, "slipdesk %s: %s is not a folder\n", fset.Name(), dir)
		return nil, nil, &exitError{2}
	}
	return os.DirFS(dir), localesFor(dir, *localesDir), nil
}

// localesFor picks the locale files to check flows against: the flag, else
// a locales folder beside the flows folder, else the built-in ones.
func localesFor(flowsDir, flag string) fs.FS {
	if flag != "" {
		return os.DirFS(flag)
	}
	beside := filepath.Join(flowsDir, "..", "locales")
	if st, err := os.Stat(beside); err == nil && st.IsDir() {
		return os.DirFS(beside)
	}
	return locales.FS
}
