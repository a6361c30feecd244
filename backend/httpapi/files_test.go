package httpapi_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit"
)

// Project files: who sees them by every route, and uploads that must leave nothing
// behind.

type filesWorld struct {
	env                   *testkit.Env
	owner, staff, carl    string // tokens
	dora                  string // another client of the same project
	project, internalTask string
	carlID, staffID       string
}

func newFilesWorld(t *testing.T, o ...testkit.Options) *filesWorld {
	env := testkit.Start(t, o...)
	w := &filesWorld{env: env, owner: env.Setup()}
	sam := env.CreateUser(w.owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	w.staffID = sam
	w.carlID = env.CreateUser(w.owner, "Carl Client", "carl@customer.test", "client", initialPW)
	dora := env.CreateUser(w.owner, "Dora Client", "dora@customer.test", "client", initialPW)
	w.staff = env.SignInFresh("sam@acme.test", initialPW, ownPW)
	w.carl = env.SignInFresh("carl@customer.test", initialPW, ownPW)
	w.dora = env.SignInFresh("dora@customer.test", initialPW, ownPW)
	w.project = mustID(t, env.Do("POST", "/api/projects", w.owner, map[string]any{"name": "Website", "members": []string{sam}, "clients": []string{w.carlID, dora}}))
	w.internalTask = mustID(t, env.Do("POST", "/api/projects/"+w.project+"/tasks", w.owner, map[string]any{"title": "Internal budget"}))
	return w
}

func (w *filesWorld) upload(token, name, query string, content []byte) *testkit.Resp {
	w.env.T.Helper()
	return w.env.DoRaw("POST", "/api/projects/"+w.project+"/files?name="+url.QueryEscape(name)+query, token, "application/octet-stream", content)
}

func TestClientsNeverReceiveInternalFilesByAnyRoute(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	internal := mustID(t, w.upload(w.staff, "salaries.xlsx", "", []byte("secret numbers")))
	shared := mustID(t, w.upload(w.staff, "brief.pdf", "", []byte("%PDF-1.4 brief")))
	onTask := mustID(t, w.upload(w.staff, "budget.csv", "&taskId="+w.internalTask, []byte("a,b\n1,2\n")))
	// Staff may not share (no files.share_clients): the owner does.
	if r := env.Do("PATCH", "/api/files/"+shared, w.staff, map[string]any{"shared": true}); r.Status != 403 {
		t.Fatalf("staff shares: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/files/"+shared, w.owner, map[string]any{"shared": true}); r.Status != 200 || r.JSON()["shared"] != true {
		t.Fatalf("owner shares: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/files/"+onTask, w.owner, map[string]any{"shared": true}); r.Status != 409 {
		t.Fatalf("sharing a task's file: %d %s", r.Status, r.Body)
	}
	fromCarl := mustID(t, w.upload(w.carl, "logo.png", "", []byte("\x89PNG\r\n\x1a\n carl's logo")))

	list := func(token string) string {
		r := env.Do("GET", "/api/projects/"+w.project+"/files", token, nil)
		if r.Status != 200 {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		return string(r.Body)
	}
	carlSees := list(w.carl)
	for _, hidden := range []string{internal, onTask, "salaries", "budget"} {
		if strings.Contains(carlSees, hidden) {
			t.Errorf("the client's list names %q: %s", hidden, carlSees)
		}
	}
	if !strings.Contains(carlSees, shared) || !strings.Contains(carlSees, fromCarl) {
		t.Errorf("the client's list lacks the shared file or their own upload: %s", carlSees)
	}
	if doraSees := list(w.dora); strings.Contains(doraSees, fromCarl) || !strings.Contains(doraSees, shared) {
		t.Errorf("another client's upload leaks, or the shared file is missing: %s", doraSees)
	}
	// By id, every route: metadata, content, who-can-see, explain; all 404, never 403.
	for _, id := range []string{internal, onTask} {
		for _, path := range []string{"/api/files/" + id, "/api/files/" + id + "/content", "/api/files/" + id + "/access"} {
			if r := env.Do("GET", path, w.carl, nil); r.Status != 404 {
				t.Errorf("client GET %s: %d %s", path, r.Status, r.Body)
			}
		}
		for _, m := range []struct {
			method string
			body   any
		}{{"PATCH", map[string]any{"name": "x"}}, {"DELETE", nil}} {
			if r := env.Do(m.method, "/api/files/"+id, w.carl, m.body); r.Status != 404 {
				t.Errorf("client %s %s: %d", m.method, id, r.Status)
			}
		}
	}
	if r := env.Do("GET", "/api/files/"+fromCarl, w.dora, nil); r.Status != 404 {
		t.Errorf("another client reads Carl's upload: %d", r.Status)
	}
	// The client downloads the shared file with its original name, never to be run.
	r := env.Do("GET", "/api/files/"+shared+"/content", w.carl, nil)
	if r.Status != 200 || string(r.Body) != "%PDF-1.4 brief" || !strings.Contains(r.Header.Get("Content-Disposition"), `filename=brief.pdf`) ||
		r.Header.Get("Content-Type") != "application/octet-stream" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("download: %d %v %q", r.Status, r.Header, r.Body)
	}
	// The team sees Carl's upload, in "From the client".
	teamSees := list(w.staff)
	if !strings.Contains(teamSees, "From the client") {
		t.Errorf("the team's list lacks the client folder: %s", teamSees)
	}
	// Who can see it: the shared file names the clients, the internal one does not.
	if a := env.Do("GET", "/api/files/"+shared+"/access", w.owner, nil); !strings.Contains(string(a.Body), "Carl Client") || !strings.Contains(string(a.Body), `"shared"`) {
		t.Errorf("access of the shared file: %s", a.Body)
	}
	if a := env.Do("GET", "/api/files/"+internal+"/access", w.owner, nil); a.Status != 200 || strings.Contains(string(a.Body), "Carl Client") {
		t.Errorf("access of the internal file: %d %s", a.Status, a.Body)
	}
	ex := env.Do("GET", "/api/access/explain?userId="+w.carlID+"&resourceType=file&resourceId="+internal, w.owner, nil)
	if ex.Status != 200 || ex.JSON()["allowed"] != false || !strings.Contains(ex.JSON()["missing"].(string), "internal") {
		t.Errorf("explain: %d %s", ex.Status, ex.Body)
	}
	// Viewing as the client shows only what the client sees.
	env.Do("POST", "/api/view-as", w.owner, map[string]any{"userId": w.carlID})
	as := env.DoWithHeaders("GET", "/api/projects/"+w.project+"/files", w.owner, nil, map[string]string{"X-View-As": w.carlID})
	if strings.Contains(string(as.Body), internal) || !strings.Contains(string(as.Body), shared) {
		t.Errorf("view-as the client: %s", as.Body)
	}
	// Stopping sharing takes it away at once.
	env.Do("PATCH", "/api/files/"+shared, w.owner, map[string]any{"shared": false})
	if r := env.Do("GET", "/api/files/"+shared+"/content", w.carl, nil); r.Status != 404 {
		t.Errorf("unshared file still downloads: %d", r.Status)
	}
}

type failingReader struct{ left int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, errors.New("the connection dropped")
	}
	n := min(len(p), f.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	f.left -= n
	return n, nil
}

func TestUploadsThatMustLeaveNothingBehind(t *testing.T) {
	w := newFilesWorld(t, testkit.Options{MaxUpload: 1024})
	env := w.env
	before := env.Snapshot()
	blobs := func() []string {
		var out []string
		filepath.WalkDir(filepath.Join(filepath.Dir(env.DBPath), "files"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, p)
			}
			return nil
		})
		return out
	}
	for _, c := range []struct {
		name    string
		content []byte
		status  int
		field   string
	}{
		{"empty.txt", []byte{}, 422, "file"},
		{"big.bin", bytes.Repeat([]byte("x"), 1025), 413, "file"},
		{"../../etc/passwd", []byte("x"), 422, "name"},
		{"nul\x00.txt", []byte("x"), 422, "name"},
		{strings.Repeat("n", 300), []byte("x"), 422, "name"},
		{"", []byte("x"), 422, "name"},
	} {
		if r := w.upload(w.staff, c.name, "", c.content); r.Status != c.status || r.ErrField() != c.field {
			t.Errorf("%q (%d bytes): %d %s, want %d on %s", c.name, len(c.content), r.Status, r.Body, c.status, c.field)
		}
	}
	// An upload cut off midway.
	req, _ := http.NewRequest("POST", env.Server.URL+"/api/projects/"+w.project+"/files?name=cut.bin", io.NopCloser(&failingReader{left: 500}))
	req.Header.Set("Authorization", "Bearer "+w.staff)
	req.ContentLength = -1
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("a cut-off upload was taken: %d", resp.StatusCode)
		}
	}
	// A client may not place files elsewhere than "From the client".
	if r := w.upload(w.carl, "x.txt", "&taskId="+w.internalTask, []byte("x")); r.Status != 422 {
		t.Errorf("client attaching to a task: %d %s", r.Status, r.Body)
	}
	if got := env.Snapshot(); got != before {
		t.Error("refused uploads changed the database")
	}
	// The cut-off upload's handler may still be ending when its client has given up: what
	// it wrote must be gone once it has.
	for deadline := time.Now().Add(5 * time.Second); len(blobs()) > 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if b := blobs(); len(b) > 0 {
		t.Errorf("refused uploads left content behind: %v", b)
	}
	// Exactly the limit is fine; deleted, its content goes.
	exact := mustID(t, w.upload(w.staff, "exact.bin", "", bytes.Repeat([]byte("y"), 1024)))
	if len(blobs()) != 1 {
		t.Fatalf("content of the upload: %v", blobs())
	}
	if r := env.Do("DELETE", "/api/files/"+exact, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete: %d", r.Status)
	}
	if b := blobs(); len(b) > 0 {
		t.Errorf("a deleted file's content stays: %v", b)
	}
}

func TestFoldersAndMoving(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	docs := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/folders", w.staff, map[string]any{"name": "Docs"}))
	if r := env.Do("POST", "/api/projects/"+w.project+"/folders", w.staff, map[string]any{"name": "docs"}); r.Status != 409 {
		t.Errorf("same name twice: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/projects/"+w.project+"/folders", w.carl, map[string]any{"name": "Mine"}); r.Status != 403 {
		t.Errorf("client makes a folder: %d %s", r.Status, r.Body)
	}
	sub := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/folders", w.staff, map[string]any{"name": "Drafts", "parentId": docs}))
	if r := env.Do("PATCH", "/api/folders/"+docs, w.staff, map[string]any{"parentId": sub}); r.Status != 422 {
		t.Errorf("a folder into its own child: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/projects/"+w.project+"/folders", w.staff, nil); r.Status != 200 || len(r.JSON()["items"].([]any)) != 2 {
		t.Errorf("all folders: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/projects/"+w.project+"/folders", w.carl, nil); r.Status != 200 || len(r.JSON()["items"].([]any)) != 0 {
		t.Errorf("a client sees the team's folders: %d %s", r.Status, r.Body)
	}
	f := mustID(t, w.upload(w.staff, "plan.txt", "&folderId="+sub, []byte("plan")))
	if r := env.Do("DELETE", "/api/folders/"+docs, w.staff, nil); r.Status != 409 {
		t.Errorf("deleting a folder that is not empty: %d %s", r.Status, r.Body)
	}
	l := env.Do("GET", "/api/projects/"+w.project+"/files?folderId="+sub, w.staff, nil).JSON()
	if len(l["path"].([]any)) != 2 || len(l["files"].([]any)) != 1 {
		t.Fatalf("listing: %v", l)
	}
	if r := env.Do("PATCH", "/api/files/"+f, w.staff, map[string]any{"folderId": "", "name": "plan-v2.txt"}); r.Status != 200 || r.JSON()["folderId"] != "" {
		t.Fatalf("move to the top: %d %s", r.Status, r.Body)
	}
	if r := env.Do("DELETE", "/api/folders/"+sub, w.staff, nil); r.Status != 204 {
		t.Fatalf("delete the empty folder: %d %s", r.Status, r.Body)
	}
	// Clients' uploads: the team moves them out, which makes them the team's (internal).
	fromCarl := mustID(t, w.upload(w.carl, "notes.txt", "", []byte("notes")))
	if r := env.Do("PATCH", "/api/files/"+fromCarl, w.staff, map[string]any{"folderId": docs}); r.Status != 200 || r.JSON()["fromClient"] != false {
		t.Fatalf("move a client's upload: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/files/"+fromCarl, w.carl, nil); r.Status != 404 {
		t.Errorf("a moved client upload is still the client's: %d", r.Status)
	}
}

func TestTaskFilesAndAProjectsDeletion(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	shown := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/tasks", w.owner, map[string]any{"title": "Logo review", "clientVisible": true}))
	onShown := mustID(t, w.upload(w.staff, "logo-v1.png", "&taskId="+shown, []byte("\x89PNG\r\n\x1a\nlogo")))
	mustID(t, w.upload(w.staff, "budget.csv", "&taskId="+w.internalTask, []byte("1,2")))
	// A client-visible task's files are the client's to see, as the task is; an internal
	// task's are not, by any route.
	if r := env.Do("GET", "/api/tasks/"+shown+"/files", w.carl, nil); r.Status != 200 || !strings.Contains(string(r.Body), onShown) {
		t.Fatalf("client, visible task's files: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/tasks/"+w.internalTask+"/files", w.carl, nil); r.Status != 404 {
		t.Fatalf("client, internal task's files: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/files/"+onShown+"/content?inline=1", w.carl, nil); r.Status != 200 || r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("image preview: %d %v", r.Status, r.Header)
	}
	// The task made internal: its file goes with it.
	env.Do("PATCH", "/api/tasks/"+shown, w.owner, map[string]any{"clientVisible": false})
	if r := env.Do("GET", "/api/files/"+onShown, w.carl, nil); r.Status != 404 {
		t.Fatalf("a file of a task made internal: %d", r.Status)
	}
	// Deleting the project deletes its files and their contents.
	if r := env.Do("DELETE", "/api/projects/"+w.project, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete project: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/files/"+onShown, w.owner, nil); r.Status != 404 {
		t.Fatalf("a deleted project's file: %d", r.Status)
	}
	var left []string
	filepath.WalkDir(filepath.Join(filepath.Dir(env.DBPath), "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Fatalf("a deleted project's contents stay: %v", left)
	}
}
