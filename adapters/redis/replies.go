package redisstore

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"io"
	"sync"

	"github.com/slipdesk/slipdesk/bot"
)

// A delivery record holds the replies of a turn for a redelivery: read
// rarely, kept for days, so it is stored compressed. A compressed record
// starts with deflated, which JSON never does; records written as plain
// JSON are still read.
const deflated = 0x01

// compressOver is the size from which compressing is worth its cost.
// Deflate saves little on a short record, often nothing (a record of one
// question with its buttons, 100 to 200 bytes, came out larger), and
// building its Huffman tables costs the same for any size: below this,
// more than ten times the JSON encoding of the record.
const compressOver = 256

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

// encodeReplies returns a delivery record's bytes.
func encodeReplies(replies []bot.Reply) ([]byte, error) {
	if replies == nil {
		replies = []bot.Reply{}
	}
	raw, err := json.Marshal(replies)
	if err != nil || len(raw) < compressOver {
		return raw, err
	}
	var buf bytes.Buffer
	buf.Grow(len(raw) / 2)
	buf.WriteByte(deflated)
	w := flateWriters.Get().(*flate.Writer)
	w.Reset(&buf)
	_, err = w.Write(raw)
	if err == nil {
		err = w.Close()
	}
	flateWriters.Put(w)
	if err != nil {
		return nil, err
	}
	if buf.Len() >= len(raw) {
		// Text that does not compress is kept as it is.
		return raw, nil
	}
	return buf.Bytes(), nil
}

// decodeReplies reads a delivery record. The result is never nil: a nil
// slice would read as "no record".
func decodeReplies(buf []byte) ([]bot.Reply, error) {
	if len(buf) > 0 && buf[0] == deflated {
		raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(buf[1:])))
		if err != nil {
			return nil, bot.Errorf(bot.EINTERNAL, "stored replies do not inflate: %v", err)
		}
		buf = raw
	}
	var replies []bot.Reply
	if err := json.Unmarshal(buf, &replies); err != nil {
		return nil, bot.Errorf(bot.EINTERNAL, "stored replies are not valid JSON: %v", err)
	}
	if replies == nil {
		replies = []bot.Reply{}
	}
	return replies, nil
}
