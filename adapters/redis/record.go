package redisstore

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// A delivery record holds the replies of a committed turn until they are
// all sent, for a redelivery and for the senders: a header, then the
// replies. The header, "\x02<sent>|<owner>|<until>\n", is the sending
// lease of the replies (see deliveries.go): how many messages are marked
// sent, who may send the others, until which Unix millisecond. Once all
// are sent the record goes, and the delivery's member in the
// conversation's index says that it was committed.
//
// The replies are read rarely, so they are stored compressed from
// compressOver bytes on: compressed, they start with deflated, which
// JSON never does.
//
// Older versions wrote the replies alone, with no header, and kept the
// marks apart (sentKey): such a record is still read, and its sending
// uses those marks. The other way round, during a rolling upgrade, an
// older replica cannot run a turn of a conversation a newer one wrote:
// it reads the state as a hash, and Redis answers WRONGTYPE to the
// string. So it cannot miss that a delivery whose record went was
// committed; its turn fails, and the channel's retry reaches a newer
// replica.
const (
	deflated     = 0x01
	recordHeader = 0x02
)

// encodeRecord returns the record of a committed turn's replies, whose
// lease owner holds until until ("" for no one).
func encodeRecord(replies []bot.Reply, owner string, until time.Time) ([]byte, error) {
	body, err := encodeReplies(replies)
	if err != nil {
		return nil, err
	}
	ms := int64(0)
	if owner != "" {
		ms = until.UnixMilli()
	}
	buf := make([]byte, 0, 24+len(owner)+len(body))
	buf = append(buf, recordHeader, '0', '|')
	buf = append(buf, owner...)
	buf = append(buf, '|')
	buf = strconv.AppendInt(buf, ms, 10)
	buf = append(buf, '\n')
	return append(buf, body...), nil
}

// decodeRecord reads a delivery record in either form.
func decodeRecord(buf []byte) ([]bot.Reply, error) {
	if len(buf) > 0 && buf[0] == recordHeader {
		nl := bytes.IndexByte(buf, '\n')
		if nl < 0 {
			return nil, bot.Errorf(bot.EINTERNAL, "stored delivery record has no end of header")
		}
		buf = buf[nl+1:]
	}
	return decodeReplies(buf)
}

// compressOver is the size from which compressing is worth its cost.
// Most records live only until their replies are sent, milliseconds,
// and deflate saves little on short text (a record of one question with
// its buttons came out larger) while building its Huffman tables costs
// the same for any size: compressing every record from 256 bytes took a
// quarter of the engine's CPU in slipdesk bench. Only a long record, kept
// for a redelivery by a channel that replays it, is worth it.
const compressOver = 2048

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
