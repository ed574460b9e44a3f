package bottest

import (
	"sync"
	"time"
)

// Clock is a settable clock for the engine's Config.Now.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock set to a fixed, readable moment.
func NewClock() *Clock {
	return &Clock{now: time.Date(2026, 11, 24, 15, 30, 0, 0, time.FixedZone("CST", 8*3600))}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
