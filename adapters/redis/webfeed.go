package redisstore

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/bot"
)

// FeedEntry is one entry of a web conversation's feed: its stream ID,
// which orders the feed, and the JSON the web chat stored.
type FeedEntry struct {
	ID   string
	Data []byte
}

// appendFeedLua appends entries to a conversation's feed, once per mark
// when a mark is given, trims the feed to its bound, renews its age limit
// and wakes the feed's readers on every replica.
//
// The mark of a turn's entries is the turn's delivery ID. Once they are
// in the feed, the turn's replies are delivered, and the delivery record
// that holds them for a redelivery (record.go) need not last its dedupe
// TTL: it is kept recordKeep longer, for the retry of a page whose
// answer was lost, which the engine answers from it.
//
//	KEYS: feed, mark, delivery record
//	ARGV: ttl seconds, max length, use mark ("1"/"0"), wake channel,
//	      wake payload, record kept ms, entries...
//
// It returns 1 when it appended, 0 when the mark was there already.
const appendFeedLua = `
if ARGV[3] == '1' then
  if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then
    return 0
  end
  redis.call('PEXPIRE', KEYS[3], ARGV[6], 'LT')
end
for i = 7, #ARGV do
  redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], '*', 'e', ARGV[i])
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`

var appendFeedScript = redis.NewScript(appendFeedLua)

// recordKeep is how long a web turn's delivery record stays once its
// replies are in the feed.
const recordKeep = 10 * time.Minute

// feedKeys are the feed, the mark key and the delivery record of a
// delivery, in the conversation's hash slot.
func (s *Store) feedKeys(key bot.Key, mark string) (feed, markKey, record string) {
	ks := s.keys(key)
	return ks.base + ":feed", ks.base + ":feedmark:" + mark, ks.seen(mark)
}

// FeedWakeChannel is the pub/sub channel on which appends to any feed
// announce the conversation they touched.
func (s *Store) FeedWakeChannel() string { return s.prefix + "feed:wake" }

// AppendFeed adds entries to the feed of key, keeping at most maxLen
// entries and the feed for ttl after its last append. With a mark, the
// entries are appended only the first time that mark comes, so that a
// retried request adds nothing twice; it reports whether it appended.
// The mark is the delivery ID of the turn whose entries these are: its
// delivery record is then kept only recordKeep longer.
func (s *Store) AppendFeed(ctx context.Context, key bot.Key, mark string, entries [][]byte, maxLen int, ttl time.Duration) (bool, error) {
	feed, markKey, record := s.feedKeys(key, mark)
	useMark := "0"
	if mark != "" {
		useMark = "1"
	}
	secs := max(int64(ttl/time.Second), 1)
	args := make([]any, 0, 6+len(entries))
	args = append(args, secs, maxLen, useMark, s.FeedWakeChannel(), convTag(key), millis(recordKeep))
	for _, e := range entries {
		args = append(args, e)
	}
	n, err := s.batch.Run(ctx, appendFeedScript, []string{feed, markKey, record}, args...).Int()
	if err != nil {
		return false, storeError("append to the feed of "+key.String(), err)
	}
	return n == 1, nil
}

// Feed returns up to n entries of key's feed after the entry with ID
// after ("" for the first), oldest first.
func (s *Store) Feed(ctx context.Context, key bot.Key, after string, n int) ([]FeedEntry, error) {
	feed, _, _ := s.feedKeys(key, "")
	start := "-"
	if after != "" {
		start = "(" + after
	}
	msgs, err := s.rdb.XRangeN(ctx, feed, start, "+", int64(n)).Result()
	if err != nil {
		return nil, storeError("read the feed of "+key.String(), err)
	}
	out := make([]FeedEntry, 0, len(msgs))
	for _, m := range msgs {
		if v, ok := m.Values["e"].(string); ok {
			out = append(out, FeedEntry{ID: m.ID, Data: []byte(v)})
		}
	}
	return out, nil
}

// DeleteFeed removes key's feed, as a conversation deleted by its user
// must leave nothing of what it said behind.
func (s *Store) DeleteFeed(ctx context.Context, key bot.Key) error {
	feed, _, _ := s.feedKeys(key, "")
	if err := s.rdb.Del(ctx, feed).Err(); err != nil {
		return storeError("delete the feed of "+key.String(), err)
	}
	return nil
}

// WatchFeeds calls wake with every conversation whose feed grows, on any
// replica, until ctx is done. It closes ready (if not nil) once the
// subscription is active; go-redis resubscribes after a lost connection.
func (s *Store) WatchFeeds(ctx context.Context, ready chan<- struct{}, wake func(bot.Key)) error {
	sub := s.rdb.Subscribe(ctx, s.FeedWakeChannel())
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil {
		return storeError("subscribe to feed wake-ups", err)
	}
	if ready != nil {
		close(ready)
	}
	ch := sub.Channel(redis.WithChannelSize(1024))
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-ch:
			if !ok {
				return nil
			}
			if k, ok := parseConvTag(m.Payload); ok {
				wake(k)
			}
		}
	}
}

// FeedLen returns how many entries key's feed holds.
func (s *Store) FeedLen(ctx context.Context, key bot.Key) (int64, error) {
	feed, _, _ := s.feedKeys(key, "")
	n, err := s.rdb.XLen(ctx, feed).Result()
	if err != nil {
		return 0, storeError("count the feed of "+key.String(), err)
	}
	return n, nil
}
