package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"gatehouse/backend/apperr"
)

// FileName is the plain-file store's name inside the data folder.
const FileName = "insecure-secrets.json"

// File keeps secrets unencrypted in a JSON file readable only by its owner (mode 0600).
// It exists for machines without a keychain and is used only when the owner starts
// Gatehouse with --insecure-file-secrets; it is never a silent fallback.
type File struct {
	path string
	mu   sync.Mutex
}

var _ Store = (*File)(nil)

// NewFile returns the plain-file store at path.
func NewFile(path string) *File { return &File{path: path} }

func (f *File) read() (map[string]string, error) {
	raw, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, &UnavailableError{Op: "read", Cause: err}
	}
	m := map[string]string{}
	if err := json.Unmarshal(raw, &m); err != nil {
		// The message names the file, never its content.
		return nil, &UnavailableError{Op: "read", Cause: fmt.Errorf("%s is not valid JSON", f.path)}
	}
	return m, nil
}

func (f *File) write(m map[string]string, op string) error {
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return &UnavailableError{Op: op, Cause: err}
	}
	// Written to a temporary file (0600 from the start) and renamed, so a crash never
	// leaves half a file.
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".secrets-*")
	if err != nil {
		return &UnavailableError{Op: op, Cause: err}
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(raw)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path)
	}
	if err != nil {
		return &UnavailableError{Op: op, Cause: err}
	}
	return nil
}

// Get reads a secret.
func (f *File) Get(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return "", err
	}
	v, ok := m[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set stores a secret.
func (f *File) Set(key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	m[key] = value
	return f.write(m, "store")
}

// Delete removes a secret.
func (f *File) Delete(key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	if _, ok := m[key]; !ok {
		return nil
	}
	delete(m, key)
	return f.write(m, "delete")
}

// Warning says that secrets are not protected.
func (f *File) Warning() apperr.Text {
	return apperr.Textf("Secrets are kept unencrypted in %s because Gatehouse was started with --insecure-file-secrets. "+
		"Anyone who can read that file can use them. Start Gatehouse without that option to use the system keychain.", f.path)
}
