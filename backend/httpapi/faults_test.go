package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/store"
	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/testdb"
)

// A damaged database is refused at the start with what to do, or — when the damage is
// where no row lives — serves every row: never fewer tasks in silence. Forty-two spots
// across the file (fourteen pages, three places in each) are damaged in turn, as a disk
// fault or a copy taken mid-write would.
func TestADamagedDatabaseIsRefusedOrWhole(t *testing.T) {
	testdb.SQLiteOnly(t, "the file's bytes are damaged on purpose")
	dir := t.TempDir()
	env := testkit.StartIn(t, dir)
	owner := env.Setup()
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	const tasks = 150
	for i := range tasks {
		mustID(t, env.Do("POST", "/api/projects/"+project+"/tasks", owner, map[string]any{
			"title": fmt.Sprintf("Task %03d", i), "description": strings.Repeat("words about the task ", 20)}))
	}
	env.Stop()
	orig, err := os.ReadFile(filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gatehouse.db-wal")); err == nil {
		t.Fatal("the WAL was not checkpointed at close: damaging the main file would test little")
	}
	const page = 4096
	pages := len(orig) / page
	refused := 0
	for c := range 42 {
		// Spread over the file (the header page spared), at the start, middle and end of pages.
		p, at := 2+(c/3)*(pages-3)/13, []int{100, 2048, 4000}[c%3]
		broken := bytes.Clone(orig)
		for j := p*page + at; j < p*page+at+64; j++ {
			broken[j] ^= 0x5a
		}
		copyDir := t.TempDir()
		path := filepath.Join(copyDir, "gatehouse.db")
		if err := os.WriteFile(path, broken, 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(context.Background(), path)
		if err != nil {
			var oe *store.OpenError
			if !errors.As(err, &oe) || !strings.Contains(err.Error(), "is damaged") || !strings.Contains(err.Error(), "gatehouse admin restore") {
				t.Fatalf("page %d: refused without saying what to do: %v", p, err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, broken) {
				t.Fatalf("page %d: the refused open changed the file", p)
			}
			refused++
			continue
		}
		st.Close()
		re := testkit.StartIn(t, copyDir)
		tok := re.SignIn(testkit.Owner.Email, testkit.Owner.Password)
		var list struct{ Items []struct{ Title string } }
		r := re.Do("GET", "/api/projects/"+project+"/tasks?limit=200", tok, nil)
		if r.Status != 200 {
			t.Fatalf("page %d: opened, then the task list answers %d %s", p, r.Status, r.Body)
		}
		r.Decode(t, &list)
		if len(list.Items) != tasks {
			t.Fatalf("page %d: opened and serves %d of %d tasks", p, len(list.Items), tasks)
		}
		re.Stop()
	}
	t.Logf("%d of 42 damaged copies refused at the start; the others serve every task", refused)
	if refused == 0 {
		t.Fatal("no damage was found: the spots hit no row, and this test checks nothing")
	}
}

// The database file deleted while Gatehouse runs: the next write is refused with what
// happened, not acknowledged into a file the next start cannot see.
func TestADeletedDatabaseRefusesWrites(t *testing.T) {
	testdb.SQLiteOnly(t, "the database file is deleted")
	dir := t.TempDir()
	env := testkit.StartIn(t, dir)
	owner := env.Setup()
	mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Before"}))
	for _, f := range []string{"gatehouse.db", "gatehouse.db-wal", "gatehouse.db-shm"} {
		os.Remove(filepath.Join(dir, f))
	}
	r := env.Do("POST", "/api/projects", owner, map[string]any{"name": "After"})
	if r.Status != 503 || r.ErrCode() != "database_gone" || !strings.Contains(string(r.Body), "deleted or replaced") {
		t.Fatalf("a write after the file was deleted: %d %s", r.Status, r.Body)
	}
	if !strings.Contains(env.Logs.String(), "is no longer the database opened") {
		t.Fatal("the log does not say why")
	}
}

// A full disk: the data folder is a real 2 MiB tmpfs, filled up. A write answers 503
// disk_full in words and changes nothing; once there is room, writes work.
func TestAFullDiskRefusesWritesInWords(t *testing.T) {
	testdb.SQLiteOnly(t, "the disk under the SQLite file fills up")
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs as the data folder needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s)", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	env := testkit.StartIn(t, dir)
	owner := env.Setup()
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(bytes.Repeat([]byte{1}, 4<<20)) // fails when the disk is full: that is the point
	f.Close()
	before := env.Snapshot()
	var r *testkit.Resp
	for i := range 200 {
		r = env.Do("POST", "/api/projects/"+project+"/tasks", owner, map[string]any{"title": fmt.Sprintf("Task %d", i), "description": strings.Repeat("x", 20000)})
		if r.Status != 201 {
			break
		}
		before = env.Snapshot()
	}
	if r.Status != 503 || r.ErrCode() != "disk_full" || !strings.Contains(string(r.Body), "Free some space") {
		t.Fatalf("a write on a full disk: %d %s", r.Status, r.Body)
	}
	os.Remove(filler)
	if env.Snapshot() != before {
		t.Fatal("the refused write changed something")
	}
	if r := env.Do("POST", "/api/projects/"+project+"/tasks", owner, map[string]any{"title": "With room again"}); r.Status != 201 {
		t.Fatalf("after freeing space: %d %s", r.Status, r.Body)
	}
}

// A data folder copied file by file while Gatehouse writes (the database, then its
// write-ahead log a moment later): the copy either opens whole — SQLite's checks pass and
// it serves every task it holds — or is refused at the start saying it is damaged and what
// to do; never served damaged. Ten copies.
func TestAFolderCopiedWhileRunningIsWholeOrRefused(t *testing.T) {
	testdb.SQLiteOnly(t, "the data folder with its database file is copied")
	dir := t.TempDir()
	env := testkit.StartIn(t, dir)
	owner := env.Setup()
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			env.Do("POST", "/api/projects/"+project+"/tasks", owner, map[string]any{"title": fmt.Sprintf("Task %d", i), "description": strings.Repeat("text ", 200)})
		}
	}()
	refused := 0
	for c := range 10 {
		time.Sleep(60 * time.Millisecond)
		copyDir := t.TempDir()
		for i, f := range []string{"gatehouse.db", "gatehouse.db-wal"} {
			if i > 0 {
				time.Sleep(time.Duration(20+c*15) * time.Millisecond) // the next file a moment later
			}
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if err == nil {
				os.WriteFile(filepath.Join(copyDir, f), b, 0o600)
			}
		}
		st, err := store.Open(context.Background(), filepath.Join(copyDir, "gatehouse.db"))
		if err != nil {
			var oe *store.OpenError
			if !errors.As(err, &oe) || !strings.Contains(err.Error(), "gatehouse admin restore") {
				t.Fatalf("copy %d: refused without saying what to do: %v", c, err)
			}
			refused++
			continue
		}
		var res string
		var n int
		if err := st.DB().QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
			t.Fatalf("copy %d opened but is damaged: %q %v", c, res, err)
		}
		if err := st.DB().QueryRow(`SELECT COUNT(*) FROM tasks`).Scan(&n); err != nil {
			t.Fatalf("copy %d: %v", c, err)
		}
		st.Close()
	}
	close(stop)
	<-done
	t.Logf("%d of 10 copies refused as damaged; the others open whole", refused)
}
