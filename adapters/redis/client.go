package redisstore

import (
	"errors"
	"net/url"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

// NewClient returns a client for the deployment one REDIS_URL names, so
// that an operator moves between a single server, Sentinel and Cluster by
// editing one setting:
//
//	redis://[user:pass@]host:port[/db]             one server (rediss:// for TLS)
//	redis://host:port?addr=host2:port&addr=...     Cluster: every host is a seed node
//	redis://host:port?master_name=NAME&addr=...    Sentinel: every host is a sentinel
//
// Other query parameters are go-redis's (dial_timeout, pool_size ...). For
// Sentinel the user and password of the URL authenticate with the
// sentinels and the username= and password= parameters with the master,
// as in redis.ParseFailoverURL. Nothing is dialled until the first
// command; an invalid URL fails with code bot.EINVALID.
func NewClient(rawURL string) (redis.UniversalClient, error) {
	t, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	// Without this, go-redis bounds a command by its own read and write
	// timeouts and ignores the caller's deadline: a readiness probe of a
	// hanging server would take their sum, not the probe's limit.
	switch {
	case t.cluster != nil:
		t.cluster.ContextTimeoutEnabled = true
		return redis.NewClusterClient(t.cluster), nil
	case t.failover != nil:
		t.failover.ContextTimeoutEnabled = true
		return redis.NewFailoverClient(t.failover), nil
	default:
		t.single.ContextTimeoutEnabled = true
		return redis.NewClient(t.single), nil
	}
}

// target is the deployment a URL names: exactly one field is set.
type target struct {
	single   *redis.Options
	cluster  *redis.ClusterOptions
	failover *redis.FailoverOptions
}

// parseURL reads a REDIS_URL. Its errors never quote the URL, which may
// hold a password.
func parseURL(rawURL string) (target, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return target{}, bot.Errorf(bot.EINVALID, "REDIS_URL is not a URL: %v", err)
	}
	q := u.Query()
	var t target
	switch {
	case q.Has("master_name"):
		if q.Get("master_name") == "" {
			return target{}, bot.Errorf(bot.EINVALID, "REDIS_URL: master_name is empty")
		}
		t.failover, err = redis.ParseFailoverURL(rawURL)
	case q.Has("addr"):
		t.cluster, err = redis.ParseClusterURL(rawURL)
	default:
		t.single, err = redis.ParseURL(rawURL)
	}
	if err != nil {
		return target{}, bot.Errorf(bot.EINVALID, "REDIS_URL: %v", err)
	}
	return t, nil
}
