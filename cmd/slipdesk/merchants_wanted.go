package main

import (
	"context"
	"fmt"
	"strconv"
)

// runMerchantsWanted lists the shops consumers named that the registry
// does not know, with how many cases named each: whom to bring on.
func (m *Main) runMerchantsWanted(ctx context.Context, args []string) error {
	fs := m.merchantsFlags("wanted")
	config := fs.String("config", "", "configuration file (default $SLIPDESK_CONFIG)")
	limit := fs.Int("limit", defaultListLimit, "the most shops shown")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return m.usageError(fs, "unexpected argument %q", rest[0])
	}
	if *limit < 1 || *limit > maxListLimit {
		return m.usageError(fs, "--limit %d: between 1 and %d", *limit, maxListLimit)
	}
	store, err := m.openRegistry(ctx, fs.Name(), *config)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	wanted, err := store.WantedMerchants(ctx, int64(*limit))
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	if len(wanted) == 0 {
		fmt.Fprintln(m.Stderr, "no unregistered shops named")
		return nil
	}
	rows := [][]string{{"NAME", "CASES"}}
	for _, w := range wanted {
		rows = append(rows, []string{printable(w.Name), strconv.FormatInt(w.Cases, 10)})
	}
	writeTable(m.Stdout, rows)
	return nil
}
