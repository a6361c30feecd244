package main

// The window's Go side that needs no window: the App, and the uploads and downloads its
// dialogs hand to the API in-process (tested without a display, in every build).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"

	"gatehouse/backend/apperr"
	"gatehouse/backend/core"
	"gatehouse/backend/files"
	"gatehouse/backend/organisation"
)

// App is the window's Go side: it owns the backend for the data folder and offers the
// few methods that need the operating system. Everything else goes through /api.
type App struct {
	ctx  context.Context
	ctxv atomic.Value // ctx for calls from the API's goroutines (openBrowser)
	core *core.Core
	log  *slog.Logger
	api  http.Handler // the same handler the page's fetch reaches
}

// windowTitle is "<organisation> — Gatehouse", or "Gatehouse" before it has a name.
func windowTitle(o *organisation.Settings, err error) string {
	if err != nil || o == nil || o.Name == "" {
		return "Gatehouse"
	}
	return o.Name + " — Gatehouse"
}

// DataFolder returns where this window keeps its data (shown in the UI).
func (a *App) DataFolder() string { return a.core.Dir }

// upload sends the file at path through the API, as UploadFile does once it is picked.
func (a *App) upload(token, projectID, folderID, taskID, path string) (string, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		return "", fmt.Errorf("%s is a folder: pick a file", name)
	}
	// Said at once rather than after sending the whole file (the server says the same).
	if max := a.core.Files.MaxUpload; st.Size() > max {
		a.log.Info("window upload refused before sending", "name", name, "size", st.Size(), "max", max)
		e, _ := apperr.As(files.ErrTooLarge(max))
		return refusal(name, e.Code, e.Field, e.Message), nil
	}
	q := url.Values{"name": {name}}
	if folderID != "" {
		q.Set("folderId", folderID)
	}
	if taskID != "" {
		q.Set("taskId", taskID)
	}
	req, err := http.NewRequest(http.MethodPost, "/api/projects/"+url.PathEscape(projectID)+"/files?"+q.Encode(), f)
	if err != nil {
		return "", err
	}
	req.ContentLength = st.Size()
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := &bufferedAnswer{header: http.Header{}}
	a.api.ServeHTTP(rec, req)
	if rec.status >= 300 {
		var answer struct {
			Error struct{ Code, Field, Message string } `json:"error"`
		}
		if json.Unmarshal(rec.body.Bytes(), &answer) == nil && answer.Error.Message != "" {
			return refusal(name, answer.Error.Code, answer.Error.Field, answer.Error.Message), nil
		}
	}
	return rec.body.String(), nil
}

// refusal is the API's error answer, with the name of the file it refused.
func refusal(name, code, field, message string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "field": field, "message": message}, "name": name})
	return string(b)
}

// download saves the answer to GET apiPath at path, as DownloadFile does once it is chosen. The
// content goes to a temporary file beside path, renamed over it only once complete: a
// refusal or a failure half-way leaves a file already at path (the dialog asked before
// replacing it) as it was.
func (a *App) download(token, apiPath, path string) (string, error) {
	out, err := os.CreateTemp(filepath.Dir(path), ".gatehouse-download-*.part") // short: any name fits
	if err != nil {
		return "", err
	}
	tmp := out.Name()
	defer os.Remove(tmp) // a no-op once renamed
	req, err := http.NewRequest(http.MethodGet, apiPath, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	w := &fileWriter{f: out, header: http.Header{}}
	a.api.ServeHTTP(w, req)
	closeErr := out.Close()
	if w.status != http.StatusOK {
		var answer struct {
			Error struct{ Message string } `json:"error"`
		}
		if json.Unmarshal(w.errBody.Bytes(), &answer) == nil && answer.Error.Message != "" {
			return "", errors.New(answer.Error.Message)
		}
		return "", fmt.Errorf("the file could not be read (%d)", w.status)
	}
	if err := errors.Join(w.err, closeErr); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	return path, nil
}

// downloadsFolder is where the save dialog opens: the person's Downloads folder when
// there is one ("": the dialog's own choice).
func downloadsFolder() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	dir := filepath.Join(home, "Downloads")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// webviewRequests passes the webview's requests to the API. Wails's asset server gives
// every one of them an unknown length (-1), also those without a body — a DELETE (of a
// file, or sign-out), a POST such as the remembered sign-in — which the API then refused
// for not saying they are JSON (415). A body that turns out to be empty becomes a known
// empty one.
func webviewRequests(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength < 0 {
			var first [1]byte
			if r.Body == nil || r.Body == http.NoBody {
				r.Body, r.ContentLength = http.NoBody, 0
			} else if n, err := io.ReadFull(r.Body, first[:]); n == 0 && err == io.EOF {
				r.Body.Close()
				r.Body, r.ContentLength = http.NoBody, 0
			} else { // the byte read, then the rest (or the error again)
				r.Body = struct {
					io.Reader
					io.Closer
				}{io.MultiReader(bytes.NewReader(first[:n]), r.Body), r.Body}
			}
		}
		api.ServeHTTP(w, r)
	})
}

// fileWriter is a ResponseWriter that streams a 200 answer into a file (anything else
// into errBody, to report).
type fileWriter struct {
	f       *os.File
	header  http.Header
	status  int
	errBody bytes.Buffer
	err     error
}

func (w *fileWriter) Header() http.Header { return w.header }
func (w *fileWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *fileWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if w.status != http.StatusOK {
		return w.errBody.Write(p)
	}
	n, err := w.f.Write(p)
	if err != nil && w.err == nil {
		w.err = err
	}
	return n, err
}

// bufferedAnswer is a ResponseWriter that keeps the whole answer in memory (an upload's, which is
// small JSON). Test helpers such as net/http/httptest stay out of the shipped binary.
type bufferedAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferedAnswer) Header() http.Header { return w.header }
func (w *bufferedAnswer) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *bufferedAnswer) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}
