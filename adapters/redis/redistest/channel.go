package redistest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// ChannelName is the in-memory test channel's name in conversation keys.
const ChannelName = "test"

// Channel is an in-memory channel: it records the replies the workers
// push, and can be made to fail.
type Channel struct {
	mu     sync.Mutex
	pushed []bottest.Pushed
	// Fail, when set, makes Send fail with its error.
	Fail error
	// Sends counts calls of Send, failed ones included.
	Sends int
}

// Send implements bot.Sender.
func (c *Channel) Send(_ context.Context, to bot.Key, replies []bot.Reply) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Sends++
	if c.Fail != nil {
		return c.Fail
	}
	for _, r := range replies {
		c.pushed = append(c.pushed, bottest.Pushed{To: to.User, Reply: r})
	}
	return nil
}

// Take returns what was pushed since the last Take.
func (c *Channel) Take() []bottest.Pushed {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.pushed
	c.pushed = nil
	return p
}

// Party plays transcripts of several users on the in-memory channel.
type Party struct {
	Desk     *Desk
	LangHint string

	user      string
	n         int
	last      bot.Event
	merchants map[string]string
}

var _ bottest.PartyDriver = (*Party)(nil)

// NewParty returns a driver whose first user is "consumer".
func NewParty(d *Desk, langHint string) *Party {
	return &Party{Desk: d, LangHint: langHint, user: "consumer", merchants: map[string]string{}}
}

func (p *Party) key() bot.Key { return bot.Key{Channel: ChannelName, User: p.user} }

func (p *Party) send(t testing.TB, ev bot.Event) []bot.Reply {
	t.Helper()
	p.n++
	ev.Key = p.key()
	ev.LangHint = p.LangHint
	ev.DeliveryID = fmt.Sprintf("d%d", p.n)
	p.last = ev
	replies, err := p.Desk.Engine.Handle(context.Background(), ev)
	if err != nil {
		t.Fatalf("handle %+v: %v", ev, err)
	}
	return replies
}

// Text implements bottest.Driver.
func (p *Party) Text(t testing.TB, text string) []bot.Reply {
	return p.send(t, bot.Event{Kind: bot.EventText, Text: text})
}

// Button implements bottest.Driver.
func (p *Party) Button(t testing.TB, last []bot.Reply, value string) []bot.Reply {
	return p.send(t, bot.Event{Kind: bot.EventButton, Data: bottest.ButtonData(t, last, value)})
}

// Redeliver implements bottest.Driver.
func (p *Party) Redeliver(t testing.TB) []bot.Reply {
	replies, err := p.Desk.Engine.Handle(context.Background(), p.last)
	if err != nil {
		t.Fatalf("redeliver: %v", err)
	}
	return replies
}

// Signal implements bottest.Driver.
func (p *Party) Signal(t testing.TB, name, value string) []bot.Reply {
	return p.send(t, bot.Event{Kind: bot.EventSignal, Name: name, Data: value})
}

// Tick implements bottest.Driver.
func (p *Party) Tick(t testing.TB) []bot.Reply {
	return p.send(t, bot.Event{Kind: bot.EventTick})
}

// As implements bottest.PartyDriver.
func (p *Party) As(_ testing.TB, user string) { p.user = user }

// Work implements bottest.PartyDriver.
func (p *Party) Work(t testing.TB) []bottest.Pushed {
	t.Helper()
	p.Desk.Drain(t)
	return p.Desk.Channel.Take()
}

// Merchant implements bottest.PartyDriver.
func (p *Party) Merchant(t testing.TB, m bot.Merchant, chat string) {
	t.Helper()
	p.merchants[m.ID] = AddMerchant(t, p.Desk, m, bot.Key{Channel: ChannelName, User: chat})
}

// AddMerchant registers m and links chat to it, unless chat.User is
// empty; it returns the merchant's ID.
func AddMerchant(t testing.TB, d *Desk, m bot.Merchant, chat bot.Key) string {
	t.Helper()
	ctx := context.Background()
	m.ID = ""
	got, err := d.Store.AddMerchant(ctx, m)
	if err != nil {
		t.Fatalf("AddMerchant(%+v): %v", m, err)
	}
	if chat.User != "" {
		code, err := d.Store.NewLinkCode(ctx, got.ID, time.Hour)
		if err != nil {
			t.Fatalf("NewLinkCode: %v", err)
		}
		if _, err := d.Store.Link(ctx, code, chat); err != nil {
			t.Fatalf("Link: %v", err)
		}
	}
	return got.ID
}

// File implements bottest.PartyDriver: it reads the file as a channel
// would, keeps its bytes in the proof store and sends the event.
func (p *Party) File(t testing.TB, name string, content []byte) []bot.Reply {
	t.Helper()
	a := ReadFile(t, p.Desk, name, content)
	return p.send(t, bot.Event{Kind: bot.EventFile, File: &a})
}

// ReadFile checks content as a proof and puts it in the desk's proof
// store.
func ReadFile(t testing.TB, d *Desk, name string, content []byte) bot.Attachment {
	t.Helper()
	a, buf, err := bot.ReadProof(bytesReader(content), name, bot.DefaultMaxProofSize)
	if err != nil {
		t.Fatalf("ReadProof(%s): %v", name, err)
	}
	ref, err := d.Proofs.Put(context.Background(), bytesReader(buf))
	if err != nil {
		t.Fatalf("put proof: %v", err)
	}
	a.StoreRef, a.ChannelRef = ref, name
	return a
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
