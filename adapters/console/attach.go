package console

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/slipdesk/slipdesk/bot"
)

// attachCommand reports whether line is "/attach PATH" and returns PATH:
// the rest of the line, without the quotes around it if it has them, so
// that both /attach my photo.png and /attach "my photo.png" work.
func attachCommand(line string) (string, bool) {
	word, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	if !strings.EqualFold(word, "/attach") {
		return "", false
	}
	path := strings.TrimSpace(rest)
	if len(path) >= 2 && (path[0] == '"' || path[0] == '\'') && path[len(path)-1] == path[0] {
		path = path[1 : len(path)-1]
	}
	return path, true
}

// Attach sends the file at path as a channel sends a photo or document:
// it reads and checks the file, puts its bytes into the proof store and
// hands the engine an EventFile. A file that cannot be taken (missing,
// unreadable, too large, not a photo or PDF) is answered here, in the
// chat's language, and the engine hears nothing of it. Only a failing
// proof store or engine is an error.
func (c *Chat) Attach(ctx context.Context, path string) ([]bot.Reply, error) {
	if c.Proofs == nil {
		return nil, bot.Errorf(bot.EINVALID, "no proof store: /attach is off")
	}
	limit := c.MaxProofSize
	if limit <= 0 {
		limit = bot.DefaultMaxProofSize
	}
	a, buf, err := readProofFile(path, limit)
	if id := bot.ProofMessage(err); id != "" {
		return c.say(id, map[string]any{"Max": bot.FormatSize(limit)}), nil
	}
	if err != nil {
		return c.say(bot.MsgProofMissingFile, map[string]any{"Name": path}), nil
	}
	ref, err := c.Proofs.Put(ctx, bot.ProofOwner(c.Key()), bytes.NewReader(buf))
	if err != nil {
		return nil, fmt.Errorf("store proof: %w", err)
	}
	// The chat keeps the file's name, not its path: the path tells where
	// the operator's files are, which is nobody else's business.
	a.ChannelRef = a.Name
	a.StoreRef = ref
	return c.Deliver(ctx, bot.Event{Kind: bot.EventFile, File: &a})
}

// readProofFile reads the regular file at path through bot.ReadProof, with
// ~ standing for the home directory as in a shell.
func readProofFile(path string, limit int64) (bot.Attachment, []byte, error) {
	if path == "" {
		return bot.Attachment{}, nil, os.ErrNotExist
	}
	if rest, ok := strings.CutPrefix(path, "~"); ok && (rest == "" || os.IsPathSeparator(rest[0])) {
		home, err := os.UserHomeDir()
		if err != nil {
			return bot.Attachment{}, nil, err
		}
		path = filepath.Join(home, rest)
	}
	f, err := os.Open(path)
	if err != nil {
		return bot.Attachment{}, nil, err
	}
	defer f.Close()
	// A directory or a device such as /dev/zero is no proof; the size
	// limit alone would stop the latter, but "missing" is the truer answer.
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return bot.Attachment{}, nil, errors.Join(err, errors.New(path+" is not a regular file"))
	}
	return bot.ReadProof(f, path, limit)
}

// say prints a message the chat says itself, in the chat's language, as
// a reply of the bot. The texts come from the engine's locale files.
func (c *Chat) say(id string, data map[string]any) []bot.Reply {
	r := bot.Reply{MsgID: id, Text: id}
	if c.Engine != nil {
		r = c.Engine.Content().Catalog.ChannelReply(c.LangHint, id, data)
	}
	replies := []bot.Reply{r}
	c.Print(replies)
	return replies
}
