package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/bot"
)

// memSample is how many conversations the memory figure averages.
const memSample = 50

// exchange runs the first three messages of the journey in a
// conversation of key, and marks each turn's replies sent as a channel
// does once it sent them (bot.SendOnce), which leaves the conversation
// as idle conversations are.
func exchange(ctx context.Context, d *desk, key bot.Key, lang string) error {
	once := bot.SendOnce{Marks: d.store}
	for i, text := range journeys[lang][:3] {
		ev := bot.Event{Key: key, Kind: bot.EventText, Text: text, DeliveryID: fmt.Sprint("m", i), LangHint: lang}
		res, err := d.engine.Process(ctx, ev)
		if err != nil {
			return err
		}
		dl := bot.Delivery{Key: key, ID: ev.DeliveryID, Mark: "bench:" + ev.DeliveryID + "|" + key.String()}
		err = once.Send(ctx, dl, res.Sending, len(res.Replies), func(context.Context, int) error { return nil })
		if err != nil {
			return err
		}
	}
	return nil
}

// convKeys returns every key of a conversation: they share its hash tag.
func convKeys(ctx context.Context, rdb redis.UniversalClient, prefix string, key bot.Key) ([]string, error) {
	pattern := prefix + "{c:" + key.Channel + ":" + key.User + "}*"
	var keys []string
	iter := rdb.Scan(ctx, 0, pattern, 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	return keys, iter.Err()
}

// bytesPerConversation runs the 3-message exchange in memSample
// conversations and returns the mean of MEMORY USAGE over all their
// keys; 0 on the embedded store, which has no MEMORY USAGE.
func bytesPerConversation(ctx context.Context, d *desk, lang string, embedded bool) (int64, error) {
	if embedded {
		return 0, nil
	}
	prefix := d.store.Prefix()
	var total int64
	for i := range memSample {
		key := bot.Key{Channel: "mem", User: strconv.Itoa(i)}
		if err := exchange(ctx, d, key, lang); err != nil {
			return 0, err
		}
		keys, err := convKeys(ctx, d.rdb, prefix, key)
		if err != nil {
			return 0, err
		}
		for _, k := range keys {
			n, err := d.rdb.MemoryUsage(ctx, k).Result()
			if err != nil {
				return 0, fmt.Errorf("MEMORY USAGE: %w", err)
			}
			total += n
		}
	}
	return total / memSample, nil
}

// seedConversations stores n idle conversations before a run: one runs
// the 3-message exchange, and the others are byte-for-byte copies of its
// keys under their own hash tags (DUMP, RESTORE), pipelined, which is
// what n users who said the same would leave. It returns the growth of
// the server's used_memory per conversation.
func seedConversations(ctx context.Context, d *desk, n int, lang string, progress io.Writer) (int64, error) {
	if _, ok := d.rdb.(*redis.Client); !ok {
		return 0, fmt.Errorf("--conversations needs REDIS_URL naming one Redis server")
	}
	before, err := usedMemory(ctx, d.rdb)
	if err != nil {
		return 0, err
	}
	prefix := d.store.Prefix()
	model := bot.Key{Channel: "seed", User: "0"}
	if err := exchange(ctx, d, model, lang); err != nil {
		return 0, err
	}
	keys, err := convKeys(ctx, d.rdb, prefix, model)
	if err != nil {
		return 0, err
	}
	type dumped struct {
		key  string
		val  string
		pttl time.Duration
	}
	var dumps []dumped
	for _, k := range keys {
		v, err := d.rdb.Dump(ctx, k).Result()
		if err != nil {
			return 0, err
		}
		ttl, err := d.rdb.PTTL(ctx, k).Result()
		if err != nil {
			return 0, err
		}
		dumps = append(dumps, dumped{k, v, max(ttl, 0)})
	}
	tag := "{c:seed:0}"
	start := time.Now()
	const batch = 500
	for i := 1; i < n; i += batch {
		pipe := d.rdb.Pipeline()
		for j := i; j < min(i+batch, n); j++ {
			for _, dk := range dumps {
				pipe.RestoreReplace(ctx, strings.Replace(dk.key, tag, "{c:seed:"+strconv.Itoa(j)+"}", 1), dk.pttl, dk.val)
			}
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return 0, fmt.Errorf("seed conversations: %w", err)
		}
		if (i/batch)%200 == 0 {
			fmt.Fprintf(progress, "\rseeding %d of %d conversations (%s) ", min(i+batch, n), n, time.Since(start).Round(time.Second))
		}
	}
	fmt.Fprintln(progress)
	after, err := usedMemory(ctx, d.rdb)
	if err != nil {
		return 0, err
	}
	return (after - before) / int64(n), nil
}

// usedMemory is the server's used_memory.
func usedMemory(ctx context.Context, rdb redis.UniversalClient) (int64, error) {
	info, err := rdb.Info(ctx, "memory").Result()
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, fmt.Errorf("INFO memory has no used_memory")
}
