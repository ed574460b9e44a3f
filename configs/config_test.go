package configs

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// TestDefaultFileMatchesDefault keeps the documented file and the code's
// defaults the same.
func TestDefaultFileMatchesDefault(t *testing.T) {
	got, err := Load("slipdesk.yaml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if want := Default(); got != want {
		t.Errorf("slipdesk.yaml gives %+v, Default() is %+v", got, want)
	}
}

func TestEnvironmentOverridesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("idle_ttl: 2d\ndefault_lang: en\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/3", "SLIPDESK_IDLE_TTL": "36h"}
	c, err := Load(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.RedisURL != env["REDIS_URL"] || time.Duration(c.IdleTTL) != 36*time.Hour || c.DefaultLang != "en" {
		t.Errorf("got %+v", c)
	}
}

func TestInvalid(t *testing.T) {
	for name, body := range map[string]string{
		"unknown key":  "idle_tll: 3d\n",
		"bad language": "default_lang: fr\n",
		"bad duration": "idle_ttl: soon\n",
		"short ttl":    "idle_ttl: 10s\n",
		"bad level":    "log_level: loud\n",
		"bad size":     "proofs:\n  max_size: big\n",
		"size too big": "proofs:\n  max_size: 1GiB\n",
		"size zero":    "proofs:\n  max_size: 0\n",
		"no proof dir": "proofs:\n  dir: \"\"\n",
		"no proofs":    "proofs:\n  max_count: 0\n",
		"proof typo":   "proofs:\n  max_sise: 1MiB\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := Load(path, func(string) string { return "" }); err == nil {
				t.Errorf("Load accepted %q", body)
			}
		})
	}
	if _, err := Load("", func(k string) string {
		if k == "SLIPDESK_DEDUPE_TTL" {
			return "-1h"
		}
		return ""
	}); err == nil || bot.ErrorCode(err) == "" {
		t.Errorf("negative dedupe_ttl accepted: %v", err)
	}
}

// TestProofs reads a partial proofs section over the defaults and lets the
// environment override it.
func TestProofs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("proofs:\n  max_size: 5MB\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	want := ProofConfig{Dir: "data/proofs", MaxSize: 5_000_000, MaxCount: bot.DefaultMaxProofs}
	if c.Proofs != want {
		t.Errorf("got %+v, want %+v", c.Proofs, want)
	}
	env := map[string]string{
		"SLIPDESK_PROOF_DIR":       "/var/lib/slipdesk/proofs",
		"SLIPDESK_PROOF_MAX_SIZE":  "512KiB",
		"SLIPDESK_PROOF_MAX_COUNT": "3",
	}
	c, err = Load(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want = ProofConfig{Dir: "/var/lib/slipdesk/proofs", MaxSize: 512 << 10, MaxCount: 3}
	if c.Proofs != want {
		t.Errorf("with environment: got %+v, want %+v", c.Proofs, want)
	}
	for name, v := range map[string]string{"SLIPDESK_PROOF_MAX_SIZE": "lots", "SLIPDESK_PROOF_MAX_COUNT": "ten"} {
		if _, err := Load("", func(k string) string {
			if k == name {
				return v
			}
			return ""
		}); err == nil {
			t.Errorf("%s=%s accepted", name, v)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]Size{
		"10MiB":   10 << 20,
		"10 MiB":  10 << 20,
		"512KiB":  512 << 10,
		"1GiB":    1 << 30,
		"20MB":    20_000_000,
		"1.5MiB":  3 << 19,
		"64KB":    64_000,
		"1048576": 1 << 20,
		"1000B":   1000,
		" 2MiB ":  2 << 20,
		"0":       0,
	} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1MiB", "ten", "10 TiB", "10mib", "1e30GiB", "NaN", "Inf"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}
