package bot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"time"
)

// ContentBundle is the operators' files as one whole: the flow files
// (*.yaml, *.yml) and the locale files (*.toml) by name. It is what one
// replica publishes and every other one loads, so that all run the same
// content whatever their own folders hold; its Digest names that content.
type ContentBundle struct {
	Flows   map[string][]byte
	Locales map[string][]byte
}

// maxBundleFile bounds one file of a bundle: flow and locale files are
// a few tens of kilobytes.
const maxBundleFile = 4 << 20

// ReadBundle reads the files LoadContent would read from flows and
// locales.
func ReadBundle(flows, locales fs.FS) (ContentBundle, error) {
	b := ContentBundle{Flows: map[string][]byte{}, Locales: map[string][]byte{}}
	for _, part := range []struct {
		fsys     fs.FS
		patterns []string
		into     map[string][]byte
	}{{flows, []string{"*.yaml", "*.yml"}, b.Flows}, {locales, []string{"*.toml"}, b.Locales}} {
		for _, pattern := range part.patterns {
			names, err := fs.Glob(part.fsys, pattern)
			if err != nil {
				return ContentBundle{}, err
			}
			for _, name := range names {
				buf, err := fs.ReadFile(part.fsys, name)
				if err != nil {
					return ContentBundle{}, err
				}
				if len(buf) > maxBundleFile {
					return ContentBundle{}, Errorf(EINVALID, "%s is larger than %d bytes", name, maxBundleFile)
				}
				part.into[name] = buf
			}
		}
	}
	return b, nil
}

// Digest is a short hash of every file's name and content.
func (b ContentBundle) Digest() string {
	h := sha256.New()
	for _, part := range []struct {
		kind  string
		files map[string][]byte
	}{{"flows", b.Flows}, {"locales", b.Locales}} {
		for _, name := range slices.Sorted(maps.Keys(part.files)) {
			fmt.Fprintf(h, "%s/%s %d\n", part.kind, name, len(part.files[name]))
			h.Write(part.files[name])
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Load loads and validates the bundle's content, as LoadContent does
// from folders.
func (b ContentBundle) Load(reg *Registry) (*Content, []Problem) {
	return LoadContent(memFS(b.Flows), memFS(b.Locales), reg)
}

// memFS serves a bundle's files, all at the top, to LoadContent.
type memFS map[string][]byte

// Open implements fs.FS.
func (m memFS) Open(name string) (fs.File, error) {
	buf, ok := m[name]
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memFile{Reader: bytes.NewReader(buf), name: name, size: int64(len(buf))}, nil
}

// ReadFile implements fs.ReadFileFS.
func (m memFS) ReadFile(name string) ([]byte, error) {
	buf, ok := m[name]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return bytes.Clone(buf), nil
}

// Glob implements fs.GlobFS.
func (m memFS) Glob(pattern string) ([]string, error) {
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, err
	}
	var out []string
	for name := range m {
		if ok, _ := path.Match(pattern, name); ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f.name, f.size}, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
