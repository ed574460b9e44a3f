package redisstore

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slipdesk/slipdesk/bot"
)

const (
	testTTL       = time.Hour
	testDedupeTTL = 10 * time.Minute
)

// turn returns a commit of one turn of key from version expect.
func turn(key bot.Key, expect int64, delivery string) bot.Commit {
	return bot.Commit{
		Key:        key,
		Expect:     expect,
		Conv:       bot.Conversation{Lang: "en", Flow: "report", FlowVersion: "abc123", Step: "ask_amount", Slots: map[string]string{"paid_by": "credit"}, Token: 3, Turns: expect + 1},
		DeliveryID: delivery,
		Replies:    []bot.Reply{{MsgID: "report.amount", Text: "How much?", Options: []bot.Option{{Value: "x", Label: "X", Data: "t3:x"}}}},
		Log:        []bot.LogLine{{At: 100 + expect, From: "user", Text: "hello " + delivery}, {At: 100 + expect, From: "bot", MsgID: "report.amount", Text: "How much?"}},
		Effects:    []bot.Effect{{ID: key.String() + ":" + delivery, Kind: "timer", Data: map[string]string{"step": "wait"}, Due: 200}},
		TTL:        testTTL,
		DedupeTTL:  testDedupeTTL,
	}
}

var ctx = context.Background()

func mustCommit(t *testing.T, s *Store, c bot.Commit) {
	t.Helper()
	if err := s.Commit(ctx, c); err != nil {
		t.Fatalf("Commit(expect %d, delivery %q): %v", c.Expect, c.DeliveryID, err)
	}
}

func mustLoad(t *testing.T, s *Store, key bot.Key, delivery string) bot.Snapshot {
	t.Helper()
	snap, err := s.Load(ctx, key, delivery)
	if err != nil {
		t.Fatalf("Load(%s, %q): %v", key, delivery, err)
	}
	return snap
}

func TestStore(t *testing.T) {
	forEachBackend(t, func(t *testing.T, rdb redis.UniversalClient) {
		for _, tt := range storeTests {
			t.Run(tt.name, func(t *testing.T) { tt.run(t, rdb, newTestStore(t, rdb)) })
		}
	})
}

var storeTests = []struct {
	name string
	run  func(t *testing.T, rdb redis.UniversalClient, s *Store)
}{
	{"load missing conversation", func(t *testing.T, _ redis.UniversalClient, s *Store) {
		for _, delivery := range []string{"", "d1"} {
			snap := mustLoad(t, s, bot.Key{Channel: "tg", User: "nobody"}, delivery)
			if !reflect.DeepEqual(snap, bot.Snapshot{}) {
				t.Errorf("Load(delivery %q) = %+v, want the zero snapshot", delivery, snap)
			}
		}
	}},
	{"commit then load", func(t *testing.T, _ redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "tg", User: "42"}
		c := turn(key, 0, "d1")
		mustCommit(t, s, c)
		snap := mustLoad(t, s, key, "d2")
		want := c.Conv
		want.Version = 1
		if snap.Replayed != nil || !reflect.DeepEqual(snap.Conv, want) {
			t.Fatalf("Load = %+v, want conversation %+v", snap, want)
		}
		c2 := turn(key, 1, "d2")
		c2.Conv.Step = "done"
		mustCommit(t, s, c2)
		if got := mustLoad(t, s, key, "").Conv; got.Version != 2 || got.Step != "done" {
			t.Errorf("after the second commit got version %d step %q, want 2 done", got.Version, got.Step)
		}
	}},
	{"commit without delivery id records nothing", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "web", User: "u"}
		mustCommit(t, s, turn(key, 0, ""))
		mustCommit(t, s, turn(key, 1, ""))
		if keys := keysUnder(t, rdb, s.keys(key).base+":seen:"); len(keys) != 0 {
			t.Errorf("delivery records %v, want none", keys)
		}
	}},
	{"conflict on stale expect", func(t *testing.T, _ redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "tg", User: "42"}
		mustCommit(t, s, turn(key, 0, "d1"))
		for _, expect := range []int64{0, 2} {
			c := turn(key, expect, "d-stale")
			c.Conv.Step = "lost"
			err := s.Commit(ctx, c)
			if !errors.Is(err, bot.ErrConflict) {
				t.Fatalf("Commit(expect %d) = %v, want a conflict", expect, err)
			}
		}
		snap := mustLoad(t, s, key, "d-stale")
		if snap.Replayed != nil || snap.Conv.Version != 1 || snap.Conv.Step == "lost" {
			t.Errorf("a conflicting commit wrote: %+v", snap)
		}
		if lines, _ := s.Transcript(ctx, key); len(lines) != 2 {
			t.Errorf("transcript has %d lines after a conflict, want 2", len(lines))
		}
	}},
	{"conflict when the delivery was committed", func(t *testing.T, _ redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "tg", User: "42"}
		mustCommit(t, s, turn(key, 0, "d1"))
		err := s.Commit(ctx, turn(key, 1, "d1"))
		if !errors.Is(err, bot.ErrConflict) {
			t.Fatalf("second commit of d1 = %v, want a conflict", err)
		}
		if v := mustLoad(t, s, key, "").Conv.Version; v != 1 {
			t.Errorf("version %d after the refused commit, want 1", v)
		}
		if effects, _ := s.Outbox(ctx, key); len(effects) != 1 {
			t.Errorf("outbox has %d effects, want 1", len(effects))
		}
	}},
	{"replayed replies", func(t *testing.T, _ redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "tg", User: "42"}
		c := turn(key, 0, "d1")
		mustCommit(t, s, c)
		if got := mustLoad(t, s, key, "d1"); !reflect.DeepEqual(got, bot.Snapshot{Replayed: c.Replies}) {
			t.Errorf("Load(d1) = %+v, want only the replies %+v", got, c.Replies)
		}
		// A turn that said nothing still replays, as nothing.
		for delivery, replies := range map[string][]bot.Reply{"quiet-empty": {}, "quiet-nil": nil} {
			c := turn(key, mustLoad(t, s, key, "").Conv.Version, delivery)
			c.Replies = replies
			mustCommit(t, s, c)
			got := mustLoad(t, s, key, c.DeliveryID).Replayed
			if got == nil || len(got) != 0 {
				t.Errorf("Load(%s).Replayed = %#v, want an empty, non-nil slice", c.DeliveryID, got)
			}
		}
	}},
	{"delete", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "tg", User: "42"}
		mustCommit(t, s, turn(key, 0, "d1"))
		del := turn(key, 1, "d-del")
		del.Delete = true
		del.Replies = []bot.Reply{{MsgID: "sys.deleted", Text: "Deleted."}}
		mustCommit(t, s, del)
		if got := mustLoad(t, s, key, ""); !reflect.DeepEqual(got, bot.Snapshot{}) {
			t.Errorf("Load after delete = %+v, want the zero snapshot", got)
		}
		if got := mustLoad(t, s, key, "d-del").Replayed; !reflect.DeepEqual(got, del.Replies) {
			t.Errorf("Load(d-del).Replayed = %+v, want %+v", got, del.Replies)
		}
		ks := s.keys(key)
		for _, k := range []string{ks.state, ks.log, ks.inbox, ks.seen("d1")} {
			if n := rdb.Exists(ctx, k).Val(); n != 0 {
				t.Errorf("%s still exists after delete", k)
			}
		}
		if ids := rdb.ZRange(ctx, ks.seenIndex, 0, -1).Val(); !reflect.DeepEqual(ids, []string{"d-del"}) {
			t.Errorf("delivery records after delete: %v, want only the deleting turn's", ids)
		}
		// The outbox stays, with the deleting turn's effects added: they
		// delete what lives outside the conversation's keys.
		out, err := s.Outbox(ctx, key)
		if err != nil || len(out) != 2 {
			t.Errorf("Outbox after delete = %v, %v, want the 2 effects", out, err)
		}
		// The conversation can start again from version 0.
		mustCommit(t, s, turn(key, 0, "d2"))
	}},
	{"effects mark the outbox in the commit's round trip", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "tg", User: "42"}
		// The first commit may load the script into the server.
		mustCommit(t, s, turn(key, 0, "d1"))
		rt := &RoundTrips{}
		rdb.AddHook(rt)
		mustCommit(t, s, turn(key, 1, "d2"))
		if n := rt.Count(); n != 1 {
			t.Errorf("a commit with effects took %d round trips, want 1", n)
		}
		claimed, err := s.ClaimOutboxes(ctx, 10, time.Minute)
		if err != nil || len(claimed) != 1 || claimed[0] != key {
			t.Errorf("ClaimOutboxes = %v, %v, want [%v]", claimed, err, key)
		}
		if out, _ := s.Outbox(ctx, key); len(out) != 2 {
			t.Errorf("outbox holds %d effects, want 2", len(out))
		}
	}},
	{"ttls", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "tg", User: "42"}
		mustCommit(t, s, turn(key, 0, "d1"))
		ks := s.keys(key)
		for k, max := range map[string]time.Duration{ks.state: testTTL, ks.log: testTTL, ks.outbox: testTTL, ks.seen("d1"): testDedupeTTL} {
			got, err := rdb.PTTL(ctx, k).Result()
			if err != nil {
				t.Fatalf("PTTL %s: %v", k, err)
			}
			if got <= 0 || got > max {
				t.Errorf("PTTL %s = %v, want in (0, %v]", k, got, max)
			}
		}
	}},
	{"transcript and outbox", func(t *testing.T, _ redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "tg", User: "42"}
		var wantLog []bot.LogLine
		var wantOut []bot.Effect
		for i, d := range []string{"d1", "d2", "d3"} {
			c := turn(key, int64(i), d)
			if i == 1 {
				c.Effects = nil
			}
			mustCommit(t, s, c)
			wantLog = append(wantLog, c.Log...)
			wantOut = append(wantOut, c.Effects...)
		}
		lines, err := s.Transcript(ctx, key)
		if err != nil || !reflect.DeepEqual(lines, wantLog) {
			t.Errorf("Transcript = %+v, %v; want %+v", lines, err, wantLog)
		}
		effects, err := s.Outbox(ctx, key)
		if err != nil || !reflect.DeepEqual(effects, wantOut) {
			t.Errorf("Outbox = %+v, %v; want %+v", effects, err, wantOut)
		}
		other := bot.Key{Channel: "tg", User: "43"}
		if lines, err := s.Transcript(ctx, other); err != nil || len(lines) != 0 {
			t.Errorf("Transcript of a missing conversation = %+v, %v; want none", lines, err)
		}
	}},
	{"flow archive", func(t *testing.T, _ redis.UniversalClient, s *Store) {
		if _, err := s.LoadFlow(ctx, "v1"); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Fatalf("LoadFlow(missing) = %v, want code %s", err, bot.ENOTFOUND)
		}
		src := []byte("flow: report\nsteps: []\n")
		for range 2 {
			if err := s.SaveFlow(ctx, "v1", src); err != nil {
				t.Fatalf("SaveFlow: %v", err)
			}
		}
		if err := s.SaveFlow(ctx, "v1", []byte("other")); err != nil {
			t.Fatalf("SaveFlow again: %v", err)
		}
		got, err := s.LoadFlow(ctx, "v1")
		if err != nil || string(got) != string(src) {
			t.Errorf("LoadFlow = %q, %v; want the first source %q", got, err, src)
		}
	}},
	{"key escaping", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		tricky := []bot.Key{
			{Channel: "tg", User: "a}b{c"},
			{Channel: "tg", User: "}"},
			{Channel: "x:y", User: "z"},
			{Channel: "x", User: "y:z"},
			{Channel: "x", User: "y%3Az"},
			{Channel: "", User: ""},
			{Channel: "web", User: "用户 1"},
		}
		tags := map[string]bot.Key{}
		for i, key := range tricky {
			c := turn(key, 0, "d{"+key.User+"}")
			c.Conv.Step = string(rune('a' + i))
			mustCommit(t, s, c)
			ks := s.keys(key)
			tag := hashTag(ks.state)
			if prev, dup := tags[tag]; dup {
				t.Errorf("%v and %v share the hash tag %q", prev, key, tag)
			}
			tags[tag] = key
			for _, k := range keysUnder(t, rdb, ks.base+":") {
				if got := hashTag(k); got != tag {
					t.Errorf("key %q of %v has hash tag %q, want %q", k, key, got, tag)
				}
			}
			if want := "{c:" + escapeKeyPart(key.Channel) + ":" + escapeKeyPart(key.User) + "}"; tag != want {
				t.Errorf("hash tag of %v = %q, want %q", key, tag, want)
			}
		}
		for i, key := range tricky {
			if got := mustLoad(t, s, key, "").Conv; got.Step != string(rune('a'+i)) || got.Version != 1 {
				t.Errorf("Load(%v) = step %q version %d, want %q 1", key, got.Step, got.Version, string(rune('a'+i)))
			}
		}
	}},
	{"wrong type is internal, not unavailable", func(t *testing.T, rdb redis.UniversalClient, s *Store) {
		for i, write := range []func(key string) error{
			func(key string) error { return rdb.RPush(ctx, key, "not a state").Err() },
			func(key string) error { return rdb.Set(ctx, key, "not a state", time.Minute).Err() },
		} {
			key := bot.Key{Channel: "tg", User: strconv.Itoa(42 + i)}
			if err := write(s.keys(key).state); err != nil {
				t.Fatal(err)
			}
			_, err := s.Load(ctx, key, "d1")
			if err == nil || errors.Is(err, bot.ErrUnavailable) || bot.ErrorCode(err) != bot.EINTERNAL {
				t.Errorf("Load over a bad state %d = %v (code %q), want an internal error", i, err, bot.ErrorCode(err))
			}
			err = s.Commit(ctx, turn(key, 0, "d1"))
			if err == nil || errors.Is(err, bot.ErrUnavailable) || errors.Is(err, bot.ErrConflict) {
				t.Errorf("Commit over a bad state %d = %v, want an internal error", i, err)
			}
		}
	}},
	{"invalid ttl", func(t *testing.T, _ redis.UniversalClient, s *Store) {
		key := bot.Key{Channel: "tg", User: "42"}
		for _, c := range []bot.Commit{
			{Key: key, DeliveryID: "d", DedupeTTL: time.Minute},
			{Key: key, DeliveryID: "d", TTL: time.Minute},
		} {
			if err := s.Commit(ctx, c); bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("Commit(TTL %v, DedupeTTL %v) = %v, want code %s", c.TTL, c.DedupeTTL, err, bot.EINVALID)
			}
		}
		c := turn(key, 0, "")
		c.DedupeTTL = 0
		mustCommit(t, s, c)
	}},
	{"ping", func(t *testing.T, _ redis.UniversalClient, s *Store) {
		if err := s.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
	}},
}

// hashTag returns the part of key Redis Cluster hashes: what lies between
// the first "{" and the first "}" after it.
func hashTag(key string) string {
	i := strings.IndexByte(key, '{')
	if i < 0 {
		return key
	}
	j := strings.IndexByte(key[i+1:], '}')
	if j <= 0 {
		return key
	}
	return key[i : i+j+2]
}

func TestUnavailable(t *testing.T) {
	// Port 1 on loopback refuses at once; no retries keep the test short.
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialerRetries: 1, DialTimeout: time.Second})
	t.Cleanup(func() { rdb.Close() })
	s := New(rdb, "test:unreachable:")
	key := bot.Key{Channel: "tg", User: "42"}
	calls := map[string]func() error{
		"Load":            func() error { _, err := s.Load(ctx, key, ""); return err },
		"Load redelivery": func() error { _, err := s.Load(ctx, key, "d1"); return err },
		"Commit":          func() error { return s.Commit(ctx, turn(key, 0, "d1")) },
		"Transcript":      func() error { _, err := s.Transcript(ctx, key); return err },
		"Outbox":          func() error { _, err := s.Outbox(ctx, key); return err },
		"SaveFlow":        func() error { return s.SaveFlow(ctx, "v", []byte("x")) },
		"LoadFlow":        func() error { _, err := s.LoadFlow(ctx, "v"); return err },
		"Ping":            func() error { return s.Ping(ctx) },
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, bot.ErrUnavailable) || bot.ErrorCode(err) != bot.EUNAVAIL {
			t.Errorf("%s = %v, want an error matching bot.ErrUnavailable", name, err)
		}
		if errors.Is(err, redis.Nil) {
			t.Errorf("%s leaks redis.Nil", name)
		}
	}

	// A client closed under the store is unavailable too.
	closed, closeAll, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	closeAll()
	if _, err := New(closed, "test:").Load(ctx, key, "d1"); !errors.Is(err, bot.ErrUnavailable) {
		t.Errorf("Load on a closed client = %v, want bot.ErrUnavailable", err)
	}
}

func TestContextErrors(t *testing.T) {
	rdb := realRedis(t)
	s := newTestStore(t, rdb)
	key := bot.Key{Channel: "tg", User: "42"}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := s.Load(canceled, key, "d1")
	if !errors.Is(err, context.Canceled) || errors.Is(err, bot.ErrUnavailable) {
		t.Errorf("Load(canceled) = %v, want context.Canceled and not unavailable", err)
	}
	expired, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
	defer cancel()
	err = s.Commit(expired, turn(key, 0, "d1"))
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, bot.ErrUnavailable) {
		t.Errorf("Commit(expired) = %v, want context.DeadlineExceeded and unavailable", err)
	}
}

func TestNewRefusesBraceInPrefix(t *testing.T) {
	for _, prefix := range []string{"{slipdesk}:", "a}"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%q) did not panic", prefix)
				}
			}()
			New(nil, prefix)
		}()
	}
}
