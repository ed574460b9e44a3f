package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/configs"
)

const casesUsage = `Usage:
  slipdesk cases list [--merchant ID] [--status STATUS|all] [--limit N]
      list cases, newest first, with the reason a case needs operators;
      by default those still open: open, waiting_merchant,
      merchant_answered and escalated; --status unreachable (escalated,
      the shop cannot be reached) and --status unregistered (the shop is
      not registered) pick by reason
  slipdesk cases show NO
      everything about one case ("PS-7K3Q9"; "ps 7k3q9" works too)
  slipdesk alerts dead [--limit N]
      merchant alerts that could not be delivered
  slipdesk ops events [--limit N]
      handovers and escalated cases, newest first

Every command takes --config FILE and uses REDIS_URL, as the other commands do.
`

// Bounds of --limit: a screenful by default, and no more than a terminal
// is read from.
const (
	defaultListLimit = 20
	maxListLimit     = 1000
	// mergeScan is how many cases of one merchant are read to filter
	// them by status: more than any shop has open at once.
	mergeScan = 5000
)

// activeStatuses are the statuses "cases list" shows by default: the cases
// somebody still has to act on.
var activeStatuses = []bot.CaseStatus{bot.CaseOpen, bot.CaseWaitingMerchant, bot.CaseMerchantAnswered, bot.CaseEscalated}

// timeLayout writes the times operators read, in the configured zone.
const timeLayout = "2006-01-02 15:04"

// runCases runs "slipdesk cases ...", "slipdesk alerts ..." and "slipdesk
// ops ...": the operators' read-only view of cases and of what needs a
// person. Exit codes as for "slipdesk merchants": 0 done, 1 failed (Redis,
// an unknown case), 2 a wrong command line.
func (m *Main) runCases(ctx context.Context, args []string) error {
	group, args := args[0], args[1:]
	sub := map[string]map[string]func(context.Context, []string) error{
		"cases":  {"list": m.runCasesList, "show": m.runCasesShow},
		"alerts": {"dead": m.runAlertsDead},
		"ops":    {"events": m.runOpsEvents},
	}[group]
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, casesUsage)
		return &exitError{2}
	}
	if run := sub[args[0]]; run != nil {
		return run(ctx, args[1:])
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, casesUsage)
		return nil
	}
	fmt.Fprintf(m.Stderr, "slipdesk %s: unknown command %q\n\n%s", group, args[0], casesUsage)
	return &exitError{2}
}

func (m *Main) runCasesList(ctx context.Context, args []string) error {
	fs, config := m.toolFlags("cases list")
	merchant := fs.String("merchant", "", "only the cases of this merchant ID (see slipdesk merchants list)")
	status := fs.String("status", "", "only the cases in this status: "+strings.Join(statusNames(), ", ")+", or all (default: the open ones)")
	limit := limitFlag(fs, "cases")
	if err := m.parseList(fs, args, limit); err != nil {
		return err
	}
	statuses, reason := activeStatuses, ""
	switch st := bot.CaseStatus(strings.ToLower(strings.TrimSpace(*status))); {
	case st == "":
	case st == "all":
		statuses = bot.CaseStatuses
	case st == bot.OutcomeUnreachable:
		statuses, reason = []bot.CaseStatus{bot.CaseEscalated}, bot.ReasonMerchantUnreachable
	case st == bot.OutcomeUnregistered:
		statuses, reason = []bot.CaseStatus{bot.CaseOpen}, bot.ReasonMerchantUnregistered
	case slices.Contains(bot.CaseStatuses, st):
		statuses = []bot.CaseStatus{st}
	default:
		return m.usageError(fs, "--status %q: use one of %s, or all", *status, strings.Join(statusNames(), ", "))
	}
	// A reason is a filter on top of the status: read more than asked
	// for, so that it still leaves enough.
	scan := *limit
	if reason != "" {
		scan = mergeScan
	}
	merchantID := ""
	if *merchant != "" {
		id, ok := bot.NormalizeMerchantRef(*merchant)
		if !ok {
			return m.usageError(fs, "%q is not a merchant ID: they look like M4KX7PQ (see slipdesk merchants list)", *merchant)
		}
		merchantID = id
	}
	store, cfg, err := m.openCaseStore(ctx, fs.Name(), *config)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	var cases []bot.Case
	if merchantID != "" {
		// The merchant's index holds every status: read more than asked
		// for, so that the filter still leaves enough.
		n := scan
		if len(statuses) < len(bot.CaseStatuses) {
			n = mergeScan
		}
		all, err := store.CasesByMerchant(ctx, merchantID, n)
		if err != nil {
			return m.failed(fs.Name(), err)
		}
		for _, c := range all {
			if slices.Contains(statuses, c.Status) && (reason == "" || c.Reason == reason) {
				cases = append(cases, c)
			}
		}
	} else {
		for _, st := range statuses {
			cs, err := store.CasesByStatus(ctx, st, scan)
			if err != nil {
				return m.failed(fs.Name(), err)
			}
			for _, c := range cs {
				if reason == "" || c.Reason == reason {
					cases = append(cases, c)
				}
			}
		}
	}
	slices.SortStableFunc(cases, func(a, b bot.Case) int {
		if n := cmp.Compare(b.Opened, a.Opened); n != 0 {
			return n
		}
		return strings.Compare(b.No, a.No)
	})
	cases = cases[:min(len(cases), *limit)]
	if len(cases) == 0 {
		fmt.Fprintln(m.Stderr, "no cases")
		return nil
	}
	loc := cfg.Location()
	rows := [][]string{{"CASE", "STATUS", "REASON", "MERCHANT", "OPENED", "UPDATED", "PROOFS", "ANONYMOUS"}}
	for _, c := range cases {
		rows = append(rows, []string{
			c.No, string(c.Status), orDash(c.Reason), orDash(c.Merchant), formatUnix(c.Opened, loc), formatUnix(c.Updated, loc),
			strconv.Itoa(len(c.Proofs)), yesNo(c.Anonymous),
		})
	}
	writeTable(m.Stdout, rows)
	return nil
}

func (m *Main) runCasesShow(ctx context.Context, args []string) error {
	fs, config := m.toolFlags("cases show")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return m.usageError(fs, "give one case number, such as PS-7K3Q9")
	}
	// "ps 7k3q9" unquoted arrives as two arguments.
	arg := strings.Join(rest, " ")
	no := bot.NormalizeCaseNo(arg)
	if no == "" {
		return m.usageError(fs, "%q is not a case number: they look like PS-7K3Q9", arg)
	}
	store, cfg, err := m.openCaseStore(ctx, fs.Name(), *config)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	c, err := store.Case(ctx, no)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	merchantName := ""
	if c.Merchant != "" {
		mer, err := store.Merchant(ctx, c.Merchant)
		switch {
		case bot.ErrorCode(err) == bot.ENOTFOUND:
			merchantName = "no longer registered"
		case err != nil:
			return m.failed(fs.Name(), err)
		default:
			merchantName = mer.Name
		}
	}
	writeCase(m.Stdout, c, merchantName, cfg.Location())
	return nil
}

// writeCase prints every field of a case for an operator. Of the consumer
// it shows the channel only: the user ID is how a conversation is taken
// over, which is the handover's business, not a case listing's.
func writeCase(w io.Writer, c bot.Case, merchantName string, loc *time.Location) {
	consumer := "none: the consumer's data is deleted"
	if c.Consumer != nil {
		consumer = "on " + printable(c.Consumer.Channel)
	}
	merchant := "none"
	if c.Merchant != "" {
		merchant = c.Merchant
		if merchantName != "" {
			merchant += " (" + printable(merchantName) + ")"
		}
	}
	writeTable(w, [][]string{
		{"Case:", c.No},
		{"Status:", string(c.Status)},
		{"Reason:", orDash(c.Reason)},
		{"Round:", strconv.Itoa(max(c.Round, 1))},
		{"Merchant:", merchant},
		{"Consumer:", consumer},
		{"Anonymous:", yesNo(c.Anonymous)},
		{"Language:", orDash(c.Lang)},
		{"Opened:", formatUnix(c.Opened, loc)},
		{"Updated:", formatUnix(c.Updated, loc)},
		{"Shared:", orDash(printable(strings.Join(c.Shared, ", ")))},
		{"Expected proof:", orDash(printable(strings.Join(c.Expect, ", ")))},
	})

	fmt.Fprintln(w, "\nFields:")
	if len(c.Fields) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, k := range slices.Sorted(maps.Keys(c.Fields)) {
		fmt.Fprintf(w, "  %s: %s\n", printable(k), printable(c.Fields[k]))
	}

	fmt.Fprintln(w, "\nProofs:")
	if len(c.Proofs) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		rows := [][]string{{"  KIND", "MIME", "SIZE", "SHA256", "STORE REF", "RECEIVED"}}
		for _, p := range c.Proofs {
			rows = append(rows, []string{
				"  " + printable(p.Kind), printable(p.Mime), bot.FormatSize(p.Size), orDash(p.SHA256[:min(12, len(p.SHA256))]),
				orDash(printable(p.StoreRef)), formatUnix(p.At, loc),
			})
		}
		writeTable(w, rows)
	}

	fmt.Fprintln(w, "\nHistory:")
	if len(c.Log) == 0 {
		fmt.Fprintln(w, "  none")
	} else {
		rows := [][]string{{"  TIME", "STATUS", "ACTOR", "NOTE"}}
		for _, ch := range c.Log {
			rows = append(rows, []string{"  " + formatUnix(ch.At, loc), string(ch.Status), orDash(printable(ch.Actor)), orDash(printable(ch.Note))})
		}
		writeTable(w, rows)
	}

	fmt.Fprintln(w, "\nMerchant's answer:")
	if c.Answer == nil {
		fmt.Fprintln(w, "  none yet")
		return
	}
	fmt.Fprintf(w, "  %s at %s\n", printable(c.Answer.Value), formatUnix(c.Answer.At, loc))
	if c.Answer.Text != "" {
		fmt.Fprintf(w, "  %s\n", printable(c.Answer.Text))
	}
}

// openLog parses the flags of a command that lists the newest entries
// of a stream (--config, --limit) and opens the store.
func (m *Main) openLog(ctx context.Context, name, what string, args []string) (*redisstore.Store, configs.Config, int64, error) {
	fs, config := m.toolFlags(name)
	limit := limitFlag(fs, what)
	if err := m.parseList(fs, args, limit); err != nil {
		return nil, configs.Config{}, 0, err
	}
	store, cfg, err := m.openCaseStore(ctx, name, *config)
	if err != nil {
		return nil, cfg, 0, m.failed(name, err)
	}
	return store, cfg, int64(*limit), nil
}

func (m *Main) runAlertsDead(ctx context.Context, args []string) error {
	store, cfg, limit, err := m.openLog(ctx, "alerts dead", "alerts", args)
	if err != nil {
		return err
	}
	dead, err := store.DeadAlerts(ctx, limit)
	if err != nil {
		return m.failed("alerts dead", err)
	}
	if len(dead) == 0 {
		fmt.Fprintln(m.Stderr, "no dead-lettered alerts")
		return nil
	}
	loc := cfg.Location()
	rows := [][]string{{"TIME", "CASE", "MERCHANT", "REASON", "DELIVERIES"}}
	for _, a := range dead {
		rows = append(rows, []string{
			a.At.In(loc).Format(timeLayout), orDash(printable(a.Case)), orDash(printable(a.Merchant)),
			orDash(printable(a.Reason)), strconv.FormatInt(a.Deliveries, 10),
		})
	}
	writeTable(m.Stdout, rows)
	return nil
}

func (m *Main) runOpsEvents(ctx context.Context, args []string) error {
	store, cfg, limit, err := m.openLog(ctx, "ops events", "events", args)
	if err != nil {
		return err
	}
	events, err := store.OpsEvents(ctx, limit)
	if err != nil {
		return m.failed("ops events", err)
	}
	if len(events) == 0 {
		fmt.Fprintln(m.Stderr, "no operator events")
		return nil
	}
	loc := cfg.Location()
	rows := [][]string{{"TIME", "KIND", "CASE", "REASON", "CONVERSATION"}}
	for _, ev := range events {
		rows = append(rows, []string{
			streamTime(ev.ID, loc), orDash(printable(ev.Kind)), orDash(printable(ev.Data["case"])),
			orDash(printable(ev.Data["reason"])), orDash(printable(ev.Data["conversation"])),
		})
	}
	writeTable(m.Stdout, rows)
	return nil
}

// openCaseStore opens the store the configuration names. The embedded one
// works but starts empty, so a listing from it would say "no cases" about
// a deployment that has many: it says so.
func (m *Main) openCaseStore(ctx context.Context, cmd, config string) (*redisstore.Store, configs.Config, error) {
	cfg, err := m.loadConfig(commonFlags{config: config})
	if err != nil {
		return nil, cfg, err
	}
	if cfg.RedisURL == "" {
		fmt.Fprintf(m.Stderr, "slipdesk %s: cases live in the Redis that slipdesk serve uses: set REDIS_URL. This run's embedded store is empty.\n", cmd)
	}
	rdb, err := m.openRedis(ctx, cfg)
	if err != nil {
		return nil, cfg, err
	}
	return redisstore.New(rdb, cfg.KeyPrefix), cfg, nil
}

// statusNames lists what --status takes: the statuses, and the two
// outcomes that pick cases by the reason they need operators.
func statusNames() []string {
	names := make([]string, len(bot.CaseStatuses))
	for i, s := range bot.CaseStatuses {
		names[i] = string(s)
	}
	return append(names, bot.OutcomeUnreachable, bot.OutcomeUnregistered)
}

func formatUnix(sec int64, loc *time.Location) string {
	if sec == 0 {
		return "-"
	}
	return time.Unix(sec, 0).In(loc).Format(timeLayout)
}

// streamTime is the time in a Redis stream entry ID ("1700000000000-0").
func streamTime(id string, loc *time.Location) string {
	ms, _, _ := strings.Cut(id, "-")
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return "-"
	}
	return time.UnixMilli(n).In(loc).Format(timeLayout)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// printable keeps what users typed from acting on the operator's
// terminal: control characters, escape sequences among them, become
// visible escapes, and a line break stays within its line.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
