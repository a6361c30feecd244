package authz

import (
	"sort"
	"strings"

	"gatehouse/backend/apperr"
)

// The checks below exist twice: on Authorizer (taking the shared lock) and on Writer
// (inside Update, where the exclusive lock is already held).

// CanGrant reports whether actor may put grants into a role: only permissions (and scopes)
// the actor's own role holds (no escalation, as in Kubernetes RBAC).
func (a *Authorizer) CanGrant(actor Actor, grants []Grant) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canGrant(actor, grants)
}

// CanGrant is Authorizer.CanGrant under Update's lock.
func (w *Writer) CanGrant(actor Actor, grants []Grant) error { return w.a.canGrant(actor, grants) }

func (a *Authorizer) canGrant(actor Actor, grants []Grant) error {
	r, err := a.actorRole(actor)
	if err != nil {
		return err
	}
	var missing []string
	for _, gr := range grants {
		i, ok := permIndex[gr.Key]
		if ok && Catalog[i].SelfOnly {
			continue
		}
		if !ok || !r.has[i] || !covers(r.scopes[i], gr.Scope) {
			missing = append(missing, label(gr))
		}
	}
	if len(missing) > 0 {
		return apperr.New(apperr.Forbidden, "escalation",
			"You cannot grant permissions your own role does not have: %s.", strings.Join(missing, ", "))
	}
	return nil
}

// CanManageRole reports whether actor may edit, clone or delete role id: roles.manage,
// a custom role (built-in roles are fixed), and nothing in it beyond the actor's own role.
// For clone, pass builtInOK so built-in roles can be copied.
func (a *Authorizer) CanManageRole(actor Actor, id string, builtInOK bool) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canManageRole(actor, id, builtInOK)
}

// CanManageRole is Authorizer.CanManageRole under Update's lock.
func (w *Writer) CanManageRole(actor Actor, id string, builtInOK bool) error {
	return w.a.canManageRole(actor, id, builtInOK)
}

func (a *Authorizer) canManageRole(actor Actor, id string, builtInOK bool) error {
	if err := a.can(actor, "roles.manage", RoleRes(id)); err != nil {
		return err
	}
	target := a.roles[id]
	if target.BuiltIn && !builtInOK {
		return apperr.New(apperr.Forbidden, "built_in_role", "%s is a built-in role and cannot be changed or deleted. Clone it to make a custom role.", target.Name)
	}
	r, _ := a.actorRole(actor)
	if !subset(target, r) {
		return apperr.New(apperr.Forbidden, "escalation", "The role %s holds permissions your role does not have.", target.Name)
	}
	return nil
}

// CanAssignRole reports whether actor may give role id to someone: the role must exist
// and hold nothing beyond the actor's own role.
func (a *Authorizer) CanAssignRole(actor Actor, id string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canAssignRole(actor, id)
}

// CanAssignRole is Authorizer.CanAssignRole under Update's lock.
func (w *Writer) CanAssignRole(actor Actor, id string) error { return w.a.canAssignRole(actor, id) }

func (a *Authorizer) canAssignRole(actor Actor, id string) error {
	r, err := a.actorRole(actor)
	if err != nil {
		return err
	}
	target, ok := a.roles[id]
	if !ok {
		return apperr.Field("roleId", "No such role.")
	}
	if !subset(target, r) {
		return apperr.New(apperr.Forbidden, "escalation", "You cannot give the role %s: it holds permissions your role does not have.", target.Name)
	}
	return nil
}

// CanListRoles reports whether actor may read the role list: role managers, and whoever
// sees or creates users (they need role names and a role picker).
func (a *Authorizer) CanListRoles(actor Actor) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	r, err := a.actorRole(actor)
	if err != nil {
		return err
	}
	for _, k := range []string{"roles.manage", "users.view", "users.create"} {
		if r.has[permIndex[k]] {
			return nil
		}
	}
	return forbidden("roles.manage")
}

// VisibleUserKinds returns the kinds of accounts actor may list (nil: all kinds), or
// Forbidden when they may see none besides themselves.
func (a *Authorizer) VisibleUserKinds(actor Actor) ([]Kind, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	r, err := a.actorRole(actor)
	if err != nil {
		return nil, err
	}
	i := permIndex["users.view"]
	if !r.has[i] {
		return nil, forbidden("users.view")
	}
	switch r.scopes[i] {
	case ScopeStaff:
		return []Kind{KindInternal}, nil
	case ScopeClients:
		return []Kind{KindClient}, nil
	}
	return nil, nil
}

// Permissions returns the actor's role and its grants (for /api/me).
func (a *Authorizer) Permissions(actor Actor) (RoleDef, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	r, err := a.actorRole(actor)
	if err != nil {
		return RoleDef{}, err
	}
	d := r.RoleDef
	d.Grants = append([]Grant(nil), r.Grants...)
	return d, nil
}

// Active reports whether the user exists and is active.
func (a *Authorizer) Active(userID string) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	u, ok := a.users[userID]
	return ok && u.active
}

// ActiveAdmins is how many active users hold the built-in Admin role.
func (w *Writer) ActiveAdmins() int { return w.a.activeAdmins }

// UserRole returns the role id of a user, and whether they are active.
func (w *Writer) UserRole(id string) (roleID string, active bool, ok bool) {
	u, ok := w.a.users[id]
	if !ok {
		return "", false, false
	}
	return u.roleID, u.active, true
}

// RoleKind returns the kind of role id.
func (w *Writer) RoleKind(id string) (Kind, bool) {
	r, ok := w.a.roles[id]
	if !ok {
		return "", false
	}
	return r.Kind, true
}

// AuditView says which audit entries an actor may read.
type AuditView struct {
	All bool // false (team scope): only entries made by or about People
	// People are the actor and the members of the teams they lead.
	People  []string
	Clients bool // entries about client (portal) accounts
}

// AuditScope returns what of the audit log actor may read: activity.team is needed;
// activity.clients adds entries about portal accounts.
// At scope team, a leader reads the activity of the teams they lead.
func (a *Authorizer) AuditScope(actor Actor) (AuditView, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	r, err := a.actorRole(actor)
	if err != nil {
		return AuditView{}, err
	}
	i := permIndex["activity.team"]
	if !r.has[i] {
		return AuditView{}, forbidden("activity.team")
	}
	view := AuditView{All: r.scopes[i] == ScopeAll, Clients: r.has[permIndex["activity.clients"]]}
	if !view.All {
		people := map[string]bool{actor.UserID: true}
		for tid := range a.readWork(actor.UserID).teams {
			if t := a.teams[tid]; t != nil && t.leaders[actor.UserID] {
				for u := range t.members {
					people[u] = true
				}
			}
		}
		for u := range people {
			view.People = append(view.People, u)
		}
		sort.Strings(view.People)
	}
	return view, nil
}

// GrantsOf returns the grants of role id (built-in roles included).
func (a *Authorizer) GrantsOf(id string) []Grant {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if r, ok := a.roles[id]; ok {
		return append([]Grant(nil), r.Grants...)
	}
	return nil
}

// CanConfigureSignInTrust decides who may change what Google sign-in trusts (the client,
// its secret, the issuer, linking by email): those settings decide who can become any
// account, the owner's included, so they take settings.integrations and every permission
// of the built-in Admin role.
func (a *Authorizer) CanConfigureSignInTrust(actor Actor) error {
	if err := a.Can(actor, "settings.integrations", Resource{}); err != nil {
		return err
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	mine, err := a.actorRole(actor)
	if err != nil {
		return err
	}
	if admin := a.roles[RoleAdmin]; admin == nil || !subset(admin, mine) {
		return apperr.New(apperr.Forbidden, "escalation",
			"Changing the Google client, issuer or linking by email decides who can sign in as anyone, so it needs every permission of the Admin role.")
	}
	return nil
}
