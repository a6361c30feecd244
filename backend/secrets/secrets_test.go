package secrets

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func randomKey(t *testing.T) string {
	b := make([]byte, 8)
	rand.Read(b)
	return "test-" + t.Name() + "-" + hex.EncodeToString(b)
}

// needsSessionBus skips outside a desktop session; `make test` runs the Go tests through
// scripts/with-desktop.sh, which starts a private D-Bus session and an unlocked
// gnome-keyring, so there these tests use the real daemon.
func needsSessionBus(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Skip("no D-Bus session: run through scripts/with-desktop.sh to test against the real gnome-keyring")
	}
}

// testStore walks one Store through everything callers rely on.
func testStore(t *testing.T, s Store) {
	key := randomKey(t)
	t.Cleanup(func() { s.Delete(key) })
	if _, err := s.Get(key); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnavailable) {
		t.Fatalf("missing key: %v, want ErrNotFound", err)
	}
	if err := s.Delete(key); err != nil {
		t.Fatalf("deleting a missing key: %v", err)
	}
	secret := "s3cret ünïcode " + key
	if err := s.Set(key, secret); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(key); err != nil || got != secret {
		t.Fatalf("get: %q %v", got, err)
	}
	if err := s.Set(key, "replaced"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(key); err != nil || got != "replaced" {
		t.Fatalf("get after replace: %q %v", got, err)
	}
	if err := s.Delete(key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestKeychainAgainstTheRealDaemon(t *testing.T) {
	needsSessionBus(t)
	k := NewKeychain(Service+"-test", 10*time.Second)
	testStore(t, k)
	if !k.Warning().IsZero() {
		t.Fatalf("keychain warning: %q", k.Warning())
	}
	// The entry is really in the Secret Service: secret-tool (libsecret) reads it back.
	if path, err := exec.LookPath("secret-tool"); err == nil {
		key := randomKey(t)
		t.Cleanup(func() { k.Delete(key) })
		if err := k.Set(key, "visible to secret-tool"); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(path, "lookup", "service", Service+"-test", "username", key).Output()
		if err != nil || string(out) != "visible to secret-tool" {
			t.Fatalf("secret-tool lookup: %q %v", out, err)
		}
	}
}

// With no reachable D-Bus session the keychain says so, plainly and quickly, and never
// that the secret is merely missing. godbus keeps its session connection for the life of
// the process, so this runs in a child process with a bus address that leads nowhere.
func TestKeychainUnavailableWithoutSessionBus(t *testing.T) {
	if os.Getenv("GATEHOUSE_SECRETS_CHILD") == "1" {
		k := NewKeychain(Service+"-test", 3*time.Second)
		start := time.Now()
		for _, op := range []func() error{
			func() error { _, err := k.Get("anything"); return err },
			func() error { return k.Set("anything", "value-that-must-not-appear") },
			func() error { return k.Delete("anything") },
		} {
			err := op()
			if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrNotFound) {
				t.Fatalf("got %v, want ErrUnavailable", err)
			}
			if !strings.Contains(err.Error(), "keychain is unavailable") || strings.Contains(err.Error(), "value-that-must-not-appear") {
				t.Fatalf("message: %q", err.Error())
			}
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("took %s", d)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKeychainUnavailableWithoutSessionBus$", "-test.v")
	cmd.Env = append(os.Environ(), "GATEHOUSE_SECRETS_CHILD=1",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus-here"))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

type hangingBackend struct{ release chan struct{} }

func (h hangingBackend) Get(string, string) (string, error) { <-h.release; return "", nil }
func (h hangingBackend) Set(string, string, string) error   { <-h.release; return nil }
func (h hangingBackend) Delete(string, string) error        { <-h.release; return nil }

// A keychain that never answers (a locked one waiting on its unlock prompt) costs the
// caller the timeout, then an ErrUnavailable that says what probably happened.
func TestKeychainTimeout(t *testing.T) {
	h := hangingBackend{release: make(chan struct{})}
	defer close(h.release)
	k := &Keychain{service: "x", timeout: 50 * time.Millisecond, kr: h}
	start := time.Now()
	_, err := k.Get("key")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "did not answer") {
		t.Fatalf("got %v", err)
	}
	if err := k.Set("key", "v"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("set: %v", err)
	}
	if err := k.Delete("key"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("delete: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %s", d)
	}
}

type failingBackend struct{ err error }

func (f failingBackend) Get(string, string) (string, error) { return "", f.err }
func (f failingBackend) Set(string, string, string) error   { return f.err }
func (f failingBackend) Delete(string, string) error        { return f.err }

// Only go-keyring's own "not found" means missing; every other failure is unavailability.
func TestKeychainErrorsOtherThanNotFoundAreUnavailable(t *testing.T) {
	k := &Keychain{service: "x", timeout: time.Second, kr: failingBackend{errors.New("org.freedesktop.DBus.Error.ServiceUnknown")}}
	if _, err := k.Get("key"); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "ServiceUnknown") {
		t.Fatalf("got %v", err)
	}
	if err := k.Delete("key"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("delete: %v", err)
	}
}

func TestFileStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	f := NewFile(path)
	testStore(t, f)
	if err := f.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode: %v %v", st.Mode(), err)
	}
	if !strings.Contains(f.Warning().String(), "--insecure-file-secrets") || !strings.Contains(f.Warning().String(), path) {
		t.Fatalf("warning: %q", f.Warning())
	}
	// A damaged file is not "no secrets": that would invite a new secret over the old.
	os.WriteFile(path, []byte(`{"k": "v", broken`), 0o600)
	if _, err := f.Get("k"); !errors.Is(err, ErrUnavailable) || strings.Contains(err.Error(), `"v"`) {
		t.Fatalf("damaged file: %v", err)
	}
}
