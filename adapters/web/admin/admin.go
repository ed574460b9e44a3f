// Package admin is the operators' console under /admin: sign-in with
// accounts made by "slipdesk operators add" (bcrypt, compared in
// constant time, throttled in Redis), sessions in Redis, a CSRF token in
// every form, the queue of conversations and cases that need a person,
// taking a conversation over on any channel, replying as a person and
// handing it back to the bot, and an audit log of every action.
//
// The pages are rendered on the server from embedded templates, with no
// script: they work in any browser and refresh themselves.
package admin

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/web"
	"github.com/slipdesk/slipdesk/bot"
)

// Store is what the console reads and writes; *redisstore.Store is the
// Store of a real console.
type Store interface {
	OperatorHash(ctx context.Context, name string) ([]byte, error)
	PutSession(ctx context.Context, id string, s redisstore.Session, ttl time.Duration) error
	SessionOf(ctx context.Context, id string) (redisstore.Session, error)
	DeleteSession(ctx context.Context, id string) error
	Audit(ctx context.Context, e redisstore.AuditEntry) error
	AuditLog(ctx context.Context, n int64) ([]redisstore.AuditEntry, error)
	OpsEvents(ctx context.Context, limit int64) ([]redisstore.OpsEvent, error)
	CasesNeedingPerson(ctx context.Context, limit int) ([]bot.Case, error)
	CasesByStatus(ctx context.Context, status bot.CaseStatus, limit int) ([]bot.Case, error)
	Transcript(ctx context.Context, key bot.Key) ([]bot.LogLine, error)
	Load(ctx context.Context, key bot.Key, deliveryID string) (bot.Snapshot, error)
	Case(ctx context.Context, no string) (bot.Case, error)
	FlowUse(ctx context.Context, now time.Time) ([]bot.FlowVersionUse, error)
	PublishedContent(ctx context.Context) (redisstore.PublishedContent, error)
}

// Content is what the flows page does with the operators' files; the
// service's content watcher is the Content of a real console.
type Content interface {
	// Check loads the flow and locale files the service reads, with the
	// checks of "slipdesk flows lint", and returns their problems and the
	// digest they would run under.
	Check() ([]bot.Problem, string)
	// Publish loads them and, unless they have errors, makes them the
	// content of this replica and every other; by is the operator.
	Publish(ctx context.Context, by string) ([]bot.Problem, error)
	// Running returns the digest of the content this replica runs.
	Running() string
}

// Limiter throttles sign-in attempts across replicas;
// *redisstore.RateLimiter is the Limiter of a real console.
type Limiter = web.Limiter

// Limit is N tries per Period.
type Limit = web.Limit

// Options configure a Console.
type Options struct {
	Engine *bot.Engine
	Store  Store
	// Senders deliver what an operator's turn says, by channel: the
	// workers' senders, and the terminal chat's inbox.
	Senders map[string]bot.Sender
	// Merchants is the shop registry the shops page lists and adds to;
	// nil leaves the page out.
	Merchants bot.MerchantDirectory
	// Posters draws shops' QR posters; nil leaves them out.
	Posters Posters
	// Proofs holds the proof files the case view shows.
	Proofs bot.ProofStore
	// Content checks and publishes the operators' files from the flows
	// page; nil leaves the check and the reload out.
	Content Content
	// Now is the time the counts of conversations are taken at;
	// time.Now when nil.
	Now func() time.Time
	// Limiter throttles sign-in. Required.
	Limiter Limiter
	// LoginsPerName and LoginsPerIP bound sign-in tries: 5 and 20 a
	// minute when zero.
	LoginsPerName, LoginsPerIP Limit
	// SecureCookie marks the session cookie Secure, for consoles served
	// over HTTPS.
	SecureCookie bool
	// PasswordCost is the bcrypt cost of the hash unknown names are
	// compared against, which should be that of the stored hashes;
	// PasswordCost (the constant) when 0.
	PasswordCost int
	// SessionTTL is how long a session lasts; 12 hours when 0.
	SessionTTL time.Duration
	// ClientIP tells the client's address; the connection's when nil.
	ClientIP    func(*http.Request) string
	DefaultLang string
	Logger      *slog.Logger
}

// Console serves /admin.
type Console struct {
	opts  Options
	pages *template.Template
	// dummy is compared against when the name is unknown, so that an
	// unknown name takes as long to refuse as a wrong password.
	dummy []byte
	log   *slog.Logger
}

//go:embed templates/*.html
var templates embed.FS

// New returns the console; it refuses to start without its texts in
// every language.
func New(opts Options) (*Console, error) {
	if opts.Engine == nil || opts.Store == nil || opts.Limiter == nil {
		return nil, bot.Errorf(bot.EINVALID, "admin: engine, store and limiter are required")
	}
	cat := opts.Engine.Content().Catalog
	for _, lang := range bot.Languages {
		for _, id := range slices.Concat(Messages, bot.OperatorMessages) {
			if !cat.Has(lang, id) {
				return nil, bot.Errorf(bot.EINVALID, "admin: message %q is missing in %s", id, lang)
			}
		}
	}
	if opts.LoginsPerName.N <= 0 {
		opts.LoginsPerName = Limit{N: 5, Period: time.Minute}
	}
	if opts.LoginsPerIP.N <= 0 {
		opts.LoginsPerIP = Limit{N: 20, Period: time.Minute}
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.ClientIP == nil {
		opts.ClientIP = echo.ExtractIPDirect()
	}
	if bot.NormalizeLang(opts.DefaultLang) == "" {
		opts.DefaultLang = bot.Languages[0]
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &Console{opts: opts, log: opts.Logger}
	if opts.PasswordCost <= 0 {
		opts.PasswordCost = PasswordCost
	}
	dummy, err := bcrypt.GenerateFromPassword([]byte("no operator has this password"), opts.PasswordCost)
	if err != nil {
		return nil, err
	}
	c.dummy = dummy
	c.pages = template.Must(template.New("").Funcs(template.FuncMap{
		"t":     func(lang, id string) string { return cat.ChannelReply(lang, id, nil).Text },
		"time":  func(unix int64) string { return time.Unix(unix, 0).Format("2006-01-02 15:04:05") },
		"nonce": randomToken,
		"tn": func(lang, id string, n int) string {
			return cat.ChannelReply(lang, id, map[string]any{"Seconds": n}).Text
		},
	}).ParseFS(templates, "templates/*.html"))
	return c, nil
}

// PasswordCost is the bcrypt cost of operators' passwords.
const PasswordCost = 12

// HashPassword returns the hash "slipdesk operators add" stores.
func HashPassword(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(password), PasswordCost)
}

// Register adds the console's routes to e.
func (c *Console) Register(e *echo.Echo) {
	g := e.Group("/admin", func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(ec echo.Context) error {
			h := ec.Response().Header()
			h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("Cache-Control", "no-store")
			return next(ec)
		}
	})
	g.GET("/login", c.loginPage)
	g.POST("/login", c.login)
	a := g.Group("", c.requireSession)
	a.GET("", c.queue)
	a.GET("/", c.queue)
	a.POST("/logout", c.logout)
	a.GET("/conversation", c.conversation)
	a.POST("/conversation/take-over", c.takeOver)
	a.POST("/conversation/reply", c.reply)
	a.POST("/conversation/hand-back", c.handBack)
	a.GET("/audit", c.audit)
	a.GET("/case", c.caseView)
	a.POST("/case/close", c.closeCase)
	a.GET("/flows", c.flows)
	a.POST("/flows/reload", c.reloadFlows)
	a.GET("/shops", c.shops)
	a.POST("/shops", c.addShop)
	a.POST("/shops/link-code", c.linkCode)
	a.GET("/shops/poster", c.poster)
	a.GET("/proof", c.proof)
}

// lang is the console's language for a request.
func (c *Console) lang(r *http.Request) string {
	if l := bot.NormalizeLang(r.URL.Query().Get("lang")); l != "" {
		return l
	}
	if cookie, err := r.Cookie("slipdesk_admin_lang"); err == nil {
		if l := bot.NormalizeLang(cookie.Value); l != "" {
			return l
		}
	}
	for _, part := range splitAccept(r.Header.Get("Accept-Language")) {
		if l := bot.NormalizeLang(part); l != "" {
			return l
		}
	}
	return c.opts.DefaultLang
}

// render writes page with data, in the request's language.
func (c *Console) render(ec echo.Context, status int, page string, data map[string]any) error {
	data["Lang"] = c.lang(ec.Request())
	ec.Response().Header().Set("Content-Type", "text/html; charset=utf-8")
	ec.Response().WriteHeader(status)
	return c.pages.ExecuteTemplate(ec.Response(), page, data)
}
