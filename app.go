//go:build desktop

package main

// The window itself (Wails, GTK and WebKit): only in the desktop build (`make build`,
// tag desktop). The server build (`go build -o gatehouse-server .`, no tag) has
// nowindow.go instead and links none of it.

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"gatehouse/backend/core"
	"gatehouse/backend/organisation"
	"gatehouse/backend/store"
)

// hasWindow is true in the desktop build.
const hasWindow = true

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
