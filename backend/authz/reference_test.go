package authz

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's permission reference")

const (
	refStart = "<!-- permission-reference:start -->\n"
	refEnd   = "<!-- permission-reference:end -->"
)

// The README's permission reference is generated from the catalog; this fails when they
// differ (run with -update to regenerate).
func TestREADMEPermissionReference(t *testing.T) {
	const path = "../../README.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	i, j := strings.Index(readme, refStart), strings.Index(readme, refEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q … %q", strings.TrimSpace(refStart), refEnd)
	}
	want := Reference()
	got := readme[i+len(refStart) : j]
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme[:i+len(refStart)]+want+readme[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("README.md's permission reference is stale: run go test ./backend/authz -run README -update")
}
