package core_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/backend/core"
	"gatehouse/backend/secrets"
)

// The keychain unless the owner asks, explicitly, for the plain file in the data folder.
func TestSecretStoreChoice(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	c, err := core.Open(context.Background(), dir, "test", log)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Secrets.(*secrets.Keychain); !ok || !c.Secrets.Warning().IsZero() {
		t.Fatalf("default store: %T %q", c.Secrets, c.Secrets.Warning())
	}
	c.Close()

	c, err = core.Open(context.Background(), dir, "test", log, core.Options{InsecureFileSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.Secrets.(*secrets.File); !ok {
		t.Fatalf("store: %T", c.Secrets)
	}
	if w := c.Secrets.Warning(); !strings.Contains(w.String(), filepath.Join(dir, secrets.FileName)) {
		t.Fatalf("warning: %q", w)
	}
}
