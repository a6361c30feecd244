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

// Put reads r to its end (streamed: never whole in memory) and keeps it, unless it is
// empty or longer than limit bytes. It returns the content's SHA-256 and size. Nothing
// stays behind on any error.
func (s *Store) Put(r io.Reader, limit int64) (sum string, size int64, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "upload-*")
	if err != nil {
		return "", 0, describe(err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	// One byte past the limit tells "too large" from "exactly the limit".
	size, err = io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, limit+1))
	if err != nil {
		return "", 0, describe(err)
	}
	if size > limit {
		return "", 0, ErrTooLarge
	}
	if size == 0 {
		return "", 0, ErrEmpty
	}
	if err = tmp.Sync(); err != nil {
		return "", 0, describe(err)
	}
	if err = tmp.Close(); err != nil {
		return "", 0, describe(err)
	}
	sum = hex.EncodeToString(h.Sum(nil))
	dst, _ := s.path(sum)
	if err = os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, describe(err)
	}
	if _, statErr := os.Stat(dst); statErr == nil {
		os.Remove(tmp.Name()) // the same content is kept already
		return sum, size, nil
	}
	if err = os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, describe(err)
	}
	if d, derr := os.Open(filepath.Dir(dst)); derr == nil { // the rename itself survives a power cut
		d.Sync()
		d.Close()
	}
	return sum, size, nil
}

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
