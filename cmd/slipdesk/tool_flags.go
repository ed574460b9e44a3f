package main

import "flag"

// toolFlags returns the flag set of an operator's command ("cases list",
// "merchants add") with the --config flag every one of them takes.
func (m *Main) toolFlags(name string) (fs *flag.FlagSet, config *string) {
	fs = flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	return fs, fs.String("config", "", "configuration file (default $SLIPDESK_CONFIG)")
}

// limitFlag adds --limit to a listing command: the most entries, of
// what, it shows.
func limitFlag(fs *flag.FlagSet, what string) *int {
	return fs.Int("limit", defaultListLimit, "the most "+what+" shown")
}

// parseList parses the arguments of a listing command, which takes
// flags only, and checks its --limit when it has one (limit not nil).
func (m *Main) parseList(fs *flag.FlagSet, args []string, limit *int) error {
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return m.usageError(fs, "unexpected argument %q", rest[0])
	}
	if limit != nil && (*limit < 1 || *limit > maxListLimit) {
		return m.usageError(fs, "--limit %d: between 1 and %d", *limit, maxListLimit)
	}
	return nil
}
