package bot_test

import "testing"

func TestZZDebug(t *testing.T) {
	c := newChat(t, "en")
	c.walk([]string{"1", "2", "Starlight", "1", "yes"})
	t.Logf("timers %v", c.conv().Timers)
	for _, e := range c.store.Outbox(c.key) {
		t.Logf("before %+v", e)
	}
	c.text("/delete")
	t.Logf("timers %v", c.conv().Timers)
	c.tap("yes")
	for _, e := range c.store.Outbox(c.key) {
		t.Logf("after %+v", e)
	}
}
