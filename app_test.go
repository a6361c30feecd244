package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/backend/core"
)

// windowApp opens a data folder as the window does (without the window) and returns the
// App with an owner's session token and a project.
func windowApp(t *testing.T, maxUpload int64) (a *App, token, projectID string) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := core.Open(context.Background(), t.TempDir(), "window", log, core.Options{InsecureFileSecrets: true, MaxUpload: maxUpload})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	a = &App{core: c, log: log}
	a.api = c.Handler(core.HandlerOptions{InProcess: true})
	call := func(method, path, body string, out any) {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		a.api.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
		if out != nil {
			if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
				t.Fatal(err)
			}
		}
	}
	call("POST", "/api/setup", `{"name":"Olivia Owner","email":"olivia@example.com","password":"a window test passphrase"}`, nil)
	var s struct{ Token string }
	call("POST", "/api/sessions", `{"email":"olivia@example.com","password":"a window test passphrase"}`, &s)
	token = s.Token
	var p struct{ ID string }
	call("POST", "/api/projects", `{"name":"Window files"}`, &p)
	return a, token, p.ID
}

func TestWindowUploadAndDownload(t *testing.T) {
	a, token, project := windowApp(t, 64)
	dir := t.TempDir()
	content := []byte("plan for 2027\x00\xff binary too\n")
	src := filepath.Join(dir, "Plan für 2027 (v2).txt")
	if err := os.WriteFile(src, content, 0o644); err != nil {
		t.Fatal(err)
	}
	raw, err := a.upload(token, project, "", "", src)
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ ID, Name string }
	if err := json.Unmarshal([]byte(raw), &f); err != nil || f.ID == "" || f.Name != "Plan für 2027 (v2).txt" {
		t.Fatalf("upload answered %s (%v)", raw, err)
	}

	// Saved where asked, byte for byte, owner-only.
	dst := filepath.Join(dir, "saved.txt")
	path, err := a.download(token, "/api/files/"+f.ID+"/content", dst)
	if err != nil || path != dst {
		t.Fatalf("download: %q %v", path, err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, content) {
		t.Fatalf("saved %q, uploaded %q", got, content)
	}
	if st, _ := os.Stat(dst); st.Mode().Perm() != 0o600 {
		t.Fatalf("saved with mode %v", st.Mode().Perm())
	}

	// A name as long as a file system takes (the temporary file beside it is short).
	long := filepath.Join(dir, strings.Repeat("n", 251)+".txt")
	if _, err := a.download(token, "/api/files/"+f.ID+"/content", long); err != nil {
		t.Fatalf("a 255-character name: %v", err)
	}
	if err := os.Remove(long); err != nil {
		t.Fatal(err)
	}

	// Replacing a file (the dialog asked first) replaces it whole.
	if err := os.WriteFile(dst, bytes.Repeat([]byte("x"), 200), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.download(token, "/api/files/"+f.ID+"/content", dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, content) {
		t.Fatalf("replaced with %q", got)
	}

	// A refusal leaves the file that was there as it was, and no temporary file beside it.
	mine := []byte("the person's own file")
	if err := os.WriteFile(dst, mine, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.download(token, "/api/files/no-such-file/content", dst); err == nil {
		t.Fatal("a missing file was downloaded")
	}
	if _, err := a.download("not-a-session", "/api/files/"+f.ID+"/content", dst); err == nil {
		t.Fatal("downloaded without a session")
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, mine) {
		t.Fatalf("a refused download changed the file there to %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestWindowUploadRefusalsNameTheFile(t *testing.T) {
	a, token, project := windowApp(t, 64)
	dir := t.TempDir()
	refused := func(name string, size int, code string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, bytes.Repeat([]byte("a"), size), 0o644); err != nil {
			t.Fatal(err)
		}
		raw, err := a.upload(token, project, "", "", path)
		if err != nil {
			t.Fatal(err)
		}
		var answer struct {
			Error struct{ Code, Message string }
			Name  string
		}
		if json.Unmarshal([]byte(raw), &answer) != nil || answer.Error.Code != code || answer.Error.Message == "" || answer.Name != name {
			t.Fatalf("%s: answered %s", name, raw)
		}
	}
	refused("big.bin", 65, "too_large")
	refused("empty.txt", 0, "invalid")
	if _, err := a.upload(token, project, "", "", dir); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Fatalf("uploading a folder: %v", err)
	}
	if _, err := a.upload(token, project, "", "", filepath.Join(dir, "gone.txt")); err == nil {
		t.Fatal("uploaded a file that is not there")
	}
}

// The webview's requests reach the API with an unknown length, with a body or without:
// one without (sign-out, a DELETE) is not refused for lacking a JSON content type.
func TestWebviewRequestsWithoutABody(t *testing.T) {
	a, token, project := windowApp(t, 0)
	h := webviewRequests(a.api)
	send := func(method, path, contentType string, body io.Reader) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, body)
		req.ContentLength = -1 // as Wails's asset server hands every request over
		req.Header.Set("Authorization", "Bearer "+token)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := send("PATCH", "/api/projects/"+project, "application/json", strings.NewReader(`{"description":"through the webview"}`)); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "through the webview") {
		t.Fatalf("a JSON body: %d %s", rec.Code, rec.Body)
	}
	if rec := send("PATCH", "/api/projects/"+project, "", strings.NewReader(`{"description":"x"}`)); rec.Code != http.StatusUnsupportedMediaType {
		t.Fatalf("a body that does not say it is JSON: %d %s", rec.Code, rec.Body)
	}
	if rec := send("DELETE", "/api/projects/"+project, "", strings.NewReader("")); rec.Code != http.StatusNoContent {
		t.Fatalf("a DELETE without a body: %d %s", rec.Code, rec.Body)
	}
	if rec := send("DELETE", "/api/sessions/current", "", http.NoBody); rec.Code != http.StatusNoContent {
		t.Fatalf("signing out: %d %s", rec.Code, rec.Body)
	}
}
