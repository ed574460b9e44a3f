package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	tgbot "github.com/go-telegram/bot"

	"github.com/slipdesk/slipdesk/bot"
)

// errAPIUnavailable marks a Bot API failure a later try may cure: no
// connection, a 5xx, a timeout.
var errAPIUnavailable = bot.Errorf(bot.EUNAVAIL, "telegram API unavailable")

// fetch turns an announced file into an attachment: with a proof store,
// the bytes are fetched with getFile, checked and stored; without one,
// only Telegram's references are kept. A file the bot does not take
// gives the message ID of the refusal instead; an error is a failure to
// try again.
func (c *Bot) fetch(ctx context.Context, key bot.Key, f *fileRef) (*bot.Attachment, string, error) {
	if f.size > c.maxSz {
		return nil, bot.MsgProofTooLarge, nil
	}
	if c.opts.Proofs == nil {
		a := &bot.Attachment{Name: f.name, Size: f.size, ChannelRef: f.id, ChannelUniqueRef: f.unique}
		return a, "", nil
	}
	info, err := c.api.GetFile(ctx, &tgbot.GetFileParams{FileID: f.id})
	if err != nil {
		if errors.Is(err, tgbot.ErrorBadRequest) {
			// Files over the Bot API's own limit (20 MB) cannot be
			// fetched: for the user, that is a file too large. Any
			// other refusal is not about the size: send it again.
			if strings.Contains(strings.ToLower(err.Error()), "too big") {
				return nil, bot.MsgProofTooLarge, nil
			}
			c.log.Warn("telegram refused to hand over a file", "err", redact(err, c.opts.Token))
			return nil, bot.MsgProofFetchFailed, nil
		}
		return nil, "", apiError("getFile", err, c.opts.Token)
	}
	if info.FileSize > c.maxSz {
		return nil, bot.MsgProofTooLarge, nil
	}
	body, err := c.download(ctx, c.api.FileDownloadLink(info))
	if err != nil {
		return nil, "", err
	}
	defer body.Close()
	a, buf, err := bot.ReadProof(body, f.name, c.maxSz)
	if id := bot.ProofMessage(err); id != "" {
		return nil, id, nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("telegram download: %w: %w", errAPIUnavailable, redact(err, c.opts.Token))
	}
	ref, err := c.opts.Proofs.Put(ctx, bot.ProofOwner(key), bytes.NewReader(buf))
	if err != nil {
		return nil, "", fmt.Errorf("store proof: %w", err)
	}
	a.ChannelRef, a.ChannelUniqueRef, a.StoreRef = f.id, f.unique, ref
	return &a, "", nil
}

// download opens a file's bytes on the API's file route.
func (c *Bot) download(ctx context.Context, url string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, redact(err, c.opts.Token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram download: %w: %w", errAPIUnavailable, redact(err, c.opts.Token))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("telegram download: %w: status %d", errAPIUnavailable, resp.StatusCode)
	}
	return resp.Body, nil
}
