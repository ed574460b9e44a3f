package webchat

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/bot"
)

// formOverhead is what a multipart form may add to the file it carries:
// boundaries, headers and the message ID.
const formOverhead = 64 << 10

// upload takes a photo or PDF as proof: a multipart form with the
// client's message ID ("id") first and the file ("file") after it. The
// bytes are checked by the engine's proof intake (type sniffed from the
// content, never the name; size limited while reading) and stored; a file
// refused on the way still reaches the engine, which tells the user why
// in the conversation's language.
func (c *Chat) upload(ec echo.Context) error {
	key, ok := c.conversation(ec.Request())
	if !ok {
		return c.refuse(ec, http.StatusUnauthorized, "session", MsgSession, nil)
	}
	if c.opts.Proofs == nil {
		return c.refuse(ec, http.StatusNotFound, "no_uploads", MsgBadRequest, nil)
	}
	if ok, wait := c.allow(ec, key.User); !ok {
		return c.refuseLimited(ec, wait)
	}
	r := ec.Request()
	r.Body = http.MaxBytesReader(ec.Response(), r.Body, c.opts.MaxProofSize+formOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		return c.refuse(ec, http.StatusBadRequest, "bad_request", MsgBadRequest, nil)
	}
	id, err := formValue(mr, "id")
	if err != nil || !clientIDPattern.MatchString(id) {
		return c.refuse(ec, http.StatusBadRequest, "bad_request", MsgBadRequest, nil)
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "file" {
		return c.refuse(ec, http.StatusBadRequest, "bad_request", MsgBadRequest, nil)
	}
	name := part.FileName()
	ev := bot.Event{Key: key, Kind: bot.EventFile, DeliveryID: "web:" + id, LangHint: langHint(r)}
	a, buf, err := bot.ReadProof(part, name, c.opts.MaxProofSize)
	var tooLarge *http.MaxBytesError
	switch refusal := bot.ProofMessage(err); {
	case refusal != "":
		ev.Data = refusal
	case errors.As(err, &tooLarge):
		ev.Data = bot.MsgProofTooLarge
	case err != nil:
		return c.refuse(ec, http.StatusBadRequest, "bad_request", MsgBadRequest, nil)
	default:
		ref, err := c.opts.Proofs.Put(r.Context(), bot.ProofOwner(key), bytes.NewReader(buf))
		if err != nil {
			return c.refuseFailure(ec, "store proof", err)
		}
		a.ChannelRef, a.StoreRef = a.Name, ref
		ev.File = &a
	}
	return c.run(ec, ev, Entry{From: fromMe, File: shown(bot.CleanProofName(name))}, c.proc.Process)
}

// formValue reads the next part of a form, which must be the field name,
// as a short string.
func formValue(mr *multipart.Reader, name string) (string, error) {
	p, err := mr.NextPart()
	if err != nil {
		return "", err
	}
	defer p.Close()
	if p.FormName() != name || p.FileName() != "" {
		return "", errors.New("unexpected form part " + p.FormName())
	}
	b, err := io.ReadAll(io.LimitReader(p, 65))
	if err != nil {
		return "", err
	}
	return string(b), nil
}
