package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"gatehouse/backend/testkit"
)

const initialPW, ownPW = "initial passphrase 1", "my own passphrase 22"

func TestCreateUserValidatesAndForcesAPasswordChange(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	bad := []struct {
		body   map[string]any
		status int
		field  string
	}{
		{map[string]any{"name": "", "email": "a@example.com", "roleId": "staff", "password": initialPW}, 422, "name"},
		{map[string]any{"name": "A", "email": "not an email", "roleId": "staff", "password": initialPW}, 422, "email"},
		{map[string]any{"name": "A", "email": "a@example.com", "roleId": "", "password": initialPW}, 422, "roleId"},
		{map[string]any{"name": "A", "email": "a@example.com", "roleId": "nope", "password": initialPW}, 422, "roleId"},
		{map[string]any{"name": "A", "email": "a@example.com", "roleId": "staff", "password": "welcome123"}, 422, "password"},
		{map[string]any{"name": "A", "email": "a@example.com", "roleId": "staff", "password": "password1234"}, 422, "password"},
		{map[string]any{"name": "A", "email": "a@example.com", "roleId": "staff", "password": "short"}, 422, "password"},
		{map[string]any{"name": "A", "email": testkit.Owner.Email, "roleId": "staff", "password": initialPW}, 409, "email"},
		{map[string]any{"name": "A", "email": " OWNER@example.com ", "roleId": "staff", "password": initialPW}, 409, "email"},
	}
	before := env.Snapshot()
	for _, b := range bad {
		r := env.Do("POST", "/api/users", owner, b.body)
		if r.Status != b.status || r.ErrField() != b.field {
			t.Errorf("%v: %d %s, want %d on %s", b.body, r.Status, r.Body, b.status, b.field)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("a rejected create changed the database")
	}
	r := env.Do("POST", "/api/users", owner, map[string]any{"name": "  Sam Staff ", "email": "  Sam@Example.com ", "roleId": "staff", "generate": true})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	u := r.JSON()
	gen, _ := u["generatedPassword"].(string)
	if u["name"] != "Sam Staff" || u["email"] != "Sam@Example.com" || u["mustChangePassword"] != true || len(gen) < 20 {
		t.Fatalf("created: %v", u)
	}
	if strings.Contains(string(env.Do("GET", "/api/users/"+u["id"].(string), owner, nil).Body), gen) {
		t.Fatal("the generated password is shown again")
	}
	// Until the user chooses a password, only /api/me, the change and sign-out are open.
	tok := env.SignIn("sam@example.com", gen)
	if r := env.Do("GET", "/api/me", tok, nil); r.Status != 200 || r.JSON()["user"].(map[string]any)["mustChangePassword"] != true {
		t.Fatalf("me: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/roles", tok, nil); r.Status != 403 || r.ErrCode() != "password_change_required" {
		t.Fatalf("before the change: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/me/password", tok, map[string]string{"current": gen, "new": ownPW}); r.Status != 204 {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/me", tok, nil); r.JSON()["user"].(map[string]any)["mustChangePassword"] != false {
		t.Fatal("still must change")
	}
}

// Editing a user answers bad input on the field it names and changes nothing — an empty
// role as much as an unknown one.
func TestEditUserValidates(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	id := env.CreateUser(owner, "Sam Staff", "sam@example.com", "staff", initialPW)
	before := env.Snapshot()
	for _, b := range []map[string]any{
		{"roleId": ""}, {"roleId": "   "}, {"roleId": "nope"}, {"name": ""}, {"email": "not an email"},
	} {
		r := env.Do("PATCH", "/api/users/"+id, owner, b)
		want := "roleId"
		for k := range b {
			want = k
		}
		if r.Status != 422 || r.ErrField() != want {
			t.Errorf("%v: %d %s, want 422 on %s", b, r.Status, r.Body, want)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("a rejected edit changed the database")
	}
}

func TestDeactivateReactivateDelete(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	id := env.CreateUser(owner, "Dee Activated", "dee@example.com", "staff", initialPW)
	tok1 := env.SignInFresh("dee@example.com", initialPW, ownPW)
	tok2 := env.SignIn("dee@example.com", ownPW)
	if r := env.Do("POST", "/api/users/"+id+"/deactivate", owner, nil); r.Status != 200 || r.JSON()["status"] != "deactivated" {
		t.Fatalf("deactivate: %d %s", r.Status, r.Body)
	}
	for _, tok := range []string{tok1, tok2} {
		if r := env.Do("GET", "/api/me", tok, nil); r.Status != 401 {
			t.Fatalf("a session survived deactivation: %d", r.Status)
		}
	}
	if n, _ := env.Core.Store.SessionCount(t.Context(), id); n != 0 {
		t.Fatalf("%d sessions left in the database", n)
	}
	r := env.Do("POST", "/api/sessions", "", map[string]string{"email": "dee@example.com", "password": ownPW})
	if r.Status != 401 || r.ErrCode() != "deactivated" {
		t.Fatalf("sign-in while deactivated: %d %s", r.Status, r.Body)
	}
	if r := env.Do("POST", "/api/users/"+id+"/reactivate", owner, nil); r.Status != 200 || r.JSON()["status"] != "active" {
		t.Fatalf("reactivate: %d %s", r.Status, r.Body)
	}
	env.SignIn("dee@example.com", ownPW)
	if r := env.Do("DELETE", "/api/users/"+id, owner, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := env.Do("GET", "/api/users/"+id, owner, nil); r.Status != 404 {
		t.Fatalf("deleted user: %d", r.Status)
	}
	// History stays: the audit log still names them.
	audit := string(env.Do("GET", "/api/audit?targetId="+id, owner, nil).Body)
	for _, action := range []string{"user.create", "user.deactivate", "user.reactivate", "user.delete", "session.create"} {
		if !strings.Contains(audit, `"`+action+`"`) {
			t.Errorf("audit lacks %s: %s", action, audit)
		}
	}
}

func TestLastActiveAdminIsKept(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	me := env.Do("GET", "/api/me", owner, nil).JSON()["user"].(map[string]any)["id"].(string)
	second := env.CreateUser(owner, "Second Admin", "second@example.com", "admin", initialPW)
	secondTok := env.SignInFresh("second@example.com", initialPW, ownPW)
	if r := env.Do("POST", "/api/users/"+me+"/deactivate", owner, nil); r.Status != 409 || r.ErrCode() != "self" {
		t.Fatalf("self-deactivation: %d %s", r.Status, r.Body)
	}
	// With two admins, one may be moved to another role...
	if r := env.Do("PATCH", "/api/users/"+second, owner, map[string]any{"roleId": "staff"}); r.Status != 200 {
		t.Fatalf("downgrade second admin: %d %s", r.Status, r.Body)
	}
	// ...but the last one stays an active Admin, whoever asks.
	before := env.Snapshot()
	for _, c := range []struct{ method, path string }{
		{"PATCH", "/api/users/" + me},
		{"POST", "/api/users/" + me + "/deactivate"},
		{"DELETE", "/api/users/" + me},
	} {
		var body any
		if c.method == "PATCH" {
			body = map[string]any{"roleId": "staff"}
		}
		r := env.Do(c.method, c.path, owner, body)
		if r.Status != 409 {
			t.Errorf("%s %s on the last admin: %d %s", c.method, c.path, r.Status, r.Body)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("a refused change to the last admin changed the database")
	}
	if r := env.Do("PATCH", "/api/users/"+me, owner, map[string]any{"roleId": "staff"}); r.ErrCode() != "last_admin" {
		t.Fatalf("code: %s", r.ErrCode())
	}
	_ = secondTok
}

func TestNoEscalationThroughRolesOrUsers(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	// A user manager who may manage staff accounts and roles, but holds no settings.
	role := env.Do("POST", "/api/roles", owner, map[string]any{"name": "People Lead", "kind": "internal", "permissions": []map[string]string{
		{"key": "users.view", "scope": "staff"}, {"key": "users.create", "scope": "staff"}, {"key": "users.edit", "scope": "staff"},
		{"key": "roles.manage"}, {"key": "projects.view", "scope": "assigned"}}})
	if role.Status != 201 {
		t.Fatalf("role: %d %s", role.Status, role.Body)
	}
	roleID := role.JSON()["id"].(string)
	env.CreateUser(owner, "Lead Person", "lead@example.com", roleID, initialPW)
	lead := env.SignInFresh("lead@example.com", initialPW, ownPW)
	before := env.Snapshot()
	denied := []struct {
		what, method, path string
		body               any
		status             int
	}{
		{"a role with a permission the lead lacks", "POST", "/api/roles", map[string]any{"name": "Sneaky", "kind": "internal",
			"permissions": []map[string]string{{"key": "settings.general"}}}, 403},
		{"a wider scope than the lead's", "POST", "/api/roles", map[string]any{"name": "Sneaky", "kind": "internal",
			"permissions": []map[string]string{{"key": "users.view", "scope": "all"}}}, 403},
		{"adding a permission to their own role", "PATCH", "/api/roles/" + roleID, map[string]any{"permissions": []map[string]string{
			{"key": "roles.manage"}, {"key": "settings.security"}}}, 403},
		{"an Admin account", "POST", "/api/users", map[string]any{"name": "X", "email": "x@example.com", "roleId": "admin", "generate": true}, 403},
		{"a Staff account (Staff holds more than the lead)", "POST", "/api/users", map[string]any{"name": "X", "email": "x@example.com", "roleId": "staff", "generate": true}, 403},
		{"a client account (outside the staff scope)", "POST", "/api/users", map[string]any{"name": "X", "email": "x@example.com", "roleId": "client", "generate": true}, 403},
		{"cloning Admin", "POST", "/api/roles/admin/clone", map[string]any{"name": "My Admin"}, 403},
	}
	for _, d := range denied {
		r := env.Do(d.method, d.path, lead, d.body)
		if r.Status != d.status {
			t.Errorf("%s: %d %s, want %d", d.what, r.Status, r.Body, d.status)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("a denied call changed the database")
	}
	// Within their own permissions they can work.
	r := env.Do("POST", "/api/roles", lead, map[string]any{"name": "Viewer", "kind": "internal", "permissions": []map[string]string{{"key": "projects.view", "scope": "assigned"}}})
	if r.Status != 201 {
		t.Fatalf("a role within the lead's permissions: %d %s", r.Status, r.Body)
	}
	env.CreateUser(lead, "Viewer Person", "viewer@example.com", r.JSON()["id"].(string), initialPW)
}

func TestUserListSearchFilterSortAndPage(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	for i := 0; i < 23; i++ {
		role := "staff"
		if i%3 == 0 {
			role = "client"
		}
		r := env.Do("POST", "/api/users", owner, map[string]any{"name": fmt.Sprintf("Person %02d", i), "email": fmt.Sprintf("p%02d@example.com", i), "roleId": role, "generate": true})
		if r.Status != 201 {
			t.Fatal(r.Status)
		}
		if i == 5 {
			env.Do("POST", "/api/users/"+r.JSON()["id"].(string)+"/deactivate", owner, nil)
		}
	}
	type page struct {
		Items []map[string]any `json:"items"`
		Next  *string          `json:"next"`
		Total int              `json:"total"`
	}
	get := func(q string) page {
		var p page
		r := env.Do("GET", "/api/users?"+q, owner, nil)
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", q, r.Status, r.Body)
		}
		r.Decode(t, &p)
		return p
	}
	// Walk every page, descending by email.
	var seen []string
	q := "sort=email&order=desc&limit=7"
	for {
		p := get(q)
		if p.Total != 24 {
			t.Fatalf("total %d", p.Total)
		}
		for _, it := range p.Items {
			seen = append(seen, it["email"].(string))
		}
		if p.Next == nil {
			break
		}
		q = "sort=email&order=desc&limit=7&cursor=" + *p.Next
	}
	if len(seen) != 24 || seen[0] != "p22@example.com" || seen[23] != testkit.Owner.Email {
		t.Fatalf("paging saw %d: first %v last %v", len(seen), seen[0], seen[len(seen)-1])
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] >= seen[i-1] {
			t.Fatalf("not descending at %d: %s then %s", i, seen[i-1], seen[i])
		}
	}
	if p := get("q=person%201"); p.Total != 10 { // Person 01, 10..19
		t.Fatalf("search: %d", p.Total)
	}
	if p := get("kind=client"); p.Total != 8 {
		t.Fatalf("kind=client: %d", p.Total)
	}
	if p := get("roleId=staff&status=active"); p.Total != 14 {
		t.Fatalf("staff active: %d", p.Total)
	}
	if p := get("status=deactivated"); p.Total != 1 || p.Items[0]["name"] != "Person 05" {
		t.Fatalf("deactivated: %+v", p)
	}
	if p := get("q=%25"); p.Total != 0 { // a literal %, not a wildcard
		t.Fatalf("%% matched %d", p.Total)
	}
	for _, bad := range []string{"cursor=garbage", "sort=password", "limit=0", "limit=500", "order=up", "kind=robot", "status=gone"} {
		if r := env.Do("GET", "/api/users?"+bad, owner, nil); r.Status != 422 {
			t.Errorf("%s: %d", bad, r.Status)
		}
	}
}

func TestRolesLifecycle(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	before := env.Snapshot()
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", "/api/roles/admin", map[string]any{"name": "Boss"}},
		{"PATCH", "/api/roles/staff", map[string]any{"permissions": []any{}}},
		{"DELETE", "/api/roles/client", nil},
	} {
		if r := env.Do(c.method, c.path, owner, c.body); r.Status != 403 || r.ErrCode() != "built_in_role" {
			t.Errorf("%s %s: %d %s", c.method, c.path, r.Status, r.Body)
		}
	}
	for _, c := range []struct {
		body   map[string]any
		status int
		field  string
	}{
		{map[string]any{"name": " ", "kind": "internal", "permissions": []any{}}, 422, "name"},
		{map[string]any{"name": "staff", "kind": "internal", "permissions": []any{}}, 409, "name"},
		{map[string]any{"name": "X", "kind": "robot", "permissions": []any{}}, 422, "kind"},
		{map[string]any{"name": "X", "kind": "internal", "permissions": []map[string]string{{"key": "nope.nope"}}}, 422, "permissions"},
		{map[string]any{"name": "X", "kind": "internal", "permissions": []map[string]string{{"key": "projects.view", "scope": "everything"}}}, 422, "permissions"},
		{map[string]any{"name": "X", "kind": "internal", "permissions": []map[string]string{{"key": "projects.view"}}}, 422, "permissions"},
		{map[string]any{"name": "X", "kind": "internal", "permissions": []map[string]string{{"key": "roles.manage", "scope": "all"}}}, 422, "permissions"},
		{map[string]any{"name": "X", "kind": "client", "permissions": []map[string]string{{"key": "users.view", "scope": "all"}}}, 422, "permissions"},
		{map[string]any{"name": "X", "kind": "internal", "permissions": []map[string]string{{"key": "invoices.pay", "scope": "own"}}}, 422, "permissions"},
	} {
		r := env.Do("POST", "/api/roles", owner, c.body)
		if r.Status != c.status || r.ErrField() != c.field {
			t.Errorf("%v: %d %s, want %d on %s", c.body, r.Status, r.Body, c.status, c.field)
		}
	}
	if env.Snapshot() != before {
		t.Fatal("refused role changes changed the database")
	}
	pm := env.Do("POST", "/api/roles", owner, map[string]any{"name": "Project Manager", "kind": "internal", "description": "PMs",
		"permissions": []map[string]string{{"key": "projects.view", "scope": "all"}, {"key": "activity.team", "scope": "all"}}})
	if pm.Status != 201 {
		t.Fatalf("create: %d %s", pm.Status, pm.Body)
	}
	pmID := pm.JSON()["id"].(string)
	clone := env.Do("POST", "/api/roles/"+pmID+"/clone", owner, map[string]any{"name": "Project Manager (EU)"})
	if clone.Status != 201 || len(clone.JSON()["permissions"].([]any)) != 2 {
		t.Fatalf("clone: %d %s", clone.Status, clone.Body)
	}
	if r := env.Do("POST", "/api/roles/"+pmID+"/clone", owner, map[string]any{"name": "project manager"}); r.Status != 409 {
		t.Fatalf("clone to a taken name: %d", r.Status)
	}
	u1 := env.CreateUser(owner, "Pat One", "pat1@example.com", pmID, initialPW)
	env.CreateUser(owner, "Pat Two", "pat2@example.com", pmID, initialPW)
	var roles struct {
		Items []map[string]any `json:"items"`
	}
	env.Do("GET", "/api/roles", owner, nil).Decode(t, &roles)
	for _, r := range roles.Items {
		if r["id"] == pmID && r["userCount"] != float64(2) {
			t.Fatalf("user count: %v", r["userCount"])
		}
		if r["id"] == "admin" && r["userCount"] != float64(1) {
			t.Fatalf("admin user count: %v", r["userCount"])
		}
	}
	// Editing records the permission difference in the audit log.
	r := env.Do("PATCH", "/api/roles/"+pmID, owner, map[string]any{"permissions": []map[string]string{
		{"key": "projects.view", "scope": "assigned"}, {"key": "tasks.create"}}})
	if r.Status != 200 {
		t.Fatalf("edit: %d %s", r.Status, r.Body)
	}
	audit := env.Do("GET", "/api/audit?action=role.update", owner, nil).JSON()["items"].([]any)
	d := audit[0].(map[string]any)["details"].(map[string]any)
	if fmt.Sprint(d["added"]) != "[tasks.create]" || fmt.Sprint(d["removed"]) != "[activity.team:all]" || fmt.Sprint(d["changed"]) != "[projects.view: all → assigned]" {
		t.Fatalf("diff: %v", d)
	}
	// A role in use needs somewhere for its users to go; the move is one transaction.
	before = env.Snapshot()
	if r := env.Do("DELETE", "/api/roles/"+pmID, owner, nil); r.Status != 409 || r.ErrField() != "reassignTo" {
		t.Fatalf("delete in use: %d %s", r.Status, r.Body)
	}
	if r := env.Do("DELETE", "/api/roles/"+pmID+"?reassignTo=nope", owner, nil); r.Status != 422 || r.ErrField() != "reassignTo" {
		t.Fatalf("reassign to nothing: %d %s", r.Status, r.Body)
	}
	if env.Snapshot() != before {
		t.Fatal("a refused delete changed the database")
	}
	if r := env.Do("DELETE", "/api/roles/"+pmID+"?reassignTo=staff", owner, nil); r.Status != 204 {
		t.Fatalf("delete with reassignment: %d %s", r.Status, r.Body)
	}
	if u := env.Do("GET", "/api/users/"+u1, owner, nil).JSON(); u["roleId"] != "staff" {
		t.Fatalf("user not moved: %v", u)
	}
	if r := env.Do("GET", "/api/roles/"+pmID, owner, nil); r.Status != 404 {
		t.Fatalf("deleted role: %d", r.Status)
	}
}

func TestAuditLogRecordsWithoutSecrets(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	env.Do("POST", "/api/sessions", "", map[string]string{"email": testkit.Owner.Email, "password": "a wrong guess here"})
	id := env.CreateUser(owner, "Audited", "audited@example.com", "staff", initialPW)
	tok := env.SignInFresh("audited@example.com", initialPW, ownPW)
	env.Do("PATCH", "/api/users/"+id, owner, map[string]any{"roleId": "client"})
	reset := env.Do("POST", "/api/users/"+id+"/password", owner, map[string]any{"generate": true}).JSON()["generatedPassword"].(string)
	env.Do("POST", "/api/users/"+id+"/deactivate", owner, nil)
	var page struct {
		Items []map[string]any `json:"items"`
		Next  *string          `json:"next"`
	}
	env.Do("GET", "/api/audit?limit=100", owner, nil).Decode(t, &page)
	got := map[string]bool{}
	for _, it := range page.Items {
		got[it["action"].(string)] = true
	}
	for _, want := range []string{"setup.owner", "session.create", "session.fail", "user.create", "user.password_change",
		"user.role_change", "user.password_reset", "user.deactivate"} {
		if !got[want] {
			t.Errorf("audit lacks %s (has %v)", want, got)
		}
	}
	// Paging: two at a time reaches the same entries.
	var all []string
	q := "/api/audit?limit=2"
	for {
		var p struct {
			Items []map[string]any `json:"items"`
			Next  *string          `json:"next"`
		}
		env.Do("GET", q, owner, nil).Decode(t, &p)
		for _, it := range p.Items {
			all = append(all, it["id"].(string))
		}
		if p.Next == nil {
			break
		}
		q = "/api/audit?limit=2&cursor=" + *p.Next
	}
	if len(all) != len(page.Items) {
		t.Fatalf("paging saw %d entries, one page %d", len(all), len(page.Items))
	}
	dump := env.Snapshot() + env.Logs.String()
	for _, secret := range []string{testkit.Owner.Password, initialPW, ownPW, reset, "a wrong guess here", tok, owner} {
		if strings.Contains(dump, secret) {
			t.Errorf("the database or log holds a secret: %q", secret)
		}
	}
}
