// Package bottest holds what tests of every channel share: an in-memory
// store, a settable clock and the transcript runner.
package bottest

import (
	"context"
	"strings"
	"sync"

	"github.com/slipdesk/slipdesk/bot"
)

// MemStore is an in-memory bot.Store with the same version check and
// delivery record as the Redis store.
type MemStore struct {
	mu     sync.Mutex
	convs  map[bot.Key]bot.Conversation
	logs   map[bot.Key][]bot.LogLine
	outbox map[bot.Key][]bot.Effect
	seen   map[string][]bot.Reply
	flows  map[string][]byte
}

var (
	_ bot.Store       = (*MemStore)(nil)
	_ bot.FlowArchive = (*MemStore)(nil)
)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{
		convs:  map[bot.Key]bot.Conversation{},
		logs:   map[bot.Key][]bot.LogLine{},
		outbox: map[bot.Key][]bot.Effect{},
		seen:   map[string][]bot.Reply{},
		flows:  map[string][]byte{},
	}
}

func seenKey(k bot.Key, id string) string { return k.String() + "\x00" + id }

// Load implements bot.Store.
func (m *MemStore) Load(_ context.Context, key bot.Key, deliveryID string) (bot.Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.seen[seenKey(key, deliveryID)]; ok && deliveryID != "" {
		return bot.Snapshot{Replayed: append([]bot.Reply{}, r...)}, nil
	}
	return bot.Snapshot{Conv: m.convs[key]}, nil
}

// Commit implements bot.Store.
func (m *MemStore) Commit(_ context.Context, c bot.Commit) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.convs[c.Key].Version != c.Expect {
		return bot.ErrConflict
	}
	if _, ok := m.seen[seenKey(c.Key, c.DeliveryID)]; ok && c.DeliveryID != "" {
		return bot.ErrConflict
	}
	if c.Delete {
		// The outbox stays: its effects delete what lives elsewhere.
		delete(m.convs, c.Key)
		delete(m.logs, c.Key)
		prefix := seenKey(c.Key, "")
		for k := range m.seen {
			if strings.HasPrefix(k, prefix) {
				delete(m.seen, k)
			}
		}
	} else {
		conv := c.Conv
		conv.Version = c.Expect + 1
		m.convs[c.Key] = conv
		m.logs[c.Key] = append(m.logs[c.Key], c.Log...)
	}
	m.outbox[c.Key] = append(m.outbox[c.Key], c.Effects...)
	if c.DeliveryID != "" {
		m.seen[seenKey(c.Key, c.DeliveryID)] = append([]bot.Reply{}, c.Replies...)
	}
	return nil
}

// Conversation returns the stored state of key.
func (m *MemStore) Conversation(key bot.Key) (bot.Conversation, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.convs[key]
	return c, ok
}

// Transcript returns the transcript lines of key.
func (m *MemStore) Transcript(key bot.Key) []bot.LogLine {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]bot.LogLine{}, m.logs[key]...)
}

// Outbox returns the effects recorded for key.
func (m *MemStore) Outbox(key bot.Key) []bot.Effect {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]bot.Effect{}, m.outbox[key]...)
}

// SaveFlow implements bot.FlowArchive.
func (m *MemStore) SaveFlow(_ context.Context, version string, src []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.flows[version]; !ok {
		m.flows[version] = append([]byte{}, src...)
	}
	return nil
}

// LoadFlow implements bot.FlowArchive.
func (m *MemStore) LoadFlow(_ context.Context, version string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	src, ok := m.flows[version]
	if !ok {
		return nil, bot.Errorf(bot.ENOTFOUND, "flow version %s not archived", version)
	}
	return src, nil
}
