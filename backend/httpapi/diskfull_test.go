package httpapi_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"gatehouse/backend/testkit"
)

// A full disk: the file store of the data folder is a real 1 MiB tmpfs. An upload that
// does not fit answers 503 disk_full, leaves no row, no audit entry and no temporary
// file; once there is room again, uploads work. Mounting needs root (make test runs as
// root here and in CI); elsewhere the test says why it cannot run.
func TestUploadOnAFullDiskLeavesNothing(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs as the file store needs root")
	}
	dir := t.TempDir()
	store := filepath.Join(dir, "files")
	if err := os.MkdirAll(store, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", store).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s)", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", store).Run() })
	env := testkit.StartIn(t, dir)
	owner := env.Setup()
	project := mustID(t, env.Do("POST", "/api/projects", owner, map[string]any{"name": "Website"}))
	before := env.Snapshot()
	big := bytes.Repeat([]byte("x"), 2<<20)
	r := env.DoRaw("POST", "/api/projects/"+project+"/files?name=big.bin", owner, "application/octet-stream", big)
	if r.Status != 503 || r.ErrCode() != "disk_full" {
		t.Fatalf("upload to a full disk: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Error("a failed upload changed the database")
	}
	if tmps, _ := os.ReadDir(filepath.Join(store, "tmp")); len(tmps) != 0 {
		t.Errorf("a failed upload left %d temporary files", len(tmps))
	}
	if r := env.DoRaw("POST", "/api/projects/"+project+"/files?name=small.txt", owner, "application/octet-stream", []byte("fits")); r.Status != 201 {
		t.Errorf("an upload that fits, after: %d %s", r.Status, r.Body)
	}
}
