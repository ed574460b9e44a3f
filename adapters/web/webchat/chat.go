package webchat

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/web"
	"github.com/slipdesk/slipdesk/bot"
)

// Channel is the channel name of web conversations: their keys are
// web:<conversation ID>.
const Channel = "web"

// Processor runs one event; *bot.Engine is the Processor of a real chat.
type Processor interface {
	Process(ctx context.Context, ev bot.Event) (bot.Result, error)
}

// Feeds keeps what each conversation's page shows; *redisstore.Store is
// the Feeds of a real chat.
type Feeds interface {
	AppendFeed(ctx context.Context, key bot.Key, mark string, entries [][]byte, maxLen int, ttl time.Duration) (bool, error)
	Feed(ctx context.Context, key bot.Key, after string, n int) ([]redisstore.FeedEntry, error)
	DeleteFeed(ctx context.Context, key bot.Key) error
	WatchFeeds(ctx context.Context, ready chan<- struct{}, wake func(bot.Key)) error
}

// Limiter counts requests per key across replicas, taking every limit
// of a request in one call; *redisstore.RateLimiter is the Limiter of a
// real chat.
type Limiter interface {
	AllowAll(ctx context.Context, limits ...redisstore.RateLimit) (bool, time.Duration, error)
}

// Limit is N requests per Period. In Options, a zero Limit means the
// default and a negative N means no limit.
type Limit = web.Limit

// Options configure a Chat.
type Options struct {
	// Engine runs the flows; its locale messages give the page's texts.
	Engine *bot.Engine
	// Processor, when set, takes the events instead of Engine.
	Processor Processor
	Feeds     Feeds
	// Proofs keeps uploaded files; without it uploads are refused.
	Proofs bot.ProofStore
	// Secret signs conversation tokens: at least 16 bytes, the same on
	// every replica.
	Secret []byte
	// Limiter enforces PerConversation, PerIP and NewPerIP; nil means
	// no limits.
	Limiter Limiter
	// PerConversation bounds the messages and uploads of one
	// conversation; 20 per 10 seconds when zero.
	PerConversation Limit
	// PerIP bounds the messages and uploads from one address; 120 per
	// 10 seconds when zero.
	PerIP Limit
	// NewPerIP bounds the conversations one address starts; 20 per
	// minute when zero.
	NewPerIP Limit
	// ClientIP tells the client's address; the connection's address
	// when nil. Behind a proxy, use one that reads X-Forwarded-For from
	// that proxy only.
	ClientIP func(*http.Request) string
	// MaxProofSize is the largest upload; bot.DefaultMaxProofSize when 0.
	MaxProofSize int64
	// MaxBody is the largest JSON body; 16 KiB when 0.
	MaxBody int64
	// FeedLen and FeedTTL bound each feed: 500 entries, kept 30 days
	// after the last one, when 0.
	FeedLen int
	FeedTTL time.Duration
	// DefaultLang is the page's language when the browser names none
	// the chat speaks.
	DefaultLang string
	// Wait is the longest a long poll waits, 25 seconds when 0; an
	// event stream ends after StreamFor (55 seconds when 0) and the
	// browser opens it again.
	Wait, StreamFor time.Duration
	Logger          *slog.Logger
}

// Chat serves the web chat.
type Chat struct {
	opts   Options
	proc   Processor
	signer *Signer
	hub    hub
	log    *slog.Logger
	page   *page
}

// New returns the web chat. A secret under 16 bytes is refused.
func New(opts Options) (*Chat, error) {
	if opts.Engine == nil {
		return nil, bot.Errorf(bot.EINVALID, "webchat: no engine")
	}
	if opts.Feeds == nil {
		return nil, bot.Errorf(bot.EINVALID, "webchat: no feed store")
	}
	if err := checkTexts(opts.Engine.Content().Catalog); err != nil {
		return nil, err
	}
	if len(opts.Secret) < 16 {
		return nil, bot.Errorf(bot.EINVALID, "webchat: the token secret must be at least 16 bytes")
	}
	setDefault(&opts.PerConversation, Limit{N: 20, Period: 10 * time.Second})
	setDefault(&opts.PerIP, Limit{N: 120, Period: 10 * time.Second})
	setDefault(&opts.NewPerIP, Limit{N: 20, Period: time.Minute})
	if opts.ClientIP == nil {
		opts.ClientIP = echo.ExtractIPDirect()
	}
	if opts.MaxProofSize <= 0 {
		opts.MaxProofSize = bot.DefaultMaxProofSize
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 16 << 10
	}
	if opts.FeedLen <= 0 {
		opts.FeedLen = 500
	}
	if opts.FeedTTL <= 0 {
		opts.FeedTTL = 30 * 24 * time.Hour
	}
	if bot.NormalizeLang(opts.DefaultLang) == "" {
		opts.DefaultLang = bot.Languages[0]
	}
	if opts.Wait <= 0 {
		opts.Wait = 25 * time.Second
	}
	if opts.StreamFor <= 0 {
		opts.StreamFor = 55 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Chat{opts: opts, proc: opts.Processor, signer: NewSigner(opts.Secret), log: opts.Logger}
	if c.proc == nil {
		c.proc = opts.Engine
	}
	p, err := newPage()
	if err != nil {
		return nil, err
	}
	c.page = p
	return c, nil
}

func setDefault(l *Limit, d Limit) {
	if l.N == 0 {
		*l = d
	}
}

// Signer returns the signer of the chat's tokens and shop references.
func (c *Chat) Signer() *Signer { return c.signer }

// Register adds the page and the API to e.
func (c *Chat) Register(e *echo.Echo) {
	e.GET("/", c.servePage)
	e.GET("/static/:file", c.serveStatic)
	g := e.Group("/api/chat", func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(ec echo.Context) error {
			securityHeaders(ec.Response().Header())
			return next(ec)
		}
	})
	g.POST("/start", c.start)
	g.POST("/send", c.send)
	g.POST("/upload", c.upload)
	g.GET("/feed", c.feed)
	g.GET("/events", c.events)
}

// Run follows the wake-ups of feeds on every replica until ctx is done.
// ready, if not nil, is closed once they are followed.
func (c *Chat) Run(ctx context.Context, ready chan<- struct{}) error {
	return c.opts.Feeds.WatchFeeds(ctx, ready, c.hub.wake)
}

// KeyOf returns the conversation key of a web conversation ID.
func KeyOf(id string) bot.Key { return bot.Key{Channel: Channel, User: id} }

// checkTexts makes sure the locales have every text of the page and its
// refusals, in every language.
func checkTexts(cat *bot.Catalog) error {
	for _, lang := range bot.Languages {
		for _, id := range Messages {
			if !cat.Has(lang, id) {
				return bot.Errorf(bot.EINVALID, "webchat: message %q is missing in %s: add it to the %s locale file", id, lang, lang)
			}
		}
	}
	return nil
}
