package httpapi_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/testkit"
)

// Fifth attack round (project files), each seen failing on the code before its fix.

func r5Blobs(env *testkit.Env) []string {
	var out []string
	filepath.WalkDir(filepath.Join(filepath.Dir(env.DBPath), "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func r5Me(env *testkit.Env, token string) string {
	return env.Do("GET", "/api/me", token, nil).JSON()["user"].(map[string]any)["id"].(string)
}

// F1. One upload that trickles holds inFlight.RLock for as long as it lasts; a delete
// then waits for the exclusive lock (synchronously, in its request), and every upload
// after it queues behind the waiting writer. Any client with files.upload can do this.
func TestR5SlowUploadStallsDeletesAndUploads(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	victim := mustID(t, w.upload(w.staff, "a.txt", "", []byte("aaa")))

	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", env.Server.URL+"/api/projects/"+w.project+"/files?name=slow.bin", pr)
	req.Header.Set("Authorization", "Bearer "+w.carl)
	req.ContentLength = -1
	slowDone := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			slowDone <- -1
			return
		}
		resp.Body.Close()
		slowDone <- resp.StatusCode
	}()
	pw.Write([]byte("first bytes"))
	time.Sleep(500 * time.Millisecond) // the server is inside blobs.Put now

	timed := func(f func() int) chan int {
		c := make(chan int, 1)
		go func() { c <- f() }()
		return c
	}
	del := timed(func() int { return env.Do("DELETE", "/api/files/"+victim, w.owner, nil).Status })
	time.Sleep(200 * time.Millisecond)
	up := timed(func() int { return w.upload(w.staff, "b.txt", "", []byte("bbb")).Status })
	stalled := 0
	for _, c := range []struct {
		name string
		ch   chan int
	}{{"DELETE of another file", del}, {"a 3-byte upload by staff", up}} {
		select {
		case s := <-c.ch:
			t.Logf("%s answered %d while the slow upload was open", c.name, s)
		case <-time.After(3 * time.Second):
			stalled++
			t.Errorf("%s is still waiting after 3 s: blocked by a client's unfinished upload", c.name)
		}
	}
	pw.Close()
	<-slowDone
	if stalled > 0 {
		t.Logf("after the slow upload ended: delete %d, upload %d", <-del, <-up)
	}
}

// F2. uploadFile (and downloadFile) extend the connection deadline through
// http.NewResponseController(w), but w is the *statusRecorder of ServeHTTP, which has no
// Unwrap: the call returns ErrNotSupported (ignored) and the server's ReadTimeout still
// cuts every upload that takes longer (serve.go: 30 s; 1 s here).
func TestR5UploadDeadlineIsNeverExtended(t *testing.T) {
	w := newFilesWorld(t)
	srv := httptest.NewUnstartedServer(w.env.API)
	srv.Config.ReadTimeout = time.Second // serve.go: 30 s
	srv.Start()
	defer srv.Close()
	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < 8; i++ { // 8 bytes over 2.4 s
			if _, err := pw.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(300 * time.Millisecond)
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", srv.URL+"/api/projects/"+w.project+"/files?name=slow.bin", pr)
	req.Header.Set("Authorization", "Bearer "+w.staff)
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("an upload of 2.4 s under a 1 s ReadTimeout failed (the handler's 30 min deadline never applied): %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("an upload of 2.4 s under a 1 s ReadTimeout: %d %s (the handler's 30 min deadline never applied)", resp.StatusCode, body)
	}
}

// F3. Deleting a project deletes its files' rows (ON DELETE CASCADE) but never their
// content: it stays in files/ until the next start's sweep.
func TestR5ProjectDeleteLeavesContentOnDisk(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	mustID(t, w.upload(w.staff, "contract.pdf", "", []byte("confidential contract")))
	if r := env.Do("DELETE", "/api/projects/"+w.project, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete project: %d %s", r.Status, r.Body)
	}
	if b := r5Blobs(env); len(b) > 0 {
		t.Errorf("the deleted project's file content is still on disk: %v", b)
	}
}

// F4. A file attached to a task on an invite-only board is hidden from project members
// who are not invited; when the task is deleted, the file silently becomes a project
// file, and every member downloads it.
func TestR5TaskDeleteWidensItsFile(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	ownerID := r5Me(env, w.owner)
	board := env.Do("POST", "/api/boards", w.owner, map[string]any{"name": "Board room", "visibility": "invited",
		"access": []map[string]string{{"type": "user", "id": ownerID, "level": "member"}}})
	if board.Status != 201 {
		t.Fatalf("board: %d %s", board.Status, board.Body)
	}
	stage := board.JSON()["stages"].([]any)[0].(map[string]any)["id"].(string)
	task := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/tasks", w.owner, map[string]any{"title": "Layoffs",
		"boardId": board.JSON()["id"], "stageId": stage}))
	file := mustID(t, w.upload(w.owner, "layoffs.xlsx", "&taskId="+task, []byte("names")))
	if r := env.Do("GET", "/api/files/"+file, w.staff, nil); r.Status != 404 {
		t.Fatalf("staff sees the board-room file before: %d", r.Status)
	}
	if r := env.Do("DELETE", "/api/tasks/"+task, w.owner, nil); r.Status != 204 {
		t.Fatalf("delete task: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/files/"+file+"/content", w.staff, nil); r.Status != 404 {
		t.Errorf("after its task is deleted, an uninvited member downloads the board-room file: %d %q", r.Status, r.Body)
	}
}

// F5. A follower only (no access to the project) may rename and delete the task's files,
// though following "lets you see it, not change it"; and the file names the project id
// the task itself hides from them.
func TestR5FollowerChangesTaskFiles(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	samID := r5Me(env, w.staff)
	other := mustID(t, env.Do("POST", "/api/projects", w.owner, map[string]any{"name": "Acquisition"}))
	task := mustID(t, env.Do("POST", "/api/projects/"+other+"/tasks", w.owner, map[string]any{"title": "Due diligence"}))
	if r := env.Do("POST", "/api/tasks/"+task+"/followers", w.owner, map[string]any{"userId": samID}); r.Status != 200 {
		t.Fatalf("follow: %d %s", r.Status, r.Body)
	}
	file := env.DoRaw("POST", "/api/projects/"+other+"/files?name=dd.pdf&taskId="+task, w.owner, "application/octet-stream", []byte("dd"))
	fileID := mustID(t, file)
	if r := env.Do("PATCH", "/api/tasks/"+task, w.staff, map[string]any{"title": "x"}); r.Status != 403 {
		t.Fatalf("the follower edits the task: %d", r.Status)
	}
	tk := env.Do("GET", "/api/tasks/"+task, w.staff, nil).JSON()
	f := env.Do("GET", "/api/files/"+fileID, w.staff, nil).JSON()
	if tk["projectId"] == "" && f["projectId"] == other {
		t.Errorf("the task hides its project id from the follower, its file names it: %v", f["projectId"])
	}
	if r := env.Do("PATCH", "/api/files/"+fileID, w.staff, map[string]any{"name": "renamed.pdf"}); r.Status == 200 {
		t.Errorf("a follower only renames the task's file: %d", r.Status)
	}
	if r := env.Do("DELETE", "/api/files/"+fileID, w.staff, nil); r.Status == 204 {
		t.Errorf("a follower only deletes the task's file: %d", r.Status)
	}
}

// F6. A client's upload moved out and shared names its uploader to every other client
// of the project (a portal user never learns of another client elsewhere: Nameable,
// ProjectPeople).
func TestR5SharedFileNamesAnotherClient(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	fromDora := mustID(t, w.upload(w.dora, "our-budget.xlsx", "", []byte("dora's numbers")))
	if r := env.Do("PATCH", "/api/files/"+fromDora, w.owner, map[string]any{"folderId": ""}); r.Status != 200 {
		t.Fatalf("move: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PATCH", "/api/files/"+fromDora, w.owner, map[string]any{"shared": true}); r.Status != 200 {
		t.Fatalf("share: %d %s", r.Status, r.Body)
	}
	r := env.Do("GET", "/api/files/"+fromDora, w.carl, nil)
	if r.Status == 200 && strings.Contains(string(r.Body), "Dora Client") {
		t.Errorf("Carl learns the other client's name: %s", r.Body)
	}

}

// F7. Staff who name two folders "From the client" and "From the client (uploads)"
// before a client's first upload make every client upload to the project fail.
func TestR5ClientFolderNameSquatting(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	for _, n := range []string{"From the client", "from the client (uploads)"} {
		if r := env.Do("POST", "/api/projects/"+w.project+"/folders", w.staff, map[string]any{"name": n}); r.Status != 422 {
			t.Errorf("staff takes the client folder's name %q: %d %s", n, r.Status, r.Body)
		}
	}
	if r := w.upload(w.carl, "brief.txt", "", []byte("hello")); r.Status != 201 {
		t.Errorf("a client's upload after the names were taken: %d %s", r.Status, r.Body)
	}
}

// F8. Names may hold Unicode format characters (bidi overrides): "invoice<RLO>fdp.exe"
// shows as "invoiceexe.pdf" in the list and in a save dialog.
func TestR5BidiNames(t *testing.T) {
	w := newFilesWorld(t)
	name := "invoice\u202efdp.exe"
	r := w.upload(w.staff, name, "", []byte("MZ..."))
	if r.Status != 422 || r.ErrField() != "name" {
		t.Errorf("a bidi-override name: %d %s", r.Status, r.Body)
	}
	if r.Status == 201 {
		d := w.env.Do("GET", "/api/files/"+r.JSON()["id"].(string)+"/content", w.staff, nil)
		t.Errorf("a bidi-override name is taken: %d, Content-Disposition %q", r.Status, d.Header.Get("Content-Disposition"))
	}
}

// Sound: a chunked upload past the limit stops at the limit, answers 413 and leaves
// nothing; names with quotes and non-ASCII are quoted in Content-Disposition; a PNG
// header before HTML is served inline only as image/png with nosniff and a sandbox.
func TestR5SoundChecks(t *testing.T) {
	w := newFilesWorld(t, testkit.Options{MaxUpload: 1024})
	env := w.env
	before := env.Snapshot()
	req, _ := http.NewRequest("POST", env.Server.URL+"/api/projects/"+w.project+"/files?name=big.bin",
		io.NopCloser(bytes.NewReader(bytes.Repeat([]byte("x"), 5000))))
	req.Header.Set("Authorization", "Bearer "+w.staff)
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 413 {
		t.Errorf("chunked past the limit: %v %v", resp, err)
	}
	if env.Snapshot() != before || len(r5Blobs(env)) > 0 {
		t.Errorf("a chunked refused upload left something: %v", r5Blobs(env))
	}
	for _, n := range []string{`a"b.txt`, `ä ö "; filename=evil.html`, "日本語.txt", `x\y`} {
		r := w.upload(w.staff, n, "", []byte("hi"))
		if r.Status != 201 {
			t.Logf("%q: %d %s", n, r.Status, r.Body)
			continue
		}
		d := env.Do("GET", "/api/files/"+r.JSON()["id"].(string)+"/content", w.staff, nil)
		t.Logf("%q -> %q", n, d.Header.Get("Content-Disposition"))
	}
	poly := mustID(t, w.upload(w.staff, "x.png", "", append([]byte("\x89PNG\r\n\x1a\n"), []byte("<html><script>alert(1)</script>")...)))
	d := env.Do("GET", "/api/files/"+poly+"/content?inline=1", w.staff, nil)
	if d.Header.Get("Content-Type") != "image/png" || d.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(d.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("inline polyglot: %v", d.Header)
	}
	// Foreign ids in the upload's place.
	folder := mustID(t, env.Do("POST", "/api/projects/"+w.project+"/folders", w.staff, map[string]any{"name": "Docs"}))
	for _, q := range []string{"&folderId=" + w.internalTask, "&taskId=" + folder, "&folderId=" + w.project, "&taskId=" + url.QueryEscape("' OR 1=1")} {
		if r := w.upload(w.staff, "y.txt", q, []byte("y")); r.Status != 422 {
			t.Errorf("upload %s: %d %s", q, r.Status, r.Body)
		}
	}
}

// F2b. The download's 30 min write deadline is never set either: WriteTimeout cuts it.
func TestR5DownloadDeadlineIsNeverExtended(t *testing.T) {
	w := newFilesWorld(t)
	big := bytes.Repeat([]byte("z"), 32<<20)
	id := mustID(t, w.upload(w.staff, "big.bin", "", big))
	srv := httptest.NewUnstartedServer(w.env.API)
	srv.Config.WriteTimeout = time.Second // serve.go: 60 s
	srv.Start()
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/api/files/"+id+"/content", nil)
	req.Header.Set("Authorization", "Bearer "+w.staff)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got int
	buf := make([]byte, 1<<20)
	for {
		n, err := resp.Body.Read(buf)
		got += n
		if err != nil {
			break
		}
		time.Sleep(60 * time.Millisecond) // a slow link: ~16 MiB/s
	}
	if got != len(big) {
		t.Errorf("a 2 s download under a 1 s WriteTimeout was cut at %d of %d bytes (the handler's 30 min deadline never applied)", got, len(big))
	}
}

// Sound: a client removed from the project mid-upload gets 404 and nothing stays;

func TestR5SoundRemovedMidUpload(t *testing.T) {
	w := newFilesWorld(t)
	env := w.env
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", env.Server.URL+"/api/projects/"+w.project+"/files?name=late.bin", pr)
	req.Header.Set("Authorization", "Bearer "+w.carl)
	req.ContentLength = -1
	done := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	pw.Write([]byte("half"))
	time.Sleep(300 * time.Millisecond)
	if r := env.Do("PATCH", "/api/projects/"+w.project, w.owner, map[string]any{"clients": []string{}}); r.Status != 200 {
		t.Fatalf("detach clients: %d %s", r.Status, r.Body)
	}
	before := env.Snapshot()
	pw.Write([]byte(" and the rest"))
	pw.Close()
	if s := <-done; s != 404 {
		t.Errorf("upload by a client removed mid-way: %d", s)
	}
	time.Sleep(300 * time.Millisecond) // dropIfUnused runs in a goroutine
	if len(r5Blobs(env)) > 0 {
		t.Errorf("content left: %v", r5Blobs(env))
	}
	if env.Snapshot() != before {
		t.Error("the refused upload changed the database")
	}
}
