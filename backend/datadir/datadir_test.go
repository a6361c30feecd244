package datadir_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/backend/datadir"
)

func TestSecondAcquireNamesTheHolder(t *testing.T) {
	dir := t.TempDir()
	l, err := datadir.Acquire(dir, "serve")
	if err != nil {
		t.Fatal(err)
	}
	_, err = datadir.Acquire(dir, "window")
	var held *datadir.HeldError
	if !errors.As(err, &held) {
		t.Fatalf("second acquire: got %v, want *HeldError", err)
	}
	want := fmt.Sprintf("pid %d, serve mode", os.Getpid())
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("message %q should name %q and the folder", err, want)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l2, err := datadir.Acquire(dir, "window")
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	l2.Release()
}

func TestResolveOrder(t *testing.T) {
	env := t.TempDir()
	t.Setenv(datadir.EnvVar, env)
	if got, _ := datadir.Resolve(""); got != env {
		t.Fatalf("env: got %s want %s", got, env)
	}
	flag := filepath.Join(t.TempDir(), "x")
	if got, _ := datadir.Resolve(flag); got != flag {
		t.Fatalf("flag: got %s want %s", got, flag)
	}
	if st, err := os.Stat(flag); err != nil || !st.IsDir() {
		t.Fatal("Resolve did not create the folder")
	}
	t.Setenv(datadir.EnvVar, "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	base, _ := os.UserConfigDir()
	if got, _ := datadir.Resolve(""); got != filepath.Join(base, "Gatehouse") {
		t.Fatalf("default: got %s", got)
	}
}
