package redisstore

import (
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

// TestOlderFormats reads what an older version wrote into the same
// Redis during a rolling upgrade: the state as a hash, transcript lines
// as JSON, a delivery record of replies alone with its marks apart. The
// next commit writes the state in the new form.
func TestOlderFormats(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		s := newTestStore(t, rdb)
		key := bot.Key{Channel: "telegram", User: "77"}
		ks := s.keys(key)
		conv := `{"lang":"en","flow":"report","step":"ask_amount","tok":3}`
		replies := []bot.Reply{{MsgID: "report.amount", Text: "How much?"}}
		old, err := encodeReplies(replies)
		if err != nil {
			t.Fatal(err)
		}
		// A plain pipeline: on a cluster the marks lie in another slot.
		p := rdb.Pipeline()
		p.HSet(ctx, ks.state, "v", "4", "d", conv)
		p.RPush(ctx, ks.log, `{"at":100,"from":"user","text":"hi"}`, `{"at":100,"from":"bot","text":"How much?","id":"report.amount"}`)
		p.Set(ctx, ks.seen("u1"), old, time.Hour)
		p.ZAdd(ctx, ks.seenIndex, redis.Z{Score: float64(time.Now().UnixMilli()), Member: "u1"})
		p.Set(ctx, s.sentKey("telegram:update:u1"), "0|s-old|"+strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10), time.Hour)
		if _, err := p.Exec(ctx); err != nil {
			t.Fatal(err)
		}

		snap := mustLoad(t, s, key, "u2")
		if snap.Conv.Version != 4 || snap.Conv.Step != "ask_amount" || snap.Conv.Token != 3 {
			t.Fatalf("state of an older version read as %+v", snap.Conv)
		}
		if got := mustLoad(t, s, key, "u1").Replayed; !reflect.DeepEqual(got, replies) {
			t.Fatalf("older record replayed %+v, want %+v", got, replies)
		}
		// Its sending goes by the marks the older version keeps: the
		// lease it holds there is respected.
		d := bot.Delivery{Key: key, ID: "u1", Mark: "telegram:update:u1"}
		if _, ok, err := s.ClaimSend(ctx, d, "s-new", 1, time.Now(), time.Minute); err != nil || ok {
			t.Fatalf("claim of a delivery an older version holds: claimed %v, %v", ok, err)
		}
		lines, err := s.Transcript(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		want := []bot.LogLine{{At: 100, From: "user", Text: "hi"}, {At: 100, From: "bot", MsgID: "report.amount", Text: "How much?"}}
		if !reflect.DeepEqual(lines, want) {
			t.Fatalf("older transcript read as %+v, want %+v", lines, want)
		}

		c := turn(key, 4, "u2")
		mustCommit(t, s, c)
		if typ := rdb.Type(ctx, ks.state).Val(); typ != "string" {
			t.Fatalf("state after a commit is a %s, want a string", typ)
		}
		if got := mustLoad(t, s, key, "").Conv; got.Version != 5 || got.Step != c.Conv.Step {
			t.Fatalf("state after the commit %+v", got)
		}
		lines, err = s.Transcript(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 4 || lines[2].Text != "hello u2" || lines[3].Text != "How much?" {
			t.Fatalf("transcript of old and new lines %+v", lines)
		}
	})
}

// TestRecordLease follows a committed delivery whose commit took the
// sending lease: another sender waits, the owner's marks count, the last
// mark removes the record, and the delivery stays committed with nothing
// left to send.
func TestRecordLease(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		s := newTestStore(t, rdb)
		key := bot.Key{Channel: "telegram", User: "78"}
		c := turn(key, 0, "d1")
		c.Replies = append(c.Replies, bot.Reply{MsgID: "report.more", Text: "More?"})
		c.SendOwner, c.SendLease = "s-commit", time.Minute
		mustCommit(t, s, c)
		d := bot.Delivery{Key: key, ID: "d1", Mark: "telegram:update:d1"}
		now := time.Now()
		if sent, ok, err := s.ClaimSend(ctx, d, "s-other", 2, now, time.Minute); err != nil || ok || sent != 0 {
			t.Fatalf("claim while the commit's lease runs: sent %d, claimed %v, %v", sent, ok, err)
		}
		if err := s.MarkSent(ctx, d, "s-commit", 1, false, now, time.Minute, time.Hour); err != nil {
			t.Fatal(err)
		}
		if got := mustLoad(t, s, key, "d1").Replayed; len(got) != 2 {
			t.Fatalf("replies of a delivery half sent: %+v", got)
		}
		if sent, ok, err := s.ClaimSend(ctx, d, "s-other", 2, now.Add(2*time.Minute), time.Minute); err != nil || !ok || sent != 1 {
			t.Fatalf("claim after the lease ran out: sent %d, claimed %v, %v", sent, ok, err)
		}
		if err := s.MarkSent(ctx, d, "s-commit", 2, true, now, time.Minute, time.Hour); !errors.Is(err, bot.ErrLeaseLost) {
			t.Fatalf("mark by the old owner: %v, want ErrLeaseLost", err)
		}
		if err := s.MarkSent(ctx, d, "s-other", 2, true, now.Add(2*time.Minute), time.Minute, time.Hour); err != nil {
			t.Fatal(err)
		}
		if n := rdb.Exists(ctx, s.keys(key).seen("d1"), s.sentKey(d.Mark)).Val(); n != 0 {
			t.Fatalf("%d records left of a delivery sent in full", n)
		}
		if snap := mustLoad(t, s, key, "d1"); snap.Replayed == nil || len(snap.Replayed) != 0 {
			t.Fatalf("delivery sent in full loads as %+v, want committed with nothing to send", snap)
		}
		if sent, ok, err := s.ClaimSend(ctx, d, "s-third", 2, now.Add(3*time.Minute), time.Minute); err != nil || ok || sent != 2 {
			t.Fatalf("claim of a delivery sent in full: sent %d, claimed %v, %v", sent, ok, err)
		}
		if err := s.Commit(ctx, turn(key, 1, "d1")); bot.ErrorCode(err) != bot.ECONFLICT {
			t.Fatalf("second commit of a delivery sent in full: %v, want a conflict", err)
		}
	})
}
