// Package proofdir keeps proof files in a local directory: the default
// bot.ProofStore, for one machine. Each file is stored once per owner
// under its SHA-256, at <dir>/<owner>/<sha256>, readable by the service's
// user only; its ref is "<owner>.<sha256>".
package proofdir

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/slipdesk/slipdesk/bot"
)

// Store is a bot.ProofStore on a directory. It is safe for concurrent use,
// by goroutines and by processes sharing the directory: every file is
// written under a temporary name and renamed into place, so a reader sees
// a whole file or none.
type Store struct {
	dir string
}

var _ bot.ProofStore = (*Store)(nil)

// New returns a store on dir. The directory is created (mode 0700) at the
// first Put, so that a chat that never receives a file leaves no trace.
func New(dir string) (*Store, error) {
	if dir == "" {
		return nil, bot.Errorf(bot.EINVALID, "proof directory not set")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("proof directory %s: %w", dir, err)
	}
	return &Store{dir: abs}, nil
}

// Dir returns the store's directory, as an absolute path.
func (s *Store) Dir() string { return s.dir }

// Put implements bot.ProofStore. It hashes the bytes as it writes them, so
// a file is read once; the ref is the owner and the SHA-256 in lower-case
// hex, joined by a dot.
func (s *Store) Put(ctx context.Context, owner string, r io.Reader) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if !isHex(owner, 1, maxOwnerLen) {
		return "", bot.Errorf(bot.EINVALID, "proof owner %q is not 1 to %d hex digits", truncate(owner), maxOwnerLen)
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return "", fmt.Errorf("create proof directory: %w", err)
	}
	// The temporary file sits in the store's top directory, on the same
	// file system as its final place, so the rename is atomic.
	tmp, err := os.CreateTemp(s.dir, ".put-*")
	if err != nil {
		return "", fmt.Errorf("store proof: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r}); err != nil {
		return "", fmt.Errorf("store proof: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("store proof: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("store proof: %w", err)
	}
	ref := owner + "." + hex.EncodeToString(h.Sum(nil))
	path := s.path(ref)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("store proof: %w", err)
	}
	if _, err := os.Stat(path); err == nil {
		// The same bytes are stored already: nothing to do.
		os.Remove(tmp.Name())
		done = true
		return ref, nil
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		// Where rename does not replace (Windows), another Put of the
		// same bytes may have won the race; its file is as good.
		if _, serr := os.Stat(path); serr != nil {
			return "", fmt.Errorf("store proof: %w", err)
		}
		os.Remove(tmp.Name())
	}
	done = true
	syncDir(filepath.Dir(path))
	return ref, nil
}

// Open implements bot.ProofStore.
func (s *Store) Open(ctx context.Context, ref string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkRef(ref); err != nil {
		return nil, err
	}
	f, err := os.Open(s.path(ref))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open proof %s: %w", ref, bot.ErrProofNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open proof %s: %w", ref, err)
	}
	return f, nil
}

// Delete implements bot.ProofStore. The owner's directory stays: a Put
// running at the same time may be about to rename a file into it.
func (s *Store) Delete(ctx context.Context, ref string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkRef(ref); err != nil {
		return err
	}
	err := os.Remove(s.path(ref))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete proof %s: %w", ref, err)
	}
	return nil
}

// path returns where the file of a checked ref lives: a directory per
// owner, so that one user's files are also easy to find and remove.
func (s *Store) path(ref string) string {
	owner, sum, _ := strings.Cut(ref, ".")
	return filepath.Join(s.dir, owner, sum)
}

// maxOwnerLen bounds an owner's name.
const maxOwnerLen = 64

// checkRef accepts exactly what Put returns, an owner and a SHA-256 in
// lower-case hex joined by a dot, so that no ref can name a path outside
// the store.
func checkRef(ref string) error {
	owner, sum, ok := strings.Cut(ref, ".")
	if !ok || !isHex(owner, 1, maxOwnerLen) || !isHex(sum, sha256.Size*2, sha256.Size*2) {
		return bot.Errorf(bot.EINVALID, "proof ref %q is not an owner and a SHA-256 in hex", truncate(ref))
	}
	return nil
}

// isHex reports whether s is min to max lower-case hex digits.
func isHex(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// truncate keeps error messages short when a ref is garbage.
func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// syncDir makes a rename in dir durable where the system allows it; a
// failure costs durability only on a crash, so it is not reported.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// ctxReader stops a copy when the context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
