package redistest

import (
	"bytes"
	"context"
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

// Party plays transcripts of several users on the in-memory channel: an
// engine driver whose user changes, plus the workers.
type Party struct {
	bottest.EngineDriver
	Desk *Desk

	merchants map[string]string
}

var _ bottest.PartyDriver = (*Party)(nil)

// NewParty returns a driver whose first user is "consumer".
func NewParty(d *Desk, langHint string) *Party {
	return &Party{
		EngineDriver: bottest.EngineDriver{Engine: d.Engine, Key: bot.Key{Channel: ChannelName, User: "consumer"}, LangHint: langHint},
		Desk:         d,
		merchants:    map[string]string{},
	}
}

// As implements bottest.PartyDriver.
func (p *Party) As(_ testing.TB, user string) { p.Key.User = user }

// Work implements bottest.PartyDriver.
func (p *Party) Work(t testing.TB) []bottest.Pushed {
	t.Helper()
	p.Desk.Drain(t)
	return p.Desk.Channel.Take()
}

// Merchant implements bottest.PartyDriver.
func (p *Party) Merchant(t testing.TB, m bot.Merchant, chats ...string) {
	t.Helper()
	keys := make([]bot.Key, len(chats))
	for i, c := range chats {
		keys[i] = bot.Key{Channel: ChannelName, User: c}
	}
	p.merchants[m.ID] = AddMerchant(t, p.Desk, m, keys...)
}

// AddMerchant registers m and links each of chats to it (a chat with an
// empty User is skipped); it returns the merchant's ID.
func AddMerchant(t testing.TB, d *Desk, m bot.Merchant, chats ...bot.Key) string {
	t.Helper()
	ctx := context.Background()
	m.ID = ""
	got, err := d.Store.AddMerchant(ctx, m)
	if err != nil {
		t.Fatalf("AddMerchant(%+v): %v", m, err)
	}
	for _, chat := range chats {
		if chat.User == "" {
			continue
		}
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
	a := ReadFile(t, p.Desk, p.Key, name, content)
	return p.Send(t, bot.Event{Kind: bot.EventFile, File: &a})
}

// ReadFile checks content as a proof and puts it in the desk's proof
// store as a file of owner's conversation.
func ReadFile(t testing.TB, d *Desk, owner bot.Key, name string, content []byte) bot.Attachment {
	t.Helper()
	a, buf, err := bot.ReadProof(bytesReader(content), name, bot.DefaultMaxProofSize)
	if err != nil {
		t.Fatalf("ReadProof(%s): %v", name, err)
	}
	ref, err := d.Proofs.Put(context.Background(), bot.ProofOwner(owner), bytesReader(buf))
	if err != nil {
		t.Fatalf("put proof: %v", err)
	}
	a.StoreRef, a.ChannelRef = ref, name
	return a
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
