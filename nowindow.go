//go:build !desktop

package main

// The server build (`go build -o gatehouse-server .`, no desktop tag): serve and admin
// as in the desktop build, and no window, so Wails, GTK and WebKit are not linked and a
// machine without them runs it. app.go is the desktop build's window.

import (
	"log/slog"

	"gatehouse/backend/core"
)

// hasWindow is false in the server build.
const hasWindow = false

// runWindow is never reached: run says errNoWindow before the data folder is made.
func runWindow(string, *slog.Logger, core.Options) error { return errNoWindow }

// showStartupProblem has no window to show the problem in: the terminal says it.
func showStartupProblem(error, *slog.Logger) {}
