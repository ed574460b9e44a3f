package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/go-telegram/bot/models"
)

// queued is an update waiting for getUpdates, encoded when pushed so that
// later changes to the caller's values do not show.
type queued struct {
	id  int64
	raw json.RawMessage
}

// longPoll is the getUpdates call that is waiting for an update. Closing
// stop ends it with the conflict in reason.
type longPoll struct {
	stop   chan struct{}
	reason string
}

// Webhook is the webhook the bot set.
type Webhook struct {
	URL            string
	SecretToken    string
	AllowedUpdates []string
	MaxConnections int
}

// Push queues u for getUpdates and wakes a waiting long poll. When u.ID is
// 0 it gets the next ID: 1, 2, ..., never below an ID pushed or an offset
// confirmed before. Push returns the ID. An update whose ID is below an offset getUpdates already
// confirmed is dropped, as Telegram would never deliver it. Push panics on
// an update that does not encode to JSON.
func (s *Server) Push(u models.Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.ID == 0 {
		u.ID = max(s.nextID, s.confirmed)
	}
	s.nextID = max(s.nextID, u.ID+1)
	raw, err := json.Marshal(&u)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: Push: update %d: %v", u.ID, err))
	}
	if u.ID >= s.confirmed {
		s.queue = append(s.queue, queued{id: u.ID, raw: raw})
	}
	s.notifyLocked()
	return u.ID
}

// Pending returns the queued updates that getUpdates has not confirmed.
func (s *Server) Pending() []models.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]models.Update, 0, len(s.queue))
	for _, q := range s.queue {
		var u models.Update
		if err := json.Unmarshal(q.raw, &u); err != nil {
			panic(fmt.Sprintf("telegramtest: Pending: update %d: %v", q.id, err))
		}
		out = append(out, u)
	}
	return out
}

// Offsets returns the offset of every getUpdates call the server answered,
// 0 when the call sent none.
func (s *Server) Offsets() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.offsets)
}

// Webhook returns the webhook set by setWebhook; its URL is "" when none is.
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	w.AllowedUpdates = slices.Clone(w.AllowedUpdates)
	return w
}

// getUpdates confirms every update below offset, then answers the queued
// updates, waiting up to timeout seconds for one when none is queued.
func (s *Server) getUpdates(ctx context.Context, p params) (any, *apiError) {
	offset, e := p.int64("offset", 0)
	if e != nil {
		return nil, e
	}
	limit, e := p.int64("limit", 100)
	if e != nil {
		return nil, e
	}
	limit = min(max(limit, 1), 100)
	timeout, e := p.int64("timeout", 0)
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	if s.webhook.URL != "" {
		s.mu.Unlock()
		return nil, webhookActive()
	}
	// Like Telegram, a new getUpdates ends the one that is waiting.
	s.endPollLocked("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
	s.offsets = append(s.offsets, offset)
	s.confirmLocked(offset)

	var (
		poll  *longPoll
		timer <-chan time.Time
	)
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		timer = t.C
	}
	for {
		if len(s.queue) > 0 || timer == nil {
			out := s.queue[:min(int64(len(s.queue)), limit)]
			raws := make([]json.RawMessage, len(out))
			for i, q := range out {
				raws[i] = q.raw
			}
			if s.poll == poll {
				s.poll = nil
			}
			s.mu.Unlock()
			return raws, nil
		}
		if poll == nil {
			poll = &longPoll{stop: make(chan struct{})}
			s.poll = poll
		}
		changed := s.changed
		s.mu.Unlock()

		select {
		case <-changed:
		case <-poll.stop:
			return nil, &apiError{code: http.StatusConflict, description: poll.reason}
		case <-timer:
			timer = nil
		case <-ctx.Done():
			timer = nil
		case <-s.done:
			timer = nil
		}
		s.mu.Lock()
	}
}

// confirmLocked forgets every update below offset; a negative offset keeps
// only the last -offset updates, as on Telegram.
func (s *Server) confirmLocked(offset int64) {
	if offset < 0 {
		keep := int(min(-offset, int64(len(s.queue))))
		s.queue = s.queue[len(s.queue)-keep:]
		if keep > 0 {
			s.confirmed = max(s.confirmed, s.queue[0].id)
		}
		return
	}
	s.confirmed = max(s.confirmed, offset)
	s.queue = slices.DeleteFunc(s.queue, func(q queued) bool { return q.id < s.confirmed })
}

// endPollLocked ends the waiting long poll, if any, with a conflict.
func (s *Server) endPollLocked(reason string) {
	if s.poll != nil {
		s.poll.reason = reason
		close(s.poll.stop)
		s.poll = nil
	}
}

func webhookActive() *apiError {
	return &apiError{code: http.StatusConflict, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
}

var (
	httpsURL    = regexp.MustCompile(`^(?i)https://[^/]`)
	secretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// setWebhook records the webhook; the fake never calls it. Like Telegram,
// it wants an HTTPS URL, and an empty URL removes the webhook.
func (s *Server) setWebhook(_ context.Context, p params) (any, *apiError) {
	w := Webhook{URL: p["url"], SecretToken: p["secret_token"]}
	if w.URL != "" && !httpsURL.MatchString(w.URL) {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	if w.SecretToken != "" && !secretToken.MatchString(w.SecretToken) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	if v := p["allowed_updates"]; v != "" {
		if err := json.Unmarshal([]byte(v), &w.AllowedUpdates); err != nil {
			return nil, badRequest("can't parse allowed updates JSON object")
		}
	}
	n, e := p.int64("max_connections", 40)
	if e != nil {
		return nil, e
	}
	if w.URL != "" {
		w.MaxConnections = int(n)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = w
	if w.URL != "" {
		s.endPollLocked("Conflict: terminated by setWebhook request")
	}
	if p.bool("drop_pending_updates") {
		s.dropPendingLocked()
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) deleteWebhook(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = Webhook{}
	if p.bool("drop_pending_updates") {
		s.dropPendingLocked()
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) dropPendingLocked() {
	s.confirmed = max(s.confirmed, s.nextID)
	s.queue = nil
}

func (s *Server) getWebhookInfo(context.Context, params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return models.WebhookInfo{
		URL:                s.webhook.URL,
		PendingUpdateCount: len(s.queue),
		MaxConnections:     s.webhook.MaxConnections,
		AllowedUpdates:     slices.Clone(s.webhook.AllowedUpdates),
	}, nil
}
