package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/datadir"
	"gatehouse/backend/identity"
	"gatehouse/backend/store"
)

func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAdminCreateOwnerAndResetPassword(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, "first owner passphrase\n", "admin", "create-owner", "--name", "Olivia Owner", "--email", "olivia@example.com", "--data", dir)
	if code != 0 || !strings.Contains(out, "Admin role") {
		t.Fatalf("create-owner: %d %q %q", code, out, errs)
	}
	code, _, errs = runCmd(t, "welcome123\n", "admin", "reset-password", "--email", "olivia@example.com", "--data", dir)
	if code == 0 || !strings.Contains(errs, "too common") {
		t.Fatalf("weak reset accepted: %d %q", code, errs)
	}
	code, _, errs = runCmd(t, "a new recovery passphrase\n", "admin", "reset-password", "--email", "nobody@example.com", "--data", dir)
	if code == 0 || !strings.Contains(errs, "No user has the email") {
		t.Fatalf("unknown email: %d %q", code, errs)
	}
	code, out, errs = runCmd(t, "a new recovery passphrase\n", "admin", "reset-password", "--email", "OLIVIA@example.com", "--data", dir)
	if code != 0 || !strings.Contains(out, "Olivia Owner") {
		t.Fatalf("reset: %d %q %q", code, out, errs)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(context.Background(), "olivia@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !identity.VerifyPassword(u.PasswordHash, "a new recovery passphrase") || u.RoleID != "admin" {
		t.Fatal("the new password does not verify")
	}
}

// An owner who lost both their phone and their recovery codes turns their second factor
// off from the command line.
func TestAdminResetTwoFactor(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := runCmd(t, "first owner passphrase\n", "admin", "create-owner", "--name", "Olivia Owner", "--email", "olivia@example.com", "--data", dir); code != 0 {
		t.Fatalf("create-owner: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "admin", "reset-two-factor", "--email", "olivia@example.com", "--data", dir); code != 1 || !strings.Contains(errs, "not on") {
		t.Fatalf("reset with none: %d %q", code, errs)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByEmail(ctx, "olivia@example.com")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := st.StartTwoFactor(ctx, u.ID, []byte("sealed"), now); err != nil {
		t.Fatal(err)
	}
	if err := st.ConfirmTwoFactor(ctx, u.ID, 1, [][]byte{[]byte("h")}, now); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, errs := runCmd(t, "", "admin", "reset-two-factor", "--email", "OLIVIA@example.com", "--data", dir)
	if code != 0 || !strings.Contains(out, "Olivia Owner") {
		t.Fatalf("reset-two-factor: %d %q %q", code, out, errs)
	}
	st, err = store.Open(ctx, filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if u, err := st.UserByEmail(ctx, "olivia@example.com"); err != nil || u.TwoFactor {
		t.Fatalf("after: %v %v", u, err)
	}
	if n, _ := st.RecoveryCodesLeft(ctx, u.ID); n != 0 {
		t.Fatalf("%d recovery codes left", n)
	}
}

func TestAdminCommandsNeedTheDataFolder(t *testing.T) {
	dir := t.TempDir()
	lock, err := datadir.Acquire(dir, "window")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, _, errs := runCmd(t, "a new recovery passphrase\n", "admin", "reset-password", "--email", "a@example.com", "--data", dir)
	if code != 3 || !strings.Contains(errs, "in use by another Gatehouse process") || !strings.Contains(errs, "window mode") {
		t.Fatalf("held folder: %d %q", code, errs)
	}
	code, _, errs = runCmd(t, "", "serve", "--data", dir, "--addr", "127.0.0.1:0")
	if code != 3 || !strings.Contains(errs, "pid") {
		t.Fatalf("serve on a held folder: %d %q", code, errs)
	}
}

func TestAdminUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"admin"}, {"admin", "frobnicate", "--email", "a@b.co"}, {"admin", "reset-password"}, {"admin", "create-owner", "--email", "a@b.co"}} {
		if code, _, _ := runCmd(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errs := runCmd(t, "", "admin", "reset-password", "--email", "a@b.co", "--data", t.TempDir()); code != 1 || !strings.Contains(errs, "no password") {
		t.Errorf("empty stdin: %d %q", code, errs)
	}
}

// Backing up works while the application holds the folder; restoring needs it closed,
// asks for --yes without a terminal, and keeps the data that was there aside.
func TestAdminBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := runCmd(t, "first owner passphrase\n", "admin", "create-owner", "--name", "Olivia Owner", "--email", "olivia@example.com", "--data", dir); code != 0 {
		t.Fatalf("create-owner: %d %q %q", code, out, errs)
	}
	lock, err := datadir.Acquire(dir, "window") // the application is running
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "monday")
	code, out, errs := runCmd(t, "", "admin", "backup", "--to", file, "--data", dir)
	if code != 0 || !strings.Contains(out, "1 people") {
		t.Fatalf("backup while running: %d %q %q", code, out, errs)
	}
	file += ".gatehouse-backup"
	if code, _, errs := runCmd(t, "", "admin", "backup", "--to", file, "--data", dir); code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("backup over a file: %d %q", code, errs)
	}
	if code, _, errs := runCmd(t, "", "admin", "restore", "--from", file, "--yes", "--data", dir); code != 3 || !strings.Contains(errs, "in use") {
		t.Fatalf("restore while running: %d %q", code, errs)
	}
	lock.Release()
	if code, _, errs := runCmd(t, "", "admin", "restore", "--from", file, "--data", dir); code != 2 || !strings.Contains(errs, "--yes") {
		t.Fatalf("restore without confirmation: %d %q", code, errs)
	}
	code, out, errs = runCmd(t, "", "admin", "restore", "--from", file, "--yes", "--data", dir)
	if code != 0 || !strings.Contains(out, "Its checksums are right") || !strings.Contains(out, "before-restore-") {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.UserByEmail(context.Background(), "olivia@example.com"); err != nil {
		t.Fatal("the restored folder lacks the owner:", err)
	}
	if code, _, errs := runCmd(t, "", "admin", "backup", "--data", dir); code != 2 || !strings.Contains(errs, "--to") {
		t.Fatalf("usage: %d %q", code, errs)
	}
}
