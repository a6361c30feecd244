// Command gatehouse is the Gatehouse desktop application.
//
//	gatehouse [--data DIR]                          open the window
//	gatehouse --version                             the version and build (desktop or server)
//	gatehouse serve [--addr 127.0.0.1:8787] [--data DIR]   serve the same UI over HTTP
//	gatehouse admin reset-password --email E [--data DIR]  recovery, local access only
//	gatehouse admin create-owner --name N --email E [--data DIR]
//	gatehouse admin backup --to FILE [--data DIR]      a consistent copy, also while running
//	gatehouse admin restore --from FILE [--data DIR]   the application closed
package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"gatehouse/backend/core"
	"gatehouse/backend/datadir"
)

// insecureFileSecretsUsage explains the one way to keep secrets outside the keychain.
const insecureFileSecretsUsage = "keep secrets (the Google client secret, remembered sign-ins) unencrypted in a file in the data " +
	"folder instead of the system keychain; only for machines without one"

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return cmdServe(args[1:], stdout, stderr, log)
		case "admin":
			return cmdAdmin(args[1:], stdin, stdout, stderr, log)
		case "help", "-h", "--help":
			usage(stdout)
			return 0
		case "version", "--version":
			fmt.Fprintln(stdout, versionLine())
			return 0
		}
	}
	fset := flag.NewFlagSet("gatehouse", flag.ContinueOnError)
	fset.SetOutput(stderr)
	data := fset.String("data", "", "data folder (default: $"+datadir.EnvVar+" or the user config folder)")
	insecure := fset.Bool("insecure-file-secrets", false, insecureFileSecretsUsage)
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if !hasWindow { // before the data folder is made
		fmt.Fprintln(stderr, "gatehouse:", errNoWindow)
		return 1
	}
	dir, err := datadir.Resolve(*data)
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return 1
	}
	if err := runWindow(dir, log, core.Options{InsecureFileSecrets: *insecure}); err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		showStartupProblem(err, log)
		return exitCode(err)
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Gatehouse: who sees and does what, for small teams.

Usage:
  gatehouse [--data DIR]                                  open the window
  gatehouse serve [--addr 127.0.0.1:8787] [--data DIR]    serve the UI over HTTP (loopback by default)
      on a network address add --tls-cert F --tls-key F, or --tls-self-signed, or --insecure-http
      both take --insecure-file-secrets: keep secrets in a plain file instead of the system keychain
  gatehouse admin reset-password --email E [--data DIR]   set a user's password (read from stdin or prompted)
  gatehouse admin create-owner --name N --email E [--data DIR]
                                                          create another Admin account (password from stdin or prompted)
  gatehouse admin backup --to FILE [--data DIR]           back up the data folder (also while Gatehouse runs)
  gatehouse admin restore --from FILE [--yes] [--data DIR]
                                                          restore a backup (close Gatehouse first; the current data is kept aside)
  gatehouse --version                                     the version, and whether this build has a window

The data folder defaults to $GATEHOUSE_DATA, else the user configuration folder + /Gatehouse.
`)
}

// errNoWindow is what the server build (gatehouse-server, no desktop tag) says when asked
// for the window.
var errNoWindow = errors.New("this build of Gatehouse has no window: use `gatehouse serve` to serve the UI to a browser " +
	"(the desktop build, made by `make build`, opens the window)")

// versionLine is what --version prints: the version, and which build this is (the
// server build has no window).
func versionLine() string {
	build := "desktop"
	if !hasWindow {
		build = "server, no window"
	}
	return "gatehouse " + core.Version + " (" + build + ")"
}

// exitCode is 3 when the data folder is held by another process, 1 otherwise.
func exitCode(err error) int {
	var held *datadir.HeldError
	if errors.As(err, &held) {
		return 3
	}
	return 1
}

// frontendFS is the built frontend (frontend/dist).
func frontendFS() fs.FS {
	sub, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		panic(err) // the path is a constant of this file
	}
	return sub
}
