package main

import (
	"bufio"
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slipdesk/slipdesk/adapters/web/admin"
)

const operatorsUsage = `Usage:
  slipdesk operators add NAME
      add an operator of the console at /admin, or set a new password;
      the password is read from the first line of standard input
  slipdesk operators list
      list the operators

Every command takes --config FILE and uses REDIS_URL, as the other commands do.
`

// operatorName is what an operator's name may be.
var operatorName = regexp.MustCompile(`^[A-Za-z0-9._-]{2,32}$`)

// minPassword is the shortest password taken.
const minPassword = 12

// runOperators runs "slipdesk operators ...". Exit codes: 0 done, 1
// failed, 2 a wrong command line.
func (m *Main) runOperators(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, operatorsUsage)
		return &exitError{2}
	}
	fs, config := m.toolFlags("operators " + args[0])
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	switch args[0] {
	case "add":
		if len(rest) != 1 || !operatorName.MatchString(rest[0]) {
			return m.usageError(fs, "give one name: 2 to 32 letters, digits, . _ or -")
		}
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		password := strings.TrimRight(line, "\r\n")
		if (err != nil && password == "") || utf8.RuneCountInString(password) < minPassword || len(password) > 72 {
			return m.usageError(fs, "give the password on standard input: %d to 72 bytes", minPassword)
		}
		hash, err := admin.HashPassword(password)
		if err != nil {
			return m.failed(fs.Name(), err)
		}
		store, err := m.openRegistry(ctx, fs.Name(), *config)
		if err != nil {
			return m.failed(fs.Name(), err)
		}
		if err := store.SetOperator(ctx, rest[0], hash); err != nil {
			return m.failed(fs.Name(), err)
		}
		fmt.Fprintf(m.Stderr, "Operator %s can sign in at /admin.\n", rest[0])
		return nil
	case "list":
		store, err := m.openRegistry(ctx, fs.Name(), *config)
		if err != nil {
			return m.failed(fs.Name(), err)
		}
		names, err := store.Operators(ctx)
		if err != nil {
			return m.failed(fs.Name(), err)
		}
		for _, n := range names {
			fmt.Fprintln(m.Stdout, n)
		}
		return nil
	}
	fmt.Fprintf(m.Stderr, "slipdesk operators: unknown command %q\n\n%s", args[0], operatorsUsage)
	return &exitError{2}
}
