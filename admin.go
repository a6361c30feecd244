package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"gatehouse/backend/apperr"
	"gatehouse/backend/core"
	"gatehouse/backend/datadir"
	"gatehouse/backend/identity"
)

// cmdAdmin holds the recovery commands for a locked-out owner. They work only with local
// access to the data folder (and while no other process holds it), which is the proof of
// ownership: whoever can read the folder can read the database anyway.
func cmdAdmin(args []string, stdin io.Reader, stdout, stderr io.Writer, log *slog.Logger) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: gatehouse admin reset-password --email E | reset-two-factor --email E | create-owner --name N --email E | backup --to FILE | restore --from FILE  [--data DIR]")
		return 2
	}
	sub := args[0]
	switch sub {
	case "backup":
		return cmdBackup(args[1:], stdout, stderr)
	case "restore":
		return cmdRestore(args[1:], stdin, stdout, stderr)
	}
	fset := flag.NewFlagSet("gatehouse admin "+sub, flag.ContinueOnError)
	fset.SetOutput(stderr)
	data := fset.String("data", "", "data folder (default: $"+datadir.EnvVar+" or the user config folder)")
	email := fset.String("email", "", "the account's email")
	name := fset.String("name", "", "full name (create-owner)")
	if err := fset.Parse(args[1:]); err != nil {
		return 2
	}
	if sub != "reset-password" && sub != "create-owner" && sub != "reset-two-factor" {
		fmt.Fprintf(stderr, "gatehouse admin: unknown command %q (reset-password, reset-two-factor, create-owner, backup or restore)\n", sub)
		return 2
	}
	if *email == "" || (sub == "create-owner" && *name == "") {
		fmt.Fprintf(stderr, "gatehouse admin %s: --email is required", sub)
		if sub == "create-owner" {
			fmt.Fprint(stderr, " and so is --name")
		}
		fmt.Fprintln(stderr)
		return 2
	}
	dir, err := datadir.Resolve(*data)
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return 1
	}
	var pw string
	if sub != "reset-two-factor" {
		if pw, err = readPassword(stdin, stderr); err != nil {
			fmt.Fprintln(stderr, "gatehouse:", err)
			return 1
		}
	}
	ctx := context.Background()
	c, err := core.Open(ctx, dir, "admin", log)
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return exitCode(err)
	}
	defer c.Close()
	switch sub {
	case "reset-password":
		u, err := c.Identity.ResetPasswordLocal(ctx, *email, pw)
		if err != nil {
			fmt.Fprintln(stderr, "gatehouse:", describe(err))
			return 1
		}
		fmt.Fprintf(stdout, "The password of %s <%s> is set, and their sessions are ended.\n", u.Name, u.Email)
		if u.Status != "active" {
			fmt.Fprintln(stdout, "Note: this account is deactivated; another admin must reactivate it before it can sign in.")
		}
	case "reset-two-factor":
		u, err := c.Identity.ResetTwoFactorLocal(ctx, *email)
		if err != nil {
			fmt.Fprintln(stderr, "gatehouse:", describe(err))
			return 1
		}
		fmt.Fprintf(stdout, "Two-factor sign-in of %s <%s> is off and their sessions are ended; their password alone signs them in (their role may ask them to set it up again).\n", u.Name, u.Email)
	case "create-owner":
		u, err := c.Identity.CreateOwner(ctx, identity.OwnerRequest{Name: *name, Email: *email, Password: pw}, "command line")
		if err != nil {
			fmt.Fprintln(stderr, "gatehouse:", describe(err))
			return 1
		}
		fmt.Fprintf(stdout, "Created %s <%s> with the Admin role.\n", u.Name, u.Email)
	}
	return 0
}

func describe(err error) string {
	if e, ok := apperr.As(err); ok {
		if e.Field != "" {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return err.Error()
}

// readPassword prompts twice without echo on a terminal, or reads one line from stdin.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "New password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Repeat it: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", fmt.Errorf("the two passwords differ; nothing was changed")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, identity.MaxPasswordBytes+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	// Only the line ending is removed: the password is used exactly as typed.
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", fmt.Errorf("no password on standard input; nothing was changed")
	}
	return line, nil
}
