package telegramtest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-telegram/bot/models"
)

// maxDownload is the largest file a bot may download from Telegram.
const maxDownload = 20 << 20

// file is a file users sent, which the bot may fetch.
type file struct {
	id, uniqueID string
	path         string
	content      []byte
}

// AddFile makes a file known to getFile and to the download route. Its
// file_path is "photos/file_<n>.jpg" (or .png, .gif, .webp) for an image
// and "documents/file_<n>" otherwise, with .pdf, .zip or .txt when content
// is one; the type is sniffed from content. Adding a known fileID again
// replaces its content and keeps its path.
func (s *Server) AddFile(fileID, uniqueID string, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.files[fileID]; ok {
		f.uniqueID = uniqueID
		f.content = slices.Clone(content)
		return
	}
	f := &file{
		id:       fileID,
		uniqueID: uniqueID,
		path:     filePath(len(s.files)+1, content),
		content:  slices.Clone(content),
	}
	s.files[fileID] = f
	s.paths[f.path] = f
}

func filePath(n int, content []byte) string {
	dir, ext := "documents", ""
	switch http.DetectContentType(content) {
	case "image/jpeg":
		dir, ext = "photos", ".jpg"
	case "image/png":
		dir, ext = "photos", ".png"
	case "image/gif":
		dir, ext = "photos", ".gif"
	case "image/webp":
		dir, ext = "photos", ".webp"
	case "application/pdf":
		ext = ".pdf"
	case "application/zip":
		ext = ".zip"
	case "text/plain; charset=utf-8":
		ext = ".txt"
	}
	return fmt.Sprintf("%s/file_%d%s", dir, n, ext)
}

// Downloads counts the files served by the download route.
func (s *Server) Downloads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.downloads
}

func (s *Server) getFile(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[p["file_id"]]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	if len(f.content) > maxDownload {
		return nil, badRequest("file is too big")
	}
	return models.File{
		FileID:       f.id,
		FileUniqueID: f.uniqueID,
		FileSize:     int64(len(f.content)),
		FilePath:     f.path,
	}, nil
}

// download serves GET {URL}/file/bot<token>/<file_path>; rest is the path
// after "/file/bot".
func (s *Server) download(w http.ResponseWriter, r *http.Request, rest string) {
	token, path, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	f, ok := s.paths[path]
	if ok && token == s.Token && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		if r.Method == http.MethodGet {
			s.downloads++
		}
		content := f.content
		s.mu.Unlock()
		w.Header().Set("Content-Type", http.DetectContentType(content))
		w.Header().Set("Content-Length", fmt.Sprint(len(content)))
		if r.Method == http.MethodGet {
			w.Write(content)
		}
		return
	}
	s.mu.Unlock()
	reply(w, nil, &apiError{code: http.StatusNotFound, description: "Not Found"})
}
