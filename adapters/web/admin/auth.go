package admin

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/bot"
)

// sessionCookie names the console's session cookie.
const sessionCookie = "slipdesk_admin"

// operatorKey is where requireSession leaves the session.
const operatorKey = "admin.session"

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (c *Console) loginPage(ec echo.Context) error {
	return c.render(ec, http.StatusOK, "login.html", map[string]any{})
}

// login checks a name and password. Unknown names are compared against
// a dummy hash, so that they take as long as wrong passwords; tries are
// throttled per name and per address in Redis, on every replica.
func (c *Console) login(ec echo.Context) error {
	ctx := ec.Request().Context()
	name := strings.TrimSpace(ec.FormValue("name"))
	password := ec.FormValue("password")
	if len(name) > 64 || len(password) > 256 {
		return c.render(ec, http.StatusBadRequest, "login.html", map[string]any{"Error": MsgLoginFailed})
	}
	// Per name, so that one account cannot be guessed at from many
	// addresses, and per address.
	for _, l := range []struct {
		key   string
		limit Limit
	}{{"admin-login:name:" + name, c.opts.LoginsPerName}, {"admin-login:ip:" + c.opts.ClientIP(ec.Request()), c.opts.LoginsPerIP}} {
		ok, wait, err := c.opts.Limiter.Allow(ctx, l.key, l.limit.N, l.limit.Period)
		if err != nil {
			return err
		}
		if !ok {
			secs := max(int(math.Ceil(wait.Seconds())), 1)
			ec.Response().Header().Set("Retry-After", strconv.Itoa(secs))
			return c.render(ec, http.StatusTooManyRequests, "login.html", map[string]any{"Error": MsgThrottled, "Seconds": secs})
		}
	}
	hash, err := c.opts.Store.OperatorHash(ctx, name)
	known := err == nil
	if err != nil && bot.ErrorCode(err) != bot.ENOTFOUND {
		return err
	}
	if !known {
		hash = c.dummy
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || !known {
		c.log.Info("console sign-in refused")
		return c.render(ec, http.StatusUnauthorized, "login.html", map[string]any{"Error": MsgLoginFailed})
	}
	id := randomToken()
	if err := c.opts.Store.PutSession(ctx, id, redisstore.Session{Operator: name, CSRF: randomToken()}, c.opts.SessionTTL); err != nil {
		return err
	}
	ec.SetCookie(&http.Cookie{Name: sessionCookie, Value: id, Path: "/admin", HttpOnly: true, Secure: c.opts.SecureCookie, SameSite: http.SameSiteStrictMode, MaxAge: int(c.opts.SessionTTL.Seconds())})
	c.record(ec, name, "sign_in", "", "")
	return ec.Redirect(http.StatusSeeOther, "/admin/")
}

// requireSession lets through requests with a live session, and POSTs
// only with the session's CSRF token; others go to the sign-in page.
func (c *Console) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(ec echo.Context) error {
		cookie, err := ec.Cookie(sessionCookie)
		if err != nil || cookie.Value == "" {
			return c.toLogin(ec)
		}
		sess, err := c.opts.Store.SessionOf(ec.Request().Context(), cookie.Value)
		if bot.ErrorCode(err) == bot.ENOTFOUND {
			return c.toLogin(ec)
		}
		if err != nil {
			return err
		}
		if ec.Request().Method == http.MethodPost {
			got := ec.FormValue("csrf")
			if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
				return c.render(ec, http.StatusForbidden, "error.html", map[string]any{"Error": MsgBadForm})
			}
		}
		ec.Set(operatorKey, sess)
		return next(ec)
	}
}

// toLogin answers a request without a session: a page goes to sign-in,
// anything else is refused.
func (c *Console) toLogin(ec echo.Context) error {
	if ec.Request().Method == http.MethodGet {
		return ec.Redirect(http.StatusSeeOther, "/admin/login")
	}
	return c.render(ec, http.StatusUnauthorized, "login.html", map[string]any{"Error": MsgBadForm})
}

func session(ec echo.Context) redisstore.Session {
	s, _ := ec.Get(operatorKey).(redisstore.Session)
	return s
}

func (c *Console) logout(ec echo.Context) error {
	if cookie, err := ec.Cookie(sessionCookie); err == nil {
		if err := c.opts.Store.DeleteSession(ec.Request().Context(), cookie.Value); err != nil {
			return err
		}
	}
	c.record(ec, session(ec).Operator, "sign_out", "", "")
	ec.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/admin", MaxAge: -1, HttpOnly: true, Secure: c.opts.SecureCookie, SameSite: http.SameSiteStrictMode})
	return ec.Redirect(http.StatusSeeOther, "/admin/login")
}

// record adds an operator's action to the audit log; a failure to
// record is logged, as the action itself is done.
func (c *Console) record(ec echo.Context, operator, action, target, detail string) {
	err := c.opts.Store.Audit(ec.Request().Context(), redisstore.AuditEntry{At: time.Now().Unix(), Operator: operator, Action: action, Target: target, Detail: detail})
	if err != nil {
		c.log.Error("audit log not written", "action", action, "err", err)
	}
}
