// Package telegram is the Telegram channel: it turns Bot API updates into
// engine events and replies into messages, with choices as inline
// keyboards. Updates arrive by long polling (Poll) or by webhook
// (Webhook); either way an update counts as taken only once its turn is
// committed, so a crash loses nothing, and the engine's record of
// delivery IDs (update_id) keeps a redelivered update from acting twice.
package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

// Channel is the channel name of Telegram conversations.
const Channel = "telegram"

// DefaultAPIURL is the Bot API's address.
const DefaultAPIURL = "https://api.telegram.org"

// Processor runs one event; *bot.Engine is the Processor of a real bot.
type Processor interface {
	Process(ctx context.Context, ev bot.Event) (bot.Result, error)
}

// Options configure a Bot.
type Options struct {
	// Token is the bot's token from @BotFather. It is a secret: it is
	// never logged, and errors carry the API's address without it.
	Token string
	// APIURL is the Bot API's base address; DefaultAPIURL when empty.
	APIURL string
	// Engine runs the flows; its locale messages also give the texts the
	// channel says itself (a refused file, a group chat).
	Engine *bot.Engine
	// Processor, when set, takes the events instead of Engine.
	Processor Processor
	// Proofs keeps the bytes of photos and documents users send. Without
	// it only Telegram's file references are kept.
	Proofs bot.ProofStore
	// MaxProofSize is the largest file taken; 0 means
	// bot.DefaultMaxProofSize.
	MaxProofSize int64
	// Sent claims and marks the messages of each update's replies, so
	// that no replica answers an update twice.
	Sent bot.Deliveries
	// SentTTL is how long the marks are kept; a week when 0.
	SentTTL time.Duration
	// SendLease is how long a claim to send an update's replies lasts
	// without progress; 30 seconds when 0. After a crash, the update's
	// remaining replies wait that long.
	SendLease time.Duration
	// AlertButtons, when set, keeps which message carries each alert's
	// buttons, so that they are taken off once another chat of the shop
	// answered (see CloseAlertButtons).
	AlertButtons bot.AlertButtons
	// AlertButtonsTTL is how long that record is kept: as long as an
	// alert can stay unanswered; 30 days when 0.
	AlertButtonsTTL time.Duration
	// PerChat is the least time between two messages to one chat, after
	// a burst of ChatBurst; a second when 0, none when negative.
	PerChat time.Duration
	// ChatBurst is how many messages may go to one chat at once; 3 when 0.
	ChatBurst int
	// PerSecond caps the messages sent in a second overall; 30 when 0,
	// none when negative.
	PerSecond int
	// PollTimeout is how long one getUpdates call waits for updates;
	// 50 seconds when 0.
	PollTimeout time.Duration
	// Parallel is how many chats polling serves at once; 8 when 0.
	Parallel int
	// Observer hears of turns' messages sent and skipped, and Metrics
	// of API calls and webhook refusals; nothing when nil.
	Observer bot.Observer
	Metrics  Metrics
	// ShopLink, when set, reads the payload of "/start PAYLOAD" as a
	// shop's signed link and returns the merchant's ID: the chat then
	// starts with that shop known. Nil: no shop links.
	ShopLink func(payload string) (merchantID string, ok bool)
	// HTTPClient makes the API calls; when nil, one with sensible
	// timeouts whose connections are kept for reuse, as many as the
	// pace can use.
	HTTPClient *http.Client
	Logger     *slog.Logger
}

// Bot connects the engine to one Telegram bot.
type Bot struct {
	opts  Options
	api   *tgbot.Bot
	http  doer
	pace  *pacer
	log   *slog.Logger
	proc  Processor
	maxSz int64
	chats chatLocks
}

// New returns the channel of the bot opts.Token names. It makes no call:
// Check verifies the token.
func New(opts Options) (*Bot, error) {
	if opts.Token == "" {
		return nil, bot.Errorf(bot.EINVALID, "telegram: no bot token")
	}
	if opts.Engine == nil && opts.Processor == nil {
		return nil, bot.Errorf(bot.EINVALID, "telegram: no engine")
	}
	if opts.APIURL == "" {
		opts.APIURL = DefaultAPIURL
	}
	if opts.SentTTL <= 0 {
		opts.SentTTL = 7 * 24 * time.Hour
	}
	if opts.PerChat == 0 {
		opts.PerChat = time.Second
	}
	if opts.ChatBurst <= 0 {
		opts.ChatBurst = 3
	}
	if opts.PerSecond == 0 {
		opts.PerSecond = 30
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = 50 * time.Second
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 8
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	client := opts.HTTPClient
	if client == nil {
		// Long polls hold a request for PollTimeout; the client's own
		// limit leaves room above it.
		client = &http.Client{Timeout: opts.PollTimeout + 15*time.Second, Transport: newTransport(opts.PerSecond)}
	}
	if opts.Metrics == nil {
		opts.Metrics = nopMetrics{}
	}
	if opts.Observer == nil {
		opts.Observer = bot.NopObserver{}
	}
	counted := countingClient{next: client, metrics: opts.Metrics}
	api, err := tgbot.New(opts.Token,
		tgbot.WithServerURL(opts.APIURL),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(opts.PollTimeout, bufferedClient{next: counted}),
		tgbot.WithErrorsHandler(func(err error) {
			opts.Logger.Warn("telegram client", "err", redact(err, opts.Token))
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	c := &Bot{
		opts:  opts,
		api:   api,
		http:  counted,
		pace:  newPacer(opts.PerChat, opts.PerSecond, opts.ChatBurst),
		log:   opts.Logger,
		proc:  opts.Processor,
		maxSz: opts.MaxProofSize,
	}
	if c.proc == nil {
		c.proc = opts.Engine
	}
	if c.maxSz <= 0 {
		c.maxSz = bot.DefaultMaxProofSize
	}
	return c, nil
}

// Check asks the API who the bot is: a wrong token or an unreachable API
// shows at start-up rather than at the first message.
func (c *Bot) Check(ctx context.Context) (*models.User, error) {
	me, err := c.api.GetMe(ctx)
	if err != nil {
		return nil, fmt.Errorf("telegram getMe: %w", redact(err, c.opts.Token))
	}
	return me, nil
}

// KeyOf returns the conversation key of a Telegram chat.
func KeyOf(chatID int64) bot.Key {
	return bot.Key{Channel: Channel, User: strconv.FormatInt(chatID, 10)}
}

// chatOf returns the chat ID of a conversation key of this channel.
func chatOf(k bot.Key) (int64, error) {
	if k.Channel != Channel {
		return 0, bot.Errorf(bot.EINVALID, "telegram: key of channel %q", k.Channel)
	}
	id, err := strconv.ParseInt(k.User, 10, 64)
	if err != nil {
		return 0, bot.Errorf(bot.EINVALID, "telegram: %q is not a chat ID", k.User)
	}
	return id, nil
}

// redactedError is an error whose text had the token taken out.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redact takes the bot token out of err's text, keeping err matchable.
func redact(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := err.Error()
	clean := strings.ReplaceAll(msg, token, "<token>")
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}
