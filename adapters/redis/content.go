package redisstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/bot"
)

// Published content: one hash holds the content every replica runs (its
// digest, when and by whom it was published, and every file), replaced
// whole by each publication; a pub/sub channel tells the replicas at
// once, and a replica that missed it, or starts later, reads the hash.
// Only the newest publication is kept.
func (s *Store) contentKey() string { return s.globalKey("content", "current") }

// ContentChannel is the pub/sub channel a publication is announced on,
// with its digest.
func (s *Store) ContentChannel() string { return s.globalKey("content", "published") }

// Fields of the published hash besides the files, which are "flows/NAME"
// and "locales/NAME".
const (
	contentDigest = "_digest"
	contentAt     = "_at"
	contentBy     = "_by"
)

// PublishedContent is the content published for every replica.
type PublishedContent struct {
	Digest string
	// At is when it was published (Unix seconds), By by whom: an
	// operator's name, or what made a replica publish it.
	At     int64
	By     string
	Bundle bot.ContentBundle
}

// PublishContent makes b the content every replica runs: it replaces the
// published hash in one transaction and announces the digest.
func (s *Store) PublishContent(ctx context.Context, b bot.ContentBundle, by string, at time.Time) error {
	digest := b.Digest()
	fields := []any{contentDigest, digest, contentAt, strconv.FormatInt(at.Unix(), 10), contentBy, by}
	for name, buf := range b.Flows {
		fields = append(fields, "flows/"+name, buf)
	}
	for name, buf := range b.Locales {
		fields = append(fields, "locales/"+name, buf)
	}
	key := s.contentKey()
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, key)
		p.HSet(ctx, key, fields...)
		return nil
	})
	if err != nil {
		return storeError("publish content", err)
	}
	if err := s.rdb.Publish(ctx, s.ContentChannel(), digest).Err(); err != nil {
		return storeError("announce content", err)
	}
	return nil
}

// PublishedDigest returns the digest of the published content, "" when
// none was published.
func (s *Store) PublishedDigest(ctx context.Context) (string, error) {
	d, err := s.rdb.HGet(ctx, s.contentKey(), contentDigest).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", storeError("read published content", err)
	}
	return d, nil
}

// PublishedContent returns the published content, or an ENOTFOUND error
// when none was published.
func (s *Store) PublishedContent(ctx context.Context) (PublishedContent, error) {
	all, err := s.rdb.HGetAll(ctx, s.contentKey()).Result()
	if err != nil {
		return PublishedContent{}, storeError("read published content", err)
	}
	if all[contentDigest] == "" {
		return PublishedContent{}, bot.Errorf(bot.ENOTFOUND, "no content was published")
	}
	p := PublishedContent{Digest: all[contentDigest], By: all[contentBy], Bundle: bot.ContentBundle{Flows: map[string][]byte{}, Locales: map[string][]byte{}}}
	p.At, _ = strconv.ParseInt(all[contentAt], 10, 64)
	for field, v := range all {
		if name, ok := strings.CutPrefix(field, "flows/"); ok {
			p.Bundle.Flows[name] = []byte(v)
		} else if name, ok := strings.CutPrefix(field, "locales/"); ok {
			p.Bundle.Locales[name] = []byte(v)
		}
	}
	return p, nil
}

// WatchContent calls announced with each digest published, until ctx is
// done. It returns once it is subscribed, so that no publication after
// it returns is missed while the connection holds; a watcher still
// compares PublishedDigest now and then, for what a broken connection
// lost.
func (s *Store) WatchContent(ctx context.Context, announced func(digest string)) error {
	sub := s.rdb.Subscribe(ctx, s.ContentChannel())
	if _, err := sub.Receive(ctx); err != nil {
		sub.Close()
		return storeError("subscribe to published content", err)
	}
	go func() {
		defer sub.Close()
		ch := sub.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-ch:
				if !ok {
					return
				}
				announced(m.Payload)
			}
		}
	}()
	return nil
}
