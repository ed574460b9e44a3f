package console_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// partyDriver plays a case transcript in several terminal chats sharing
// one desk: the consumer's and the merchant's, as two people at two
// terminals on one Redis would.
type partyDriver struct {
	desk     *redistest.Desk
	langHint string
	dir      string
	users    map[string]*consoleDriver
	user     string
}

var _ bottest.PartyDriver = (*partyDriver)(nil)

func newPartyDriver(t *testing.T, d *redistest.Desk, langHint string) *partyDriver {
	d.Workers.Senders[console.Channel] = console.Sender(d.Store)
	return &partyDriver{desk: d, langHint: langHint, dir: t.TempDir(), users: map[string]*consoleDriver{}, user: "consumer"}
}

func (p *partyDriver) chat(user string) *consoleDriver {
	if d, ok := p.users[user]; ok {
		return d
	}
	out := &bytes.Buffer{}
	d := &consoleDriver{out: out, chat: &console.Chat{
		Engine: p.desk.Engine, Proofs: p.desk.Proofs, Inbox: p.desk.Store,
		User: user, LangHint: p.langHint, ShowIDs: true, Out: out,
	}}
	p.users[user] = d
	return d
}

func (p *partyDriver) cur() *consoleDriver { return p.chat(p.user) }

func (p *partyDriver) Text(t testing.TB, text string) []bot.Reply { return p.cur().Text(t, text) }
func (p *partyDriver) Button(t testing.TB, last []bot.Reply, v string) []bot.Reply {
	return p.cur().Button(t, last, v)
}
func (p *partyDriver) Redeliver(t testing.TB) []bot.Reply { return p.cur().Redeliver(t) }
func (p *partyDriver) Signal(t testing.TB, name, value string) []bot.Reply {
	return p.cur().Signal(t, name, value)
}
func (p *partyDriver) Tick(t testing.TB) []bot.Reply { return p.cur().Tick(t) }

func (p *partyDriver) As(_ testing.TB, user string) { p.user = user }

// Work runs the workers, then lets every chat show its inbox, as the
// terminals of the people involved would.
func (p *partyDriver) Work(t testing.TB) []bottest.Pushed {
	t.Helper()
	p.desk.Drain(t)
	var pushed []bottest.Pushed
	users := make([]string, 0, len(p.users))
	for u := range p.users {
		users = append(users, u)
	}
	slices.Sort(users)
	for _, u := range users {
		d := p.users[u]
		d.out.Reset()
		if err := d.chat.ShowInbox(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, r := range parseRendered(t, d.out.String()) {
			pushed = append(pushed, bottest.Pushed{To: u, Reply: r})
		}
	}
	return pushed
}

func (p *partyDriver) Merchant(t testing.TB, m bot.Merchant, chats ...string) {
	t.Helper()
	keys := make([]bot.Key, len(chats))
	for i, chat := range chats {
		p.chat(chat)
		keys[i] = bot.Key{Channel: console.Channel, User: chat}
	}
	redistest.AddMerchant(t, p.desk, m, keys...)
}

// File writes the file and sends it with /attach, as a person would.
func (p *partyDriver) File(t testing.TB, name string, content []byte) []bot.Reply {
	t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	d := p.cur()
	d.out.Reset()
	if _, err := d.chat.Send(context.Background(), "/attach "+path); err != nil {
		t.Fatal(err)
	}
	return parseRendered(t, d.out.String())
}
