// Package configs holds slipdesk's configuration: a plain struct with
// defaults, read from a YAML file (slipdesk.yaml here documents every
// setting) and overridden by environment variables.
package configs

import (
	"bytes"
	_ "embed"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/slipdesk/slipdesk/bot"
)

// DefaultFile is the documented default configuration.
//
//go:embed slipdesk.yaml
var DefaultFile []byte

// Config is every setting of slipdesk.
type Config struct {
	RedisURL    string         `yaml:"redis_url"`
	KeyPrefix   string         `yaml:"key_prefix"`
	FlowsDir    string         `yaml:"flows_dir"`
	LocalesDir  string         `yaml:"locales_dir"`
	IdleTTL     bot.Duration   `yaml:"idle_ttl"`
	DedupeTTL   bot.Duration   `yaml:"dedupe_ttl"`
	SendLease   bot.Duration   `yaml:"send_lease"`
	DefaultLang string         `yaml:"default_lang"`
	LogLevel    string         `yaml:"log_level"`
	LogFormat   string         `yaml:"log_format"`
	Proofs      ProofConfig    `yaml:"proofs"`
	TimeZone    string         `yaml:"time_zone"`
	Cases       CaseConfig     `yaml:"cases"`
	Telegram    TelegramConfig `yaml:"telegram"`
	Web         WebConfig      `yaml:"web"`
	Limits      LimitsConfig   `yaml:"limits"`
}

// LimitsConfig bounds everything kept in Redis and in memory that would
// otherwise grow with the life of a conversation or of the service.
type LimitsConfig struct {
	// TranscriptLines is how many transcript lines a conversation keeps.
	TranscriptLines int `yaml:"transcript_lines"`
	// DeliveryRecords is how many delivery records a conversation keeps
	// (each also goes after dedupe_ttl).
	DeliveryRecords int `yaml:"delivery_records"`
	// StreamLength is how many entries the operators' stream and the
	// dead-letter stream keep.
	StreamLength int `yaml:"stream_length"`
	// Cases is how many cases a consumer's conversation lists.
	Cases int `yaml:"cases_per_conversation"`
	// Alerts is how many unanswered alerts a merchant chat queues.
	Alerts int `yaml:"alerts_per_conversation"`
	// FlowVersions is how many older flow versions stay in memory.
	FlowVersions int `yaml:"flow_versions"`
}

// BotLimits returns the limits the engine takes.
func (c Config) BotLimits() bot.Limits {
	l := c.Limits
	return bot.Limits{TranscriptLines: l.TranscriptLines, Cases: l.Cases, Alerts: l.Alerts, FlowVersions: l.FlowVersions}
}

// CaseConfig holds the timings of cases.
type CaseConfig struct {
	// MerchantRemindAfter is how long a merchant may stay silent on an
	// alert before it is sent again as a reminder.
	MerchantRemindAfter bot.Duration `yaml:"merchant_remind_after"`
	// EscalateAfter is how long after the reminder a silent merchant's
	// case goes to operators.
	EscalateAfter bot.Duration `yaml:"escalate_after"`
	// ProofRemindAfter is when a consumer with missing proof is reminded.
	ProofRemindAfter bot.Duration `yaml:"proof_remind_after"`
	// IdleCloseAfter closes a case without activity.
	IdleCloseAfter bot.Duration `yaml:"idle_close_after"`
	// Retention is how long after opening a case keeps its consumer,
	// personal fields and proofs.
	Retention bot.Duration `yaml:"retention"`
	// KeepAnonymous is how long after its retention a case's anonymous
	// record stays in the case index.
	KeepAnonymous bot.Duration `yaml:"keep_anonymous"`
}

// ProofConfig holds the settings of the files users send as proof of
// payment.
type ProofConfig struct {
	// Dir is the directory proof files are kept in; a relative path is
	// relative to the working directory.
	Dir string `yaml:"dir"`
	// MaxSize is the largest file taken.
	MaxSize Size `yaml:"max_size"`
	// MaxCount is the most files one case takes.
	MaxCount int `yaml:"max_count"`
}

// Bounds of the proof settings: a file is read into memory whole, and a
// case with more files than this is no longer read by anyone.
const (
	minProofSize  = 1 << 10
	maxProofSize  = 100 << 20
	maxProofCount = 100
)

// Default returns the configuration slipdesk.yaml documents.
func Default() Config {
	return Config{
		KeyPrefix:   "slipdesk:",
		IdleTTL:     bot.Duration(30 * 24 * time.Hour),
		DedupeTTL:   bot.Duration(7 * 24 * time.Hour),
		SendLease:   bot.Duration(30 * time.Second),
		DefaultLang: "zh-CN",
		LogLevel:    "info",
		LogFormat:   "text",
		Proofs: ProofConfig{
			Dir:      "data/proofs",
			MaxSize:  Size(bot.DefaultMaxProofSize),
			MaxCount: bot.DefaultMaxProofs,
		},
		TimeZone: "Asia/Shanghai",
		Telegram: defaultTelegram(),
		Limits: LimitsConfig{
			TranscriptLines: 500, DeliveryRecords: 1000, StreamLength: 10000,
			Cases: 20, Alerts: 50, FlowVersions: 32,
		},
		Cases: CaseConfig{
			MerchantRemindAfter: bot.Duration(24 * time.Hour),
			EscalateAfter:       bot.Duration(24 * time.Hour),
			ProofRemindAfter:    bot.Duration(24 * time.Hour),
			IdleCloseAfter:      bot.Duration(14 * 24 * time.Hour),
			Retention:           bot.Duration(90 * 24 * time.Hour),
			KeepAnonymous:       bot.Duration(730 * 24 * time.Hour),
		},
	}
}

// Location returns the time zone dates are read in.
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return bot.DefaultLocation()
	}
	return loc
}

// BotCases returns the case settings the engine takes.
func (c Config) BotCases() bot.CaseConfig {
	return bot.CaseConfig{
		MerchantRemindAfter: time.Duration(c.Cases.MerchantRemindAfter),
		EscalateAfter:       time.Duration(c.Cases.EscalateAfter),
		ProofRemindAfter:    time.Duration(c.Cases.ProofRemindAfter),
		IdleCloseAfter:      time.Duration(c.Cases.IdleCloseAfter),
		Retention:           time.Duration(c.Cases.Retention),
		MaxProofs:           c.Proofs.MaxCount,
		MaxProofSize:        int64(c.Proofs.MaxSize),
	}
}

// Load returns the defaults, overridden by the file at path (if path is
// not empty) and then by the environment (getenv, usually os.Getenv).
func Load(path string, getenv func(string) string) (Config, error) {
	c := Default()
	if path != "" {
		buf, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("read config: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(buf))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil {
			return c, fmt.Errorf("read config %s: %w", path, err)
		}
	}
	if err := c.applyEnv(getenv); err != nil {
		return c, err
	}
	return c, c.Validate()
}

func (c *Config) applyEnv(getenv func(string) string) error {
	str := map[string]*string{
		"REDIS_URL":               &c.RedisURL,
		"SLIPDESK_KEY_PREFIX":     &c.KeyPrefix,
		"SLIPDESK_FLOWS_DIR":      &c.FlowsDir,
		"SLIPDESK_LOCALES_DIR":    &c.LocalesDir,
		"SLIPDESK_DEFAULT_LANG":   &c.DefaultLang,
		"SLIPDESK_LOG_LEVEL":      &c.LogLevel,
		"SLIPDESK_LOG_FORMAT":     &c.LogFormat,
		"SLIPDESK_PROOF_DIR":      &c.Proofs.Dir,
		"SLIPDESK_TIME_ZONE":      &c.TimeZone,
		"TELEGRAM_BOT_TOKEN":      &c.Telegram.Token,
		"TELEGRAM_API_URL":        &c.Telegram.APIURL,
		"TELEGRAM_WEBHOOK_URL":    &c.Telegram.WebhookURL,
		"TELEGRAM_WEBHOOK_SECRET": &c.Telegram.WebhookSecret,
		"SLIPDESK_WEB_SECRET":     &c.Web.Secret,
		"SLIPDESK_PUBLIC_URL":     &c.Web.PublicURL,
	}
	for name, p := range str {
		if v := getenv(name); v != "" {
			*p = v
		}
	}
	durations := map[string]*bot.Duration{
		"SLIPDESK_IDLE_TTL":              &c.IdleTTL,
		"SLIPDESK_DEDUPE_TTL":            &c.DedupeTTL,
		"SLIPDESK_SEND_LEASE":            &c.SendLease,
		"SLIPDESK_MERCHANT_REMIND_AFTER": &c.Cases.MerchantRemindAfter,
		"SLIPDESK_ESCALATE_AFTER":        &c.Cases.EscalateAfter,
		"SLIPDESK_PROOF_REMIND_AFTER":    &c.Cases.ProofRemindAfter,
		"SLIPDESK_IDLE_CLOSE_AFTER":      &c.Cases.IdleCloseAfter,
		"SLIPDESK_CASE_RETENTION":        &c.Cases.Retention,
		"SLIPDESK_CASE_KEEP_ANONYMOUS":   &c.Cases.KeepAnonymous,
	}
	for name, p := range durations {
		if v := getenv(name); v != "" {
			if err := yaml.Unmarshal([]byte(v), p); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	if v := getenv("SLIPDESK_PROOF_MAX_SIZE"); v != "" {
		size, err := ParseSize(v)
		if err != nil {
			return fmt.Errorf("SLIPDESK_PROOF_MAX_SIZE: %w", err)
		}
		c.Proofs.MaxSize = size
	}
	if v := getenv("SLIPDESK_PROOF_MAX_COUNT"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("SLIPDESK_PROOF_MAX_COUNT: %q is not a whole number", v)
		}
		c.Proofs.MaxCount = n
	}
	return nil
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case bot.NormalizeLang(c.DefaultLang) == "":
		return bot.Errorf(bot.EINVALID, "default_lang %q: use zh-CN or en", c.DefaultLang)
	case time.Duration(c.IdleTTL) < time.Minute:
		return bot.Errorf(bot.EINVALID, "idle_ttl %v is too short: at least 1m", time.Duration(c.IdleTTL))
	case time.Duration(c.DedupeTTL) <= 0:
		return bot.Errorf(bot.EINVALID, "dedupe_ttl must be positive")
	case time.Duration(c.SendLease) < time.Second:
		return bot.Errorf(bot.EINVALID, "send_lease %v is too short: at least 1s", time.Duration(c.SendLease))
	case c.Limits.TranscriptLines < 10 || c.Limits.DeliveryRecords < 10 || c.Limits.StreamLength < 10 ||
		c.Limits.Cases < 1 || c.Limits.Alerts < 1 || c.Limits.FlowVersions < 1:
		return bot.Errorf(bot.EINVALID, "limits: transcript_lines, delivery_records and stream_length need at least 10, the others at least 1")
	case c.LogFormat != "text" && c.LogFormat != "json":
		return bot.Errorf(bot.EINVALID, "log_format %q: use text or json", c.LogFormat)
	case strings.TrimSpace(c.Proofs.Dir) == "":
		return bot.Errorf(bot.EINVALID, "proofs.dir is empty: name the directory proof files are kept in")
	case c.Proofs.MaxSize < minProofSize || c.Proofs.MaxSize > maxProofSize:
		return bot.Errorf(bot.EINVALID, "proofs.max_size %d bytes: use 1KiB to 100MiB", c.Proofs.MaxSize)
	case c.Proofs.MaxCount < 1 || c.Proofs.MaxCount > maxProofCount:
		return bot.Errorf(bot.EINVALID, "proofs.max_count %d: use 1 to %d", c.Proofs.MaxCount, maxProofCount)
	case c.Cases.MerchantRemindAfter < bot.Duration(time.Minute) || c.Cases.EscalateAfter < bot.Duration(time.Minute) ||
		c.Cases.ProofRemindAfter < bot.Duration(time.Minute) || c.Cases.IdleCloseAfter < bot.Duration(time.Hour):
		return bot.Errorf(bot.EINVALID, "cases: reminders and escalation need at least 1m, idle_close_after at least 1h")
	case c.Cases.KeepAnonymous < bot.Duration(time.Hour):
		return bot.Errorf(bot.EINVALID, "cases.keep_anonymous %v: keep anonymous cases at least 1h", time.Duration(c.Cases.KeepAnonymous))
	case c.Cases.Retention < c.Cases.IdleCloseAfter:
		return bot.Errorf(bot.EINVALID, "cases.retention %v is shorter than cases.idle_close_after %v: a case would lose its data while open", time.Duration(c.Cases.Retention), time.Duration(c.Cases.IdleCloseAfter))
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" {
		return bot.Errorf(bot.EINVALID, "time_zone %q: use an IANA zone such as Asia/Shanghai", c.TimeZone)
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return bot.Errorf(bot.EINVALID, "log_level %q: use debug, info, warn or error", c.LogLevel)
	}
	if err := c.Web.validate(); err != nil {
		return err
	}
	return c.Telegram.validate()
}

// Logger returns the structured logger the configuration asks for.
func (c Config) Logger(w *os.File) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(strings.ToUpper(c.LogLevel)))
	opts := &slog.HandlerOptions{Level: l}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
