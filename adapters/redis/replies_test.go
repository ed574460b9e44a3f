package redisstore

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/slipdesk/slipdesk/bot"
)

// TestRepliesRecord: a delivery record reads back as the replies it was
// made of, deflated only when it is long and deflating makes it smaller.
func TestRepliesRecord(t *testing.T) {
	long := strings.Repeat("没有签购单也能证明付款：银行的扣款短信、手机银行里的交易明细。", 16)
	for _, tc := range []struct {
		name     string
		replies  []bot.Reply
		deflated bool
	}{
		{"none", nil, false},
		{"a question and its buttons", []bot.Reply{{MsgID: "consumer.when", Text: "大概什么时候付的款？", Options: []bot.Option{{Value: "x", Label: "不清楚", Data: "t3:x"}}}}, false},
		{"long advice", []bot.Reply{{MsgID: "consumer.proof_card", Text: long}, {MsgID: "consumer.tips", Text: long}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			buf, err := encodeReplies(tc.replies)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(tc.replies)
			if got := len(buf) > 0 && buf[0] == deflated; got != tc.deflated {
				t.Errorf("deflated %v, want %v (%d bytes of JSON, %d stored)", got, tc.deflated, len(raw), len(buf))
			}
			if tc.deflated && len(buf) >= len(raw) {
				t.Errorf("stored %d bytes for %d of JSON", len(buf), len(raw))
			}
			got, err := decodeReplies(buf)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.replies
			if want == nil {
				want = []bot.Reply{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back %+v, want %+v", got, want)
			}
		})
	}
}

// TestRepliesRecordNeverLarger: a record is never stored larger than its
// JSON, however little its text compresses.
func TestRepliesRecordNeverLarger(t *testing.T) {
	for n := compressOver / 2; n < 2*compressOver; n += 4 {
		replies := []bot.Reply{{MsgID: "x", Text: noise(n)}}
		buf, err := encodeReplies(replies)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(replies)
		if len(buf) > len(raw) {
			t.Errorf("%d letters: stored %d bytes for %d of JSON", n, len(buf), len(raw))
		}
		if got, err := decodeReplies(buf); err != nil || !reflect.DeepEqual(got, replies) {
			t.Errorf("%d letters: read back %v, %v", n, got, err)
		}
	}
}

// noise returns n random printable ASCII letters other than the two JSON
// escapes: text that deflate makes little smaller.
func noise(n int) string {
	b := make([]byte, n)
	for i := range b {
		c := byte('#' + rand.IntN('~'-'#'))
		if c == '\\' {
			c = '!'
		}
		b[i] = c
	}
	return string(b)
}
