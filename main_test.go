package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/core"
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

// TLS for serve: a network address without TLS is refused before anything is opened;
// --tls-self-signed makes a certificate once, prints its fingerprint and serves HTTPS with
// it (the same one at the next start); --tls-cert/--tls-key serve one's own; --insecure-http
// serves plain HTTP on the network with a warning.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "needs TLS"},
		{[]string{"--addr", "192.0.2.1:0", "--insecure-http=false"}, "needs TLS"},
		{[]string{"--addr", "127.0.0.1:0", "--tls-cert", "a.pem"}, "go together"},
		{[]string{"--addr", "127.0.0.1:0", "--tls-self-signed", "--tls-cert", "a.pem", "--tls-key", "b.pem"}, "choose one"},
		{[]string{"--addr", "127.0.0.1:0", "--tls-self-signed", "--insecure-http"}, "leave it out"},
	} {
		code, _, errs := runCmd(t, "", append([]string{"serve", "--data", dir}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.says) {
			t.Fatalf("%v: %d %q", c.args, code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "gatehouse.db")); err == nil {
		t.Fatal("a refused serve opened the data folder")
	}

	get := func(url string, pool *x509.CertPool) (int, error) {
		c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		r, err := c.Get(url + "/api/status")
		if err != nil {
			return 0, err
		}
		r.Body.Close()
		return r.StatusCode, nil
	}
	srv := startChild(t, dir, "--tls-self-signed")
	if !strings.HasPrefix(srv.url, "https://") {
		t.Fatalf("self-signed serves %s", srv.url)
	}
	pemBytes, err := os.ReadFile(filepath.Join(dir, "tls", "self-signed.crt"))
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(filepath.Join(dir, "tls", "self-signed.key")); info == nil || info.Mode().Perm() != 0o600 {
		t.Fatal("the private key is not owner-only")
	}
	block, _ := pem.Decode(pemBytes)
	sum := sha256.Sum256(block.Bytes)
	fp := strings.ToUpper(hex.EncodeToString(sum[:2]))
	// Printed just after the address: wait for the line.
	for i := 0; !strings.Contains(srv.out.String(), "fingerprint: "+fp[:2]+":"+fp[2:4]); i++ {
		if i == 100 {
			t.Fatalf("the fingerprint printed is not the certificate's:\n%s", srv.out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := get(srv.url, nil); err == nil {
		t.Fatal("a client that does not trust the certificate was served")
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	if st, err := get(srv.url, pool); err != nil || st != 200 {
		t.Fatalf("HTTPS with the certificate trusted: %d %v", st, err)
	}
	// A session over HTTPS: set-up, sign-in, and the bearer token on the next request.
	cl := &client{t: t, http: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, base: srv.url}
	cl.must("POST", "/api/setup", map[string]string{"name": "Olivia Owner", "email": "owner@example.com", "password": "a durable passphrase 1"}, 201)
	var tok struct{ Token string }
	json.Unmarshal(cl.must("POST", "/api/sessions", map[string]string{"email": "owner@example.com", "password": "a durable passphrase 1"}, 201), &tok)
	cl.token = tok.Token
	cl.must("GET", "/api/me", nil, 200)
	if st, err := get(strings.Replace(srv.url, "https://", "http://", 1), nil); err == nil && st != 400 {
		t.Fatalf("plain HTTP on the HTTPS port: %d", st)
	}
	srv.kill()
	srv = startChild(t, dir, "--tls-self-signed")
	again, _ := os.ReadFile(filepath.Join(dir, "tls", "self-signed.crt"))
	if !bytes.Equal(again, pemBytes) {
		t.Fatal("a second start made a new certificate")
	}
	srv.kill()

	// One's own certificate: the self-signed files stand in for it.
	own := t.TempDir()
	srv = startChild(t, own, "--tls-cert", filepath.Join(dir, "tls", "self-signed.crt"), "--tls-key", filepath.Join(dir, "tls", "self-signed.key"))
	if st, err := get(srv.url, pool); err != nil || st != 200 {
		t.Fatalf("HTTPS with one's own certificate: %d %v", st, err)
	}
	srv.kill()

	srv = startChild(t, t.TempDir(), "--addr", "0.0.0.0:0", "--insecure-http")
	for i := 0; !strings.Contains(srv.logs.String(), "WARNING: plain HTTP on a network address"); i++ {
		if i == 100 {
			t.Fatalf("no warning for --insecure-http:\n%s", srv.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	srv.kill()
}

// Tests build without the desktop tag, as gatehouse-server is built: --version says so,
// and asking for the window says to serve instead, without creating the data folder.
func TestVersionAndTheServerBuildsMissingWindow(t *testing.T) {
	code, out, _ := runCmd(t, "", "--version")
	if code != 0 || out != "gatehouse "+core.Version+" (server, no window)\n" {
		t.Fatalf("--version: %d %q", code, out)
	}
	dir := filepath.Join(t.TempDir(), "data")
	code, _, errs := runCmd(t, "", "--data", dir)
	if code != 1 || !strings.Contains(errs, "has no window: use `gatehouse serve`") {
		t.Fatalf("window in the server build: %d %q", code, errs)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the data folder was touched: %v", err)
	}
}
