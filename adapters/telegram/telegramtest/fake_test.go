package telegramtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
)

const token = "123456:TEST-secret"

// newBot returns a go-telegram/bot client of s; bot.New already calls getMe.
func newBot(t *testing.T, s *telegramtest.Server, opts ...bot.Option) *bot.Bot {
	t.Helper()
	b, err := bot.New(s.Token, append([]bot.Option{bot.WithServerURL(s.URL)}, opts...)...)
	if err != nil {
		t.Fatalf("bot.New: %v", err)
	}
	return b
}

// apiResponse is a Bot API answer as it travels.
type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
}

// post calls method with a form body, as a client without a library would.
func post(t *testing.T, ctx context.Context, s *telegramtest.Server, method string, form url.Values) (int, apiResponse, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/bot"+s.Token+"/"+method, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, apiResponse, error) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, apiResponse{}, err
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return resp.StatusCode, r, fmt.Errorf("%s: decode answer: %v", req.URL.Path, err)
	}
	if r.ErrorCode != 0 && r.ErrorCode != resp.StatusCode {
		t.Errorf("%s: HTTP status %d, error_code %d", req.URL.Path, resp.StatusCode, r.ErrorCode)
	}
	return resp.StatusCode, r, nil
}

// getUpdates calls getUpdates by plain HTTP and returns the IDs it got.
func getUpdates(t *testing.T, s *telegramtest.Server, form url.Values) []int64 {
	t.Helper()
	status, r, err := post(t, context.Background(), s, "getUpdates", form)
	if err != nil || status != http.StatusOK {
		t.Fatalf("getUpdates %v: %d %s %v", form, status, r.Description, err)
	}
	var ups []models.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		t.Fatalf("getUpdates result %s: %v", r.Result, err)
	}
	ids := []int64{}
	for _, u := range ups {
		ids = append(ids, u.ID)
	}
	return ids
}

func ids(ups []models.Update) []int64 {
	out := []int64{}
	for _, u := range ups {
		out = append(out, u.ID)
	}
	return out
}

func keyboard(rows ...[]string) *models.InlineKeyboardMarkup {
	var kb models.InlineKeyboardMarkup
	for _, row := range rows {
		var r []models.InlineKeyboardButton
		for i := 0; i < len(row); i += 2 {
			r = append(r, models.InlineKeyboardButton{Text: row[i], CallbackData: row[i+1]})
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, r)
	}
	return &kb
}

func TestGetMe(t *testing.T) {
	s := telegramtest.New(t, token)
	b := newBot(t, s)
	me, err := b.GetMe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != 123456 || !me.IsBot || me.Username != telegramtest.BotUsername {
		t.Errorf("getMe = %+v, want bot 123456 @%s", me, telegramtest.BotUsername)
	}
	if got := len(s.Calls("getMe")); got != 2 {
		t.Errorf("%d getMe calls, want 2 (bot.New and GetMe)", got)
	}
}

func TestWrongTokenAndMethod(t *testing.T) {
	s := telegramtest.New(t, token)
	if _, err := bot.New("654321:WRONG", bot.WithServerURL(s.URL)); !errors.Is(err, bot.ErrorUnauthorized) {
		t.Errorf("bot.New with a wrong token: %v, want ErrorUnauthorized", err)
	}

	tests := []struct {
		path   string
		status int
		body   string
	}{
		{"/bot654321:WRONG/getMe", 401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`},
		{"/bot" + token + "/sendPigeon", 404, `{"ok":false,"error_code":404,"description":"Not Found"}`},
		{"/nothing", 404, `{"ok":false,"error_code":404,"description":"Not Found"}`},
	}
	for _, tt := range tests {
		resp, err := http.Post(s.URL+tt.path, "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || string(body) != tt.body {
			t.Errorf("POST %s = %d %s, want %d %s", tt.path, resp.StatusCode, body, tt.status, tt.body)
		}
	}
	if got := s.Calls("sendPigeon"); len(got) != 1 {
		t.Errorf("calls of an unknown method: %v, want it recorded once", got)
	}
}

func TestSendMessage(t *testing.T) {
	s := telegramtest.New(t, token)
	b := newBot(t, s)
	ctx := context.Background()

	msg, err := b.SendMessage(ctx, &bot.SendMessageParams{
		ChatID:      int64(42),
		Text:        "Pick one",
		ReplyMarkup: keyboard([]string{"Yes", "yes", "No", "no"}, []string{"Agent", "agent"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if msg.ID != 1 || msg.Chat.ID != 42 || msg.Chat.Type != models.ChatTypePrivate || msg.Text != "Pick one" || msg.Date == 0 {
		t.Errorf("sendMessage result = %+v", msg)
	}
	if msg.From == nil || msg.From.ID != 123456 {
		t.Errorf("sendMessage from = %+v, want the bot", msg.From)
	}
	if msg.ReplyMarkup == nil || len(msg.ReplyMarkup.InlineKeyboard) != 2 {
		t.Errorf("sendMessage reply_markup = %+v, want two rows", msg.ReplyMarkup)
	}
	second, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "Thanks"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: "43", Text: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != 2 || other.ID != 1 {
		t.Errorf("message IDs %d, %d, want 2 in chat 42 and 1 in chat 43", second.ID, other.ID)
	}

	sent := s.Sent(42)
	if len(sent) != 2 {
		t.Fatalf("Sent(42) = %+v, want 2 messages", sent)
	}
	if got, want := sent[0].Keyboard[0][1].CallbackData, "no"; got != want {
		t.Errorf("Sent(42)[0] button 0,1 data = %q, want %q", got, want)
	}
	if sent[1].Keyboard != nil {
		t.Errorf("Sent(42)[1].Keyboard = %v, want nil", sent[1].Keyboard)
	}

	call := s.Calls("sendmessage")[0]
	if call.Params["chat_id"] != "42" || call.Params["text"] != "Pick one" {
		t.Errorf("recorded params = %v", call.Params)
	}
	var markup models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(call.Params["reply_markup"]), &markup); err != nil || len(markup.InlineKeyboard) != 2 {
		t.Errorf("reply_markup field %q does not hold the keyboard as JSON: %v", call.Params["reply_markup"], err)
	}
}

func TestSendMessageChecks(t *testing.T) {
	button := func(b models.InlineKeyboardButton) models.ReplyMarkup {
		return &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{b}}}
	}
	tests := []struct {
		name   string
		text   string
		markup models.ReplyMarkup
		want   string // end of the error, "" for success
	}{
		{"empty text", "", nil, "Bad Request: message text is empty"},
		{"blank text", " \n\t", nil, "Bad Request: message text is empty"},
		{"4096 UTF-16 units", strings.Repeat("😀", 2048), nil, ""},
		{"4098 UTF-16 units", strings.Repeat("😀", 2049), nil, "Bad Request: message is too long"},
		{"64-byte callback data", "x", button(models.InlineKeyboardButton{Text: "a", CallbackData: strings.Repeat("d", 64)}), ""},
		{"65-byte callback data", "x", button(models.InlineKeyboardButton{Text: "a", CallbackData: strings.Repeat("d", 65)}), "Bad Request: BUTTON_DATA_INVALID"},
		{"button without action", "x", button(models.InlineKeyboardButton{Text: "a"}), "Text buttons are unallowed in the inline keyboard"},
		{"URL button", "x", button(models.InlineKeyboardButton{Text: "a", URL: "https://example.com"}), ""},
		{"reply keyboard", "x", &models.ReplyKeyboardMarkup{Keyboard: [][]models.KeyboardButton{{{Text: "a"}}}}, ""},
	}
	s := telegramtest.New(t, token)
	b := newBot(t, s)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chatID := int64(100 + i)
			_, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: chatID, Text: tt.text, ReplyMarkup: tt.markup})
			if tt.want == "" {
				if err != nil {
					t.Fatalf("sendMessage: %v", err)
				}
				if got := len(s.Sent(chatID)); got != 1 {
					t.Errorf("Sent = %d messages, want 1", got)
				}
				return
			}
			if !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("sendMessage error = %v, want ErrorBadRequest ending %q", err, tt.want)
			}
			if got := s.Sent(chatID); got != nil {
				t.Errorf("Sent = %+v after a rejected message, want none", got)
			}
		})
	}

	_, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: "@somechannel", Text: "x"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), "chat not found") {
		t.Errorf("sendMessage to @somechannel: %v, want chat not found", err)
	}
}

func TestEditMessageReplyMarkup(t *testing.T) {
	s := telegramtest.New(t, token)
	b := newBot(t, s)
	ctx := context.Background()
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "Pick", ReplyMarkup: keyboard([]string{"Yes", "yes"})}); err != nil {
		t.Fatal(err)
	}

	edited, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 42, MessageID: 1, ReplyMarkup: keyboard([]string{"Undo", "undo"})})
	if err != nil {
		t.Fatal(err)
	}
	if edited.ID != 1 || edited.EditDate == 0 || edited.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "undo" {
		t.Errorf("edit result = %+v", edited)
	}
	_, err = b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 42, MessageID: 1, ReplyMarkup: keyboard([]string{"Undo", "undo"})})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("same markup again: %v, want message is not modified", err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 42, MessageID: 1}); err != nil {
		t.Fatalf("remove keyboard: %v", err)
	}
	if m, ok := s.Message(42, 1); !ok || m.ReplyMarkup != nil || m.Text != "Pick" {
		t.Errorf("Message(42, 1) = %+v, %v, want the text without keyboard", m, ok)
	}
	_, err = b.EditMessageReplyMarkup(ctx, &bot.EditMessageReplyMarkupParams{ChatID: 42, MessageID: 7})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), "message to edit not found") {
		t.Errorf("edit of an unknown message: %v, want message to edit not found", err)
	}

	edits := s.EditedMarkups()
	if len(edits) != 2 || edits[0].Keyboard[0][0].Text != "Undo" || edits[1].Keyboard != nil {
		t.Errorf("EditedMarkups = %+v, want the new keyboard then removal", edits)
	}
	if sent := s.Sent(42); sent[0].Keyboard[0][0].Text != "Yes" {
		t.Errorf("Sent(42) = %+v, want the keyboard as sent", sent)
	}
}

func TestPressAndAnswer(t *testing.T) {
	s := telegramtest.New(t, token)
	b := newBot(t, s)
	ctx := context.Background()
	if _, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "Pick", ReplyMarkup: keyboard([]string{"Yes", "yes", "No", "no"})}); err != nil {
		t.Fatal(err)
	}

	id := s.Press(t, 42, "de", "No")
	pending := s.Pending()
	if len(pending) != 1 || pending[0].ID != id || pending[0].CallbackQuery == nil {
		t.Fatalf("Pending = %+v, want the callback query %d", pending, id)
	}
	q := pending[0].CallbackQuery
	if q.Data != "no" || q.From.ID != 42 || q.From.LanguageCode != "de" {
		t.Errorf("callback query = %+v", q)
	}
	if m := q.Message.Message; m == nil || m.ID != 1 || m.Text != "Pick" || m.ReplyMarkup == nil || m.From == nil || !m.From.IsBot {
		t.Errorf("callback query message = %+v, want the bot's message 1", m)
	}

	ok, err := b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: "Noted"})
	if err != nil || !ok {
		t.Fatalf("answerCallbackQuery = %v, %v", ok, err)
	}
	_, err = b.AnswerCallbackQuery(ctx, &bot.AnswerCallbackQueryParams{CallbackQueryID: q.ID})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "query is too old") {
		t.Errorf("second answer: %v, want query is too old", err)
	}
	answers := s.CallbackAnswers()
	if len(answers) != 1 || answers[0].Params["callback_query_id"] != q.ID || answers[0].Params["text"] != "Noted" {
		t.Errorf("CallbackAnswers = %+v, want one answer %q", answers, q.ID)
	}
}

func TestFiles(t *testing.T) {
	s := telegramtest.New(t, token)
	b := newBot(t, s)
	ctx := context.Background()
	jpeg := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{7}, 100)...)
	s.AddFile("photo-1", "uniq-1", jpeg)
	s.AddFile("doc-1", "uniq-2", []byte("%PDF-1.7\n"))

	f, err := b.GetFile(ctx, &bot.GetFileParams{FileID: "photo-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := models.File{FileID: "photo-1", FileUniqueID: "uniq-1", FileSize: int64(len(jpeg)), FilePath: "photos/file_1.jpg"}
	if *f != want {
		t.Errorf("getFile = %+v, want %+v", *f, want)
	}
	resp, err := http.Get(b.FileDownloadLink(f))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, jpeg) {
		t.Errorf("download = %d, %d bytes, want 200 and the file", resp.StatusCode, len(body))
	}
	if got := s.Downloads(); got != 1 {
		t.Errorf("Downloads = %d, want 1", got)
	}
	if doc, err := b.GetFile(ctx, &bot.GetFileParams{FileID: "doc-1"}); err != nil || doc.FilePath != "documents/file_2.pdf" {
		t.Errorf("getFile of a PDF = %+v, %v, want documents/file_2.pdf", doc, err)
	}

	_, err = b.GetFile(ctx, &bot.GetFileParams{FileID: "nope"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.HasSuffix(err.Error(), "Bad Request: invalid file_id") {
		t.Errorf("getFile of an unknown file: %v, want invalid file_id", err)
	}
	for _, u := range []string{
		s.URL + "/file/bot" + s.Token + "/photos/file_9.jpg",
		s.URL + "/file/bot654321:WRONG/photos/file_1.jpg",
	} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", u, resp.StatusCode)
		}
	}
	if got := s.Downloads(); got != 1 {
		t.Errorf("Downloads = %d after failed downloads, want 1", got)
	}
}

func TestFail(t *testing.T) {
	s := telegramtest.New(t, token)
	b := newBot(t, s)
	ctx := context.Background()
	send := func() error {
		_, err := b.SendMessage(ctx, &bot.SendMessageParams{ChatID: 42, Text: "hi"})
		if err != nil {
			return fmt.Errorf("send reply: %w", err)
		}
		return nil
	}

	s.Fail("sendMessage", 2, http.StatusTooManyRequests, 7)
	s.Fail("sendMessage", 1, http.StatusForbidden, 0)
	for i := range 2 {
		var tooMany *bot.TooManyRequestsError
		if err := send(); !errors.As(err, &tooMany) || tooMany.RetryAfter != 7 {
			t.Errorf("send %d: %v, want *TooManyRequestsError with RetryAfter 7", i, err)
		}
	}
	if err := send(); !errors.Is(err, bot.ErrorForbidden) || !strings.Contains(err.Error(), "bot was blocked by the user") {
		t.Errorf("send 3: %v, want ErrorForbidden", err)
	}
	if err := send(); err != nil {
		t.Errorf("send 4: %v, want success once the failures are used up", err)
	}
	if got := len(s.Calls("sendMessage")); got != 4 {
		t.Errorf("%d sendMessage calls, want 4, failed ones included", got)
	}
	if got := len(s.Sent(42)); got != 1 {
		t.Errorf("Sent = %d messages, want 1", got)
	}

	s.Fail("getFile", 1, http.StatusInternalServerError, 0)
	s.AddFile("f", "u", []byte("x"))
	if _, err := b.GetFile(ctx, &bot.GetFileParams{FileID: "f"}); err == nil || !strings.Contains(err.Error(), "500 Internal Server Error") {
		t.Errorf("getFile under a 500: %v", err)
	}

	s.Fail("getUpdates", 1, http.StatusTooManyRequests, 3)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/bot"+s.Token+"/getUpdates", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`
	if resp.StatusCode != http.StatusTooManyRequests || string(body) != want {
		t.Errorf("getUpdates under a 429 = %d %s, want 429 %s", resp.StatusCode, body, want)
	}

	defer func() {
		if recover() == nil {
			t.Errorf("Fail of a misspelt method did not panic")
		}
	}()
	s.Fail("sendMesage", 1, 500, 0)
}

func TestBodies(t *testing.T) {
	s := telegramtest.New(t, token)
	endpoint := s.URL + "/bot" + s.Token + "/sendMessage"

	req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(
		`{"chat_id": 42, "text": "json \u00e9", "disable_notification": true,
		  "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}}`))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if status, r, err := do(t, req); err != nil || status != 200 {
		t.Fatalf("JSON sendMessage: %d %s %v", status, r.Description, err)
	}
	want := map[string]string{
		"chat_id":              "42",
		"text":                 "json é",
		"disable_notification": "true",
		"reply_markup":         `{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}`,
	}
	if got := s.Calls("sendMessage")[0].Params; !mapsEqual(got, want) {
		t.Errorf("JSON params = %v, want %v", got, want)
	}

	form := url.Values{"chat_id": {"42"}, "text": {"form"}, "reply_markup": {`{"inline_keyboard":[[{"text":"B","callback_data":"b"}]]}`}}
	if status, r, err := post(t, context.Background(), s, "sendMessage", form); err != nil || status != 200 {
		t.Fatalf("form sendMessage: %d %s %v", status, r.Description, err)
	}

	get, _ := http.NewRequest(http.MethodGet, endpoint+"?chat_id=42&text=query", nil)
	if status, r, err := do(t, get); err != nil || status != 200 {
		t.Fatalf("GET sendMessage: %d %s %v", status, r.Description, err)
	}

	sent := s.Sent(42)
	if len(sent) != 3 || sent[0].Keyboard[0][0].CallbackData != "a" || sent[1].Keyboard[0][0].CallbackData != "b" || sent[2].Text != "query" {
		t.Errorf("Sent(42) = %+v", sent)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestGetUpdatesOffsets(t *testing.T) {
	s := telegramtest.New(t, token)
	for i := range 3 {
		if id := s.Push(telegramtest.TextUpdate(42, "en", fmt.Sprint("m", i))); id != int64(i+1) {
			t.Fatalf("Push %d = ID %d, want %d", i, id, i+1)
		}
	}
	steps := []struct {
		form    url.Values
		want    []int64
		pending []int64
	}{
		{url.Values{}, []int64{1, 2, 3}, []int64{1, 2, 3}},
		{url.Values{"limit": {"2"}}, []int64{1, 2}, []int64{1, 2, 3}},
		{url.Values{"offset": {"2"}}, []int64{2, 3}, []int64{2, 3}},
		{url.Values{"offset": {"1"}}, []int64{2, 3}, []int64{2, 3}}, // confirmed updates stay gone
		{url.Values{"offset": {"4"}, "allowed_updates": {`["message"]`}}, []int64{}, []int64{}},
	}
	for i, st := range steps {
		if got := getUpdates(t, s, st.form); !slices.Equal(got, st.want) {
			t.Errorf("step %d: getUpdates %v = %v, want %v", i, st.form, got, st.want)
		}
		if got := ids(s.Pending()); !slices.Equal(got, st.pending) {
			t.Errorf("step %d: Pending = %v, want %v", i, got, st.pending)
		}
	}
	if got, want := s.Offsets(), []int64{0, 0, 2, 1, 4}; !slices.Equal(got, want) {
		t.Errorf("Offsets = %v, want %v", got, want)
	}

	if id := s.Push(models.Update{ID: 2, Message: telegramtest.TextUpdate(42, "en", "late").Message}); id != 2 {
		t.Errorf("Push with ID 2 = %d", id)
	}
	for range 3 {
		s.Push(telegramtest.TextUpdate(42, "en", "more"))
	}
	if got, want := ids(s.Pending()), []int64{4, 5, 6}; !slices.Equal(got, want) {
		t.Errorf("Pending = %v, want %v: an ID below the confirmed offset is dropped", got, want)
	}
	if got, want := getUpdates(t, s, url.Values{"offset": {"-1"}}), []int64{6}; !slices.Equal(got, want) {
		t.Errorf("getUpdates offset -1 = %v, want %v", got, want)
	}
	if got, want := ids(s.Pending()), []int64{6}; !slices.Equal(got, want) {
		t.Errorf("Pending after offset -1 = %v, want %v", got, want)
	}
}

func TestGetUpdatesLongPoll(t *testing.T) {
	s := telegramtest.New(t, token)
	ctx := context.Background()

	t.Run("queued update returns at once", func(t *testing.T) {
		id := s.Push(telegramtest.TextUpdate(42, "en", "hi"))
		start := time.Now()
		if got := getUpdates(t, s, url.Values{"offset": {fmt.Sprint(id)}, "timeout": {"30"}}); !slices.Equal(got, []int64{id}) {
			t.Errorf("got %v, want [%d]", got, id)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	})

	t.Run("waits for a push", func(t *testing.T) {
		n := len(s.Calls("getUpdates"))
		go func() {
			for len(s.Calls("getUpdates")) <= n {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(100 * time.Millisecond)
			s.Push(telegramtest.TextUpdate(42, "en", "later"))
		}()
		start := time.Now()
		// Offset 100 confirms everything below it, so Push numbers on from 100.
		if got := getUpdates(t, s, url.Values{"offset": {"100"}, "timeout": {"30"}}); !slices.Equal(got, []int64{100}) {
			t.Errorf("got %v, want [100]", got)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v, want the push to end the wait", d)
		}
	})

	t.Run("timeout passes", func(t *testing.T) {
		start := time.Now()
		if got := getUpdates(t, s, url.Values{"offset": {"1000"}, "timeout": {"1"}}); len(got) != 0 {
			t.Errorf("got %v, want none", got)
		}
		if d := time.Since(start); d < time.Second || d > 3*time.Second {
			t.Errorf("took %v, want about 1s", d)
		}
	})

	t.Run("request context cancelled", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, _, err := post(t, ctx, s, "getUpdates", url.Values{"offset": {"1000"}, "timeout": {"30"}})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want the context's", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	})

	t.Run("second poll ends the first", func(t *testing.T) {
		first := make(chan apiResponse, 1)
		go func() {
			_, r, err := post(t, ctx, s, "getUpdates", url.Values{"offset": {"1000"}, "timeout": {"30"}})
			if err != nil {
				t.Error(err)
			}
			first <- r
		}()
		deadline := time.After(5 * time.Second)
		for {
			getUpdates(t, s, url.Values{"offset": {"1000"}})
			select {
			case r := <-first:
				want := "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
				if r.ErrorCode != http.StatusConflict || r.Description != want {
					t.Errorf("first poll = %+v, want 409 %q", r, want)
				}
				return
			case <-deadline:
				t.Fatal("the first poll is still waiting")
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
}

func TestCloseEndsLongPoll(t *testing.T) {
	done := make(chan error, 1)
	t.Run("server", func(t *testing.T) {
		s := telegramtest.New(t, token)
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/bot"+s.Token+"/getUpdates?timeout=60", nil)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		s.WaitCalls(t, "getUpdates", 1, 5*time.Second)
	})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the long poll outlived the server")
	}
}

func TestWebhook(t *testing.T) {
	s := telegramtest.New(t, token)
	b := newBot(t, s)
	ctx := context.Background()

	poll := make(chan apiResponse, 1)
	go func() {
		_, r, _ := post(t, ctx, s, "getUpdates", url.Values{"offset": {"10"}, "timeout": {"30"}})
		poll <- r
	}()
	s.WaitCalls(t, "getUpdates", 1, 5*time.Second)

	_, err := b.SetWebhook(ctx, &bot.SetWebhookParams{URL: "http://example.test/hook"})
	if !errors.Is(err, bot.ErrorBadRequest) || !strings.Contains(err.Error(), "An HTTPS URL must be provided") {
		t.Errorf("setWebhook over HTTP: %v, want bad webhook", err)
	}
	set := &bot.SetWebhookParams{
		URL:            "https://example.test/telegram/hook",
		SecretToken:    "s3cret_-X",
		AllowedUpdates: []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery},
	}
	if ok, err := b.SetWebhook(ctx, set); err != nil || !ok {
		t.Fatalf("setWebhook = %v, %v", ok, err)
	}
	select {
	case r := <-poll:
		if r.ErrorCode != http.StatusConflict || r.Description != "Conflict: terminated by setWebhook request" {
			t.Errorf("waiting poll = %+v, want it ended by setWebhook", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("setWebhook left the long poll waiting")
	}

	if id := s.Push(telegramtest.TextUpdate(42, "en", "hi")); id != 10 {
		t.Errorf("Push = ID %d, want 10, the offset confirmed", id)
	}

	want := telegramtest.Webhook{URL: set.URL, SecretToken: set.SecretToken, AllowedUpdates: set.AllowedUpdates, MaxConnections: 40}
	if got := s.Webhook(); got.URL != want.URL || got.SecretToken != want.SecretToken || !slices.Equal(got.AllowedUpdates, want.AllowedUpdates) || got.MaxConnections != 40 {
		t.Errorf("Webhook = %+v, want %+v", got, want)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != set.URL || info.PendingUpdateCount != 1 {
		t.Errorf("getWebhookInfo = %+v, %v", info, err)
	}

	status, r, err := post(t, ctx, s, "getUpdates", nil)
	wantDesc := "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
	if err != nil || status != http.StatusConflict || r.Description != wantDesc {
		t.Errorf("getUpdates under a webhook = %d %q %v, want 409 %q", status, r.Description, err, wantDesc)
	}

	if ok, err := b.DeleteWebhook(ctx, &bot.DeleteWebhookParams{}); err != nil || !ok {
		t.Fatalf("deleteWebhook = %v, %v", ok, err)
	}
	if got := getUpdates(t, s, nil); !slices.Equal(got, []int64{10}) {
		t.Errorf("getUpdates after deleteWebhook = %v, want [10]", got)
	}
	if _, err := b.DeleteWebhook(ctx, &bot.DeleteWebhookParams{DropPendingUpdates: true}); err != nil {
		t.Fatal(err)
	}
	if got := s.Pending(); len(got) != 0 {
		t.Errorf("Pending after drop_pending_updates = %v", got)
	}
}

// TestLibraryPolls runs the library's own polling loop on every update the
// builders make and checks that each arrives decoded and is confirmed.
func TestLibraryPolls(t *testing.T) {
	s := telegramtest.New(t, token)
	got := make(chan *models.Update, 20)
	var (
		mu     sync.Mutex
		errs   []error
		record = func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() }
	)
	b := newBot(t, s,
		bot.WithDefaultHandler(func(_ context.Context, _ *bot.Bot, u *models.Update) { got <- u }),
		bot.WithErrorsHandler(record),
	)

	updates := []models.Update{
		telegramtest.TextUpdate(42, "en", "/start@slipdesk_test_bot now"),
		telegramtest.ButtonUpdate(42, "en", "yes", 7),
		telegramtest.PhotoUpdate(42, "en", "photo-1", "uniq-1", 50000),
		telegramtest.DocumentUpdate(42, "en", "doc-1", "uniq-2", "receipt.pdf", "application/pdf", 1234),
		telegramtest.StickerUpdate(42, "en"),
		telegramtest.VoiceUpdate(42, "en", 3),
		telegramtest.LocationUpdate(42, "en", 1.5, 103.8),
		telegramtest.ContactUpdate(42, "en", "+6512345678"),
		telegramtest.EditedTextUpdate(42, "en", 1_000_001, "edited"),
		telegramtest.GroupTextUpdate(-1001, 42, "en", "hello group"),
		telegramtest.ForwardedTextUpdate(42, "en", "forwarded"),
	}
	for _, u := range updates {
		s.Push(u)
	}

	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		b.Start(ctx)
		close(stopped)
	}()
	byID := map[int64]*models.Update{}
	for len(byID) < len(updates) {
		select {
		case u := <-got:
			byID[u.ID] = u
		case <-time.After(5 * time.Second):
			t.Fatalf("the library got %d of %d updates", len(byID), len(updates))
		}
	}
	// The library confirms with its next poll.
	for deadline := time.Now().Add(5 * time.Second); len(s.Pending()) > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-stopped

	if m := byID[1].Message; m.Text != "/start@slipdesk_test_bot now" || len(m.Entities) != 1 ||
		m.Entities[0].Type != models.MessageEntityTypeBotCommand || m.Entities[0].Length != len("/start@slipdesk_test_bot") ||
		m.Chat.ID != 42 || m.From.ID != 42 || m.Chat.Type != models.ChatTypePrivate || m.From.LanguageCode != "en" {
		t.Errorf("text update = %+v", m)
	}
	if q := byID[2].CallbackQuery; q.Data != "yes" || q.From.ID != 42 || q.Message.Message == nil || q.Message.Message.ID != 7 {
		t.Errorf("button update = %+v", q)
	}
	if p := byID[3].Message.Photo; len(p) != 2 || p[len(p)-1].FileID != "photo-1" || p[len(p)-1].FileSize != 50000 {
		t.Errorf("photo update = %+v", p)
	}
	if d := byID[4].Message.Document; d == nil || d.FileID != "doc-1" || d.FileName != "receipt.pdf" {
		t.Errorf("document update = %+v", d)
	}
	if byID[5].Message.Sticker == nil || byID[6].Message.Voice == nil || byID[7].Message.Location == nil || byID[8].Message.Contact == nil {
		t.Errorf("sticker, voice, location or contact missing: %+v %+v %+v %+v", byID[5].Message, byID[6].Message, byID[7].Message, byID[8].Message)
	}
	if e := byID[9].EditedMessage; e == nil || e.ID != 1_000_001 || e.EditDate == 0 || e.Text != "edited" {
		t.Errorf("edited update = %+v", e)
	}
	if m := byID[10].Message; m.Chat.Type != models.ChatTypeGroup || m.Chat.ID != -1001 || m.From.ID != 42 {
		t.Errorf("group update = %+v", m)
	}
	if o := byID[11].Message.ForwardOrigin; o == nil || o.Type != models.MessageOriginTypeUser || o.MessageOriginUser.SenderUser.ID == 42 {
		t.Errorf("forwarded update origin = %+v", o)
	}

	if got := s.Pending(); len(got) != 0 {
		t.Errorf("Pending = %v after the library polled again, want all confirmed", ids(got))
	}
	if offsets := s.Offsets(); len(offsets) < 2 || offsets[0] != 1 || offsets[1] != int64(len(updates)+1) {
		t.Errorf("Offsets = %v, want 1 then %d", offsets, len(updates)+1)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("library error: %v", err)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	s := telegramtest.New(t, token)
	b := newBot(t, s)
	var wg sync.WaitGroup
	for chat := int64(1); chat <= 8; chat++ {
		wg.Go(func() {
			for i := range 20 {
				if _, err := b.SendMessage(context.Background(), &bot.SendMessageParams{ChatID: chat, Text: fmt.Sprint(i)}); err != nil {
					t.Error(err)
				}
				s.Push(telegramtest.TextUpdate(chat, "en", "x"))
				s.Sent(chat)
				s.Pending()
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if status, r, err := post(t, context.Background(), s, "getUpdates", url.Values{"timeout": {"1"}}); err != nil || status != http.StatusOK {
				t.Errorf("getUpdates: %d %s %v", status, r.Description, err)
			}
		}
	})
	for chat := int64(1); chat <= 8; chat++ {
		sent := s.WaitSent(t, chat, 20, 10*time.Second)
		for i, m := range sent {
			if m.MessageID != i+1 {
				t.Errorf("chat %d message %d has ID %d", chat, i, m.MessageID)
			}
		}
	}
	wg.Wait()
	if got := len(s.Pending()); got != 160 {
		t.Errorf("Pending = %d updates, want 160", got)
	}
}
