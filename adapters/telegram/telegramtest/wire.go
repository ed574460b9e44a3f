package telegramtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
)

// maxBody bounds a request body; Telegram accepts uploads up to 50 MB.
const maxBody = 50 << 20

// apiError is an error answer of the Bot API.
type apiError struct {
	code        int
	description string
	retryAfter  int
}

func badRequest(description string) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + description}
}

// params are the fields of one request.
type params map[string]string

// reply writes a Bot API answer: result when e is nil, else the error with
// its code as the HTTP status too.
func reply(w http.ResponseWriter, result any, e *apiError) {
	type parameters struct {
		RetryAfter int `json:"retry_after"`
	}
	var body struct {
		OK          bool        `json:"ok"`
		Result      any         `json:"result,omitempty"`
		ErrorCode   int         `json:"error_code,omitempty"`
		Description string      `json:"description,omitempty"`
		Parameters  *parameters `json:"parameters,omitempty"`
	}
	status := http.StatusOK
	if e != nil {
		status = e.code
		body.ErrorCode = e.code
		body.Description = e.description
		if e.code == http.StatusTooManyRequests {
			body.Parameters = &parameters{RetryAfter: e.retryAfter}
		}
	} else {
		body.OK = true
		body.Result = result
	}
	data, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		data = fmt.Appendf(nil, `{"ok":false,"error_code":500,"description":%q}`, "telegramtest: encode result: "+err.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(data)
}

// readParams reads the query string and the body, whose fields win.
func readParams(r *http.Request) (params, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("read body: %v", err)
	}
	// go-telegram/bot sends an empty body, still labelled multipart, for a
	// method without parameters (getMe); Telegram accepts it.
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil
	}
	mediaType, mediaParams, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("content type %q: %v", r.Header.Get("Content-Type"), err)
	}
	switch mediaType {
	case "multipart/form-data":
		return p, readMultipart(p, body, mediaParams["boundary"])
	case "application/json":
		return p, readJSON(p, body)
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fmt.Errorf("form body: %v", err)
		}
		for k, v := range form {
			p[k] = v[0]
		}
		return p, nil
	}
	return nil, fmt.Errorf("unsupported content type %q", mediaType)
}

func readMultipart(p params, body []byte, boundary string) error {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("multipart body: %v", err)
		}
		value, err := io.ReadAll(part)
		if err != nil {
			return fmt.Errorf("multipart field %q: %v", part.FormName(), err)
		}
		switch {
		case part.FormName() == "":
		case part.FileName() != "":
			p[part.FormName()] = part.FileName()
		default:
			p[part.FormName()] = string(value)
		}
	}
}

func readJSON(p params, body []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return fmt.Errorf("JSON body: %v", err)
	}
	for k, raw := range fields {
		raw = bytes.TrimSpace(raw)
		switch {
		case string(raw) == "null":
		case raw[0] == '"':
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("JSON field %q: %v", k, err)
			}
			p[k] = v
		default:
			var b bytes.Buffer
			if err := json.Compact(&b, raw); err != nil {
				return fmt.Errorf("JSON field %q: %v", k, err)
			}
			p[k] = b.String()
		}
	}
	return nil
}

// int64 returns the integer field name, or def when it is absent.
func (p params) int64(name string, def int64) (int64, *apiError) {
	v, ok := p[name]
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest(fmt.Sprintf("invalid %s %q", name, v))
	}
	return n, nil
}

// bool reports whether the field name is true.
func (p params) bool(name string) bool {
	v, _ := strconv.ParseBool(p[name])
	return v
}

// chatID returns the numeric chat_id; the fake knows no @usernames.
func (p params) chatID() (int64, *apiError) {
	v := p["chat_id"]
	if v == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("chat not found")
	}
	return id, nil
}
