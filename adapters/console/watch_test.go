package console_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/bot"
)

// memInbox is an Inbox in memory.
type memInbox struct {
	mu    sync.Mutex
	boxes map[bot.Key][][]bot.Reply
	ready chan struct{}
}

func (m *memInbox) PushInbox(_ context.Context, to bot.Key, replies []bot.Reply) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.boxes[to] = append(m.boxes[to], replies)
	select {
	case m.ready <- struct{}{}:
	default:
	}
	return nil
}

func (m *memInbox) PopInbox(ctx context.Context, key bot.Key, wait time.Duration) ([]bot.Reply, error) {
	for {
		m.mu.Lock()
		if box := m.boxes[key]; len(box) > 0 {
			m.boxes[key] = box[1:]
			m.mu.Unlock()
			return box[0], nil
		}
		m.mu.Unlock()
		if wait <= 0 {
			return nil, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-m.ready:
		case <-time.After(wait):
			return nil, nil
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the watcher and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWatchShowsPushedReplies: what another user causes (a merchant's
// answer) shows in a waiting terminal as it arrives, for this user only.
func TestWatchShowsPushedReplies(t *testing.T) {
	inbox := &memInbox{boxes: map[bot.Key][][]bot.Reply{}, ready: make(chan struct{}, 1)}
	out := &syncBuffer{}
	chat := &console.Chat{User: "alice", Inbox: inbox, Out: out}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- chat.Watch(ctx) }()

	send := console.Sender(inbox)
	if err := send.Send(ctx, bot.Key{Channel: console.Channel, User: "bob"}, []bot.Reply{{MsgID: "x", Text: "for bob"}}); err != nil {
		t.Fatal(err)
	}
	if err := send.Send(ctx, chat.Key(), []bot.Reply{{MsgID: "x", Text: "The shop found it", Options: []bot.Option{{Value: "ok", Label: "Thanks"}}}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "1) Thanks") {
		if time.Now().After(deadline) {
			t.Fatalf("pushed reply not shown; output %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watch: %v", err)
	}
	if got := out.String(); !strings.Contains(got, "bot: The shop found it") || strings.Contains(got, "for bob") {
		t.Errorf("output %q", got)
	}
}
