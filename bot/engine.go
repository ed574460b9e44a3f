package bot

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slipdesk/slipdesk/bot/understand"
)

// FlowArchive keeps the source of every flow version a conversation may
// still run on, so that an edited flow does not strand conversations that
// started on the old one. The Redis store implements it.
type FlowArchive interface {
	SaveFlow(ctx context.Context, version string, src []byte) error
	LoadFlow(ctx context.Context, version string) ([]byte, error)
}

// Config holds the engine's settings.
type Config struct {
	// IdleTTL is how long an idle conversation is kept (default 30 days).
	IdleTTL time.Duration
	// DedupeTTL is how long a delivery ID is remembered (default 7 days).
	DedupeTTL time.Duration
	// SendLease, when set, makes each commit with replies take their
	// sending lease for this long (Result.Sending), sparing SendOnce its
	// claim; it should be SendOnce's Lease.
	SendLease time.Duration
	// DefaultLang is used when neither hint nor text tells (default zh-CN).
	DefaultLang string
	// MaxAttempts bounds the reload-and-retry loop on version conflicts.
	MaxAttempts int
	// Now returns the current time; tests set it.
	Now func() time.Time
	// Logger receives structured logs; it never gets user text.
	Logger *slog.Logger
	// Archive, if set, keeps flow sources of every version.
	Archive FlowArchive
	// OnEffects, if set, is called after a commit that wrote effects to
	// the outbox, so that a relay in the same process can carry them out
	// at once instead of at its next poll.
	OnEffects func(Key)
	// Cases holds the timings and limits of cases.
	Cases CaseConfig
	// CaseIndex, if set, hands out case numbers no other case has.
	CaseIndex CaseIndex
	// Merchants, if set, is the merchant registry actions match against.
	Merchants MerchantDirectory
	// AnswerClaims, if set, decides which merchant chat's answer on a
	// case counts when several answer at once.
	AnswerClaims AnswerClaims
	// Location is the time zone dates and times are read in (default
	// Asia/Shanghai).
	Location *time.Location
	// Limits bound what a conversation keeps.
	Limits Limits
	// Observer hears of each turn, for metrics (default: nothing).
	Observer Observer
}

// Engine runs conversations: it turns one Event into replies and one
// committed state change. It is safe for concurrent use; it serialises
// nothing itself but relies on the store's version check.
type Engine struct {
	store   Store
	reg     *Registry
	cfg     Config
	content atomic.Pointer[Content]

	mu       sync.Mutex
	versions flowVersions // older flow versions in memory
}

// NewEngine returns an engine over store running content, which must have
// loaded without errors.
func NewEngine(store Store, content *Content, reg *Registry, cfg Config) *Engine {
	if cfg.IdleTTL <= 0 {
		cfg.IdleTTL = 30 * 24 * time.Hour
	}
	if cfg.DedupeTTL <= 0 {
		cfg.DedupeTTL = 7 * 24 * time.Hour
	}
	if cfg.DedupeTTL > cfg.IdleTTL {
		cfg.DedupeTTL = cfg.IdleTTL
	}
	if NormalizeLang(cfg.DefaultLang) == "" {
		cfg.DefaultLang = Languages[0]
	}
	cfg.DefaultLang = NormalizeLang(cfg.DefaultLang)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 50
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Cases.setDefaults()
	cfg.Limits.setDefaults()
	if cfg.Observer == nil {
		cfg.Observer = NopObserver{}
	}
	if cfg.Location == nil {
		cfg.Location = DefaultLocation()
	}
	e := &Engine{store: store, reg: reg, cfg: cfg, versions: flowVersions{max: cfg.Limits.FlowVersions}}
	e.content.Store(content)
	return e
}

// Now returns the time on the engine's clock (Config.Now).
func (e *Engine) Now() time.Time { return e.cfg.Now() }

// PersonalFields names the case fields an anonymised case drops
// (Config.Cases.Personal).
func (e *Engine) PersonalFields() []string { return e.cfg.Cases.Personal }

// Content returns the content the engine runs now.
func (e *Engine) Content() *Content { return e.content.Load() }

// Reload replaces the running content with c unless problems hold an
// error: a bad edit never replaces a good flow. Conversations keep the
// flow version they started on.
func (e *Engine) Reload(ctx context.Context, c *Content, problems []Problem) error {
	if err := ProblemsError(problems); err != nil {
		e.cfg.Logger.Warn("flow reload refused; keeping the running flows", "problems", len(Errors(problems)))
		return err
	}
	old := e.content.Load()
	e.mu.Lock()
	for _, f := range old.Flows {
		e.versions.put(f)
	}
	e.mu.Unlock()
	e.content.Store(c)
	if err := e.ArchiveFlows(ctx); err != nil {
		return err
	}
	e.cfg.Logger.Info("flows reloaded", "flows", len(c.Flows))
	return nil
}

// ArchiveFlows saves the running flows' sources to the archive, if any.
func (e *Engine) ArchiveFlows(ctx context.Context) error {
	if e.cfg.Archive == nil {
		return nil
	}
	c := e.content.Load()
	for v, src := range c.Sources {
		if err := e.cfg.Archive.SaveFlow(ctx, v, src); err != nil {
			return fmt.Errorf("archive flow version %s: %w", v, err)
		}
	}
	return nil
}

// Result is what handling one event gave.
type Result struct {
	Replies []Reply
	// Fresh is set when this call committed the turn, so its replies were
	// never handed out before. A redelivery answered from the record, or
	// a turn not worth a commit, is not fresh: a channel that sends
	// replies itself checks whether it sent them already.
	Fresh bool
	// Sending is the sending lease of Replies this call took with its
	// commit, for SendOnce; zero when none was taken.
	Sending Lease
}

// Handle runs one event and returns its replies; see Process.
func (e *Engine) Handle(ctx context.Context, ev Event) ([]Reply, error) {
	r, err := e.Process(ctx, ev)
	return r.Replies, err
}

// Process runs one event: it loads the conversation, runs the flow until
// it needs input, and commits once. A conflicting commit (another event
// of the same conversation won) makes it load and run again. A delivery
// ID seen before gets the replies recorded for it and changes nothing.
func (e *Engine) Process(ctx context.Context, ev Event) (Result, error) {
	return e.observe(ctx, ev, nil)
}

// ProcessLoaded is Process for a channel that loaded the conversation
// itself, as Store.Load does for ev.Key and ev.DeliveryID, in a round
// trip that carried work of its own (the web chat's rate limits): the
// turn's first attempt runs on snap, and a version conflict loads again
// as Process does. An event without a delivery ID is run as by Process,
// since the snapshot could not tell whether it was committed before.
func (e *Engine) ProcessLoaded(ctx context.Context, ev Event, snap Snapshot) (Result, error) {
	if ev.DeliveryID == "" {
		return e.observe(ctx, ev, nil)
	}
	return e.observe(ctx, ev, &snap)
}

// observe runs process and reports the turn to the observer.
func (e *Engine) observe(ctx context.Context, ev Event, loaded *Snapshot) (Result, error) {
	start := time.Now()
	r, outcome, err := e.process(ctx, ev, loaded)
	if err != nil {
		outcome = "error"
	}
	e.cfg.Observer.Turn(ev.Key.Channel, outcome, time.Since(start))
	return r, err
}

// process runs the turn of ev, on loaded for its first attempt when the
// channel loaded the conversation.
func (e *Engine) process(ctx context.Context, ev Event, loaded *Snapshot) (Result, string, error) {
	if ev.At.IsZero() {
		ev.At = e.cfg.Now()
	}
	if ev.DeliveryID == "" {
		// A commit the client retried after a dropped connection must be
		// recognised as done, not run a second time.
		ev.DeliveryID = "local-" + randomID()
	}
	// Events of one busy conversation that collided wait a random moment
	// that grows with the attempts, so that they stop colliding.
	pause := Backoff{Min: 200 * time.Microsecond, Max: 10 * time.Millisecond, Jitter: true}
	for attempt := 1; ; attempt++ {
		var (
			snap Snapshot
			err  error
		)
		if attempt == 1 && loaded != nil {
			snap = *loaded
		} else {
			snap, err = e.store.Load(ctx, ev.Key, ev.DeliveryID)
		}
		if err != nil {
			return Result{}, "", fmt.Errorf("load conversation %s: %w", ev.Key, err)
		}
		if snap.Replayed != nil {
			e.cfg.Logger.Debug("redelivery answered from the record", "conv", ev.Key, "delivery", ev.DeliveryID, "replies", len(snap.Replayed))
			return Result{Replies: snap.Replayed}, "replayed", nil
		}
		t := e.newTurn(ctx, snap.Conv, ev)
		t.handle()
		if t.idle() {
			return Result{Replies: t.replies}, "idle", nil
		}
		c := t.commit()
		var lease Lease
		if e.cfg.SendLease > 0 && len(c.Replies) > 0 && c.DeliveryID != "" {
			// The lease runs from before the commit, so this process
			// never counts on more of it than the store gave; it is on
			// the wall clock, as the store's and SendOnce's are.
			lease = Lease{Owner: "s-" + randomID(), Until: time.Now().Add(e.cfg.SendLease)}
			c.SendOwner, c.SendLease = lease.Owner, e.cfg.SendLease
		}
		err = e.store.Commit(ctx, c)
		switch {
		case err == nil:
			e.cfg.Logger.Debug("turn committed", "conv", ev.Key, "delivery", ev.DeliveryID, "step", c.Conv.Step, "version", c.Expect+1, "replies", len(t.replies), "effects", len(t.effects))
			if len(c.Effects) > 0 && e.cfg.OnEffects != nil {
				e.cfg.OnEffects(ev.Key)
			}
			return Result{Replies: t.replies, Fresh: true, Sending: lease}, "committed", nil
		case errors.Is(err, ErrConflict) && attempt < e.cfg.MaxAttempts:
			e.cfg.Logger.Debug("version conflict; running the turn again", "conv", ev.Key, "attempt", attempt)
			e.cfg.Observer.Conflict(ev.Key.Channel)
			if err := pause.Wait(ctx); err != nil {
				return Result{}, "", err
			}
			continue
		default:
			return Result{}, "", fmt.Errorf("commit conversation %s: %w", ev.Key, err)
		}
	}
}

// flowFor returns the flow a conversation runs on, honouring its version
// and the operator's migrations.
func (e *Engine) flowFor(ctx context.Context, c *Content, conv *Conversation) *Flow {
	cur := c.Flows[conv.Flow]
	if cur != nil && cur.Version == conv.FlowVersion {
		return cur
	}
	if cur != nil {
		if to, ok := migrate(cur, conv.FlowVersion, conv.Step); ok {
			conv.FlowVersion, conv.Step = cur.Version, to
			return cur
		}
	}
	if old := e.oldVersion(ctx, conv.FlowVersion); old != nil && old.Step(conv.Step) != nil {
		return old
	}
	if cur != nil && cur.Step(conv.Step) != nil {
		e.cfg.Logger.Warn("flow version not found; continuing on the current version", "flow", conv.Flow, "version", conv.FlowVersion)
		conv.FlowVersion = cur.Version
		return cur
	}
	return nil
}

func migrate(f *Flow, fromVersion, step string) (string, bool) {
	for _, from := range []string{fromVersion, "*"} {
		if to, ok := f.Migrate[from][step]; ok && f.Step(to) != nil {
			return to, true
		}
	}
	return "", false
}

func (e *Engine) oldVersion(ctx context.Context, version string) *Flow {
	if version == "" {
		return nil
	}
	e.mu.Lock()
	f := e.versions.get(version)
	e.mu.Unlock()
	if f != nil || e.cfg.Archive == nil {
		return f
	}
	src, err := e.cfg.Archive.LoadFlow(ctx, version)
	if err != nil {
		if ErrorCode(err) != ENOTFOUND {
			e.cfg.Logger.Error("load archived flow", "version", version, "err", err)
		}
		return nil
	}
	f, err = ParseFlow("archive:"+version, src)
	if err != nil {
		e.cfg.Logger.Error("parse archived flow", "version", version, "err", err)
		return nil
	}
	e.mu.Lock()
	e.versions.put(f)
	e.mu.Unlock()
	return f
}

func randomID() string {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// DefaultLocation is Asia/Shanghai, or a fixed UTC+8 where the time zone
// database is missing.
func DefaultLocation() *time.Location { return understand.DefaultLocation() }
