package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/bot"
)

const merchantsUsage = `Usage:
  slipdesk merchants add --name NAME [--alias A]... [--merchant-id M]... [--terminal T]... [--lang zh-CN|en]
      register a merchant; prints its ID
  slipdesk merchants list
      list the registered merchants
  slipdesk merchants link-code ID [--ttl 24h]
      print a one-time code that links a chat to the merchant
  slipdesk merchants wanted [--limit N]
      shops consumers named that are not registered, most named first
  slipdesk merchants qr ID [--out DIR] [--font FILE]
      write the shop's QR posters (PNG and SVG) for the web chat

Every command takes --config FILE and uses REDIS_URL, as the other commands do.
`

// Bounds of a link code's lifetime: long enough to pass it on to the shop,
// short enough that a code lost in an old message is dead.
const (
	minLinkTTL = time.Minute
	maxLinkTTL = 30 * 24 * time.Hour
)

// runMerchants runs "slipdesk merchants ...": the operators' commands for
// the merchant registry. Exit codes: 0 done, 1 failed (Redis, a
// conflict, an unknown merchant), 2 a wrong command line.
func (m *Main) runMerchants(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, merchantsUsage)
		return &exitError{2}
	}
	switch args[0] {
	case "add":
		return m.runMerchantsAdd(ctx, args[1:])
	case "list":
		return m.runMerchantsList(ctx, args[1:])
	case "link-code":
		return m.runMerchantsLinkCode(ctx, args[1:])
	case "wanted":
		return m.runMerchantsWanted(ctx, args[1:])
	case "qr":
		return m.runMerchantsQR(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, merchantsUsage)
		return nil
	}
	fmt.Fprintf(m.Stderr, "slipdesk merchants: unknown command %q\n\n%s", args[0], merchantsUsage)
	return &exitError{2}
}

func (m *Main) runMerchantsAdd(ctx context.Context, args []string) error {
	fs, config := m.toolFlags("merchants add")
	name := fs.String("name", "", "the merchant's name as printed on its slips (required)")
	var aliases, mids, tids stringList
	fs.Var(&aliases, "alias", "another name customers use (repeat for more)")
	fs.Var(&mids, "merchant-id", "a 15-digit merchant number (商户编号) from its slips (repeat for more)")
	fs.Var(&tids, "terminal", "an 8-character terminal number (终端号) from its slips (repeat for more)")
	lang := fs.String("lang", bot.Languages[0], "language of the merchant's alerts: "+strings.Join(bot.Languages, " or "))
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return m.usageError(fs, "unexpected argument %q (quote a name with spaces)", rest[0])
	}
	if strings.TrimSpace(*name) == "" {
		return m.usageError(fs, "--name is required")
	}
	mer := bot.Merchant{Name: *name, Aliases: aliases, MerchantIDs: mids, TerminalIDs: tids, Lang: *lang}.Normalize()
	if err := mer.Validate(); err != nil {
		return m.usageError(fs, "%s", messageOf(err))
	}
	store, err := m.openRegistry(ctx, fs.Name(), *config)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	added, err := store.AddMerchant(ctx, mer)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	fmt.Fprintln(m.Stdout, added.ID)
	fmt.Fprintf(m.Stderr, "added %s %s; link its chat with: slipdesk merchants link-code %s\n", added.ID, added.Name, added.ID)
	return nil
}

func (m *Main) runMerchantsList(ctx context.Context, args []string) error {
	fs, config := m.toolFlags("merchants list")
	if err := m.parseList(fs, args, nil); err != nil {
		return err
	}
	store, err := m.openRegistry(ctx, fs.Name(), *config)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	ms, err := store.Merchants(ctx)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	if len(ms) == 0 {
		fmt.Fprintln(m.Stderr, "no merchants registered")
		return nil
	}
	rows := [][]string{{"ID", "NAME", "ALIASES", "MERCHANT IDS", "TERMINALS", "LANG", "CHATS"}}
	for _, mer := range ms {
		rows = append(rows, []string{
			mer.ID, mer.Name, orDash(strings.Join(mer.Aliases, ", ")),
			orDash(strings.Join(mer.MerchantIDs, ", ")), orDash(strings.Join(mer.TerminalIDs, ", ")),
			orDash(mer.Lang), strconv.Itoa(len(mer.Chats)),
		})
	}
	writeTable(m.Stdout, rows)
	return nil
}

func (m *Main) runMerchantsLinkCode(ctx context.Context, args []string) error {
	fs, config := m.toolFlags("merchants link-code")
	ttl := ttlFlag(24 * time.Hour)
	fs.Var(&ttl, "ttl", "how long the code works: 90m, 24h, 7d")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) != 1:
		return m.usageError(fs, "give one merchant ID (see slipdesk merchants list)")
	case time.Duration(ttl) < minLinkTTL || time.Duration(ttl) > maxLinkTTL:
		return m.usageError(fs, "--ttl %v: between %v and %v", time.Duration(ttl), minLinkTTL, "30d")
	}
	id, ok := bot.NormalizeMerchantRef(rest[0])
	if !ok {
		return m.usageError(fs, "%q is not a merchant ID: they look like M4KX7PQ (see slipdesk merchants list)", rest[0])
	}
	store, err := m.openRegistry(ctx, fs.Name(), *config)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	mer, err := store.Merchant(ctx, id)
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	code, err := store.NewLinkCode(ctx, mer.ID, time.Duration(ttl))
	if err != nil {
		return m.failed(fs.Name(), err)
	}
	fmt.Fprintln(m.Stdout, code)
	fmt.Fprintf(m.Stderr, "To link a chat to %s (%s), send this in that chat to the bot:\n\n    /start %s\n\n",
		mer.Name, mer.ID, code)
	if link := m.telegramLink(ctx, *config, code); link != "" {
		fmt.Fprintf(m.Stderr, "On Telegram, the shop can open this link instead:\n\n    %s\n\n", link)
	}
	fmt.Fprintf(m.Stderr, "The code works once, for one chat, until %s.\n", time.Now().Add(time.Duration(ttl)).Format("2006-01-02 15:04 MST"))
	return nil
}

// telegramLink returns the deep link that sends "/start CODE" to the bot
// from Telegram, when TELEGRAM_BOT_TOKEN is set and the API says who the
// bot is; "" otherwise.
func (m *Main) telegramLink(ctx context.Context, config, code string) string {
	cfg, err := m.loadConfig(commonFlags{config: config})
	if err != nil || cfg.Telegram.Token == "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	me, err := telegram.Username(ctx, cfg.Telegram.Token, cfg.Telegram.APIURL)
	if err != nil {
		fmt.Fprintf(m.Stderr, "(no Telegram link: %v)\n", err)
		return ""
	}
	return telegram.DeepLink(me, code)
}

// openRegistry opens the store the configuration names. The embedded one
// works, but a merchant registered there is seen by no server and lost at
// exit, so it says so.
func (m *Main) openRegistry(ctx context.Context, cmd, config string) (*redisstore.Store, error) {
	cfg, err := m.loadConfig(commonFlags{config: config})
	if err != nil {
		return nil, err
	}
	if cfg.RedisURL == "" {
		fmt.Fprintf(m.Stderr, "slipdesk %s: the merchant registry must live in the Redis that slipdesk serve uses: set REDIS_URL. This run's embedded store starts empty and is lost at exit.\n", cmd)
	}
	rdb, err := m.openRedis(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return redisstore.New(rdb, cfg.KeyPrefix), nil
}

// usageError reports a wrong command line: exit 2.
func (m *Main) usageError(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(m.Stderr, "slipdesk %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fmt.Fprintf(m.Stderr, "Run \"slipdesk %s -h\" for its flags.\n", fs.Name())
	return &exitError{2}
}

// failed reports a command that could not be done: exit 1.
func (m *Main) failed(cmd string, err error) error {
	fmt.Fprintf(m.Stderr, "slipdesk %s: %s\n", cmd, messageOf(err))
	return &exitError{1}
}

// messageOf returns an error's text for an operator, without the code
// prefix of a bot.Error that stands alone.
func messageOf(err error) string {
	var e *bot.Error
	if errors.As(err, &e) && e == err {
		return e.Message
	}
	return err.Error()
}

// parseInterspersed parses flags that come before, between and after the
// positional arguments ("link-code M4KX7PQ --ttl 2h"), where flag.Parse
// alone stops at the first positional one; after "--" everything is
// positional. It returns the positional arguments, or an exit error: 2
// for a wrong flag, 0 for -h (the usage is printed).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &exitError{0}
			}
			return nil, &exitError{2}
		}
		left := fs.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		if len(left) == 0 {
			return rest, nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ", ") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// ttlFlag is a duration flag that also takes days ("7d").
type ttlFlag time.Duration

func (d *ttlFlag) String() string { return time.Duration(*d).String() }

func (d *ttlFlag) Set(v string) error {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err != nil {
			return fmt.Errorf("%q is not a duration (write 90m, 24h or 7d)", v)
		}
		*d = ttlFlag(time.Duration(n * float64(24*time.Hour)))
		return nil
	}
	t, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is not a duration (write 90m, 24h or 7d)", v)
	}
	*d = ttlFlag(t)
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeTable writes rows as columns padded to their widths on a
// terminal, where a Chinese character takes two cells.
func writeTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

// displayWidth is the number of terminal cells s takes.
func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		p, size := width.LookupString(s)
		switch p.Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
		s = s[size:]
	}
	return n
}
