package authz

import (
	"sort"
	"strconv"
)

// Permission lint (backend/lint) reads the role structure the first article's best
// practices speak of: who holds Admin, who is on which project, which roles exist and
// what they hold. Reading it is for who shapes roles (roles.manage, as the Roles page): one
// predicate, lint, decides it; the people it names are only those the reader sees
// (seesUser), and each fix it offers is the same decision as the act itself.

// lint decides reading the permission lint: roles.manage, for both people when viewing
// as someone.
func (rd *Reader) lint(v *view) error {
	if !v.has(RolesManage) || (v.also != nil && !v.also.has(RolesManage)) {
		return forbidden(RolesManage)
	}
	return nil
}

// LintUser is an account the reader sees, as the lint reads it.
type LintUser struct {
	ID, RoleID string
	Active     bool
	Client     bool // holds a client (portal) role
	Admin      bool // holds the built-in Admin role
	// ByMembership: an internal role that sees projects only by being on them
	// (projects.view at scope assigned), for whom being on no project leaves nothing to do.
	ByMembership bool
	Projects     int // internal: projects reached directly or through a team; client: attached to
	// CanDeactivate: the reader may deactivate the account (users.deactivate on it).
	CanDeactivate bool
}

// LintRole is a role as the lint reads it.
type LintRole struct {
	ID, Name string
	Kind     Kind
	BuiltIn  bool
	Holders  int // users holding it, active or not
	// AboveClient: the role holds something the built-in Client role does not.
	AboveClient bool
	// Same is the signature of what the role holds (kind, permissions and scopes) and the
	// roles it lets its holders give: two roles with the same Same are identical.
	Same string
	// CanEdit and CanDelete: the reader may change the role, or delete it (roles.manage).
	CanEdit, CanDelete bool
}

// LintView is what the lint may read for an actor.
type LintView struct {
	Users        []LintUser // the accounts the reader sees, by id
	Roles        []LintRole // every role, built-in first, then by name
	ActiveAdmins int        // active holders of Admin, seen or not (the Roles page counts them too)
	// CanSetDefaultClient: the reader may make the built-in Client role the one Google
	// sign-in gives (settings.integrations).
	CanSetDefaultClient bool
}

// Lint returns what the permission lint reads for actor (403 without roles.manage).
// Viewed as someone, it names only those both see, and offers no fix.
func (a *Authorizer) Lint(actor Actor) (LintView, error) {
	var out LintView
	err := a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		if err := rd.lint(&v); err != nil {
			return err
		}
		x := rd.x
		acts := v.also == nil // viewing as someone is read-only
		out.ActiveAdmins = x.activeAdmins
		client := x.role(RoleClient)
		for i := range x.users {
			uh := handle(i)
			if !rd.seesUser(&v, uh) || (v.also != nil && !rd.seesUser(v.also, uh)) {
				continue
			}
			u := &x.users[uh]
			r := x.roles[u.role]
			lu := LintUser{ID: u.id, RoleID: r.id, Active: u.active, Client: r.kind == KindClient,
				Admin: r.builtIn && r.id == RoleAdmin}
			eff := x.roleOf(u) // a grant of projects.view for all projects is no empty dashboard
			lu.ByMembership = r.kind == KindInternal && eff.holds(ProjectsView) && eff.scope[ProjectsView] == ScopeAssigned
			if lu.Client {
				lu.Projects = count(u.clientProjects, x)
			} else {
				lu.Projects = count(u.projects.or(u.teamProjects), x)
			}
			lu.CanDeactivate = acts && u.active && rd.decide(&v, UsersDeactivate, UserRef(u.id), &Change{Deactivate: true}, nil) == nil
			out.Users = append(out.Users, lu)
		}
		sort.Slice(out.Users, func(i, j int) bool { return out.Users[i].ID < out.Users[j].ID })
		for _, r := range x.roles {
			if !r.alive {
				continue
			}
			lr := LintRole{ID: r.id, Name: r.name, Kind: r.kind, BuiltIn: r.builtIn, Same: signature(r)}
			rd.eachHolder(r, func(handle) error { lr.Holders++; return nil })
			lr.AboveClient = client == nil || r.kind != KindClient || !grantsWithin(r, client)
			if acts && !r.builtIn {
				lr.CanEdit = rd.decide(&v, RolesManage, RoleRef(r.id), &Change{}, nil) == nil
				lr.CanDelete = lr.Holders == 0 && rd.decide(&v, RolesManage, RoleRef(r.id), &Change{Delete: true}, nil) == nil
			}
			out.Roles = append(out.Roles, lr)
		}
		sort.SliceStable(out.Roles, func(i, j int) bool {
			if out.Roles[i].BuiltIn != out.Roles[j].BuiltIn {
				return out.Roles[i].BuiltIn
			}
			return out.Roles[i].Name < out.Roles[j].Name
		})
		out.CanSetDefaultClient = acts && client != nil && rd.decide(&v, SettingsIntegrations, RoleRef(RoleClient), &Change{}, nil) == nil
		return nil
	})
	return out, err
}

// count is how many live projects b holds.
func count(b bitset, x *index) int {
	n := 0
	b.each(func(h handle) {
		if int(h) < len(x.projects) && x.projects[h].alive {
			n++
		}
	})
	return n
}

// signature writes what r holds as text: its kind, then each held action with its scope.
func signature(r *roleRec) string {
	s := string(r.kind)
	for a := Action(0); a < numActions; a++ {
		if r.holds(a) {
			s += " " + Catalog[a].Key + ":" + string(r.scope[a])
		}
	}
	// Two roles that hold the same but give different roles are not the same role.
	r.gives.each(func(h handle) { s += " gives:" + strconv.Itoa(int(h)) })
	return s
}
