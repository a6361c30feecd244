package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"gatehouse/backend/apperr"
	"gatehouse/backend/core"
	"gatehouse/backend/files"
	"gatehouse/backend/organisation"
	"gatehouse/backend/store"
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

// runWindow opens the data folder and shows the window until it is closed.
//
// The data folder is opened before wails.Run rather than in startup (as Wails' template
// does) because the AssetServer needs its handler up front, and because a held folder
// must be reported on the terminal with a non-zero exit before any window appears.
func runWindow(dir string, log *slog.Logger, opts core.Options) error {
	c, err := core.Open(context.Background(), dir, "window", log, opts)
	if err != nil {
		return err
	}
	app := &App{core: c, log: log}
	app.api = c.Handler(core.HandlerOptions{InProcess: true, OpenBrowser: app.openBrowser})
	return wails.Run(&options.App{
		Title:     windowTitle(c.Organisation.Public(context.Background())),
		Width:     1280,
		Height:    820,
		MinWidth:  900,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets:  frontendFS(),
			Handler: webviewRequests(app.api),
		},
		OnStartup:  app.startup,
		OnShutdown: app.shutdown,
		Bind:       []any{app},
	})
}

// startupProblemTitle is the title of the window that says why Gatehouse cannot start.
const startupProblemTitle = "Gatehouse cannot start"

// showStartupProblem shows, in a small window of its own, why the data folder cannot be
// opened (damaged, read-only, written by a newer version) and what to do: someone who
// started Gatehouse from their desktop's menu sees no terminal. The same words go to the
// terminal first (run, which calls this after runWindow failed), with the exit status. A held folder is not shown
// here: the terminal and status 3 say it, and the other window is already on screen.
func showStartupProblem(err error, log *slog.Logger) {
	var oe *store.OpenError
	var newer *store.NewerVersionError
	if !errors.As(err, &oe) && !errors.As(err, &newer) {
		return
	}
	page := []byte(`<!doctype html><html><head><meta charset="utf-8"><title>` + startupProblemTitle + `</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:32px;color:#222}h1{font-size:20px;margin:0 0 12px}p{margin:0 0 12px}
code{background:#f1f3f5;padding:1px 4px;border-radius:4px}</style></head><body>
<h1>` + startupProblemTitle + `</h1><p role="alert">` + html.EscapeString(err.Error()) + `</p>
<p>Close this window when you are done.</p></body></html>`)
	runErr := wails.Run(&options.App{
		Title:  startupProblemTitle,
		Width:  680,
		Height: 360,
		AssetServer: &assetserver.Options{
			Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write(page)
			}),
		},
	})
	if runErr != nil {
		log.Warn("could not show why Gatehouse cannot start", "err", runErr)
	}
}

// windowTitle is "<organisation> — Gatehouse", or "Gatehouse" before it has a name.
func windowTitle(o *organisation.Settings, err error) string {
	if err != nil || o == nil || o.Name == "" {
		return "Gatehouse"
	}
	return o.Name + " — Gatehouse"
}

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.ctxv.Store(ctx)
	a.log.Info("window started", "data", a.core.Dir)
	// The title names the organisation, and follows Settings → General.
	a.core.Organisation.OnChange(func(o *organisation.Settings) { runtime.WindowSetTitle(ctx, windowTitle(o, nil)) })
	// SIGINT/SIGTERM close the window cleanly, so the database and lock are released.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		runtime.Quit(ctx)
	}()
}

func (a *App) shutdown(context.Context) {
	if err := a.core.Close(); err != nil {
		a.log.Error("closing the data folder", "err", err)
	}
}

// openBrowser opens url in the system browser (Google sign-in, RFC 8252: never in the
// app's own webview).
func (a *App) openBrowser(url string) error {
	ctx, _ := a.ctxv.Load().(context.Context)
	if ctx == nil {
		return errors.New("the window is not ready yet")
	}
	runtime.BrowserOpenURL(ctx, url)
	return nil
}

// DataFolder returns where this window keeps its data (shown in the UI).
func (a *App) DataFolder() string { return a.core.Dir }

// SaveFile asks where to save a file the page made (a CSV template, the links of an
// import) and writes content there: the window's webview has no downloads. It returns
// the path written, or "" when the person cancelled.
func (a *App) SaveFile(name, content string) (string, error) {
	path, err := runtime.SaveFileDialog(a.ctx, runtime.SaveDialogOptions{
		DefaultFilename:      name,
		Title:                "Save " + name,
		CanCreateDirectories: true,
		Filters:              []runtime.FileFilter{{DisplayName: "CSV files (*.csv)", Pattern: "*.csv"}},
	})
	if err != nil || path == "" {
		return "", err
	}
	// Owner-only: an import's file holds one-time set-password links.
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		return "", err
	}
	// WriteFile keeps the mode of a file it overwrites.
	if err := os.Chmod(path, 0o600); err != nil {
		return "", err
	}
	return path, nil
}

// The window's webview has no file downloads and the issue asks for the system's own
// dialogs: these two ask where (OpenFileDialog, SaveFileDialog) and then go through the
// very API the page uses, in-process and with the page's own session token, so every
// decision is the server's as it is for the browser. The file streams between the disk
// and the handler; it is never whole in memory or in the page.

// UploadFile asks which file to upload to a project (folderID and taskID may be empty)
// and uploads it; it returns the API's answer (the file, or the error) as JSON, or ""
// when the person cancelled. An error answer also names the file picked ("name").
func (a *App) UploadFile(token, projectID, folderID, taskID string) (string, error) {
	path, err := runtime.OpenFileDialog(a.ctx, runtime.OpenDialogOptions{Title: "Upload a file"})
	if err != nil || path == "" {
		return "", err
	}
	return a.upload(token, projectID, folderID, taskID, path)
}

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
	req := httptest.NewRequest(http.MethodPost, "/api/projects/"+url.PathEscape(projectID)+"/files?"+q.Encode(), f)
	req.ContentLength = st.Size()
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	a.api.ServeHTTP(rec, req)
	if rec.Code >= 300 {
		var answer struct {
			Error struct{ Code, Field, Message string } `json:"error"`
		}
		if json.Unmarshal(rec.Body.Bytes(), &answer) == nil && answer.Error.Message != "" {
			return refusal(name, answer.Error.Code, answer.Error.Field, answer.Error.Message), nil
		}
	}
	return rec.Body.String(), nil
}

// refusal is the API's error answer, with the name of the file it refused.
func refusal(name, code, field, message string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "field": field, "message": message}, "name": name})
	return string(b)
}

// DownloadFile asks where to save a file (its own name offered, in the Downloads folder
// when there is one) and saves its content there; it returns the path written, "" when
// the person cancelled, or the API's refusal.
func (a *App) DownloadFile(token, fileID, name string) (string, error) {
	return a.saveAs(token, "/api/files/"+url.PathEscape(fileID)+"/content", name)
}

// saveAs asks where to save name (in the Downloads folder when there is one) and saves
// there the answer to GET apiPath; "" when the person cancelled.
func (a *App) saveAs(token, apiPath, name string) (string, error) {
	path, err := runtime.SaveFileDialog(a.ctx, runtime.SaveDialogOptions{
		DefaultDirectory:     downloadsFolder(),
		DefaultFilename:      name,
		Title:                "Save " + name,
		CanCreateDirectories: true,
	})
	if err != nil || path == "" {
		return "", err
	}
	return a.download(token, apiPath, path)
}

// DownloadFrom is DownloadFile for what the API prints rather than stores (an invoice's
// PDF): it asks where to save name and saves there the answer to GET apiPath, which must
// be a path of the API (the API decides, with token, whether it is theirs to read).
func (a *App) DownloadFrom(token, apiPath, name string) (string, error) {
	u, err := url.Parse(apiPath)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/api/") || strings.Contains(u.Path, "..") {
		return "", fmt.Errorf("not a path of the API: %q", apiPath)
	}
	return a.saveAs(token, u.RequestURI(), name)
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
	req := httptest.NewRequest(http.MethodGet, apiPath, nil)
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
