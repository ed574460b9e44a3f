package telegram

import (
	"context"
	"sync"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// paceSweepEvery is how often the pacer forgets the chats it no longer
// needs to remember.
const paceSweepEvery = time.Minute

// pacer spaces sends out to stay within Telegram's flood limits, about a
// message a second to one chat and thirty a second in all, past which
// the API answers 429. Each chat has a small burst so that the two or
// three replies of one turn go out together.
type pacer struct {
	mu      sync.Mutex
	perChat time.Duration
	burst   int
	all     paceBucket
	paused  time.Time // no send to any chat before this
	chats   map[int64]*chatPace
	swept   time.Time
}

// chatPace is what the pacer keeps of one chat.
type chatPace struct {
	paceBucket
	paused time.Time
}

// paceBucket is a token bucket holding burst tokens and gaining one every
// interval, kept as the time at which it is full again (the "theoretical
// arrival time" of GCRA): one field, and a bucket full again is the same
// as a bucket never used. A zero interval is no limit.
type paceBucket struct {
	every time.Duration
	burst int
	full  time.Time
}

// take reserves a token for a send at from or later and returns when
// that send may go.
func (b *paceBucket) take(from time.Time) time.Time {
	if b.every <= 0 {
		return from
	}
	at := laterTime(from, b.full.Add(-time.Duration(b.burst-1)*b.every))
	b.full = laterTime(b.full, at).Add(b.every)
	return at
}

// paceHold is a token taken from a bucket, to give back if the send it
// was for is called off.
type paceHold struct {
	b          *paceBucket
	prev, next time.Time
}

// newPacer returns a pacer that lets burst messages go to a chat at once,
// then one every perChat, and perSecond a second in all with as many at
// once. A perChat or perSecond of zero or less is no limit of that kind;
// a burst below 1 is 1.
func newPacer(perChat time.Duration, perSecond, burst int) *pacer {
	p := &pacer{perChat: perChat, burst: max(burst, 1), chats: make(map[int64]*chatPace)}
	if perSecond > 0 {
		p.all = paceBucket{every: time.Second / time.Duration(perSecond), burst: perSecond}
	}
	return p
}

// wait blocks until a message to chat may go, or returns ctx.Err() if ctx
// ends first. The chat's turn is taken first, then the overall one, when
// the message is ready to go, so that a chat waiting its turn does not
// hold up the others.
func (p *pacer) wait(ctx context.Context, chat int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	at, own := p.reserveChat(chat, time.Now())
	if err := sleepUntil(ctx, at); err != nil {
		p.giveBack(own)
		return err
	}
	for {
		at, all, ok := p.reserveAll(chat, time.Now())
		if err := sleepUntil(ctx, at); err != nil {
			p.giveBack(all)
			p.giveBack(own)
			return err
		}
		if ok {
			return nil
		}
	}
}

// pause holds back every later send to chat for d, or to every chat when
// chat is 0, as a 429's retry_after asks. Sends still waiting for their
// chat's turn are held back too.
func (p *pacer) pause(chat int64, d time.Duration) {
	if d > 0 {
		p.pauseUntil(chat, time.Now().Add(d))
	}
}

func (p *pacer) pauseUntil(chat int64, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if chat == 0 {
		p.paused = laterTime(p.paused, until)
		return
	}
	c := p.chat(chat)
	c.paused = laterTime(c.paused, until)
}

// reserveChat takes chat's turn for a send at now or later, after any
// pause, and returns when the send may go.
func (p *pacer) reserveChat(chat int64, now time.Time) (time.Time, paceHold) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sweep(now)
	from := laterTime(now, p.paused)
	c, ok := p.chats[chat]
	if !ok && p.perChat <= 0 {
		return from, paceHold{}
	}
	if !ok {
		c = p.chat(chat)
	}
	from = laterTime(from, c.paused)
	prev := c.full
	at := c.take(from)
	return at, paceHold{b: &c.paceBucket, prev: prev, next: c.full}
}

// reserveAll takes the overall turn for a send to chat at now or later
// and returns when it may go, with ok true. If a pause has come since the
// chat's turn was taken, it takes nothing and returns the pause's end,
// with ok false: the caller waits and asks again.
func (p *pacer) reserveAll(chat int64, now time.Time) (at time.Time, h paceHold, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	until := p.paused
	if c, found := p.chats[chat]; found {
		until = laterTime(until, c.paused)
	}
	if until.After(now) {
		return until, paceHold{}, false
	}
	prev := p.all.full
	at = p.all.take(now)
	return at, paceHold{b: &p.all, prev: prev, next: p.all.full}, true
}

// giveBack returns the token of h if none was taken after it, so that a
// send called off does not slow the next ones down.
func (p *pacer) giveBack(h paceHold) {
	if h.b == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if h.b.full.Equal(h.next) {
		h.b.full = h.prev
	}
}

// chat returns chat's state, made if need be. The caller holds p.mu.
func (p *pacer) chat(chat int64) *chatPace {
	c, ok := p.chats[chat]
	if !ok {
		c = &chatPace{paceBucket: paceBucket{every: p.perChat, burst: p.burst}}
		p.chats[chat] = c
	}
	return c
}

// sweep forgets, once every paceSweepEvery, the chats whose bucket is
// full again and whose pause is over: such a chat paces as one never
// seen, so forgetting it changes nothing but the size of the map, which
// then holds only the chats of the last minute or so. The caller holds
// p.mu.
func (p *pacer) sweep(now time.Time) {
	if now.Sub(p.swept) < paceSweepEvery {
		return
	}
	p.swept = now
	for id, c := range p.chats {
		if !c.full.After(now) && !c.paused.After(now) {
			delete(p.chats, id)
		}
	}
}

// sleepUntil waits until at, or returns ctx.Err() if ctx ends first.
func sleepUntil(ctx context.Context, at time.Time) error {
	return bot.Sleep(ctx, time.Until(at))
}

func laterTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
