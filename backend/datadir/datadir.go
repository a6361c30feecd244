// Package datadir finds the data folder and makes sure one process owns it.
package datadir

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// EnvVar overrides the default data folder.
const EnvVar = "GATEHOUSE_DATA"

// Resolve returns the data folder: flag if set, else $GATEHOUSE_DATA, else
// os.UserConfigDir()/Gatehouse.
func Resolve(flag string) (string, error) {
	dir := flag
	if dir == "" {
		dir = os.Getenv(EnvVar)
	}
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("cannot find the user configuration folder (%v); pass --data DIR", err)
		}
		dir = filepath.Join(base, "Gatehouse")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return "", fmt.Errorf("cannot create the data folder %s: %w", abs, err)
	}
	return abs, nil
}

// Lock is the data folder's ownership by this process.
type Lock struct {
	fl      *flock.Flock
	pidFile string
}

// HeldError says which process holds a data folder.
type HeldError struct {
	Dir    string
	Holder string // "pid 1234 (serve, since 2026-11-22 10:00:00)" or "" when unknown
}

func (e *HeldError) Error() string {
	who := "another Gatehouse process"
	if e.Holder != "" {
		who += " (" + e.Holder + ")"
	}
	return fmt.Sprintf("the data folder %s is in use by %s. Close that one first, or use another folder with --data DIR.", e.Dir, who)
}

// Acquire takes the data folder for this process, or returns a *HeldError naming the
// process that has it. mode ("window", "serve", "admin") is recorded for that message.
func Acquire(dir, mode string) (*Lock, error) {
	fl := flock.New(filepath.Join(dir, "gatehouse.lock"))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("cannot lock the data folder %s: %w", dir, err)
	}
	pidFile := filepath.Join(dir, "gatehouse.pid")
	if !ok {
		return nil, &HeldError{Dir: dir, Holder: readHolder(pidFile)}
	}
	info := fmt.Sprintf("%d %s %s", os.Getpid(), mode, time.Now().Format(time.RFC3339))
	if err := os.WriteFile(pidFile, []byte(info), 0o600); err != nil {
		fl.Unlock()
		return nil, fmt.Errorf("cannot write %s: %w", pidFile, err)
	}
	return &Lock{fl: fl, pidFile: pidFile}, nil
}

func readHolder(pidFile string) string {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	if _, err := strconv.Atoi(f[0]); err != nil {
		return ""
	}
	since := f[2]
	if t, err := time.Parse(time.RFC3339, f[2]); err == nil {
		since = t.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprintf("pid %s, %s mode, since %s", f[0], f[1], since)
}

// Release gives the folder up.
func (l *Lock) Release() error {
	os.Remove(l.pidFile)
	return l.fl.Unlock()
}
