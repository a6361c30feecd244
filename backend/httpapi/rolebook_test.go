package httpapi_test

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gatehouse/backend/testkit"
)

// Role history, rollback, the role book and the access report.

type roleVersion struct {
	Version int
	State   struct {
		Name, Description, Kind string
		Permissions             []struct{ Key, Scope string }
	}
	ChangedBy  string
	Note       string
	RolledBack int
	Changes    []struct{ Kind, Key, From, To, Text string }
	Restore    []struct{ Kind, Key, From, To, Text string }
}

func historyOf(t *testing.T, env *testkit.Env, token, id string) []roleVersion {
	t.Helper()
	r := env.Do("GET", "/api/roles/"+id+"/history", token, nil)
	if r.Status != 200 {
		t.Fatalf("history: %d %s", r.Status, r.Body)
	}
	var out struct{ Items []roleVersion }
	r.Decode(t, &out)
	return out.Items
}

func texts(cs []struct{ Kind, Key, From, To, Text string }) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Text)
	}
	return out
}

type bookWorld struct {
	env                 *testkit.Env
	owner, mia, sam     string
	keeperID, managerID string
	samID               string
}

func newBookWorld(t *testing.T) *bookWorld {
	env := testkit.Start(t)
	w := &bookWorld{env: env, owner: env.Setup()}
	w.keeperID = mustID(t, env.Do("POST", "/api/roles", w.owner, map[string]any{"name": "Bookkeeper", "kind": "internal",
		"description": "Sends invoices and follows payments.",
		"permissions": []map[string]string{{"key": "invoices.view", "scope": "all"}, {"key": "payments.view"}}}))
	// A role manager who holds less than the Bookkeeper role after its edit.
	w.managerID = mustID(t, env.Do("POST", "/api/roles", w.owner, map[string]any{"name": "Role Manager", "kind": "internal",
		"permissions": []map[string]string{{"key": "roles.manage"}, {"key": "users.view", "scope": "all"},
			{"key": "invoices.view", "scope": "all"}, {"key": "payments.view"}}}))
	env.CreateUser(w.owner, "Mia Manager", "mia@acme.test", w.managerID, initialPW)
	w.mia = env.SignInFresh("mia@acme.test", initialPW, ownPW)
	w.samID = env.CreateUser(w.owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	w.sam = env.SignInFresh("sam@acme.test", initialPW, ownPW)
	return w
}

func TestRoleHistoryRecordsEveryChangeInWords(t *testing.T) {
	w := newBookWorld(t)
	env := w.env
	h := historyOf(t, env, w.owner, w.keeperID)
	if len(h) != 1 || h[0].Version != 1 || h[0].Note != "create" || h[0].ChangedBy != testkit.Owner.Name || len(h[0].Changes) != 0 {
		t.Fatalf("after create: %+v", h)
	}
	r := env.Do("PATCH", "/api/roles/"+w.keeperID, w.owner, map[string]any{"name": "Book Keeper", "description": "Invoices.",
		"permissions": []map[string]string{{"key": "invoices.view", "scope": "own"}, {"key": "revenue.view"}}})
	if r.Status != 200 {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	// An edit that changes nothing adds no version.
	env.Do("PATCH", "/api/roles/"+w.keeperID, w.owner, map[string]any{"name": "Book Keeper"})
	h = historyOf(t, env, w.owner, w.keeperID)
	if len(h) != 2 || h[0].Version != 2 || h[0].Note != "update" {
		t.Fatalf("after update: %+v", h)
	}
	want := []string{
		"Renamed from “Bookkeeper” to “Book Keeper”",
		"Description changed",
		"“View invoices”: scope changed from all to own only",
		"Removed “View payment history”",
		"Added “View revenue metrics”",
	}
	if got := texts(h[0].Changes); !slices.Equal(got, want) {
		t.Errorf("changes:\n got %q\nwant %q", got, want)
	}
	// Restoring version 1 would undo exactly that.
	if got := texts(h[1].Restore); len(got) != 5 || got[0] != "Renamed from “Book Keeper” to “Bookkeeper”" {
		t.Errorf("restore of v1: %q", got)
	}
	if len(h[0].Restore) != 0 {
		t.Errorf("the current version restores nothing: %q", texts(h[0].Restore))
	}
	// In Brazilian Portuguese.
	if r := env.Do("PUT", "/api/me/language", w.mia, map[string]any{"language": "pt-BR"}); r.Status != 200 {
		t.Fatalf("language: %d %s", r.Status, r.Body)
	}
	pt := env.Do("GET", "/api/roles/"+w.keeperID+"/history", w.mia, nil)
	if !strings.Contains(string(pt.Body), "escopo alterado de todos para somente os próprios") {
		t.Errorf("pt-BR history: %s", pt.Body)
	}

	// A clone starts its own history; built-in roles have none.
	clone := mustID(t, env.Do("POST", "/api/roles/"+w.keeperID+"/clone", w.owner, map[string]any{"name": "Keeper 2"}))
	if h := historyOf(t, env, w.owner, clone); len(h) != 1 || h[0].Note != "clone" || h[0].State.Name != "Keeper 2" {
		t.Errorf("clone: %+v", h)
	}
	if h := historyOf(t, env, w.owner, "staff"); len(h) != 0 {
		t.Errorf("built-in: %+v", h)
	}
	if r := env.Do("GET", "/api/roles/"+w.keeperID+"/history", w.sam, nil); r.Status != 403 {
		t.Errorf("history without roles.manage: %d", r.Status)
	}
}

func TestRoleRollbackIsAnEdit(t *testing.T) {
	w := newBookWorld(t)
	env := w.env
	env.Do("PATCH", "/api/roles/"+w.keeperID, w.owner, map[string]any{"name": "Book Keeper",
		"permissions": []map[string]string{{"key": "invoices.view", "scope": "all"}, {"key": "revenue.view"}}})

	// Mia may manage roles but does not hold revenue.view: editing the role (to any
	// state) is refused to her, and so is rolling it back.
	if r := env.Do("PATCH", "/api/roles/"+w.keeperID, w.mia, map[string]any{"permissions": []map[string]string{{"key": "invoices.view", "scope": "all"}, {"key": "payments.view"}}}); r.Status != 403 {
		t.Fatalf("Mia's edit: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/roles/"+w.keeperID+"/rollback", w.mia, map[string]any{"version": 1}); r.Status != 403 {
		t.Fatalf("Mia's rollback: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/roles/"+w.keeperID+"/rollback", w.sam, map[string]any{"version": 1}); r.Status != 403 {
		t.Fatalf("Sam's rollback: %d %s", r.Status, r.Body)
	}
	if h := historyOf(t, env, w.owner, w.keeperID); len(h) != 2 {
		t.Fatalf("a refused rollback adds no version: %+v", h)
	}
	if r := env.Do("POST", "/api/roles/"+w.keeperID+"/rollback", w.owner, map[string]any{"version": 9}); r.Status != 422 || r.ErrField() != "version" {
		t.Fatalf("no such version: %d %s", r.Status, r.Body)
	}

	r := env.Do("POST", "/api/roles/"+w.keeperID+"/rollback", w.owner, map[string]any{"version": 1})
	if r.Status != 200 {
		t.Fatalf("rollback: %d %s", r.Status, r.Body)
	}
	var role struct {
		Name        string
		Permissions []struct{ Key, Scope string }
	}
	r.Decode(t, &role)
	if role.Name != "Bookkeeper" || len(role.Permissions) != 2 || role.Permissions[0].Key != "invoices.view" || role.Permissions[1].Key != "payments.view" {
		t.Fatalf("rolled back role: %+v", role)
	}
	h := historyOf(t, env, w.owner, w.keeperID)
	if len(h) != 3 || h[0].Note != "rollback" || h[0].RolledBack != 1 {
		t.Fatalf("after rollback: %+v", h)
	}
	if got := texts(h[0].Changes); !slices.Contains(got, "Removed “View revenue metrics”") || !slices.Contains(got, "Added “View payment history”") {
		t.Errorf("rollback's changes: %q", got)
	}
	es := entries(t, env, w.owner, "role.update")
	if len(es) == 0 {
		t.Fatal("no role.update entry")
	}
	details, _ := es[0]["details"].(map[string]any)
	if details["rollbackTo"] != float64(1) {
		t.Errorf("the rollback's audit entry: %+v", es[0])
	}

	// Mia may roll back a role whose versions she holds everything of.
	env.Do("PATCH", "/api/roles/"+w.keeperID, w.owner, map[string]any{"permissions": []map[string]string{{"key": "invoices.view", "scope": "all"}}})
	if r := env.Do("POST", "/api/roles/"+w.keeperID+"/rollback", w.mia, map[string]any{"version": 3}); r.Status != 200 {
		t.Fatalf("Mia's allowed rollback: %d %s", r.Status, r.Body)
	}
}

func TestRoleBookMarkdownAndPDF(t *testing.T) {
	w := newBookWorld(t)
	env := w.env
	env.CreateUser(w.owner, "Kim Keeper", "kim@acme.test", w.keeperID, initialPW)
	env.Do("PATCH", "/api/roles/"+w.keeperID, w.owner, map[string]any{"permissions": []map[string]string{{"key": "invoices.view", "scope": "all"}}})

	for _, p := range []string{"/api/roles/book.md", "/api/roles/book.pdf", "/api/access-report.csv"} {
		if r := env.Do("GET", p, w.sam, nil); r.Status != 403 {
			t.Errorf("%s without roles.manage: %d", p, r.Status)
		}
	}
	r := env.Do("GET", "/api/roles/book.md", w.owner, nil)
	if r.Status != 200 {
		t.Fatalf("book.md: %d %s", r.Status, r.Body)
	}
	md := string(r.Body)
	for _, want := range []string{"# Role book", "## Bookkeeper", "Sends invoices and follows payments.",
		"- “View invoices” (all)", "Kim Keeper", "Removed “View payment history”", "by " + testkit.Owner.Name,
		"## Staff", "Sam Staff", "No recorded changes (built-in roles never change).", "Mia Manager"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown book lacks %q:\n%s", want, md)
		}
	}
	if r := env.Do("PUT", "/api/me/language", w.mia, map[string]any{"language": "pt-BR"}); r.Status != 200 {
		t.Fatalf("language: %d %s", r.Status, r.Body)
	}
	pt := env.Do("GET", "/api/roles/book.md", w.mia, nil)
	if !strings.Contains(string(pt.Body), "# Livro de funções") {
		t.Errorf("pt-BR book: %s", pt.Body)
	}

	r = env.Do("GET", "/api/roles/book.pdf", w.owner, nil)
	if r.Status != 200 || !strings.HasPrefix(string(r.Body), "%PDF-") {
		t.Fatalf("book.pdf: %d", r.Status)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is missing: run scripts/setup.sh (poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "book.pdf")
	if err := os.WriteFile(path, r.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Role book", "Bookkeeper", "Sends invoices and follows payments.", "Kim Keeper", "“View invoices” (all)", "Removed “View payment history”"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF book lacks %q:\n%s", want, text)
		}
	}
}

func TestAccessReportRowsAndPaths(t *testing.T) {
	w := newBookWorld(t)
	env := w.env
	mustID(t, env.Do("POST", "/api/projects", w.owner, map[string]any{"name": "=Website", "members": []string{w.samID}}))
	r := env.Do("GET", "/api/access-report.csv", w.owner, nil)
	if r.Status != 200 {
		t.Fatalf("access report: %d %s", r.Status, r.Body)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "person,email,role,type,name,path,via,how" {
		t.Fatalf("header: %s", got)
	}
	var got []string
	for _, row := range rows[1:] {
		if row[3] == "project" {
			got = append(got, row[0]+"|"+row[4]+"|"+row[5]+"|"+row[7])
		}
	}
	want := []string{
		testkit.Owner.Name + "|'=Website|role_scope|their role (Admin) sees every one",
		"Sam Staff|'=Website|member|member of the project",
	}
	if !slices.Equal(got, want) {
		t.Errorf("project rows:\n got %q\nwant %q", got, want)
	}
	// Mia (roles.manage, users.view, but no projects.view) sees no project: nothing to list.
	r = env.Do("GET", "/api/access-report.csv", w.mia, nil)
	if r.Status != 200 || strings.Count(string(r.Body), "\n") != 1 {
		t.Errorf("Mia's report: %d %s", r.Status, r.Body)
	}
}

// The history keeps each version's roles its holders may give: a change to them is a
// version, said in words; the rollback's what-if preview is asked with that version's
// state, a rollback after access moved is refused, and the rollback restores the list.
func TestRoleHistoryKeepsTheRolesToGive(t *testing.T) {
	w := newBookWorld(t)
	env := w.env
	perms := []map[string]string{{"key": "users.view", "scope": "all"}, {"key": "users.create", "scope": "all"}}
	id := mustID(t, env.Do("POST", "/api/roles", w.owner, map[string]any{"name": "People Manager", "kind": "internal",
		"permissions": perms, "assignableRoleIds": []string{"staff"}}))
	if r := env.Do("PATCH", "/api/roles/"+id, w.owner, map[string]any{"assignableRoleIds": []string{"staff", "client"}}); r.Status != 200 {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	h := historyOf(t, env, w.owner, id)
	if len(h) != 2 {
		t.Fatalf("a change of the roles to give is a version: %+v", h)
	}
	if got := texts(h[0].Changes); !slices.Equal(got, []string{"May now give the role “Client”"}) {
		t.Errorf("changes: %q", got)
	}
	if got := texts(h[1].Restore); !slices.Equal(got, []string{"May no longer give the role “Client”"}) {
		t.Errorf("restore of v1: %q", got)
	}
	var raw struct {
		Items []struct {
			State struct{ AssignableRoleIDs []string }
		}
	}
	env.Do("GET", "/api/roles/"+id+"/history", w.owner, nil).Decode(t, &raw)
	if !slices.Equal(raw.Items[1].State.AssignableRoleIDs, []string{"staff"}) {
		t.Errorf("version 1's roles to give: %+v", raw.Items[1].State)
	}

	// The rollback's preview: a role proposal with version 1's state.
	pv := whatIfOK(t, env, w.owner, map[string]any{"role": map[string]any{"id": id, "kind": "internal", "permissions": perms, "assignableRoleIds": []string{"staff"}}})
	env.Do("POST", "/api/teams", w.owner, map[string]any{"name": "Meanwhile"})
	before := env.Snapshot()
	if r := env.Do("POST", "/api/roles/"+id+"/rollback", w.owner, map[string]any{"version": 1, "expectVersion": pv.Version}); r.Status != 409 || r.ErrCode() != "stale_preview" {
		t.Fatalf("a stale rollback: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("a refused rollback changed something")
	}
	pv = whatIfOK(t, env, w.owner, map[string]any{"role": map[string]any{"id": id, "kind": "internal", "permissions": perms, "assignableRoleIds": []string{"staff"}}})
	r := env.Do("POST", "/api/roles/"+id+"/rollback", w.owner, map[string]any{"version": 1, "expectVersion": pv.Version})
	if r.Status != 200 {
		t.Fatalf("rollback: %d %s", r.Status, r.Body)
	}
	var role struct{ AssignableRoleIDs []string }
	r.Decode(t, &role)
	if !slices.Equal(role.AssignableRoleIDs, []string{"staff"}) {
		t.Fatalf("the rollback did not restore the roles to give: %+v", role)
	}
	if h := historyOf(t, env, w.owner, id); len(h) != 3 || !slices.Equal(texts(h[0].Changes), []string{"May no longer give the role “Client”"}) {
		t.Fatalf("after rollback: %+v", h)
	}
}
