package redisstore

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name  string
		url   string
		check func(t *testing.T, got target)
	}{
		{"single", "redis://127.0.0.1:6379", func(t *testing.T, got target) {
			o := single(t, got)
			if o.Addr != "127.0.0.1:6379" || o.DB != 0 || o.TLSConfig != nil {
				t.Errorf("got addr %q db %d tls %v, want 127.0.0.1:6379 db 0 no tls", o.Addr, o.DB, o.TLSConfig != nil)
			}
		}},
		{"single with password, db and options", "redis://:s3cret@cache:6380/2?dial_timeout=2s&pool_size=7", func(t *testing.T, got target) {
			o := single(t, got)
			if o.Addr != "cache:6380" || o.Password != "s3cret" || o.DB != 2 || o.DialTimeout != 2*time.Second || o.PoolSize != 7 {
				t.Errorf("got %+v", o)
			}
		}},
		{"single over TLS, default port", "rediss://user:pw@redis.example", func(t *testing.T, got target) {
			o := single(t, got)
			if o.Addr != "redis.example:6379" || o.Username != "user" || o.TLSConfig == nil || o.TLSConfig.ServerName != "redis.example" {
				t.Errorf("got addr %q user %q tls %+v", o.Addr, o.Username, o.TLSConfig)
			}
		}},
		{"cluster", "redis://:pw@n1:7000?addr=n2:7001&addr=n3:7002", func(t *testing.T, got target) {
			if got.cluster == nil || got.single != nil || got.failover != nil {
				t.Fatalf("got %+v, want cluster options only", got)
			}
			if want := []string{"n1:7000", "n2:7001", "n3:7002"}; !slices.Equal(got.cluster.Addrs, want) {
				t.Errorf("got addrs %v, want %v", got.cluster.Addrs, want)
			}
			if got.cluster.Password != "pw" {
				t.Errorf("got password %q, want pw", got.cluster.Password)
			}
		}},
		{"cluster with one addr param", "rediss://n1:7000?addr=n2:7001", func(t *testing.T, got target) {
			if got.cluster == nil || len(got.cluster.Addrs) != 2 || got.cluster.TLSConfig == nil {
				t.Errorf("got %+v, want a TLS cluster of two seeds", got.cluster)
			}
		}},
		{"sentinel", "redis://s1:26379/1?master_name=mymaster&addr=s2:26379&addr=s3:26379&password=master-pw", func(t *testing.T, got target) {
			if got.failover == nil || got.single != nil || got.cluster != nil {
				t.Fatalf("got %+v, want failover options only", got)
			}
			o := got.failover
			if want := []string{"s1:26379", "s2:26379", "s3:26379"}; !slices.Equal(o.SentinelAddrs, want) {
				t.Errorf("got sentinel addrs %v, want %v", o.SentinelAddrs, want)
			}
			if o.MasterName != "mymaster" || o.DB != 1 || o.Password != "master-pw" {
				t.Errorf("got master %q db %d password %q", o.MasterName, o.DB, o.Password)
			}
		}},
		{"sentinel alone", "redis://:sentinel-pw@s1?master_name=m", func(t *testing.T, got target) {
			o := got.failover
			if o == nil || !slices.Equal(o.SentinelAddrs, []string{"s1:6379"}) || o.SentinelPassword != "sentinel-pw" {
				t.Errorf("got %+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseURL(tt.url)
			if err != nil {
				t.Fatalf("parseURL(%q): %v", tt.url, err)
			}
			tt.check(t, got)
		})
	}
}

func single(t *testing.T, got target) *redis.Options {
	t.Helper()
	if got.single == nil || got.cluster != nil || got.failover != nil {
		t.Fatalf("got %+v, want single-server options only", got)
	}
	return got.single
}

func TestParseURLErrors(t *testing.T) {
	tests := []struct{ name, url string }{
		{"empty", ""},
		{"other scheme", "http://127.0.0.1:6379"},
		{"not a URL", "redis://:pa ss@host:%zz"},
		{"unknown option", "redis://127.0.0.1?bogus=1"},
		{"empty master name", "redis://127.0.0.1?master_name="},
		{"cluster addr without port", "redis://n1:7000?addr=n2"},
		{"unknown cluster option", "redis://n1:7000?addr=n2:7001&bogus=1"},
		{"bad db", "redis://127.0.0.1/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseURL(tt.url)
			if got := bot.ErrorCode(err); got != bot.EINVALID {
				t.Fatalf("parseURL(%q) = %v (code %q), want code %q", tt.url, err, got, bot.EINVALID)
			}
			if strings.Contains(err.Error(), "pa ss") {
				t.Errorf("error %q quotes the password", err)
			}
		})
	}
}

// TestNewClientKinds checks the client each kind of URL gets; building a
// client dials nothing, so no server is needed.
func TestNewClientKinds(t *testing.T) {
	tests := []struct {
		url  string
		want string
	}{
		{"redis://127.0.0.1:6379", "*redis.Client"},
		{"redis://n1:7000?addr=n2:7001", "*redis.ClusterClient"},
		{"redis://s1:26379?master_name=m", "*redis.Client"},
	}
	for _, tt := range tests {
		rdb, err := NewClient(tt.url)
		if err != nil {
			t.Fatalf("NewClient(%q): %v", tt.url, err)
		}
		got := "other"
		switch rdb.(type) {
		case *redis.Client:
			got = "*redis.Client"
		case *redis.ClusterClient:
			got = "*redis.ClusterClient"
		}
		if got != tt.want {
			t.Errorf("NewClient(%q) is %s, want %s", tt.url, got, tt.want)
		}
		rdb.Close()
	}
}
