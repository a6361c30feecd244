package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The serve process of the durability tests: this test binary run again as
// `gatehouse serve` on the folder named by the environment (a real process to kill).
func TestServeChild(t *testing.T) {
	dir := os.Getenv("GATEHOUSE_SERVE_CHILD")
	if dir == "" {
		t.Skip("run by the durability tests as their server")
	}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--insecure-file-secrets"}
	if extra := os.Getenv("GATEHOUSE_SERVE_ARGS"); extra != "" {
		args = append(args, strings.Split(extra, "\n")...)
	}
	os.Exit(run(args, os.Stdin, os.Stdout, os.Stderr))
}

type child struct {
	cmd  *exec.Cmd
	url  string
	logs *syncBuffer
	done chan error
	// out is everything the server printed on its standard output.
	out *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) add(line string) { s.Write([]byte(line + "\n")) }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var servingOn = regexp.MustCompile(`serving on (https?://[0-9.:\[\]a-z]+)`)

func startChild(t *testing.T, dir string, extra ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestServeChild$")
	cmd.Env = append(os.Environ(), "GATEHOUSE_SERVE_CHILD="+dir, "GATEHOUSE_SERVE_ARGS="+strings.Join(extra, "\n"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, logs: logs, done: make(chan error, 1), out: &syncBuffer{}}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.out.add(sc.Text())
			if m := servingOn.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	go func() { c.done <- cmd.Wait() }()
	select {
	case c.url = <-found:
	case err := <-c.done:
		t.Fatalf("the server exited before serving: %v\n%s", err, logs)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the server did not start within 60 s\n%s", logs)
	}
	return c
}

func (c *child) kill() {
	c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
}

type client struct {
	t     *testing.T
	http  *http.Client
	base  string
	token string
}

// do sends a request; ok is false when no answer came (the server died mid-request).
func (c *client) do(method, path string, body any) (status int, out []byte, ok bool) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, false
	}
	defer resp.Body.Close()
	out, err = io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, false
	}
	return resp.StatusCode, out, true
}

func (c *client) must(method, path string, body any, want int) []byte {
	c.t.Helper()
	st, out, ok := c.do(method, path, body)
	if !ok || st != want {
		c.t.Fatalf("%s %s: %d %s (answered: %v)", method, path, st, out, ok)
	}
	return out
}

func idOf(t *testing.T, b []byte) string {
	var v struct{ ID string }
	if err := json.Unmarshal(b, &v); err != nil || v.ID == "" {
		t.Fatalf("no id in %s", b)
	}
	return v.ID
}

// Durability: the server is killed with SIGKILL at a random moment while four writers
// add people, add tasks, add members to a project and edit a role, fifty times over. After
// each restart every acknowledged write is there (and an unacknowledged one either whole or
// absent), SQLite's integrity check passes, and — after a few more writes, a kill with
// nothing in flight and another restart — the index answers for every person exactly as it
// did before (the access report: who reaches which project and board, and how; the roles).
func TestDurabilityUnderSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a server fifty times")
	}
	const rounds = 50
	dir := t.TempDir()
	srv := startChild(t, dir)
	defer func() { srv.kill() }()
	hc := &http.Client{Timeout: 20 * time.Second}
	owner := &client{t: t, http: hc, base: srv.url}
	owner.must("POST", "/api/setup", map[string]string{"name": "Olivia Owner", "email": "owner@example.com", "password": "a durable passphrase 1"}, 201)
	var tok struct{ Token string }
	json.Unmarshal(owner.must("POST", "/api/sessions", map[string]string{"email": "owner@example.com", "password": "a durable passphrase 1"}, 201), &tok)
	owner.token = tok.Token
	tasksProject := idOf(t, owner.must("POST", "/api/projects", map[string]any{"name": "Tasks"}, 201))
	team := idOf(t, owner.must("POST", "/api/projects", map[string]any{"name": "Team"}, 201))
	keys := []string{"projects.view", "tasks.view", "tasks.create", "tasks.edit", "tasks.status", "users.view"}
	role := idOf(t, owner.must("POST", "/api/roles", map[string]any{"name": "Rotating", "kind": "internal", "permissions": []map[string]string{{"key": "projects.view", "scope": "assigned"}}}, 201))
	var pool []string
	for i := range 60 {
		roleID := "staff"
		if i%3 == 0 {
			roleID = role
		}
		pool = append(pool, idOf(t, owner.must("POST", "/api/users", map[string]any{"name": fmt.Sprintf("Pool %02d", i), "email": fmt.Sprintf("pool%02d@example.com", i), "roleId": roleID, "password": "a pool passphrase 12"}, 201)))
	}

	var (
		mu        sync.Mutex
		users     []string // emails acknowledged
		tasks     []string // task ids acknowledged
		members   []string // the project's members as last acknowledged
		trying    []string // the members list in flight
		perms     []string // the role's keys as last acknowledged
		permsNext []string // in flight
	)
	members, perms = []string{}, []string{"projects.view"}
	rng := rand.New(rand.NewPCG(1, 2))
	seq := 0
	grants := func(ks []string) []map[string]string {
		out := []map[string]string{}
		for _, k := range ks {
			out = append(out, map[string]string{"key": k, "scope": scopeOf(k)})
		}
		return out
	}
	for round := range rounds {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		writer := func(f func(i int) bool) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					if !f(i) {
						return
					}
				}
			}()
		}
		writer(func(i int) bool {
			mu.Lock()
			seq++
			email := fmt.Sprintf("r%d-%d@example.com", round, seq)
			mu.Unlock()
			st, _, ok := owner.do("POST", "/api/users", map[string]any{"name": "Someone " + email, "email": email, "roleId": "staff", "password": "a pool passphrase 12"})
			if ok && st == 201 {
				mu.Lock()
				users = append(users, email)
				mu.Unlock()
			}
			return ok
		})
		writer(func(i int) bool {
			st, b, ok := owner.do("POST", "/api/projects/"+tasksProject+"/tasks", map[string]any{"title": fmt.Sprintf("Round %d task %d", round, i)})
			if ok && st == 201 {
				mu.Lock()
				tasks = append(tasks, idOf(t, b))
				mu.Unlock()
			}
			return ok
		})
		writer(func(i int) bool {
			mu.Lock()
			next := slices.Clone(members)
			if add := pool[rng.IntN(len(pool))]; !slices.Contains(next, add) {
				next = append(next, add)
			}
			if len(next) > 30 {
				next = next[10:] // removals too
			}
			trying = next
			mu.Unlock()
			st, _, ok := owner.do("PATCH", "/api/projects/"+team, map[string]any{"members": next})
			if ok && st == 200 {
				mu.Lock()
				members, trying = next, nil
				mu.Unlock()
			}
			return ok
		})
		writer(func(i int) bool {
			mu.Lock()
			var next []string
			for _, k := range keys {
				if rng.IntN(2) == 0 {
					next = append(next, k)
				}
			}
			if len(next) == 0 {
				next = []string{"projects.view"}
			}
			permsNext = next
			mu.Unlock()
			st, _, ok := owner.do("PATCH", "/api/roles/"+role, map[string]any{"permissions": grants(next)})
			if ok && st == 200 {
				mu.Lock()
				perms, permsNext = next, nil
				mu.Unlock()
			}
			return ok
		})
		time.Sleep(time.Duration(20+rng.IntN(250)) * time.Millisecond)
		srv.kill() // mid-write
		close(stop)
		wg.Wait()

		checkFolder(t, round, dir, users, tasks)
		srv = startChild(t, dir)
		owner.base = srv.url
		var p struct{ Members []string }
		json.Unmarshal(owner.must("GET", "/api/projects/"+team, nil, 200), &p)
		if !sameSet(p.Members, members) && (trying == nil || !sameSet(p.Members, trying)) {
			t.Fatalf("round %d: the project's members are %v; acknowledged %v (in flight %v)", round, p.Members, members, trying)
		}
		members, trying = p.Members, nil
		var r struct{ Permissions []struct{ Key string } }
		json.Unmarshal(owner.must("GET", "/api/roles/"+role, nil, 200), &r)
		var got []string
		for _, g := range r.Permissions {
			got = append(got, g.Key)
		}
		if !sameSet(got, perms) && (permsNext == nil || !sameSet(got, permsNext)) {
			t.Fatalf("round %d: the role holds %v; acknowledged %v (in flight %v)", round, got, perms, permsNext)
		}
		perms, permsNext = got, nil

		// A few more writes, then the index as it answers now, a kill with nothing in
		// flight, and the same answers after the restart.
		owner.must("POST", "/api/projects/"+tasksProject+"/tasks", map[string]any{"title": fmt.Sprintf("Round %d, settled", round)}, 201)
		before := indexView(owner)
		srv.kill()
		srv = startChild(t, dir)
		owner.base = srv.url
		if after := indexView(owner); after != before {
			t.Fatalf("round %d: the index after a restart differs from the one before:\n%s", round, firstDiff(before, after))
		}
	}
	t.Logf("%d kills mid-write: %d people and %d tasks acknowledged, none lost", rounds, len(users), len(tasks))
}

// checkFolder opens the killed server's database read-only: its integrity, and every
// acknowledged person and task in it.
func checkFolder(t *testing.T, round int, dir string, users, tasks []string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "gatehouse.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("round %d: integrity check: %q %v", round, res, err)
	}
	have := map[string]bool{}
	rows, err := db.Query(`SELECT 'u' || email FROM users UNION ALL SELECT 't' || id FROM tasks`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		have[s] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for _, e := range users {
		if !have["u"+e] {
			t.Fatalf("round %d: %s was acknowledged and is gone after the kill", round, e)
		}
	}
	for _, id := range tasks {
		if !have["t"+id] {
			t.Fatalf("round %d: task %s was acknowledged and is gone after the kill", round, id)
		}
	}
}

// indexView is what the index answers about everyone: the access report (each person's
// role, and each project and board they reach, and how) and the roles.
func indexView(c *client) string {
	c.t.Helper()
	report := c.must("GET", "/api/access-report.csv", nil, 200)
	lines := strings.Split(strings.TrimSpace(string(report)), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n" + string(c.must("GET", "/api/roles", nil, 200))
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("before: %s\nafter:  %s", al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines before, %d after", len(al), len(bl))
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Compact(slices.Sorted(slices.Values(a))), slices.Compact(slices.Sorted(slices.Values(b))))
}

// scopeOf is the scope the test gives each key ("" for an unscoped permission).
func scopeOf(key string) string {
	switch key {
	case "projects.view", "tasks.view":
		return "assigned"
	case "users.view":
		return "staff"
	}
	return ""
}

// SIGTERM drains: requests in flight are answered, the process exits 0, and the database
// is closed cleanly (its write-ahead log checkpointed and removed).
func TestSIGTERMDrainsAndClosesCleanly(t *testing.T) {
	dir := t.TempDir()
	srv := startChild(t, dir)
	hc := &http.Client{Timeout: 20 * time.Second}
	owner := &client{t: t, http: hc, base: srv.url}
	owner.must("POST", "/api/setup", map[string]string{"name": "Olivia Owner", "email": "owner@example.com", "password": "a durable passphrase 1"}, 201)
	var tok struct{ Token string }
	json.Unmarshal(owner.must("POST", "/api/sessions", map[string]string{"email": "owner@example.com", "password": "a durable passphrase 1"}, 201), &tok)
	owner.token = tok.Token
	project := idOf(t, owner.must("POST", "/api/projects", map[string]any{"name": "Drain"}, 201))
	var wg sync.WaitGroup
	var mu sync.Mutex
	answered, created := 0, []string{}
	ctx, cancel := context.WithCancel(context.Background())
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				st, b, ok := owner.do("POST", "/api/projects/"+project+"/tasks", map[string]any{"title": fmt.Sprintf("w%d-%d", w, i)})
				if !ok {
					return // the listener closed: no new request is taken
				}
				mu.Lock()
				answered++
				if st == 201 {
					created = append(created, idOf(t, b))
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	srv.cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case err = <-srv.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop within 30 s of SIGTERM")
	}
	cancel()
	wg.Wait()
	if err != nil {
		t.Fatalf("after SIGTERM the server exited with %v\n%s", err, srv.logs)
	}
	if _, err := os.Stat(filepath.Join(dir, "gatehouse.db-wal")); err == nil {
		t.Fatal("the write-ahead log is still there: the database was not closed cleanly")
	}
	if _, err := os.Stat(filepath.Join(dir, "gatehouse.pid")); err == nil {
		t.Fatal("the pid file is still there: the data folder was not released")
	}
	checkFolder(t, 0, dir, nil, created)
	if answered == 0 {
		t.Fatal("no request was answered before SIGTERM")
	}
}
