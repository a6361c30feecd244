package store_test

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gatehouse/backend/store"
)

// A database its owner cannot write (a 0400 file in a folder they can write) opens and
// reads, and only a write would fail: the store refuses it at the start with what to do,
// instead of answering every later sign-in with an error. Root writes any file, so as root
// the check runs in a copy of this test binary as the unprivileged user nobody.
func TestAReadOnlyDatabaseIsRefusedAtOpen(t *testing.T) {
	if dir := os.Getenv("GATEHOUSE_READONLY_CHILD"); dir != "" {
		_, err := store.Open(context.Background(), filepath.Join(dir, "gatehouse.db"))
		var oe *store.OpenError
		if !errors.As(err, &oe) || !strings.Contains(err.Error(), "cannot be written") || !strings.Contains(err.Error(), "writable") {
			t.Fatalf("a read-only database: %v", err)
		}
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "gatehouse.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o400); err != nil {
			t.Fatal(err)
		}
		t.Setenv("GATEHOUSE_READONLY_CHILD", dir)
		TestAReadOnlyDatabaseIsRefusedAtOpen(t)
		return
	}
	const nobody = 65534
	bin := filepath.Join(t.TempDir(), "store.test")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Dir(bin), bin} {
		os.Chmod(p, 0o755)
	}
	os.Chmod(filepath.Dir(dir), 0o755)
	if err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err == nil {
			err = os.Chown(p, nobody, nobody)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run", "^TestAReadOnlyDatabaseIsRefusedAtOpen$", "-test.v")
	cmd.Env = append(os.Environ(), "GATEHOUSE_READONLY_CHILD="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
