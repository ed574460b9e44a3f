package telegram

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

var paceStart = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// paceSlot is when a send to chat asked for at now would go, were every
// sleep of wait exact: the pacer's schedule without a clock.
func paceSlot(p *pacer, chat int64, now time.Time) time.Duration {
	at, _ := p.reserveChat(chat, now)
	for {
		next, _, ok := p.reserveAll(chat, at)
		if ok {
			return next.Sub(paceStart)
		}
		at = next
	}
}

func paceSlots(p *pacer, chat int64, now time.Time, n int) []time.Duration {
	var got []time.Duration
	for range n {
		got = append(got, paceSlot(p, chat, now))
	}
	return got
}

func TestPaceChatBurst(t *testing.T) {
	p := newPacer(time.Second, 0, 3)
	s := time.Second
	if got, want := paceSlots(p, 1, paceStart, 5), []time.Duration{0, 0, 0, s, 2 * s}; !slices.Equal(got, want) {
		t.Errorf("five sends to one chat: got %v, want %v", got, want)
	}
	if got, want := paceSlot(p, 2, paceStart), time.Duration(0); got != want {
		t.Errorf("a send to another chat: got %v, want %v", got, want)
	}
	later := paceStart.Add(10 * s)
	if got, want := paceSlots(p, 1, later, 4), []time.Duration{10 * s, 10 * s, 10 * s, 11 * s}; !slices.Equal(got, want) {
		t.Errorf("four sends to one chat after a rest: got %v, want %v", got, want)
	}
}

func TestPaceOverall(t *testing.T) {
	p := newPacer(0, 30, 0)
	var got []time.Duration
	for chat := range int64(40) {
		got = append(got, paceSlot(p, chat+1, paceStart))
	}
	every := time.Second / 30
	want := make([]time.Duration, 30)
	for i := range 10 {
		want = append(want, time.Duration(i+1)*every)
	}
	if !slices.Equal(got, want) {
		t.Errorf("sends to 40 chats: got %v, want %v", got, want)
	}
}

func TestPaceBothLimits(t *testing.T) {
	p := newPacer(time.Second, 2, 3)
	ms := time.Millisecond
	// Chat 1's burst of three is cut to the overall burst of two, the
	// third send waits for the overall bucket and the fourth for the
	// chat's.
	if got, want := paceSlots(p, 1, paceStart, 4), []time.Duration{0, 0, 500 * ms, time.Second}; !slices.Equal(got, want) {
		t.Errorf("four sends to one chat: got %v, want %v", got, want)
	}
}

func TestPacePause(t *testing.T) {
	p := newPacer(time.Second, 0, 3)
	s := time.Second
	p.pauseUntil(1, paceStart.Add(5*s))
	if got, want := paceSlots(p, 1, paceStart, 4), []time.Duration{5 * s, 5 * s, 5 * s, 6 * s}; !slices.Equal(got, want) {
		t.Errorf("sends to the paused chat: got %v, want %v", got, want)
	}
	if got, want := paceSlot(p, 2, paceStart), time.Duration(0); got != want {
		t.Errorf("a send to another chat: got %v, want %v", got, want)
	}
	p.pauseUntil(0, paceStart.Add(7*s))
	if got, want := paceSlot(p, 2, paceStart), 7*s; got != want {
		t.Errorf("a send to another chat after pausing all: got %v, want %v", got, want)
	}
}

func TestPacePauseHoldsBackWaitingSends(t *testing.T) {
	p := newPacer(time.Second, 30, 3)
	at, _ := p.reserveChat(1, paceStart)
	p.pauseUntil(1, paceStart.Add(5*time.Second))
	got, _, ok := p.reserveAll(1, at)
	if want := paceStart.Add(5 * time.Second); ok || !got.Equal(want) {
		t.Errorf("overall turn of a send paused after its chat's turn: got %v, %v, want %v, false", got, ok, want)
	}
}

func TestPaceGiveBack(t *testing.T) {
	p := newPacer(time.Second, 0, 1)
	first, _ := p.reserveChat(1, paceStart)
	second, h := p.reserveChat(1, paceStart)
	p.giveBack(h)
	if again, _ := p.reserveChat(1, paceStart); !again.Equal(second) {
		t.Errorf("turn after giving one back: got %v, want %v", again.Sub(paceStart), second.Sub(paceStart))
	}
	// A token taken before the last one cannot be given back: the later
	// send keeps its time and so does the next.
	_, h = p.reserveChat(2, paceStart)
	_, _ = p.reserveChat(2, paceStart)
	p.giveBack(h)
	if got, want := paceSlot(p, 2, paceStart), 2*time.Second; got != want {
		t.Errorf("turn after giving back an older token: got %v, want %v", got, want)
	}
	if !first.Equal(paceStart) {
		t.Errorf("first turn: got %v, want 0", first.Sub(paceStart))
	}
}

func TestPaceForgetsIdleChats(t *testing.T) {
	p := newPacer(time.Second, 30, 3)
	for chat := range int64(100) {
		paceSlot(p, chat+1, paceStart)
	}
	p.pauseUntil(7, paceStart.Add(10*time.Minute))
	if got := len(p.chats); got != 100 {
		t.Fatalf("chats kept after sends to 100: got %d, want 100", got)
	}
	later := paceStart.Add(2 * time.Minute)
	paceSlot(p, 1000, later)
	if got := len(p.chats); got != 2 {
		t.Errorf("chats kept two minutes later: got %d, want 2 (the paused one and the new one)", got)
	}
	if got, want := paceSlot(p, 7, later), 10*time.Minute; got != want {
		t.Errorf("send to the paused chat: got %v, want %v", got, want)
	}
}

func TestPaceNoLimitsKeepsNoState(t *testing.T) {
	p := newPacer(0, 0, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				if err := p.wait(t.Context(), int64(g*100+i)); err != nil {
					t.Errorf("wait: %v", err)
				}
			}
		})
	}
	wg.Wait()
	if got := len(p.chats); got != 0 {
		t.Errorf("chats kept without a per-chat limit: got %d, want 0", got)
	}
}

func TestPaceWaitPerChat(t *testing.T) {
	t.Parallel()
	p := newPacer(50*time.Millisecond, 0, 1)
	start := time.Now()
	for range 4 {
		if err := p.wait(t.Context(), 1); err != nil {
			t.Fatalf("wait: %v", err)
		}
	}
	if got := time.Since(start); got < 150*time.Millisecond {
		t.Errorf("four sends to one chat, one every 50ms: took %v, want at least 150ms", got)
	}
}

func TestPaceWaitOverall(t *testing.T) {
	t.Parallel()
	const perSecond, sends = 10, 13
	p := newPacer(0, perSecond, 0)
	start := time.Now()
	done := make([]time.Duration, sends)
	var wg sync.WaitGroup
	for i := range sends {
		wg.Go(func() {
			if err := p.wait(t.Context(), int64(i+1)); err != nil {
				t.Errorf("wait: %v", err)
			}
			done[i] = time.Since(start)
		})
	}
	wg.Wait()
	slices.Sort(done)
	every := time.Second / perSecond
	for k := perSecond; k < sends; k++ {
		if least := time.Duration(k+1-perSecond) * every; done[k] < least {
			t.Errorf("send %d of %d to as many chats: went after %v, want at least %v", k+1, sends, done[k], least)
		}
	}
}

func TestPaceWaitPause(t *testing.T) {
	t.Parallel()
	p := newPacer(0, 0, 0)
	const d = 60 * time.Millisecond
	p.pause(1, d)
	start := time.Now()
	if err := p.wait(t.Context(), 1); err != nil {
		t.Fatalf("wait: %v", err)
	}
	if got := time.Since(start); got < d {
		t.Errorf("send to a chat paused for %v: took %v", d, got)
	}
	p.pause(0, d)
	start = time.Now()
	if err := p.wait(t.Context(), 2); err != nil {
		t.Fatalf("wait: %v", err)
	}
	if got := time.Since(start); got < d {
		t.Errorf("send to any chat with all paused for %v: took %v", d, got)
	}
}

func TestPaceWaitCancelled(t *testing.T) {
	t.Parallel()
	p := newPacer(time.Hour, 0, 1)
	if err := p.wait(t.Context(), 1); err != nil {
		t.Fatalf("first wait: %v", err)
	}
	full := p.chats[1].full

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if err := p.wait(ctx, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait an hour with 20ms to go: got %v, want %v", err, context.DeadlineExceeded)
	}
	if got := p.chats[1].full; !got.Equal(full) {
		t.Errorf("chat's bucket after a cancelled wait: full at %v, want %v as before", got, full)
	}

	gone, cancel := context.WithCancel(t.Context())
	cancel()
	if err := newPacer(0, 0, 0).wait(gone, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("wait with a cancelled context: got %v, want %v", err, context.Canceled)
	}
}

func TestPaceConcurrent(t *testing.T) {
	t.Parallel()
	p := newPacer(time.Millisecond, 1000, 3)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				chat := int64((g + i) % 3)
				if i%7 == 0 {
					p.pause(chat, time.Millisecond)
				}
				if err := p.wait(t.Context(), chat+1); err != nil {
					t.Errorf("wait: %v", err)
				}
			}
		})
	}
	wg.Wait()
}
