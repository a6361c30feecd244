package authz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"gatehouse/backend/apperr"
)

// Roles a role's holders may give (assignable lists): a People Manager adds Staff and
// Client accounts without holding their permissions, and nothing else about other
// people's roles changes.

var peopleManager = RoleDef{ID: "pm", Name: "People Manager", Kind: KindInternal,
	Grants:     []Grant{{"users.view", ScopeAll}, {"users.create", ScopeAll}, {"users.edit", ScopeAll}, {"users.deactivate", ScopeAll}, {"users.delete", ScopeAll}},
	Assignable: []string{RoleStaff, RoleClient}}

// roleManager manages roles and people but holds few permissions of its own, and gives
// no role beyond its own: the one who must never reach Admin through a list.
var roleManager = RoleDef{ID: "rm", Name: "Role Manager", Kind: KindInternal,
	Grants: []Grant{{"roles.manage", ""}, {"users.view", ScopeAll}, {"users.create", ScopeAll}, {"users.edit", ScopeAll},
		{"projects.view", ScopeAssigned}, {"tasks.view", ScopeAll}}}

func builtInDefs() []RoleDef {
	return []RoleDef{
		{ID: RoleAdmin, Name: "Admin", Kind: KindInternal, BuiltIn: true},
		{ID: RoleStaff, Name: "Staff", Kind: KindInternal, BuiltIn: true},
		{ID: RoleClient, Name: "Client", Kind: KindClient, BuiltIn: true},
	}
}

func assignableOrg(extra ...RoleDef) *Authorizer {
	roles := append(builtInDefs(), peopleManager, roleManager)
	roles = append(roles, extra...)
	return newWith(roles, []UserDef{
		{"owner", RoleAdmin, true}, {"owner2", RoleAdmin, true}, {"pm", "pm", true}, {"pm2", "pm", true}, {"rm", "rm", true},
		{"staff", RoleStaff, true}, {"client", RoleClient, true},
	})
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	e, ok := apperr.As(err)
	switch {
	case code == "" && err != nil:
		t.Errorf("%s: refused: %v", what, err)
	case code != "" && (!ok || e.Code != code):
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

func TestPeopleManagerGivesStaffAndClientOnly(t *testing.T) {
	a := assignableOrg()
	pm := Actor{UserID: "pm"}
	create := func(role string) error {
		return a.Check(pm, UsersCreate, Ref{Type: User}, Change{Role: role})
	}
	wantCode(t, "create a Staff account", create(RoleStaff), "")
	wantCode(t, "create a Client account", create(RoleClient), "")
	wantCode(t, "create a People Manager (their own role)", create("pm"), "")
	wantCode(t, "create an Admin", create(RoleAdmin), "escalation")
	wantCode(t, "create a Role Manager", create("rm"), "escalation")

	// Looking after the accounts it may give: a name, a move between those roles,
	// deactivating and reactivating.
	wantCode(t, "edit a Staff member's name", a.Check(pm, UsersEdit, UserRef("staff")), "")
	wantCode(t, "deactivate a Staff member", a.Check(pm, UsersDeactivate, UserRef("staff"), Change{Deactivate: true}), "")
	wantCode(t, "reactivate a Client", a.Check(pm, UsersDeactivate, UserRef("client")), "")
	wantCode(t, "move Staff to Client", a.Check(pm, UsersEdit, UserRef("staff"), Change{Role: RoleClient}), "")
	wantCode(t, "move Client to Staff", a.Check(pm, UsersEdit, UserRef("client"), Change{Role: RoleStaff}), "")
	wantCode(t, "move Staff to Admin", a.Check(pm, UsersEdit, UserRef("staff"), Change{Role: RoleAdmin}), "escalation")

	// Taking an account over still needs a role within one's own.
	wantCode(t, "reset a Staff member's password", a.Check(pm, UsersEdit, UserRef("staff"), Change{Password: true}), "escalation")
	wantCode(t, "change a Staff member's email", a.Check(pm, UsersEdit, UserRef("staff"), Change{Email: true}), "escalation")
	wantCode(t, "reset a Client's second factor", a.Check(pm, UsersEdit, UserRef("client"), Change{TwoFactor: true}), "escalation")
	wantCode(t, "delete a Staff member", a.Check(pm, UsersDelete, UserRef("staff")), "escalation")
	// …which another People Manager's role is.
	wantCode(t, "reset another People Manager's password", a.Check(pm, UsersEdit, UserRef("pm2"), Change{Password: true}), "")

	// Accounts of roles it may not give stay out of reach.
	wantCode(t, "edit an Admin", a.Check(pm, UsersEdit, UserRef("owner")), "escalation")
	wantCode(t, "deactivate an Admin", a.Check(pm, UsersDeactivate, UserRef("owner"), Change{Deactivate: true}), "escalation")
	wantCode(t, "edit the Role Manager", a.Check(pm, UsersEdit, UserRef("rm")), "escalation")

	// View-as is not loosened by the list (the People Manager has no activity.team anyway).
	wantCode(t, "view as a Staff member", a.Check(pm, ActivityTeam, UserRef("staff")), "forbidden")

	// The users.* scopes still apply: a list does not widen them.
	scoped := peopleManager
	scoped.ID, scoped.Name = "pm-staff", "Staff manager"
	scoped.Grants = []Grant{{"users.view", ScopeStaff}, {"users.create", ScopeStaff}, {"users.edit", ScopeStaff}}
	b := assignableOrg(scoped)
	b.Update(func(w *Writer) error { w.PutUser("sm", "pm-staff", true); return nil })
	sm := Actor{UserID: "sm"}
	wantCode(t, "staff-scoped: create Staff", b.Check(sm, UsersCreate, Ref{Type: User}, Change{Role: RoleStaff}), "")
	wantCode(t, "staff-scoped: create Client", b.Check(sm, UsersCreate, Ref{Type: User}, Change{Role: RoleClient}), "forbidden")
	wantCode(t, "staff-scoped: move Staff to Client", b.Check(sm, UsersEdit, UserRef("staff"), Change{Role: RoleClient}), "forbidden")
	if err := b.Check(sm, View, UserRef("client")); err == nil {
		t.Error("staff-scoped: sees a client account")
	}

	// What the pickers are told: the same rules.
	g := a.Givings(pm, []string{RoleAdmin, RoleStaff, RoleClient, "pm", "rm"})
	for id, want := range map[string]bool{RoleAdmin: false, RoleStaff: true, RoleClient: true, "pm": true, "rm": false} {
		if g[id].MayGive != want || slices.Contains(g[id].Actions, "users.create") != want || slices.Contains(g[id].Actions, "users.edit") != want {
			t.Errorf("givings of %s: %+v, want %v", id, g[id], want)
		}
	}
}

// A Google default role is given like any other: a role's list counts.
func TestGoogleDefaultRoleFollowsTheGivingRule(t *testing.T) {
	integrator := RoleDef{ID: "int", Name: "Integrator", Kind: KindInternal, Grants: []Grant{{"settings.integrations", ""}}}
	listing := RoleDef{ID: "int2", Name: "Integrator 2", Kind: KindInternal, Grants: []Grant{{"settings.integrations", ""}}, Assignable: []string{RoleClient}}
	a := assignableOrg(integrator, listing)
	a.Update(func(w *Writer) error { w.PutUser("i1", "int", true); w.PutUser("i2", "int2", true); return nil })
	wantCode(t, "without the list", a.Check(Actor{UserID: "i1"}, SettingsIntegrations, RoleRef(RoleClient)), "escalation")
	wantCode(t, "with Client listed", a.Check(Actor{UserID: "i2"}, SettingsIntegrations, RoleRef(RoleClient)), "")
}

func TestAListIsNeverAWayUp(t *testing.T) {
	// A role the owner made that gives Admin, whose permissions are within the Role
	// Manager's.
	giver := RoleDef{ID: "giver", Name: "Admin giver", Kind: KindInternal, Grants: []Grant{{"users.view", ScopeAll}}, Assignable: []string{RoleAdmin}}
	plain := RoleDef{ID: "plain", Name: "Plain", Kind: KindInternal, Grants: []Grant{{"projects.view", ScopeAssigned}}}
	a := assignableOrg(giver, plain)
	rm := Actor{UserID: "rm"}
	def := func(assignable ...string) Change {
		return Change{Def: &RoleDef{ID: "new", Name: "New", Kind: KindInternal, Grants: []Grant{{"projects.view", ScopeAssigned}}, Assignable: assignable}}
	}
	create := func(c Change) error { return a.Check(rm, RolesManage, Ref{Type: Role}, c) }

	wantCode(t, "a role listing Admin", create(def(RoleAdmin)), "escalation")
	wantCode(t, "a role listing a role that lists Admin", create(def("giver")), "escalation")
	wantCode(t, "a role listing Staff (whose permissions it lacks)", create(def(RoleStaff)), "escalation")
	wantCode(t, "a role listing a role within its own", create(def("plain", "rm")), "")
	wantCode(t, "a role listing an unknown role", create(def("nope")), "invalid")
	wantCode(t, "a client role with a list", a.Check(rm, RolesManage, Ref{Type: Role}, Change{Def: &RoleDef{ID: "c", Name: "C", Kind: KindClient,
		Grants: []Grant{{"projects.view", ScopeAssigned}}, Assignable: []string{"plain"}}}), "invalid")

	// Editing, cloning or deleting a role that gives Admin is not the Role Manager's,
	// although its permissions are.
	wantCode(t, "edit the Admin giver", a.Check(rm, RolesManage, RoleRef("giver")), "escalation")
	wantCode(t, "clone the Admin giver", a.Check(rm, RolesManage, RoleRef("giver"), Change{Clone: true}), "escalation")
	wantCode(t, "delete the Admin giver", a.Check(rm, RolesManage, RoleRef("giver"), Change{Delete: true}), "escalation")
	// Nor can the list of a role it may edit be made to lead there.
	edit := func(id string, assignable ...string) error {
		return a.Check(rm, RolesManage, RoleRef(id), Change{Def: &RoleDef{ID: id, Name: id, Kind: KindInternal,
			Grants: []Grant{{"projects.view", ScopeAssigned}}, Assignable: assignable}})
	}
	wantCode(t, "make Plain list Admin", edit("plain", RoleAdmin), "escalation")
	wantCode(t, "make Plain list the Admin giver", edit("plain", "giver"), "escalation")
	// Its own role, too.
	wantCode(t, "make its own role list Admin", a.Check(rm, RolesManage, RoleRef("rm"), Change{Def: &RoleDef{ID: "rm", Name: "Role Manager",
		Kind: KindInternal, Grants: roleManager.Grants, Assignable: []string{RoleAdmin}}}), "escalation")
	// A role may list itself when it is within the editor's role.
	wantCode(t, "Plain lists itself", edit("plain", "plain"), "")

	// A cycle through a role being changed follows its new definition: Loop lists Plain,
	// and Plain now lists Loop and gains nothing; then Plain gains Admin's permissions — refused
	// by its grants before its list is read.
	a.Update(func(w *Writer) error {
		w.putRole("loop", "Loop", KindInternal, false, []Grant{{"projects.view", ScopeAssigned}}, []string{"plain"})
		return nil
	})
	wantCode(t, "Plain lists Loop, which lists Plain", edit("plain", "loop"), "")
	wantCode(t, "Plain with settings", a.Check(rm, RolesManage, RoleRef("plain"), Change{Def: &RoleDef{ID: "plain", Name: "Plain", Kind: KindInternal,
		Grants: []Grant{{"settings.general", ""}}, Assignable: []string{"loop"}}}), "escalation")

	// The Admin may build the Admin giver (it may give everything anyway).
	wantCode(t, "the owner lists Admin", a.Check(Actor{UserID: "owner"}, RolesManage, Ref{Type: Role}, def(RoleAdmin)), "")
	wantCode(t, "the owner edits the Admin giver", a.Check(Actor{UserID: "owner"}, RolesManage, RoleRef("giver")), "")

	// A role manager whose own role lists Staff may pass that on, and only that.
	lister := roleManager
	lister.ID, lister.Name, lister.Assignable = "rm2", "Staff-giving role manager", []string{RoleStaff}
	b := assignableOrg(lister)
	b.Update(func(w *Writer) error { w.PutUser("rm2", "rm2", true); return nil })
	rm2 := Actor{UserID: "rm2"}
	wantCode(t, "pass Staff on", b.Check(rm2, RolesManage, Ref{Type: Role}, def(RoleStaff)), "")
	wantCode(t, "pass Client on (not listed)", b.Check(rm2, RolesManage, Ref{Type: Role}, def(RoleClient)), "escalation")
	wantCode(t, "pass the People Manager on (lists Client)", b.Check(rm2, RolesManage, Ref{Type: Role}, def("pm")), "escalation")
	// Giving Staff is not shaping it.
	wantCode(t, "edit Staff", b.Check(rm2, RolesManage, RoleRef(RoleStaff)), "built_in_role")
	wantCode(t, "clone Staff", b.Check(rm2, RolesManage, RoleRef(RoleStaff), Change{Clone: true}), "escalation")
	if g := b.Givings(rm2, []string{RoleStaff, RoleClient, RoleAdmin}); !g[RoleStaff].MayGive || g[RoleClient].MayGive || g[RoleAdmin].MayGive {
		t.Errorf("givings: %+v", g)
	}
}

// Deleting a role takes it off every list: nobody gives it any more, and it gives nothing.
func TestDeletingARoleTakesItOffTheLists(t *testing.T) {
	custom := RoleDef{ID: "designer", Name: "Designer", Kind: KindInternal, Grants: []Grant{{"tasks.view", ScopeAll}, {"tasks.create", ""}}}
	pm := peopleManager
	pm.Assignable = []string{RoleStaff, "designer"}
	a := newWith(append(builtInDefs(), custom, pm), []UserDef{{"owner", RoleAdmin, true}, {"pm", "pm", true}})
	actor := Actor{UserID: "pm"}
	wantCode(t, "create a Designer", a.Check(actor, UsersCreate, Ref{Type: User}, Change{Role: "designer"}), "")
	var listing []string
	a.Read(func(rd *Reader) error { listing = rd.RolesListing("designer"); return nil })
	if !slices.Equal(listing, []string{"People Manager"}) {
		t.Errorf("roles listing Designer: %v", listing)
	}
	a.Update(func(w *Writer) error { w.DeleteRole("designer"); return nil })
	wantCode(t, "create a Designer after its deletion", a.Check(actor, UsersCreate, Ref{Type: User}, Change{Role: "designer"}), "invalid")
	a.Read(func(rd *Reader) error {
		r := rd.x.role("pm")
		h, _ := rd.x.roleIDs.lookup("designer")
		if r.gives.has(h) {
			t.Error("the People Manager still lists the deleted role")
		}
		if got := rd.RolesListing("designer"); len(got) != 0 {
			t.Errorf("still listed by %v", got)
		}
		return nil
	})
	wantCode(t, "Staff still given", a.Check(actor, UsersCreate, Ref{Type: User}, Change{Role: RoleStaff}), "")
}

// The reference: what a role reaches is every permission of every role its holders can
// come to hold by giving roles — following the lists, from scratch, with plain maps. A role
// manager's every accepted change (roles made, edited, deleted, lists built and cyclic)
// leaves every role it may give reaching nothing its own role did not reach at the
// start; the Admin's settings never among it.
func TestRandomListsNeverReachPastTheEditor(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2))
	total, withLists := 0, 0
	perms := []Grant{{"projects.view", ScopeAssigned}, {"tasks.view", ScopeAll}, {"tasks.create", ""}, {"files.view", ""},
		{"users.view", ScopeAll}, {"users.create", ScopeAll}, {"users.edit", ScopeAll}, {"roles.manage", ""}, {"chat.team", ""}}
	for run := 0; run < 150; run++ {
		// The editor's role: roles.manage and a random part of the rest; it may list Staff.
		editor := RoleDef{ID: "editor", Name: "Editor", Kind: KindInternal, Grants: []Grant{{"roles.manage", ""}}}
		for _, p := range perms {
			if p.Key != "roles.manage" && rng.IntN(2) == 0 {
				editor.Grants = append(editor.Grants, p)
			}
		}
		if rng.IntN(2) == 0 {
			editor.Assignable = []string{RoleStaff}
		}
		// Roles the owner made, some listing Admin or each other.
		defs := map[string]RoleDef{}
		for _, d := range builtInDefs() {
			d.Grants = BuiltIn[d.ID]
			defs[d.ID] = d
		}
		defs["editor"] = editor
		var roles []RoleDef
		for i := range 4 {
			d := RoleDef{ID: fmt.Sprintf("o%d", i), Name: fmt.Sprintf("Owner's %d", i), Kind: KindInternal}
			for _, p := range perms {
				if rng.IntN(3) == 0 {
					d.Grants = append(d.Grants, p)
				}
			}
			for _, to := range []string{RoleAdmin, RoleStaff, "o0", "o1", "o2", "o3"} {
				if rng.IntN(5) == 0 {
					d.Assignable = append(d.Assignable, to)
				}
			}
			defs[d.ID] = d
			roles = append(roles, d)
		}
		a := newWith(append(append(builtInDefs(), editor), roles...), []UserDef{{"owner", RoleAdmin, true}, {"ed", "editor", true}})
		ed := Actor{UserID: "ed"}

		reach := func(id string) map[string]bool {
			out := map[string]bool{}
			seen := map[string]bool{}
			var walk func(string)
			walk = func(id string) {
				d, ok := defs[id]
				if !ok || seen[id] {
					return
				}
				seen[id] = true
				for _, g := range d.Grants {
					if p, _ := Lookup(g.Key); !p.SelfOnly {
						out[g.Key+":"+string(g.Scope)] = true
					}
				}
				for _, to := range d.Assignable {
					walk(to)
				}
			}
			walk(id)
			return out
		}
		start := reach("editor")
		ids := func() []string {
			out := []string{}
			for id := range defs {
				out = append(out, id)
			}
			slices.Sort(out)
			return out
		}
		pick := func() string { all := ids(); return all[rng.IntN(len(all))] }
		accepted := 0
		for step := range 120 {
			d := RoleDef{Name: fmt.Sprintf("r%d", step), Kind: KindInternal}
			from := perms
			if rng.IntN(2) == 0 {
				from = defs["editor"].Grants // mostly what the editor holds, so lists get tried
			}
			for _, p := range from {
				if rng.IntN(3) == 0 {
					d.Grants = append(d.Grants, p)
				}
			}
			for range rng.IntN(3) {
				d.Assignable = append(d.Assignable, pick())
			}
			slices.Sort(d.Assignable)
			d.Assignable = slices.Compact(d.Assignable)
			switch rng.IntN(3) {
			case 0: // a new role
				d.ID = fmt.Sprintf("n%d", step)
				if a.Check(ed, RolesManage, Ref{Type: Role}, Change{Def: &d}) != nil {
					continue
				}
			case 1: // an edit (built-in roles are refused by their own rule)
				d.ID = pick()
				if old, ok := defs[d.ID]; ok {
					d.Name = old.Name
				}
				if a.Check(ed, RolesManage, RoleRef(d.ID), Change{Def: &d}) != nil {
					continue
				}
			case 2: // a deletion of a role nobody holds
				id := pick()
				if id == "editor" || defs[id].BuiltIn || a.Check(ed, RolesManage, RoleRef(id), Change{Delete: true}) != nil {
					continue
				}
				delete(defs, id)
				for k, o := range defs {
					o.Assignable = slices.DeleteFunc(slices.Clone(o.Assignable), func(s string) bool { return s == id })
					defs[k] = o
				}
				a.Update(func(w *Writer) error { w.DeleteRole(id); return nil })
				accepted++
				continue
			}
			accepted++
			if len(d.Assignable) > 0 {
				withLists++
			}
			defs[d.ID] = d
			a.Update(func(w *Writer) error {
				w.putRole(d.ID, d.Name, d.Kind, false, d.Grants, d.Assignable)
				return nil
			})
			// Every role the editor may now give — and its own role — reaches only what
			// the editor's role reached at the start.
			for _, id := range ids() {
				if id != "editor" && !a.Givings(ed, []string{id})[id].MayGive {
					continue
				}
				for k := range reach(id) {
					if !start[k] {
						t.Fatalf("run %d step %d: the editor may give %s, which reaches %s (the editor's role reached %v at the start)", run, step, id, k, start)
					}
				}
			}
		}
		total += accepted
	}
	// Enough accepted changes, lists among them, for the test to mean something.
	if total < 1000 || withLists < 200 {
		t.Fatalf("%d changes accepted, %d with lists: the test tests too little", total, withLists)
	}
	t.Logf("%d changes accepted, %d with lists", total, withLists)
}
