package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"gatehouse/backend/core"
)

// App is the window's Go side: it owns the backend for the data folder and offers the
// few methods that need the operating system. Everything else goes through /api.
type App struct {
	ctx  context.Context
	ctxv atomic.Value // ctx for calls from the API's goroutines (openBrowser)
	core *core.Core
	log  *slog.Logger
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
	return wails.Run(&options.App{
		Title:     "Gatehouse",
		Width:     1280,
		Height:    820,
		MinWidth:  900,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets:  frontendFS(),
			Handler: c.Handler(core.HandlerOptions{InProcess: true, OpenBrowser: app.openBrowser}),
		},
		OnStartup:  app.startup,
		OnShutdown: app.shutdown,
		Bind:       []any{app},
	})
}

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.ctxv.Store(ctx)
	a.log.Info("window started", "data", a.core.Dir)
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
