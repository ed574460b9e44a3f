package webchat

import (
	"sync"

	"github.com/slipdesk/slipdesk/bot"
)

// hub wakes the requests of this process that wait for a conversation's
// feed to grow. Wake-ups come from Redis, so an append on any replica
// reaches the browser wherever its stream is held.
type hub struct {
	mu      sync.Mutex
	waiters map[bot.Key]map[chan struct{}]struct{}
}

// watch returns a channel that gets a value after the feed of key grows,
// and its release. Registering before reading the feed means an append
// between the read and the wait is not missed.
func (h *hub) watch(key bot.Key) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.waiters == nil {
		h.waiters = map[bot.Key]map[chan struct{}]struct{}{}
	}
	set := h.waiters[key]
	if set == nil {
		set = map[chan struct{}]struct{}{}
		h.waiters[key] = set
	}
	set[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(set, ch)
		if len(set) == 0 && h.waiters[key] != nil && len(h.waiters[key]) == 0 {
			delete(h.waiters, key)
		}
		h.mu.Unlock()
	}
}

// wake tells every waiter of key that its feed grew.
func (h *hub) wake(key bot.Key) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.waiters[key] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
