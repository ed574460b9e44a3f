package main

import (
	"context"
	"fmt"
	"strconv"
)

// runMerchantsWanted lists the shops consumers named that the registry
// does not know, with how many cases named each: whom to bring on.
func (m *Main) runMerchantsWanted(ctx context.Context, args []string) error {
	fs, config := m.toolFlags("merchants wanted")
	limit := limitFlag(fs, "shops")
	if err := m.parseList(fs, args, limit); err != nil {
		return err
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
