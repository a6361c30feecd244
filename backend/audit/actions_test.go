package audit

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/testkit/testdb"
)

// Every action of the catalog, and every kind, has words in each language of the UI: the
// Activity page and the CSV export never fall back to a code.
func TestEveryActionHasWordsInEachLanguage(t *testing.T) {
	for _, lang := range []string{"en", "pt-BR"} {
		w, err := LoadWords(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range Catalog() {
			if w.Action(d.Action) == "" {
				t.Errorf("%s: the action %s has no words (actions.%s in frontend/src/locales/%s/activity.json)", lang, d.Action, d.Action, lang)
			}
		}
		for _, k := range Kinds {
			if w.Kind(k) == "" {
				t.Errorf("%s: the kind %s has no words (kinds.%s)", lang, k, k)
			}
			if len(ActionsOf(k)) == 0 {
				t.Errorf("the kind %s has no actions", k)
			}
		}
	}
}

// The test above fails when words are missing: a locale without an action is caught.
func TestMissingWordsAreCaught(t *testing.T) {
	fsys := os.DirFS(t.TempDir())
	if _, err := loadWords(fsys, "en"); err == nil {
		t.Fatal("a missing locale file read as words")
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "en"), 0o755)
	os.WriteFile(filepath.Join(dir, "en", "activity.json"), []byte(`{"actions":{"task":{"create":"Created a task"}}}`), 0o644)
	w, err := loadWords(os.DirFS(dir), "en")
	if err != nil {
		t.Fatal(err)
	}
	if w.Action("task.create") != "Created a task" || w.Action("task.move") != "" || w.Action("task") != "" {
		t.Errorf("words read wrong: %q %q", w.Action("task.create"), w.Action("task.move"))
	}
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st := testdb.Open(t, t.TempDir())
	t.Cleanup(func() { st.Close() })
	return st
}

// An action that is not in the catalog cannot be written, through Record or Append; one
// that is, is, with its organisation's day.
func TestRecordRefusesAnActionOutsideTheCatalog(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC)
	err := st.RunInTx(ctx, func(tx *store.Store) error {
		return Record(ctx, tx, authz.Actor{}, at, Entry{Action: "task.teleport", TargetType: "task", TargetID: "t1"})
	})
	if err == nil || !strings.Contains(err.Error(), "task.teleport") {
		t.Fatalf("an unknown action was recorded: %v", err)
	}
	if err := Append(ctx, st, &store.AuditEntry{At: at, Action: "session.teleport"}); err == nil {
		t.Fatal("Append wrote an unknown action")
	}
	all, err := st.Audit(ctx, store.AuditFilter{Limit: 10})
	if err != nil || len(all) != 0 {
		t.Fatalf("the log holds %d entries (%v)", len(all), err)
	}
	if _, err := st.DB().ExecContext(ctx, `UPDATE organisation SET timezone = 'Asia/Tokyo' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if err := st.RunInTx(ctx, func(tx *store.Store) error {
		return Record(ctx, tx, authz.Actor{}, at, Entry{Action: "task.move", TargetType: "task", TargetID: "t1", TargetName: "Logo"})
	}); err != nil {
		t.Fatal(err)
	}
	all, _ = st.Audit(ctx, store.AuditFilter{Limit: 10})
	if len(all) != 1 || all[0].Action != "task.move" || all[0].Day != "2026-11-23" {
		t.Fatalf("recorded %+v", all)
	}
}

// Every action a service writes, as far as a reading of the source finds them, is in the
// catalog: the refusal above would otherwise fail a request at run time.
func TestEveryActionInTheSourceIsInTheCatalog(t *testing.T) {
	// Literals on lines that name an audit action: Action: "x.y", action := "x.y",
	// entry("x.y", …), effect("x.y", …), and the calls that pass one on.
	lit := regexp.MustCompile(`"([a-z_]+\.[a-z_]+)"`)
	marks := regexp.MustCompile(`Action: |action :?= |action = |[eE]ntry\("|effect\("|createOwner\(|writeLogo\(|s\.create\(ctx, actor|mail\.Kind\w+: "`)
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testkit" || d.Name() == "authz") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if !marks.MatchString(line) {
				continue
			}
			for _, m := range lit.FindAllStringSubmatch(line, -1) {
				if strings.HasPrefix(m[1], "mail.") {
					continue
				}
				found++
				if _, ok := Lookup(m[1]); !ok {
					t.Errorf("%s:%d records %q, which is not in the catalog", path, i+1, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 60 {
		t.Errorf("found only %d actions in the source: the reading has gone blind", found)
	}
	for _, want := range []string{"file.download", "invoice.view"} {
		if _, ok := Lookup(want); !ok {
			t.Errorf("%s is not in the catalog", want)
		}
	}
	if !slices.Contains(ActionsOf(KindTask), "task.move") || ActionsOf("nonsense") != nil {
		t.Error("ActionsOf is wrong")
	}
}
