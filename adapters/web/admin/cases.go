package admin

import (
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/bot"
)

// caseView shows a case: its fields (the consumer's answers, masked when
// they were typed), status and history, the shop's answer, its proof
// files and a link to the consumer's conversation.
func (c *Console) caseView(ec echo.Context) error {
	no := ec.QueryParam("no")
	if len(no) > 32 {
		return echo.ErrNotFound
	}
	cs, err := c.opts.Store.Case(ec.Request().Context(), no)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.record(ec, session(ec).Operator, "view_case", cs.No, "")
	return c.renderCase(ec, http.StatusOK, cs, "")
}

func (c *Console) renderCase(ec echo.Context, status int, cs bot.Case, problem string) error {
	return c.render(ec, status, "case.html", map[string]any{"Case": cs, "Session": session(ec), "Problem": problem})
}

// closeCase closes a case for the operator, through the same turn of the
// consumer's conversation any change of a case is (see
// bot.Engine.CloseCase), and tells the consumer through their channel. A
// case closed or resolved already is said on the page and changes
// nothing.
func (c *Console) closeCase(ec echo.Context) error {
	no := ec.FormValue("no")
	if bot.NormalizeCaseNo(no) != no {
		return echo.ErrNotFound
	}
	nonce := ec.FormValue("nonce")
	if !nonceOK(nonce) {
		return c.render(ec, http.StatusBadRequest, "error.html", map[string]any{"Error": MsgBadForm})
	}
	ctx := ec.Request().Context()
	sess := session(ec)
	done, err := c.opts.Engine.CloseCase(ctx, no, sess.Operator, "admin:"+nonce)
	switch bot.ErrorCode(err) {
	case "":
	case bot.ENOTFOUND:
		return echo.ErrNotFound
	case bot.EINVALID:
		return c.renderCase(ec, http.StatusConflict, done.Case, MsgCaseDone)
	default:
		return err
	}
	if done.Consumer != nil {
		if err := c.deliver(ctx, *done.Consumer, done.Result); err != nil {
			return err
		}
	}
	c.record(ec, sess.Operator, "close_case", no, "")
	return ec.Redirect(http.StatusSeeOther, "/admin/case?no="+url.QueryEscape(no))
}

// proof serves a case's proof file for the case view: the type sniffed
// when it was taken, never guessed again, and never run as a page.
func (c *Console) proof(ec echo.Context) error {
	ctx := ec.Request().Context()
	cs, err := c.opts.Store.Case(ctx, ec.QueryParam("no"))
	if err != nil {
		return echo.ErrNotFound
	}
	i, err := strconv.Atoi(ec.QueryParam("i"))
	if err != nil || i < 0 || i >= len(cs.Proofs) || cs.Proofs[i].StoreRef == "" || c.opts.Proofs == nil {
		return echo.ErrNotFound
	}
	p := cs.Proofs[i]
	r, err := c.opts.Proofs.Open(ctx, p.StoreRef)
	if err != nil {
		return echo.ErrNotFound
	}
	defer r.Close()
	c.record(ec, session(ec).Operator, "view_proof", cs.No, strconv.Itoa(i))
	h := ec.Response().Header()
	h.Set("Content-Type", p.Mime)
	h.Set("Content-Disposition", "inline")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	ec.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(ec.Response(), r)
	return err
}
