// Package blobs keeps file contents in the data folder by their SHA-256: files/ab/cdef…,
// each written to a temporary name, synced and renamed, so a crash or a full disk never
// leaves a half-written blob under a real name. A blob nobody refers to any more is
// removed (at once after a delete, and in a sweep at start for what a crash left).
package blobs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"syscall"

	"gatehouse/backend/apperr"
)

// Store is the blob folder of one data folder.
type Store struct {
	dir string
}

// Open makes (when needed) and opens the blob folder dir.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("blobs: %w", err)
	}
	// What a crash left half-written is never anyone's: it goes.
	tmps, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	for _, t := range tmps {
		os.Remove(filepath.Join(dir, "tmp", t.Name()))
	}
	return &Store{dir: dir}, nil
}

var sumShape = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (s *Store) path(sum string) (string, error) {
	if !sumShape.MatchString(sum) {
		return "", fmt.Errorf("blobs: %q is not a content sum", sum)
	}
	return filepath.Join(s.dir, sum[:2], sum[2:]), nil
}

// ErrTooLarge: the content is longer than the limit; nothing was kept.
var ErrTooLarge = errors.New("blobs: the content is larger than the limit")

// ErrEmpty: there was no content; nothing was kept.
var ErrEmpty = errors.New("blobs: the content is empty")

// errDiskFull is what a person is told when the disk fills up.
var errDiskFull = apperr.New(apperr.Unavailable, "disk_full", "The disk holding Gatehouse's data is full: nothing was saved. Free some space and try again.")

// Pending is content read and synced under a temporary name: Keep puts it in place,
// Discard drops it. Reading takes as long as the sender takes; keeping is quick, so
// whoever must not race with removals holds their lock for Keep only.
type Pending struct {
	s    *Store
	tmp  string
	Sum  string
	Size int64
}

// Put reads r to its end (streamed: never whole in memory) into a pending blob, unless it
// is empty or longer than limit bytes. Nothing stays behind on any error.
func (s *Store) Put(r io.Reader, limit int64) (p *Pending, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "upload-*")
	if err != nil {
		return nil, describe(err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	// One byte past the limit tells "too large" from "exactly the limit".
	size, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		return nil, describe(err)
	}
	if size > limit {
		return nil, ErrTooLarge
	}
	if size == 0 {
		return nil, ErrEmpty
	}
	if err = tmp.Sync(); err != nil {
		return nil, describe(err)
	}
	if err = tmp.Close(); err != nil {
		return nil, describe(err)
	}
	return &Pending{s: s, tmp: tmp.Name(), Sum: hex.EncodeToString(h.Sum(nil)), Size: size}, nil
}

// Keep puts the content in place under its sum (the same content kept already is simply
// replaced by this identical copy).
func (p *Pending) Keep() error {
	dst, _ := p.s.path(p.Sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		p.Discard()
		return describe(err)
	}
	if err := os.Rename(p.tmp, dst); err != nil {
		p.Discard()
		return describe(err)
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil { // the rename itself survives a power cut
		d.Sync()
		d.Close()
	}
	return nil
}

// Discard drops the pending content.
func (p *Pending) Discard() { os.Remove(p.tmp) }

// describe turns a full disk into what a person can act on.
func describe(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return errDiskFull
	}
	return fmt.Errorf("blobs: %w", err)
}

// Open opens the content sum for reading.
func (s *Store) Open(sum string) (*os.File, error) {
	p, err := s.path(sum)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("blobs: %w", err)
	}
	return f, nil
}

// Remove removes the content sum (gone already is fine).
func (s *Store) Remove(sum string) error {
	p, err := s.path(sum)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blobs: %w", err)
	}
	return nil
}

// Sweep removes every blob that inUse does not name and returns how many it removed.
func (s *Store) Sweep(inUse map[string]bool) (int, error) {
	n := 0
	dirs, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, fmt.Errorf("blobs: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(s.dir, d.Name()))
		if err != nil {
			return n, fmt.Errorf("blobs: %w", err)
		}
		for _, e := range entries {
			sum := d.Name() + e.Name()
			if sumShape.MatchString(sum) && !inUse[sum] {
				if err := os.Remove(filepath.Join(s.dir, d.Name(), e.Name())); err == nil {
					n++
				}
			}
		}
	}
	return n, nil
}
