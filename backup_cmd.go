package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"gatehouse/backend/backup"
	"gatehouse/backend/core"
	"gatehouse/backend/datadir"
	"gatehouse/backend/store"
)

// cmdBackup is `gatehouse admin backup --to FILE`: a consistent copy while the
// application may be running. It does not take the data folder: it only reads the
// database (VACUUM INTO copies one committed state) and the file contents, which are
// never changed in place.
func cmdBackup(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("gatehouse admin backup", flag.ContinueOnError)
	fset.SetOutput(stderr)
	data := fset.String("data", "", "data folder (default: $"+datadir.EnvVar+" or the user config folder)")
	to := fset.String("to", "", "the backup file to write (it must not exist; "+backup.Ext+" is added when missing)")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if *to == "" {
		fmt.Fprintln(stderr, "gatehouse admin backup: --to FILE is required")
		return 2
	}
	dir, err := datadir.Resolve(*data)
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return 1
	}
	dbPath := filepath.Join(dir, "gatehouse.db")
	if _, err := os.Stat(dbPath); err != nil {
		fmt.Fprintf(stderr, "gatehouse: there is no Gatehouse database in %s (%v); nothing was written\n", dir, err)
		return 1
	}
	dest := *to
	if !strings.HasSuffix(dest, backup.Ext) {
		dest += backup.Ext
	}
	if dest, err = filepath.Abs(dest); err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return 1
	}
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return 1
	}
	defer db.Close()
	m, err := backup.Create(context.Background(), db, dir, dest, core.Version, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", strings.TrimPrefix(err.Error(), "backup: "))
		return 1
	}
	fmt.Fprintf(stdout, "Backed up %s to %s: %d people, %d tasks, %d files.\n", dir, dest, m.Users, m.Tasks, m.Files)
	printSecrets(stdout, m)
	return 0
}

// printSecrets says which secrets the backup does not hold.
func printSecrets(w io.Writer, m *backup.Manifest) {
	if len(m.Secrets) == 0 {
		return
	}
	fmt.Fprintln(w, "These secrets live in this machine's keychain, not in the backup; after a restore on another machine, enter them again:")
	for _, s := range m.Secrets {
		if s.Count > 0 {
			fmt.Fprintf(w, "  - %s (%d)\n", s.Where, s.Count)
		} else {
			fmt.Fprintf(w, "  - %s\n", s.Where)
		}
	}
}

// cmdRestore is `gatehouse admin restore --from FILE`: it needs the data folder to itself
// (the application closed), checks the archive whole, and sets the current data aside.
func cmdRestore(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("gatehouse admin restore", flag.ContinueOnError)
	fset.SetOutput(stderr)
	data := fset.String("data", "", "data folder (default: $"+datadir.EnvVar+" or the user config folder)")
	from := fset.String("from", "", "the backup file to restore")
	yes := fset.Bool("yes", false, "do not ask for confirmation")
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if *from == "" {
		fmt.Fprintln(stderr, "gatehouse admin restore: --from FILE is required")
		return 2
	}
	dir, err := datadir.Resolve(*data)
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return 1
	}
	lock, err := datadir.Acquire(dir, "admin")
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return exitCode(err)
	}
	defer lock.Release()
	knows, err := backup.KnownSchema()
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", err)
		return 1
	}
	m, err := backup.Verify(*from, knows)
	if err != nil {
		fmt.Fprintln(stderr, "gatehouse:", strings.TrimPrefix(err.Error(), "backup: "))
		return 1
	}
	fmt.Fprintf(stdout, "%s: made %s by Gatehouse %s; %d people, %d tasks, %d files. Its checksums are right.\n",
		filepath.Base(*from), m.CreatedAt.Local().Format("2006-01-02 15:04"), m.App, m.Users, m.Tasks, m.Files)
	if !*yes {
		f, ok := stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			fmt.Fprintln(stderr, "gatehouse admin restore: pass --yes to restore without a terminal to confirm on; nothing was changed")
			return 2
		}
		fmt.Fprintf(stderr, "Replace the data in %s with it? The current data is kept aside. [y/N] ", dir)
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			fmt.Fprintln(stdout, "Nothing was changed.")
			return 1
		}
	}
	r, err := backup.Restore(context.Background(), *from, dir, time.Now())
	if err != nil {
		var newer *store.NewerVersionError
		if errors.As(err, &newer) {
			fmt.Fprintln(stderr, "gatehouse:", newer)
			return 1
		}
		fmt.Fprintln(stderr, "gatehouse:", strings.TrimPrefix(err.Error(), "backup: "))
		return 1
	}
	fmt.Fprintf(stdout, "Restored into %s.\n", dir)
	if r.Aside != "" {
		fmt.Fprintf(stdout, "The data that was there is kept in %s; delete that folder once you are content.\n", r.Aside)
	}
	printSecrets(stdout, m)
	return 0
}
