package telegramtest

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// BotUsername is the username getMe reports.
const BotUsername = "slipdesk_test_bot"

// Server is a fake Bot API server. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's base URL, for bot.WithServerURL.
	URL string
	// Token is the only token the server accepts.
	Token string

	srv  *httptest.Server
	me   models.User
	done chan struct{} // closed when the server shuts down

	mu sync.Mutex
	// changed is closed and replaced on every change of state, so that
	// waiters (long polls, WaitSent) re-check what they wait for.
	changed chan struct{}
	calls   []Call
	fails   map[string][]failure
	delays  map[string]time.Duration

	queue     []queued
	nextID    int64
	confirmed int64
	offsets   []int64
	poll      *longPoll
	webhook   Webhook

	chats    map[int64]*chat
	edits    []Edit
	answers  []Call
	answered map[string]bool

	// commands are the command menus set, by language code ("" for
	// the default).
	commands map[string][]models.BotCommand

	files     map[string]*file
	paths     map[string]*file
	downloads int
}

// Call is one request the server received with the right token.
type Call struct {
	// Method is the method's canonical name (sendMessage), or the name as
	// requested when the fake does not serve it.
	Method string
	// Params holds every field as a string: form values as sent, JSON
	// strings unquoted, other JSON values re-encoded compactly, a file
	// part as its file name.
	Params map[string]string
	At     time.Time
}

// failure is a run of injected errors for one method.
type failure struct {
	left       int
	code       int
	retryAfter int
}

type handler func(s *Server, ctx context.Context, p params) (any, *apiError)

// methods maps lower-case method names to their canonical name and handler.
var methods = map[string]struct {
	name   string
	handle handler
}{
	"getme":                  {"getMe", (*Server).getMe},
	"getupdates":             {"getUpdates", (*Server).getUpdates},
	"sendmessage":            {"sendMessage", (*Server).sendMessage},
	"sendphoto":              {"sendPhoto", (*Server).sendPhoto},
	"senddocument":           {"sendDocument", (*Server).sendDocument},
	"editmessagereplymarkup": {"editMessageReplyMarkup", (*Server).editMessageReplyMarkup},
	"answercallbackquery":    {"answerCallbackQuery", (*Server).answerCallbackQuery},
	"getfile":                {"getFile", (*Server).getFile},
	"setwebhook":             {"setWebhook", (*Server).setWebhook},
	"deletewebhook":          {"deleteWebhook", (*Server).deleteWebhook},
	"getwebhookinfo":         {"getWebhookInfo", (*Server).getWebhookInfo},
	"setmycommands":          {"setMyCommands", (*Server).setMyCommands},
}

// New starts a fake server that accepts token, which must look like a real
// one ("<bot id>:<secret>"). The server shuts down when the test ends,
// ending any long poll first.
func New(t testing.TB, token string) *Server {
	t.Helper()
	s, err := Start(token, "127.0.0.1:0")
	if err != nil {
		t.Fatalf("telegramtest.New: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a fake server that accepts token on addr (host:port, port
// 0 for any), for a program that plays Telegram outside a test, such as
// a load test of several serve processes. Close shuts it down.
func Start(token, addr string) (*Server, error) {
	id, secret, ok := strings.Cut(token, ":")
	botID, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || botID <= 0 || secret == "" || strings.ContainsAny(secret, "/?#") {
		return nil, fmt.Errorf("token %q: want <bot id>:<secret>, e.g. 123456:TEST", token)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Token: token,
		me: models.User{
			ID:            botID,
			IsBot:         true,
			FirstName:     "Slipdesk Test",
			Username:      BotUsername,
			CanJoinGroups: true,
		},
		done:     make(chan struct{}),
		changed:  make(chan struct{}),
		fails:    map[string][]failure{},
		delays:   map[string]time.Duration{},
		nextID:   1,
		chats:    map[int64]*chat{},
		answered: map[string]bool{},
		files:    map[string]*file{},
		paths:    map[string]*file{},
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.Listener.Close()
	s.srv.Listener = ln
	s.srv.Start()
	s.URL = s.srv.URL
	return s, nil
}

// Close ends any long poll and shuts the server down.
func (s *Server) Close() {
	close(s.done)
	s.srv.Close()
}

// Calls returns the calls of method (any spelling), or of every method
// when method is "", in the order they arrived. Failed calls are included.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(canonical(method))
}

// WaitCalls waits until the server has received n calls of method and
// returns them all; it fails the test, showing the calls it has, if they do
// not arrive within timeout. Call it from the test's goroutine.
func (s *Server) WaitCalls(t testing.TB, method string, n int, timeout time.Duration) []Call {
	t.Helper()
	name := canonical(method)
	calls, ok := wait(s, timeout, func() ([]Call, bool) {
		c := s.callsLocked(name)
		return c, len(c) >= n
	})
	if !ok {
		var b strings.Builder
		for _, c := range calls {
			fmt.Fprintf(&b, "\n\t%s %v", c.Method, c.Params)
		}
		t.Fatalf("telegramtest: %d calls of %q after %v, want %d:%s", len(calls), method, timeout, n, b.String())
	}
	return calls
}

func (s *Server) callsLocked(name string) []Call {
	var out []Call
	for _, c := range s.calls {
		if name == "" || c.Method == name {
			c.Params = maps.Clone(c.Params)
			out = append(out, c)
		}
	}
	return out
}

// Fail makes the next times calls of method answer error code. A 429
// carries parameters.retry_after = retryAfter and the description
// "Too Many Requests: retry after N"; other codes carry Telegram's usual
// description for them (403 is "Forbidden: bot was blocked by the user").
// Runs queued for one method apply in order. Fail panics on a method the
// fake does not serve or on a code that is not an error.
func (s *Server) Fail(method string, times, code, retryAfter int) {
	m, ok := methods[strings.ToLower(method)]
	if !ok {
		panic(fmt.Sprintf("telegramtest: Fail(%q): the fake does not serve this method", method))
	}
	if times < 1 || code < 400 || code > 599 {
		panic(fmt.Sprintf("telegramtest: Fail(%q, %d, %d): want times >= 1 and a 4xx or 5xx code", method, times, code))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[m.name] = append(s.fails[m.name], failure{left: times, code: code, retryAfter: retryAfter})
}

// Slow makes every call of method take d before it is carried out and
// answered; 0 makes it fast again.
func (s *Server) Slow(method string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays[canonical(method)] = d
}

// injectedLocked consumes one injected failure of method, if any is queued.
func (s *Server) injectedLocked(method string) *apiError {
	runs := s.fails[method]
	if len(runs) == 0 {
		return nil
	}
	f := runs[0]
	if runs[0].left--; runs[0].left == 0 {
		s.fails[method] = runs[1:]
	}
	return &apiError{code: f.code, description: describe(f.code, f.retryAfter), retryAfter: f.retryAfter}
}

func describe(code, retryAfter int) string {
	switch code {
	case http.StatusTooManyRequests:
		return fmt.Sprintf("Too Many Requests: retry after %d", retryAfter)
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	}
	return http.StatusText(code)
}

// notifyLocked wakes every waiter.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait re-runs check, under the lock, on every change of state until it
// reports true, timeout passes or the server shuts down; it returns
// check's last value.
func wait[T any](s *Server, timeout time.Duration, check func() (T, bool)) (T, bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		v, ok := check()
		changed := s.changed
		s.mu.Unlock()
		if ok {
			return v, true
		}
		select {
		case <-changed:
		case <-timer.C:
			return v, false
		case <-s.done:
			return v, false
		}
	}
}

func canonical(method string) string {
	if m, ok := methods[strings.ToLower(method)]; ok {
		return m.name
	}
	return method
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.download(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || method == "" {
		reply(w, nil, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	if token != s.Token {
		reply(w, nil, &apiError{code: http.StatusUnauthorized, description: "Unauthorized"})
		return
	}
	p, err := readParams(r)
	if err != nil {
		reply(w, nil, badRequest(err.Error()))
		return
	}
	m, known := methods[strings.ToLower(method)]
	name := method
	if known {
		name = m.name
	}

	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: name, Params: maps.Clone(p), At: time.Now()})
	injected := s.injectedLocked(name)
	delay := s.delays[name]
	s.notifyLocked()
	s.mu.Unlock()
	if delay > 0 {
		// A slow API still carries out a request whose client hung up,
		// as Telegram does once it has read it.
		time.Sleep(delay)
	}

	switch {
	case !known:
		reply(w, nil, &apiError{code: http.StatusNotFound, description: "Not Found"})
	case injected != nil:
		reply(w, nil, injected)
	default:
		result, e := m.handle(s, r.Context(), p)
		reply(w, result, e)
	}
}

func (s *Server) getMe(context.Context, params) (any, *apiError) {
	return s.me, nil
}
