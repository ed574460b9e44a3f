package proofdir_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/slipdesk/slipdesk/adapters/proofdir"
	"github.com/slipdesk/slipdesk/bot"
)

func newStore(t *testing.T) (*proofdir.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "proofs")
	s, err := proofdir.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func sumOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// owner and other are two users' conversations, as bot.ProofOwner names
// them.
var (
	owner = bot.ProofOwner(bot.Key{Channel: "console", User: "alice"})
	other = bot.ProofOwner(bot.Key{Channel: "console", User: "bob"})
)

// refOf is the ref Put gives owner's data.
func refOf(data []byte) string { return owner + "." + sumOf(data) }

func TestPutOpenDelete(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t)
	data := []byte("\x89PNG\r\n\x1a\nbank sms screenshot")
	ref, err := s.Put(ctx, owner, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if want := refOf(data); ref != want {
		t.Errorf("ref %q, want the owner and the SHA-256 %q", ref, want)
	}
	if _, err := os.Stat(filepath.Join(dir, owner, sumOf(data))); err != nil {
		t.Errorf("file not at <dir>/<owner>/<sha256>: %v", err)
	}
	rc, err := s.Open(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("Open gave %q, %v; want %q", got, err, data)
	}
	if err := s.Delete(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, ref); !errors.Is(err, bot.ErrProofNotFound) || bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("Open after Delete: got %v, want ErrProofNotFound", err)
	}
	if err := s.Delete(ctx, ref); err != nil {
		t.Errorf("second Delete: %v, want nil", err)
	}
	assertNoTemp(t, dir)
}

func TestPutTwiceStoresOnce(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t)
	data := []byte("%PDF-1.7 statement")
	ref1, err := s.Put(ctx, owner, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	ref2, err := s.Put(ctx, owner, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if ref1 != ref2 {
		t.Errorf("refs %q and %q for the same bytes", ref1, ref2)
	}
	if n := countFiles(t, dir); n != 1 {
		t.Errorf("%d files stored, want 1", n)
	}
	diff, err := s.Put(ctx, owner, strings.NewReader("other bytes"))
	if err != nil || diff == ref1 {
		t.Errorf("different bytes: ref %q, %v", diff, err)
	}
}

// TestOwnersKeepTheirOwnCopy: the same bytes from two users are two
// files, so one user's deletion leaves the other's.
func TestOwnersKeepTheirOwnCopy(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	data := []byte("\xff\xd8\xff the same screenshot")
	mine, err := s.Put(ctx, owner, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := s.Put(ctx, other, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if mine == theirs {
		t.Fatalf("two owners share ref %q", mine)
	}
	if err := s.Delete(ctx, mine); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Open(ctx, theirs)
	if err != nil {
		t.Fatalf("the other owner's file went with the deletion: %v", err)
	}
	rc.Close()
	for _, bad := range []string{"", "ALICE", "../x", strings.Repeat("a", 65)} {
		if _, err := s.Put(ctx, bad, bytes.NewReader(data)); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("Put for owner %q: got %v, want an invalid owner", bad, err)
		}
	}
}

// TestPutConcurrent puts the same bytes from several goroutines, as
// redeliveries of one upload on several workers would.
func TestPutConcurrent(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t)
	data := bytes.Repeat([]byte("JPEG"), 64<<10)
	want := refOf(data)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			ref, err := s.Put(ctx, owner, bytes.NewReader(data))
			if err == nil && ref != want {
				err = errors.New("ref " + ref + ", want " + want)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	rc, err := s.Open(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, _ := io.ReadAll(rc)
	if !bytes.Equal(got, data) {
		t.Errorf("stored %d bytes, want the %d put", len(got), len(data))
	}
	if n := countFiles(t, dir); n != 1 {
		t.Errorf("%d files stored, want 1", n)
	}
	assertNoTemp(t, dir)
}

func TestBadRefs(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t)
	// A file beside the store that a traversal would reach.
	secret := filepath.Join(filepath.Dir(dir), "secret")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := refOf([]byte("x"))
	for name, ref := range map[string]string{
		"empty":          "",
		"parent":         "..",
		"traversal":      "../secret",
		"deep traversal": "../../../../../../etc/passwd",
		"absolute":       secret,
		"padded":         "../" + good[3:],
		"upper case":     strings.ToUpper(good),
		"too short":      good[:len(good)-1],
		"too long":       good + "0",
		"no owner":       sumOf([]byte("x")),
		"empty owner":    "." + sumOf([]byte("x")),
		"slash inside":   owner + "/" + sumOf([]byte("x")),
		"backslash":      owner + `\` + sumOf([]byte("x")),
		"dot dot owner":  "..." + sumOf([]byte("x")),
		"nul":            good[:len(good)-1] + "\x00",
		"non-hex":        owner + "." + strings.Repeat("g", 64),
	} {
		t.Run(name, func(t *testing.T) {
			if rc, err := s.Open(ctx, ref); err == nil || bot.ErrorCode(err) != bot.EINVALID {
				if rc != nil {
					rc.Close()
				}
				t.Errorf("Open(%q): got %v, want an invalid ref", ref, err)
			}
			if err := s.Delete(ctx, ref); err == nil || bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("Delete(%q): got %v, want an invalid ref", ref, err)
			}
		})
	}
	if _, err := os.Stat(secret); err != nil {
		t.Errorf("file outside the store is gone: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	s, dir := newStore(t)
	if _, err := s.Put(context.Background(), owner, strings.NewReader("GIF89a")); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]fs.FileMode{
		dir:                       fs.ModeDir | 0o700,
		filepath.Join(dir, owner): fs.ModeDir | 0o700,
		filepath.Join(dir, owner, sumOf([]byte("GIF89a"))): 0o600,
	} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode(); got != want {
			t.Errorf("%s: mode %v, want %v", path, got, want)
		}
	}
}

// TestNoDirectoryUntilPut keeps a chat that never gets a file from
// leaving an empty directory behind.
func TestNoDirectoryUntilPut(t *testing.T) {
	s, dir := newStore(t)
	if err := s.Delete(context.Background(), refOf(nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(context.Background(), refOf(nil)); !errors.Is(err, bot.ErrProofNotFound) {
		t.Errorf("Open in a missing directory: got %v, want ErrProofNotFound", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("directory made before any Put: %v", err)
	}
}

func TestPutFailureLeavesNothing(t *testing.T) {
	s, dir := newStore(t)
	boom := errors.New("upload cut off")
	r := io.MultiReader(strings.NewReader("\xff\xd8\xffpartial"), iotest.ErrReader(boom))
	if _, err := s.Put(context.Background(), owner, r); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the reader's error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Put(ctx, owner, strings.NewReader("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: %v", err)
	}
	if n := countFiles(t, dir); n != 0 {
		t.Errorf("%d files left after failed puts", n)
	}
	assertNoTemp(t, dir)
}

func TestNewNeedsDir(t *testing.T) {
	if _, err := proofdir.New(""); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("New(\"\"): got %v, want an invalid setting", err)
	}
	s, err := proofdir.New("relative/proofs")
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(s.Dir()) {
		t.Errorf("Dir() = %q, want an absolute path", s.Dir())
	}
}

// countFiles counts the stored files (not directories, not temporaries).
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == dir {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	tmps, _ := filepath.Glob(filepath.Join(dir, ".put-*"))
	if len(tmps) > 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}
