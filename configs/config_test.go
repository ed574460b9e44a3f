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
