package authz

import (
	"slices"
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

// CanChangeRole reports whether actor may give user uid the role roleID (which must exist):
// see canChangeRole.
func (a *Authorizer) CanChangeRole(actor Actor, uid, roleID string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canChangeRoleTo(actor, uid, roleID)
}

// CanChangeRole is Authorizer.CanChangeRole under Update's lock.
func (w *Writer) CanChangeRole(actor Actor, uid, roleID string) error {
	return w.a.canChangeRoleTo(actor, uid, roleID)
}

func (a *Authorizer) canChangeRoleTo(actor Actor, uid, roleID string) error {
	to, ok := a.roles[roleID]
	if !ok {
		return apperr.Field("roleId", "No such role.")
	}
	return a.canChangeRole(actor, uid, to)
}

var errLastAdmin = apperr.New(apperr.Conflict, "last_admin",
	"This is the last active Admin. Make someone else an Admin first, so Gatehouse always has one.")

// canChangeRole is the one rule for moving an account to another role — or to another
// kind, when the role it holds changes kind: users.edit on the account as it is now
// (which covers its current kind and holds nothing beyond the actor's role), users.edit
// over accounts of the new role's kind, a new role within the actor's own, and never the
// last active Admin. Changing a role's kind, deleting a role with reassignment and editing
// a user all go through it for every account they move.
func (a *Authorizer) canChangeRole(actor Actor, uid string, to *role) error {
	if err := a.can(actor, "users.edit", UserRes(uid)); err != nil {
		return err
	}
	if err := a.can(actor, "users.edit", NewUserRes(to.Kind)); err != nil {
		return apperr.New(apperr.Forbidden, "forbidden", "Your role does not let you manage %s accounts, so you cannot move anyone into the role %s.",
			kindWords(to.Kind), to.Name)
	}
	mine, _ := a.actorRole(actor)
	if !subset(to, mine) {
		return apperr.New(apperr.Forbidden, "escalation", "You cannot give the role %s: it holds permissions your role does not have.", to.Name)
	}
	if u := a.users[uid]; u.active && u.roleID == RoleAdmin && to.ID != RoleAdmin && a.activeAdmins <= 1 {
		return errLastAdmin
	}
	return nil
}

func kindWords(k Kind) string {
	if k == KindClient {
		return "client (portal)"
	}
	return "internal"
}

// CanRedefineRole reports whether actor may save role id with the definition d: managing
// the role, granting d's permissions, and — when d changes the role's kind — changing the
// role of every account that holds it (a client role's holders are managed under other
// rights than an internal role's, so a kind change moves each of them).
func (w *Writer) CanRedefineRole(actor Actor, id string, d RoleDef) error {
	a := w.a
	if err := a.canManageRole(actor, id, false); err != nil {
		return err
	}
	if err := a.canGrant(actor, d.Grants); err != nil {
		return err
	}
	if cur := a.roles[id]; cur.Kind != d.Kind {
		next := compile(d)
		for uid := range a.usersByRole[id] {
			if err := a.canChangeRole(actor, uid, next); err != nil {
				return holderBeyondReach(err)
			}
		}
	}
	return nil
}

// holderBeyondReach words a refusal about one of a role's holders for a request about the
// role: the role is visible, so "not found" would be wrong, and the holder stays unnamed.
func holderBeyondReach(err error) error {
	if apperr.IsKind(err, apperr.NotFound) {
		return apperr.New(apperr.Forbidden, "forbidden", "People who hold this role are accounts your role does not let you manage.")
	}
	return err
}

// CanDeleteRole reports whether actor may delete role id, moving its holders to role to
// ("" when nobody holds it).
func (w *Writer) CanDeleteRole(actor Actor, id, to string) error {
	a := w.a
	if err := a.canManageRole(actor, id, false); err != nil {
		return err
	}
	for uid := range a.usersByRole[id] {
		if err := a.canChangeRoleTo(actor, uid, to); err != nil {
			if e, ok := apperr.As(err); ok && e.Field == "roleId" {
				return apperr.Field("reassignTo", "%s", e.Message)
			}
			return holderBeyondReach(err)
		}
	}
	return nil
}

// Holders is how many users hold role id.
func (w *Writer) Holders(id string) int { return len(w.a.usersByRole[id]) }

// CanResetPassword decides an administrator's password reset of account id: users.edit
// on it, and never one's own — a reset needs no current password, so allowing it on
// oneself would turn a stolen session into a permanent takeover.
func (a *Authorizer) CanResetPassword(actor Actor, id string) error {
	if err := a.Can(actor, "users.edit", UserRes(id)); err != nil {
		return err
	}
	if id == actor.UserID {
		return apperr.New(apperr.Forbidden, "own_password", "To change your own password, use “Change my password”: it asks for your current one.")
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

// Active is Authorizer.Active under Update's lock.
func (w *Writer) Active(userID string) bool {
	u, ok := w.a.users[userID]
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
	// People are the actor and the members of the teams they lead whom they may manage
	// (accounts they may see whose role holds nothing beyond theirs).
	People  []string
	Clients bool // entries that involve client (portal) accounts
}

// AuditScope returns what of the audit log actor may read: activity.team is needed;
// activity.clients adds entries that involve portal accounts. At scope team, a leader
// reads the activity of the teams they lead, and of those only entries about things they
// can see themselves (SeesAuditEntry); adding someone to one's team therefore never
// widens one's sight. Viewed as someone, it is what both may read.
func (a *Authorizer) AuditScope(actor Actor) (AuditView, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	view, err := a.auditScope(Actor{UserID: actor.UserID})
	if err != nil || actor.Viewer == "" || actor.Viewer == actor.UserID {
		return view, err
	}
	mine, err := a.auditScope(Actor{UserID: actor.Viewer})
	if err != nil {
		return AuditView{}, err
	}
	both := AuditView{All: view.All && mine.All, Clients: view.Clients && mine.Clients}
	switch {
	case both.All:
	case view.All:
		both.People = mine.People
	case mine.All:
		both.People = view.People
	default:
		for _, u := range view.People {
			if slices.Contains(mine.People, u) {
				both.People = append(both.People, u)
			}
		}
	}
	return both, nil
}

func (a *Authorizer) auditScope(actor Actor) (AuditView, error) {
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
					if a.mayManage(actor, r, u) {
						people[u] = true
					}
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

// mayManage reports whether the actor (with role r) may take account uid into a team they
// lead, and so read its team-scoped activity: the actor sees the account (users.view), and
// its role holds no oversight beyond r — nothing of the Users, Invoicing, Settings or
// Reports areas that r lacks. Work permissions (projects, tasks, files, chat) do not count:
// a Team Leader leads Staff who manage Kanban columns.
func (a *Authorizer) mayManage(actor Actor, r *role, uid string) bool {
	if uid == actor.UserID {
		return true
	}
	u := a.users[uid]
	if u == nil {
		return false
	}
	tr := a.roles[u.roleID]
	view := permIndex["users.view"]
	return tr != nil && r.has[view] && covers(r.scopes[view], userKindScope(tr.Kind)) && subsetIn(tr, r, oversightAreas)
}

// oversightAreas are the catalog areas whose permissions give power over other people,
// money or the system rather than over work.
var oversightAreas = map[string]bool{"users": true, "invoicing": true, "settings": true, "reports": true}

// subsetIn is subset limited to the permissions of the given areas.
func subsetIn(x, y *role, areas map[string]bool) bool {
	for i := range x.has {
		if x.has[i] && areas[Catalog[i].Area] && !Catalog[i].SelfOnly && (!y.has[i] || !covers(y.scopes[i], x.scopes[i])) {
			return false
		}
	}
	return true
}

// AuditEntryRef is what an audit entry is by and about, for SeesAuditEntry.
type AuditEntryRef struct {
	ActorID    string
	TargetType string
	TargetID   string
}

// SeesAuditEntry decides one entry for an actor whose AuditView is team-scoped: made by
// or about one of view.People, and about something the actor can see directly (a person
// they may see, a project, board or task they see, a team or task type of the internal
// directory, a role they may list). Entries about things they cannot see, or that no
// longer exist, are not theirs to read.
func (a *Authorizer) SeesAuditEntry(actor Actor, scope AuditView, e AuditEntryRef) bool {
	if scope.All {
		return true
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	involved := slices.Contains(scope.People, e.ActorID) || (e.TargetType == "user" && slices.Contains(scope.People, e.TargetID))
	if !involved {
		return false
	}
	var v view
	if a.fillView(&v, actor) != nil {
		return false
	}
	switch e.TargetType {
	case "user":
		return slices.Contains(scope.People, e.TargetID) || a.can(actor, "users.view", UserRes(e.TargetID)) == nil
	case "project":
		p := a.projects[e.TargetID]
		return p != nil && v.seesProject(p)
	case "board":
		b := a.boards[e.TargetID]
		return b != nil && v.seesBoard(b)
	case "task":
		t := a.tasks[e.TargetID]
		return t != nil && v.seesTask(t)
	case "team":
		return !v.client && a.teams[e.TargetID] != nil
	case "task_type":
		return !v.client && a.types[e.TargetID] != nil
	case "role":
		_, ok := a.roles[e.TargetID]
		return ok && (v.has("roles.manage") || v.has("users.view") || v.has("users.create"))
	}
	return false
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
