package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/backend/backup"
	"gatehouse/backend/testkit"
	"gatehouse/backend/testkit/testdb"
)

// Backups: a copy taken while people write holds every write acknowledged before it, and
// restores into a folder that opens, checks whole, and serves the same data.
func TestBackupDuringWritesRestoresEveryAcknowledgedRow(t *testing.T) {
	testdb.SQLiteOnly(t, "backups copy the SQLite file; a PostgreSQL database is backed up by its server (TestBackupsOnPostgresSayHow)")
	dir := t.TempDir()
	env := testkit.StartIn(t, dir)
	owner := env.Setup()
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	content := bytes.Repeat([]byte("brief "), 5000)
	file := mustID(t, env.DoRaw("POST", "/api/projects/"+project+"/files?name="+url.QueryEscape("brief.txt"), owner, "application/octet-stream", content))
	folder := filepath.Join(t.TempDir(), "Backups")
	if r := env.Do("PUT", "/api/settings/backups", owner, map[string]any{"folder": folder, "automatic": false}); r.Status != 200 {
		t.Fatalf("settings: %d %s", r.Status, r.Body)
	}

	// Writers add people and tasks while backups are made.
	var mu sync.Mutex
	var acked []string // "user:email" and "task:title", in the order they were acknowledged
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if w == 0 {
					email := fmt.Sprintf("p%d@example.com", i)
					if r := env.Do("POST", "/api/users", owner, map[string]any{"name": fmt.Sprintf("Person %d", i), "email": email, "roleId": "staff", "password": initialPW}); r.Status == 201 {
						mu.Lock()
						acked = append(acked, "user:"+email)
						mu.Unlock()
					}
				} else {
					title := fmt.Sprintf("Task %d", i)
					if r := env.Do("POST", "/api/projects/"+project+"/tasks", owner, map[string]any{"title": title}); r.Status == 201 {
						mu.Lock()
						acked = append(acked, "task:"+title)
						mu.Unlock()
					}
				}
			}
		}()
	}
	type made struct {
		name   string
		before []string
	}
	var backups []made
	for range 3 {
		time.Sleep(30 * time.Millisecond)
		mu.Lock()
		before := append([]string(nil), acked...)
		mu.Unlock()
		r := env.Do("POST", "/api/backups", owner, nil)
		if r.Status != 201 {
			t.Fatalf("backup: %d %s", r.Status, r.Body)
		}
		var l struct {
			Name string
			Size int64
		}
		r.Decode(t, &l)
		if info, err := os.Stat(filepath.Join(folder, l.Name)); err != nil || info.Size() != l.Size {
			t.Fatalf("the answer's size %d is not the file's (%v)", l.Size, err)
		}
		backups = append(backups, made{l.Name, before})
		env.Clock.Advance(time.Second) // each backup its own name
	}
	close(stop)
	wg.Wait()
	if len(backups[2].before) == 0 {
		t.Fatal("no write was acknowledged before the last backup")
	}

	for _, b := range backups {
		fresh := t.TempDir()
		res, err := backup.Restore(context.Background(), filepath.Join(folder, b.name), fresh, time.Now())
		if err != nil {
			t.Fatalf("restore %s: %v", b.name, err)
		}
		if res.Aside != "" {
			t.Fatalf("a fresh folder had nothing to set aside, got %s", res.Aside)
		}
		re := testkit.StartIn(t, fresh)
		tok := re.SignIn(testkit.Owner.Email, testkit.Owner.Password)
		var integrity string
		if err := re.Core.Store.DB().QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
			t.Fatalf("integrity: %q %v", integrity, err)
		}
		have := map[string]bool{}
		rows, err := re.Core.Store.DB().Query(`SELECT 'user:' || email FROM users UNION ALL SELECT 'task:' || title FROM tasks`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			have[s] = true
		}
		rows.Close()
		for _, k := range b.before {
			if !have[k] {
				t.Fatalf("%s: %s was acknowledged before the backup and is missing from it", b.name, k)
			}
		}
		got := re.Do("GET", "/api/files/"+file+"/content", tok, nil)
		if got.Status != 200 || !bytes.Equal(got.Body, content) {
			t.Fatalf("the file after restore: %d, %d bytes", got.Status, len(got.Body))
		}
		re.Stop()
	}
}

// rewrite copies the archive at src to dst, changing one part's bytes with change.
func rewrite(t *testing.T, src, dst, part string, change func([]byte) []byte) {
	t.Helper()
	z, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range z.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		if f.Name == part {
			b = change(b)
		}
		out, _ := w.Create(f.Name)
		out.Write(b)
	}
	w.Close()
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A damaged archive, one from a newer version, or one with a path outside the folder is
// refused before anything is touched; restoring over data sets that data aside.
func TestRestoreRefusesWhatItCannotTrustAndKeepsTheCurrentData(t *testing.T) {
	testdb.SQLiteOnly(t, "backups copy the SQLite file; a PostgreSQL database is backed up by its server (TestBackupsOnPostgresSayHow)")
	dir := t.TempDir()
	env := testkit.StartIn(t, dir)
	owner := env.Setup()
	env.CreateUser(owner, "Ada Lovelace", "ada@example.com", "staff", initialPW)
	folder := t.TempDir()
	env.Do("PUT", "/api/settings/backups", owner, map[string]any{"folder": folder, "automatic": false})
	r := env.Do("POST", "/api/backups", owner, nil)
	if r.Status != 201 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	good := filepath.Join(folder, r.JSON()["name"].(string))
	env.CreateUser(owner, "Bob Builder", "bob@example.com", "staff", initialPW) // after the backup
	env.Stop()
	before, _ := os.ReadFile(filepath.Join(dir, "gatehouse.db"))

	damaged := filepath.Join(t.TempDir(), "damaged"+backup.Ext)
	rewrite(t, good, damaged, "gatehouse.db", func(b []byte) []byte { b[len(b)/2] ^= 0xff; return b })
	newer := filepath.Join(t.TempDir(), "newer"+backup.Ext)
	rewrite(t, good, newer, "manifest.json", func(b []byte) []byte {
		var m map[string]any
		json.Unmarshal(b, &m)
		m["schema"] = 99999
		out, _ := json.Marshal(m)
		return out
	})
	escape := filepath.Join(t.TempDir(), "escape"+backup.Ext)
	rewrite(t, good, escape, "manifest.json", func(b []byte) []byte {
		return []byte(strings.Replace(string(b), `"name": "gatehouse.db"`, `"name": "../gatehouse.db"`, 1))
	})
	for name, c := range map[string]struct {
		path, says string
	}{
		"damaged": {damaged, "fails its checksum"},
		"newer":   {newer, "newer version of Gatehouse"},
		"escape":  {escape, "no database"},
		"missing": {filepath.Join(folder, "nothing"+backup.Ext), "not a Gatehouse backup"},
	} {
		_, err := backup.Restore(context.Background(), c.path, dir, time.Now())
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Fatalf("%s: %v", name, err)
		}
		if after, _ := os.ReadFile(filepath.Join(dir, "gatehouse.db")); !bytes.Equal(before, after) {
			t.Fatalf("%s: the refused restore changed the database", name)
		}
		if ents, _ := filepath.Glob(filepath.Join(dir, "before-restore-*")); len(ents) > 0 {
			t.Fatalf("%s: a refused restore set data aside: %v", name, ents)
		}
	}

	res, err := backup.Restore(context.Background(), good, dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if kept, _ := os.ReadFile(filepath.Join(res.Aside, "gatehouse.db")); !bytes.Equal(kept, before) {
		t.Fatal("the data that was there is not kept aside whole")
	}
	re := testkit.StartIn(t, dir)
	tok := re.SignIn(testkit.Owner.Email, testkit.Owner.Password)
	body := string(re.Do("GET", "/api/users", tok, nil).Body)
	if !strings.Contains(body, "ada@example.com") || strings.Contains(body, "bob@example.com") {
		t.Fatalf("the restored data is not the backup's: %s", body)
	}
}

// Backups hold everything: settings.licence alone shows the page but makes none; bad
// folders are refused by field and change nothing.
func TestBackupSettingsNeedEveryAdminPermissionAndAGoodFolder(t *testing.T) {
	testdb.SQLiteOnly(t, "backups copy the SQLite file; a PostgreSQL database is backed up by its server (TestBackupsOnPostgresSayHow)")
	env := testkit.Start(t)
	owner := env.Setup()
	rid := role(t, env, owner, "Version keeper", "internal", [2]string{"settings.licence", ""})
	env.CreateUser(owner, "Vera Keeper", "vera@example.com", rid, initialPW)
	vera := env.SignInFresh("vera@example.com", initialPW, ownPW)

	r := env.Do("GET", "/api/settings/backups", vera, nil)
	if r.Status != 200 || r.JSON()["mayBackUp"] != false {
		t.Fatalf("page for settings.licence: %d %s", r.Status, r.Body)
	}
	snap := env.Snapshot()
	for _, c := range []struct{ method, path string }{{"POST", "/api/backups"}, {"GET", "/api/backups/download"}} {
		if r := env.Do(c.method, c.path, vera, nil); r.Status != 403 || !strings.Contains(string(r.Body), "every permission of the Admin role") {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.Status, r.Body)
		}
	}
	if r := env.Do("PUT", "/api/settings/backups", vera, map[string]any{"folder": t.TempDir(), "automatic": true}); r.Status != 403 {
		t.Fatalf("put: %d %s", r.Status, r.Body)
	}
	data := filepath.Dir(env.DBPath)
	for _, c := range []struct {
		folder    string
		automatic bool
		says      string
	}{
		{"", true, "Choose the folder"},
		{"Backups", false, "full path"},
		{filepath.Join(data, "backups"), false, "outside the data folder"},
		{"/proc/gatehouse-backups", false, "cannot create"},
	} {
		r := env.Do("PUT", "/api/settings/backups", owner, map[string]any{"folder": c.folder, "automatic": c.automatic})
		if r.Status != 422 || !strings.Contains(string(r.Body), `"field":"folder"`) || !strings.Contains(string(r.Body), c.says) {
			t.Fatalf("%q: %d %s", c.folder, r.Status, r.Body)
		}
	}
	if r := env.Do("POST", "/api/backups", owner, nil); r.Status != 422 {
		t.Fatalf("no folder yet: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != snap {
		t.Fatal("a refused request changed something")
	}
	// The owner downloads one; it verifies.
	r = env.Do("GET", "/api/backups/download", owner, nil)
	if r.Status != 200 {
		t.Fatalf("download: %d", r.Status)
	}
	f := filepath.Join(t.TempDir(), "dl"+backup.Ext)
	os.WriteFile(f, r.Body, 0o600)
	knows, _ := backup.KnownSchema()
	m, err := backup.Verify(f, knows)
	if err != nil || m.Users != 2 {
		t.Fatalf("downloaded backup: %v %+v", err, m)
	}
	// The handler removes its temporary copy once the body is sent (just after we read it).
	for i := 0; ; i++ {
		ents, _ := filepath.Glob(filepath.Join(data, ".download-*"))
		if len(ents) == 0 {
			break
		}
		if i == 100 {
			t.Fatalf("the download left %v behind", ents)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The daily backup is made when due (at start, or the hour after a day has passed), once,
// and retention keeps the newest of the last 7 days and of the last 4 weeks.
func TestAutomaticBackupsAndRetention(t *testing.T) {
	testdb.SQLiteOnly(t, "backups copy the SQLite file; a PostgreSQL database is backed up by its server (TestBackupsOnPostgresSayHow)")
	env := testkit.Start(t)
	owner := env.Setup()
	folder := t.TempDir()
	if r := env.Do("PUT", "/api/settings/backups", owner, map[string]any{"folder": folder, "automatic": true}); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	autos := func() []string {
		m, _ := filepath.Glob(filepath.Join(folder, "gatehouse-auto-*"))
		return m
	}
	ctx := context.Background()
	env.Core.Backups.RunDue(ctx)
	env.Core.Backups.RunDue(ctx)
	if n := len(autos()); n != 1 {
		t.Fatalf("%d automatic backups, want 1", n)
	}
	env.Clock.Advance(23 * time.Hour)
	env.Core.Backups.RunDue(ctx)
	if n := len(autos()); n != 1 {
		t.Fatalf("%d automatic backups within a day, want 1", n)
	}
	for range 40 {
		env.Clock.Advance(25 * time.Hour)
		env.Core.Backups.RunDue(ctx)
	}
	got := autos()
	if len(got) < Daily || len(got) > Daily+Weekly {
		t.Fatalf("%d automatic backups kept after 40 days: %v", len(got), got)
	}
	manual := filepath.Join(folder, "gatehouse-20200101-000000"+backup.Ext)
	os.WriteFile(manual, []byte("mine"), 0o600)
	env.Clock.Advance(25 * time.Hour)
	env.Core.Backups.RunDue(ctx)
	if _, err := os.Stat(manual); err != nil {
		t.Fatal("retention removed a backup it did not make")
	}
	var s struct {
		LastError string
		Backups   []struct{ Automatic bool }
	}
	owner = env.SignIn(testkit.Owner.Email, testkit.Owner.Password) // the session ended in those weeks
	page := env.Do("GET", "/api/settings/backups", owner, nil)
	page.Decode(t, &s)
	if s.LastError != "" || len(s.Backups) != len(autos())+1 {
		t.Fatalf("page: %s", page.Body)
	}
}

const Daily, Weekly = backup.Daily, backup.Weekly

func TestRetentionKeepsTheNewestOfEachDayAndWeek(t *testing.T) {
	testdb.SQLiteOnly(t, "backups copy the SQLite file; a PostgreSQL database is backed up by its server (TestBackupsOnPostgresSayHow)")
	folder := t.TempDir()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for d := range 60 {
		for _, h := range []int{1, 13} {
			at := now.Add(-time.Duration(d) * 24 * time.Hour).Truncate(24 * time.Hour).Add(time.Duration(h) * time.Hour)
			if at.After(now) {
				continue
			}
			os.WriteFile(filepath.Join(folder, "gatehouse-auto-"+at.Format("20060102-150405")+backup.Ext), nil, 0o600)
		}
	}
	gone := map[string]bool{}
	for _, n := range backup.Expired(folder, now) {
		gone[n] = true
	}
	ents, _ := os.ReadDir(folder)
	var kept []string
	for _, e := range ents {
		if !gone[e.Name()] {
			kept = append(kept, strings.TrimSuffix(strings.TrimPrefix(e.Name(), "gatehouse-auto-"), backup.Ext))
		}
	}
	// Seven days (the newest of each: 13:00, and today's 01:00), and the newest of each of
	// the four newest ISO weeks (49 and 48 are among those days; 47 and 46 end on Sundays).
	want := []string{"20261115-130000", "20261122-130000", "20261125-130000", "20261126-130000",
		"20261127-130000", "20261128-130000", "20261129-130000", "20261130-130000", "20261201-010000"}
	if strings.Join(kept, " ") != strings.Join(want, " ") {
		t.Fatalf("kept %v\nwant %v", kept, want)
	}
}

// On PostgreSQL, Settings → Backups says where the data is; making, downloading and
// scheduling a backup (copies of the SQLite file) are refused in words and change nothing.
func TestBackupsOnPostgresSayHow(t *testing.T) {
	testdb.PostgresOnly(t, "the data is in the SQLite file, which backups copy (the tests above)")
	env := testkit.Start(t)
	owner := env.Setup()
	r := env.Do("GET", "/api/settings/backups", owner, nil)
	if r.Status != 200 || r.JSON()["database"] != "postgres" || r.JSON()["mayBackUp"] != true {
		t.Fatalf("page: %d %s", r.Status, r.Body)
	}
	snap := env.Snapshot()
	for _, c := range []struct {
		method, path string
		body         any
	}{{"POST", "/api/backups", nil}, {"GET", "/api/backups/download", nil}, {"PUT", "/api/settings/backups", map[string]any{"folder": t.TempDir(), "automatic": true}}} {
		r := env.Do(c.method, c.path, owner, c.body)
		if r.Status != 409 || r.ErrCode() != "backups_on_postgres" || !strings.Contains(string(r.Body), "pg_dump") {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.Status, r.Body)
		}
	}
	if env.Snapshot() != snap {
		t.Fatal("a refused backup changed the database")
	}
}
