// Package console is the terminal channel: a person, or a script piping
// one message per line, talks to the real flows. Choices are numbered,
// since a terminal has no buttons; typing the number picks the option.
// "/attach PATH" sends a file, as a photo or document on a messaging app.
package console

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// Channel is the channel name of terminal conversations.
const Channel = "console"

// Handler takes one event of a conversation and returns the replies.
// *bot.Engine is the Handler of a real chat.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) ([]bot.Reply, error)
}

// Chat is one terminal conversation.
type Chat struct {
	// Engine runs the flows; its locale messages also give the texts the
	// chat says itself (a refused /attach).
	Engine *bot.Engine
	// Handler, when set, takes the events instead of Engine, so that a
	// test sees exactly what the chat sends.
	Handler Handler
	// Proofs keeps the files sent with "/attach PATH". Without it the
	// line goes to the engine as any other text.
	Proofs bot.ProofStore
	// MaxProofSize is the largest file /attach takes; 0 means
	// bot.DefaultMaxProofSize.
	MaxProofSize int64
	// User names who is talking; each user is its own conversation.
	User string
	// LangHint plays the part of a channel's language hint.
	LangHint string
	// ShowIDs prefixes each reply with its message ID and each option
	// with its value, for operators writing flows and for tests.
	ShowIDs bool
	// Prompt prints "> " before reading, for people at a terminal.
	Prompt bool
	// Inbox, when set, holds replies pushed to this user from elsewhere
	// (a merchant's answer, an alert, a reminder): they are shown after
	// each reply, and as they arrive while Watch runs.
	Inbox Inbox
	// AfterSend, when set, runs after each message is handled and before
	// the inbox is read: piped chats run the workers there, so that what
	// a message causes is shown right after it, in order.
	AfterSend func(ctx context.Context)

	Out io.Writer

	mu      sync.Mutex
	session string
	seq     int
}

// Inbox holds replies pushed to terminal users; the Redis store keeps it,
// so that another process's chat sees them.
type Inbox interface {
	// PushInbox queues replies for to.
	PushInbox(ctx context.Context, to bot.Key, replies []bot.Reply) error
	// PopInbox waits up to wait for replies pushed to key; nil if none.
	PopInbox(ctx context.Context, key bot.Key, wait time.Duration) ([]bot.Reply, error)
}

// Sender returns the bot.Sender of terminal conversations: it pushes to
// the inbox a chat reads.
func Sender(in Inbox) bot.Sender {
	return bot.SenderFunc(in.PushInbox)
}

// Watch shows pushed replies as they arrive, until ctx is done.
func (c *Chat) Watch(ctx context.Context) error {
	for ctx.Err() == nil {
		replies, err := c.Inbox.PopInbox(ctx, c.Key(), time.Second)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if len(replies) > 0 {
			c.mu.Lock()
			c.print(replies)
			if c.Prompt {
				fmt.Fprint(c.Out, "> ")
			}
			c.mu.Unlock()
		}
	}
	return nil
}

// ShowInbox prints what was pushed to the user so far.
func (c *Chat) ShowInbox(ctx context.Context) error {
	if c.Inbox == nil {
		return nil
	}
	for {
		replies, err := c.Inbox.PopInbox(ctx, c.Key(), 0)
		if err != nil || len(replies) == 0 {
			return err
		}
		c.Print(replies)
	}
}

// Key returns the conversation key of the chat's user.
func (c *Chat) Key() bot.Key { return bot.Key{Channel: Channel, User: c.User} }

// Run reads one message per line from in until it ends or ctx is done.
// Lines of any length are read whole; the engine answers an over-long
// one with a clear message.
func (c *Chat) Run(ctx context.Context, in io.Reader) error {
	// What was pushed while the user was away comes first.
	if err := c.ShowInbox(ctx); err != nil {
		return err
	}
	r := bufio.NewReader(in)
	for {
		if c.Prompt {
			fmt.Fprint(c.Out, "> ")
		}
		line, err := r.ReadString('\n')
		if line != "" || err == nil {
			if _, herr := c.Send(ctx, strings.TrimRight(line, "\r\n")); herr != nil {
				return herr
			}
			if c.AfterSend != nil {
				c.AfterSend(ctx)
			}
			if herr := c.ShowInbox(ctx); herr != nil {
				return herr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read input: %w", err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// Send hands one typed line to the engine and prints the replies. A line
// "/attach PATH" sends the file at PATH instead, as a channel sends a
// photo or document (see Attach).
func (c *Chat) Send(ctx context.Context, line string) ([]bot.Reply, error) {
	if path, ok := attachCommand(line); ok && c.Proofs != nil {
		return c.Attach(ctx, path)
	}
	return c.Deliver(ctx, bot.Event{Kind: bot.EventText, Text: line})
}

// Deliver hands any event of this conversation to the engine and prints
// the replies. An event without a delivery ID gets a fresh one.
func (c *Chat) Deliver(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
	ev.Key = c.Key()
	ev.LangHint = c.LangHint
	if ev.DeliveryID == "" {
		ev.DeliveryID = c.nextDeliveryID()
	}
	var h Handler = c.Engine
	if c.Handler != nil {
		h = c.Handler
	}
	replies, err := h.Handle(ctx, ev)
	if err != nil {
		return nil, err
	}
	c.Print(replies)
	return replies, nil
}

// Print renders replies: text, then options numbered from 1.
func (c *Chat) Print(replies []bot.Reply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.print(replies)
}

func (c *Chat) print(replies []bot.Reply) {
	for _, r := range replies {
		fmt.Fprint(c.Out, Render(r, c.ShowIDs))
	}
}

// Render returns how the terminal shows one reply.
func Render(r bot.Reply, showIDs bool) string {
	var b strings.Builder
	text := r.Text
	if showIDs {
		text = "[" + r.MsgID + "] " + text
	}
	for i, line := range strings.Split(text, "\n") {
		if i == 0 {
			b.WriteString("bot: ")
		} else {
			b.WriteString("     ")
		}
		b.WriteString(line + "\n")
	}
	if f := r.File; f != nil {
		// A terminal shows no pictures: it names the file that came.
		fmt.Fprintf(&b, "     [file %s, %s, %s]\n", f.Name, f.Mime, bot.FormatSize(f.Size))
	}
	for i, o := range r.Options {
		fmt.Fprintf(&b, "     %d) %s", i+1, o.Label)
		if showIDs {
			b.WriteString(" [" + o.Value + "]")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// nextDeliveryID numbers this session's messages; the random session part
// keeps two runs against one Redis from looking like redeliveries.
func (c *Chat) nextDeliveryID() string {
	if c.session == "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		c.session = hex.EncodeToString(b[:])
	}
	c.seq++
	return fmt.Sprintf("%s-%d", c.session, c.seq)
}
