package authz

import (
	"slices"

	"gatehouse/backend/apperr"
)

// The rules, one per resource type: first who sees a thing (a predicate that records,
// when asked, the paths it took or the link that is missing — explain.go reads it), then
// what each action on it takes. Check, the lists, who-can-see and explain all use these.

var (
	hiddenUser    = apperr.NotFoundf("No such user.")
	hiddenRole    = apperr.NotFoundf("No such role.")
	hiddenProject = apperr.NotFoundf("No such project.")
	hiddenBoard   = apperr.NotFoundf("No such board.")
	hiddenTask    = apperr.NotFoundf("No such task.")
	hiddenTeam    = apperr.NotFoundf("No such team.")
	hiddenType    = apperr.NotFoundf("No such task type.")
	portalOnly    = apperr.New(apperr.Forbidden, "forbidden", "Client (portal) accounts do not see this.")
	errLastAdmin  = apperr.New(apperr.Conflict, "last_admin",
		"This is the last active Admin. Make someone else an Admin first, so Gatehouse always has one.")
)

// grantsWithin reports whether everything role x grants, role y grants too (with a scope
// at least as wide). Self-only permissions (paying one's own invoices) give no power over
// anyone, so they never count.
func grantsWithin(x, y *roleRec) bool {
	for a := Action(0); a < numActions; a++ {
		if x.holds(a) && !Catalog[a].SelfOnly && (!y.holds(a) || !covers(y.scope[a], x.scope[a])) {
			return false
		}
	}
	return true
}

// Giving roles. A role's holders may give a role that is within their own (below), and
// the roles their role lists as roles they may give (Kubernetes' "bind": a People Manager
// gives Staff without holding Staff's permissions). Everything else about other people's
// roles stays "no more than your own role", and "within" counts those lists too, so a list
// is never a way up: a role is within y only if every role it lets its holders give is one
// y's holders may give as well.

// within reports whether role r is within role y: r grants nothing y does not
// (grantsWithin), and neither does any role its holders may give — following those roles'
// own lists in turn — except roles y lists, which y's holders may give outright. It is
// "may edit, clone or delete role r", "may reset the password of r's holders", and half of
// "may give r". A role whose definition is being changed is passed as r; where the lists
// lead back to it, its proposed definition is the one followed.
func (x *index) within(r, y *roleRec) bool {
	return x.outside(r, y) == nil
}

// outside returns the first role reached from r (r itself, or a role given through the
// lists) whose permissions y lacks, or nil when r is within y.
func (x *index) outside(r, y *roleRec) *roleRec {
	if !grantsWithin(r, y) {
		return r
	}
	if r.gives.empty() {
		return nil // the usual case: no list to follow
	}
	self, ok := x.roleIDs.lookup(r.id)
	if !ok {
		self = none // a role being created: no list names it yet
	}
	var seen bitset
	if self != none {
		seen.set(self) // where the lists lead back to r, r's proposed definition was followed
	}
	queue := []*roleRec{r}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		var bad *roleRec
		cur.gives.each(func(h handle) {
			if bad != nil || seen.has(h) || y.gives.has(h) {
				return
			}
			seen.set(h)
			next := x.roles[h]
			if !next.alive {
				return // deleted (its rows are gone too)
			}
			if !grantsWithin(next, y) {
				bad = next
				return
			}
			queue = append(queue, next)
		})
		if bad != nil {
			return bad
		}
	}
	return nil
}

// gives reports whether holders of role y may give role to: y lists it, or it is within y.
func (x *index) gives(y, to *roleRec) bool {
	if h, ok := x.roleIDs.lookup(to.id); ok && y.gives.has(h) && x.roles[h].alive {
		return true
	}
	return x.within(to, y)
}

// oversightAreas are the catalog areas whose permissions give power over other people,
// money or the system rather than over work.
var oversightAreas = map[string]bool{"users": true, "invoicing": true, "costs": true, "settings": true, "reports": true}

// oversees reports whether role x holds anything of the oversight areas that y lacks.
func oversees(x, y *roleRec) bool {
	for a := Action(0); a < numActions; a++ {
		if x.holds(a) && oversightAreas[Catalog[a].Area] && !Catalog[a].SelfOnly && (!y.holds(a) || !covers(y.scope[a], x.scope[a])) {
			return true
		}
	}
	return false
}

// ---- system ------------------------------------------------------------------------------

func (rd *Reader) decideSystem(v *view, a Action, c *Change) error {
	if !v.has(a) {
		return forbidden(a)
	}
	// What decides whom sign-in trusts (the Google client, its secret, the issuer, linking
	// by email) or where password links go (the mail server, the sender, the address in
	// links) decides who can become any account, the owner's included: it takes every
	// permission of the built-in Admin role besides the settings permission itself.
	if c.Trust {
		// (Permissions alone: the Admin role lists no roles to give, and gives every role
		// anyway, so there is no list to compare.)
		if admin := rd.x.role(RoleAdmin); admin == nil || !grantsWithin(admin, v.r) {
			if err := trustEscalation[a]; err != nil {
				return err
			}
			return apperr.New(apperr.Forbidden, "escalation", "This change needs every permission of the Admin role.")
		}
	}
	return nil
}

var trustEscalation = map[Action]error{
	SettingsLicence: apperr.New(apperr.Forbidden, "escalation",
		"A backup holds every record, password hash and file of the organisation, so making, downloading or scheduling one needs every permission of the Admin role."),
	SettingsIntegrations: apperr.New(apperr.Forbidden, "escalation",
		"Changing the Google client, issuer or linking by email decides who can sign in as anyone, so it needs every permission of the Admin role."),
	SettingsEmail: apperr.New(apperr.Forbidden, "escalation",
		"The mail server, the sender and the address in links decide where password links go, and so who can become anyone: changing them needs every permission of the Admin role."),
	SettingsSecurity: apperr.New(apperr.Forbidden, "escalation",
		"Weakening a security policy (shorter passwords, longer sessions, more guesses, fewer roles with two-factor sign-in) makes every account easier to take over, the Admins' included, so it needs every permission of the Admin role."),
}

// ---- users -------------------------------------------------------------------------------

// userKindScope is the users.* scope that covers accounts of kind k.
func userKindScope(k Kind) Scope {
	if k == KindClient {
		return ScopeClients
	}
	return ScopeStaff
}

// taskProjectHidden is why a task is hidden when its project is (Explain names the
// project to an asker who sees it).
const taskProjectHidden = "This person cannot see the task's project."

// kindWords names accounts of kind k, as in "manage %s accounts".
func kindWords(k Kind) apperr.Text {
	if k == KindClient {
		return apperr.Textf("client (portal)")
	}
	return apperr.Textf("internal")
}

// seesUser: one's own account, or accounts of a kind one's users.view covers.
func (rd *Reader) seesUser(v *view, uh handle) bool {
	u := &rd.x.users[uh]
	if !u.alive || u.role < 0 {
		return false
	}
	return uh == v.uh || (v.has(UsersView) && covers(v.scope(UsersView), userKindScope(rd.x.roles[u.role].kind)))
}

func (rd *Reader) decideUser(v *view, a Action, id string, c *Change) error {
	x := rd.x
	if id == "" {
		switch a {
		case View, UsersView: // the list
			if !v.has(UsersView) {
				return forbidden(UsersView)
			}
			return nil
		case UsersCreate:
			to := x.role(c.Role)
			if to == nil {
				return apperr.Field("roleId", "No such role.")
			}
			if !v.has(a) || !covers(v.scope(a), userKindScope(to.kind)) {
				return forbidden(a)
			}
			// A new account with a role the asker's role lists is delegation: the owner
			// chose to let this role add such people.
			return rd.mayGive(v, to)
		case ActivityClients: // reading client engagement at all
			return rd.clientActivity(v, none)
		}
		return notApplicable(a, User)
	}
	uh, ok := x.userIDs.lookup(id)
	if a == ActivityClients {
		// A client's sign-ins and engagement are activity.clients' own: it needs no
		// users.view (engagement.go). Without it, 403 whoever is asked about.
		if !ok {
			if err := rd.clientActivity(v, none); err != nil {
				return err
			}
			return hiddenUser
		}
		return rd.clientActivity(v, uh)
	}
	if !ok || !rd.seesUser(v, uh) {
		return hiddenUser
	}
	target := &x.users[uh]
	// The account's role as its holder has it now: with their extra grants, so that no
	// one takes over (or manages) a person given more than the taker's own role.
	tr := x.roleOf(target)
	switch a {
	case View, UsersView:
		return nil
	case ActivityTeam:
		return rd.canViewAs(v, uh)
	case RatesView, RatesEdit: // a team member's hour rate
		if tr.kind != KindInternal {
			return notApplicable(a, User)
		}
		return costs(v, a)
	case UsersEdit, UsersDeactivate, UsersDelete:
	default:
		return notApplicable(a, User)
	}
	if !v.has(a) || !covers(v.scope(a), userKindScope(tr.kind)) {
		return forbidden(a)
	}
	// No escalation. Managing an account — its name, deactivating and reactivating it,
	// moving it between roles one may give — takes a role one may give: within one's own,
	// or listed by it (who may add Staff may also correct a Staff member's name, or let a
	// leaver go). Taking the account over — resetting its password, mailing it a reset or
	// welcome link, changing its email (a reset link then goes to the new address),
	// resetting its second factor — and deleting it take more: a role within one's own.
	// Creating an account is delegation; resetting an existing person's password is taking
	// over their work and history, which a role that merely lists theirs does not allow.
	if a == UsersDelete || (a == UsersEdit && (c.Password || c.Email || c.TwoFactor)) {
		if !rd.x.within(tr, v.r) {
			if rd.x.gives(v.r, tr) {
				return errTakeOver[takeOverKind(a, c)]
			}
			return errAbove
		}
	} else if !rd.x.gives(v.r, tr) {
		return errAbove
	}
	if (a == UsersDelete || (a == UsersDeactivate && c.Deactivate)) && uh == v.uh {
		if a == UsersDeactivate {
			return apperr.New(apperr.Conflict, "self", "You cannot deactivate your own account.")
		}
		return apperr.New(apperr.Conflict, "self", "You cannot delete your own account.")
	}
	if (a == UsersDelete || (a == UsersDeactivate && c.Deactivate)) && target.active && tr.id == RoleAdmin && x.activeAdmins <= 1 {
		return errLastAdmin
	}
	if a == UsersEdit && c.TwoFactor && uh == v.uh {
		// Like a password reset: on oneself it would let a stolen session drop the
		// second factor that guards the account.
		return apperr.New(apperr.Forbidden, "own_two_factor", "To turn off your own two-factor sign-in, use My account: it asks for a code.")
	}
	if a == UsersEdit && c.Password && uh == v.uh {
		// A reset needs no current password: on oneself it would turn a stolen session
		// into a permanent takeover.
		return apperr.New(apperr.Forbidden, "own_password", "To change your own password, use “Change my password”: it asks for your current one.")
	}
	if a == UsersEdit && c.Role != "" && c.Role != tr.id {
		to := x.role(c.Role)
		if to == nil {
			return apperr.Field("roleId", "No such role.")
		}
		return rd.canMoveTo(v, uh, to)
	}
	return nil
}

var (
	errAbove = apperr.New(apperr.Forbidden, "escalation",
		"This user's role holds permissions your role does not have, and your role does not list it among the roles its holders may give.")
	errTakeOver = map[string]error{
		"password": apperr.New(apperr.Forbidden, "escalation",
			"Your role may give this user's role, but setting or mailing their password takes over their account, work and history: that needs a role that holds every permission theirs does."),
		"email": apperr.New(apperr.Forbidden, "escalation",
			"Your role may give this user's role, but changing their email hands over their sign-in (a reset link would go to the new address): that needs a role that holds every permission theirs does."),
		"twoFactor": apperr.New(apperr.Forbidden, "escalation",
			"Your role may give this user's role, but resetting their second factor opens their account to whoever has their password: that needs a role that holds every permission theirs does."),
		"delete": apperr.New(apperr.Forbidden, "escalation",
			"Your role may give this user's role, but deleting the account removes their work and history: that needs a role that holds every permission theirs does. Deactivate it instead."),
	}
)

func takeOverKind(a Action, c *Change) string {
	switch {
	case a == UsersDelete:
		return "delete"
	case c.Password:
		return "password"
	case c.Email:
		return "email"
	}
	return "twoFactor"
}

// mayGive decides whether v's role may hand out role `to` (to a new account, an account
// moved, or strangers signing in with Google): its role lists `to`, or `to` is within it.
func (rd *Reader) mayGive(v *view, to *roleRec) error {
	if !rd.x.gives(v.r, to) {
		return apperr.New(apperr.Forbidden, "escalation",
			"You cannot give the role %s: it holds permissions your role does not have, and your role does not list it among the roles its holders may give.", to.name)
	}
	return nil
}

// canMoveTo is the one rule for moving an account into role `to` — or to another kind,
// when the role it holds changes kind: (besides users.edit on the account as it is, which
// the caller checked) users.edit over accounts of the new role's kind, a role the actor
// may give (mayGive), and never the last active Admin. Editing a user, deleting a role
// with reassignment and changing a held role's kind all go through it, for every account
// they move.
func (rd *Reader) canMoveTo(v *view, uh handle, to *roleRec) error {
	if err := rd.canMoveInto(v, to); err != nil {
		return err
	}
	u := &rd.x.users[uh]
	if u.active && rd.x.roles[u.role].id == RoleAdmin && to.id != RoleAdmin && rd.x.activeAdmins <= 1 {
		return errLastAdmin
	}
	return nil
}

// canMoveInto is canMoveTo without the account: what the role pickers offer.
func (rd *Reader) canMoveInto(v *view, to *roleRec) error {
	if !v.has(UsersEdit) || !covers(v.scope(UsersEdit), userKindScope(to.kind)) {
		return apperr.New(apperr.Forbidden, "forbidden", "Your role does not let you manage %s accounts, so you cannot move anyone into the role %s.",
			kindWords(to.kind), to.name)
	}
	return rd.mayGive(v, to)
}

// moveHolder decides moving holder uh of a role into `to`: users.edit on them as they are,
// then canMoveTo. Refusals about a holder are worded for a request about the role: the
// role is visible, so "not found" would be wrong, and the holder stays unnamed.
func (rd *Reader) moveHolder(v *view, uh handle, to *roleRec) error {
	if err := rd.decideUser(v, UsersEdit, rd.x.users[uh].id, &Change{}); err != nil {
		if apperr.IsKind(err, apperr.NotFound) {
			return apperr.New(apperr.Forbidden, "forbidden", "People who hold this role are accounts your role does not let you manage.")
		}
		return err
	}
	return rd.canMoveTo(v, uh, to)
}

// canViewAs decides viewing the app read-only as user uh: users.view covering them (the
// caller checked), activity.team, an active account, a role that oversees nothing beyond
// the viewer's (Users, Invoicing, Settings, Reports), and at the team scope of
// activity.team only members of the teams the viewer leads. Work permissions do not count
// here: every answer viewed as someone is decided for the viewer too, so a team leader
// viewing as a member who manages Kanban columns still sees only what both see. A role's
// list of roles to give does not count either way: listing Staff lets one add Staff
// members, not look through their eyes.
func (rd *Reader) canViewAs(v *view, uh handle) error {
	if !v.has(ActivityTeam) {
		return forbidden(ActivityTeam)
	}
	target := &rd.x.users[uh]
	if !target.active {
		return apperr.New(apperr.Conflict, "deactivated", "This account is deactivated: it sees nothing.")
	}
	if oversees(rd.x.roleOf(target), v.r) {
		return apperr.New(apperr.Forbidden, "escalation", "This person's role oversees people, money or settings beyond yours; you cannot view the app as them.")
	}
	if v.scope(ActivityTeam) != ScopeAll && uh != v.uh && !rd.leadsTeamOf(v, uh) {
		return apperr.New(apperr.Forbidden, "forbidden", "You may view the app only as members of the teams you lead.")
	}
	return nil
}

func (rd *Reader) leadsTeamOf(v *view, uh handle) bool {
	found := false
	v.u.leads.each(func(t handle) {
		if !found && rd.x.teams[t].alive && hasSorted(rd.x.teams[t].members, uh) {
			found = true
		}
	})
	return found
}

// mayManage reports whether v may take account uh into a team they lead, and so read its
// team-scoped activity: v sees the account, and its role oversees nothing beyond v's —
// nothing of the Users, Invoicing, Settings or Reports areas that v lacks. Work
// permissions (projects, tasks, files, chat) do not count: a Team Leader leads Staff who
// manage Kanban columns.
func (rd *Reader) mayManage(v *view, uh handle) bool {
	if uh == v.uh {
		return true
	}
	u := &rd.x.users[uh]
	return u.alive && u.role >= 0 && v.has(UsersView) && covers(v.scope(UsersView), userKindScope(rd.x.roles[u.role].kind)) &&
		!oversees(rd.x.roleOf(u), v.r)
}

// ---- roles -------------------------------------------------------------------------------

func (rd *Reader) decideRole(v *view, a Action, id string, c *Change) error {
	x := rd.x
	switch a {
	case View:
		// Role managers, and whoever sees or creates users (role names, the role picker).
		if !v.has(RolesManage) && !v.has(UsersView) && !v.has(UsersCreate) {
			return forbidden(RolesManage)
		}
		if id != "" && x.role(id) == nil {
			return hiddenRole
		}
		return nil
	case SettingsIntegrations:
		// Choosing the role sign-in gives strangers hands that role out: a client role,
		// within the chooser's own.
		to := x.role(id)
		if to == nil {
			return apperr.Field("defaultRoleId", "No such role.")
		}
		if !v.has(a) {
			return forbidden(a)
		}
		if to.kind != KindClient {
			return apperr.Field("defaultRoleId", "%s is a team role. New Google users can only get a client (portal) role.", to.name)
		}
		// Handing a role to whoever signs in is giving it, like adding an account.
		return rd.mayGive(v, to)
	case UsersCreate:
		// Adding accounts with this role (what the Add user picker offers).
		if x.role(id) == nil {
			return hiddenRole
		}
		return rd.decideUser(v, UsersCreate, "", &Change{Role: id})
	case UsersEdit:
		// Moving accounts one may edit into this role (what the Edit user picker offers);
		// a move is decided again with the account (the last Admin stays one).
		to := x.role(id)
		if to == nil {
			return hiddenRole
		}
		return rd.canMoveInto(v, to)
	case RolesManage:
	default:
		return notApplicable(a, Role)
	}
	if !v.has(RolesManage) {
		return forbidden(RolesManage)
	}
	var next *roleRec // the proposed definition
	if c.Def != nil {
		if err := rd.canGrant(v, c.Def.Grants); err != nil {
			return err
		}
		var err error
		if next, err = rd.proposedRole(id, c.Def); err != nil {
			return err
		}
		if err := rd.canList(v, next); err != nil {
			return err
		}
	}
	if id == "" {
		return nil // creating a role: its grants and its list are all that matter
	}
	target := x.role(id)
	if target == nil {
		return hiddenRole
	}
	if target.builtIn && !c.Clone {
		return apperr.New(apperr.Forbidden, "built_in_role", "%s is a built-in role and cannot be changed or deleted. Clone it to make a custom role.", target.name)
	}
	// Editing, cloning or deleting a role takes the role as it is to be within one's own —
	// its list included, so a role that lets its holders give Admin is not a role manager's
	// to change — not merely one's role listing it: giving a role is not shaping it.
	if !x.within(target, v.r) {
		return apperr.New(apperr.Forbidden, "escalation",
			"The role %s holds permissions your role does not have, or lets its holders give a role that does.", target.name)
	}
	switch {
	case next != nil && next.kind != target.kind:
		// A kind change moves every holder to the other kind.
		return rd.eachHolder(target, func(uh handle) error { return rd.moveHolder(v, uh, next) })
	case c.Delete:
		if target.holders.empty() || !rd.anyHolder(target) {
			return nil
		}
		to := x.role(c.Role)
		if to == nil {
			return apperr.Field("reassignTo", "No such role.")
		}
		return rd.eachHolder(target, func(uh handle) error { return rd.moveHolder(v, uh, to) })
	}
	return nil
}

func (rd *Reader) eachHolder(r *roleRec, fn func(handle) error) error {
	var err error
	r.holders.each(func(uh handle) {
		if err == nil && rd.x.users[uh].alive {
			err = fn(uh)
		}
	})
	return err
}

func (rd *Reader) anyHolder(r *roleRec) bool {
	return rd.eachHolder(r, func(handle) error { return errLastAdmin }) != nil
}

// proposedRole compiles a role definition a change proposes (id "" for a new role: the
// definition's own id), with the roles its holders would give. Each of those must exist.
func (rd *Reader) proposedRole(id string, def *RoleDef) (*roleRec, error) {
	if id == "" {
		id = def.ID
	}
	r := compileRole(id, def.Name, def.Kind, false, def.Grants)
	for _, to := range def.Assignable {
		h, ok := rd.x.roleIDs.lookup(to)
		if !ok || !rd.x.roles[h].alive {
			return nil, apperr.Field("assignableRoleIds", "No such role: %s.", to)
		}
		r.gives.set(h)
	}
	return r, nil
}

// canList decides the roles a proposed role lets its holders give: a client (portal) role
// lists none (it cannot hold the users permissions that give roles), and every role listed
// must be one the editor may give — listed by the editor's role, or within it, following
// the lists onwards (where they lead back to the role being changed, its new definition
// is followed). So building a role with a list never reaches past the editor's own reach:
// a role manager who may not give Admin cannot make a role that gives Admin, directly or
// through another role's list. A role may list itself (its holders may then give it) only
// when it is within the editor's role, which canGrant and this check together require.
func (rd *Reader) canList(v *view, next *roleRec) error {
	if next.gives.empty() {
		return nil
	}
	if next.kind == KindClient {
		return apperr.Field("assignableRoleIds", "A client (portal) role cannot add or manage people, so it cannot list roles for its holders to give.")
	}
	if bad := rd.x.outside(next, v.r); bad != nil && bad != next {
		return apperr.New(apperr.Forbidden, "escalation",
			"This role would let its holders give %s (directly or through the roles it lists), which holds permissions your role does not have; you may list only roles you may give yourself.", bad.name)
	}
	return nil
}

// canGrant: only permissions (and scopes) the actor's own role holds (no escalation, as
// in Kubernetes RBAC).
func (rd *Reader) canGrant(v *view, grants []Grant) error {
	var missing []string
	for _, gr := range grants {
		a, ok := byKey[gr.Key]
		if ok && Catalog[a].SelfOnly {
			continue
		}
		if !ok || !v.r.holds(a) || !covers(v.r.scope[a], gr.Scope) {
			missing = append(missing, label(gr))
		}
	}
	if len(missing) > 0 {
		return apperr.New(apperr.Forbidden, "escalation",
			"You cannot grant permissions your own role does not have: %s.", joinComma(missing))
	}
	return nil
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// ---- projects ----------------------------------------------------------------------------

// seesProject: a role that sees all projects; or direct membership, or a team that is a
// project member; for portal users, attachment as a client.
func (rd *Reader) seesProject(v *view, ph handle, y *why) bool {
	p := rd.x.projects[ph]
	if !p.alive {
		return false
	}
	if !v.projectsView {
		return y.miss("The role %s does not hold projects.view.", v.r.name)
	}
	if y == nil {
		// A plain check reads the actor's side: bits in their own record, kept up to
		// date on write (the project's side below is the same relation, the other way).
		if v.client {
			if !v.u.clientProjects.has(ph) {
				return false
			}
		} else if !v.projectsAll && !v.memberOf(ph) {
			return false
		}
		return v.also == nil || rd.seesProject(v.also, ph, nil)
	}
	ok := false
	if v.client {
		if hasSorted(p.clients, v.uh) {
			ok = true
			y.path(Path{Kind: "client", Via: p.id, Name: p.name})
		} else {
			return y.miss("The client is not attached to this project.")
		}
	} else {
		if v.projectsAll {
			ok = true
			y.path(rd.scopePath(v))
		}
		// Membership is read on the project's side (its members, its teams' members):
		// asking it of many people, as who-can-see does, then touches the same few lists.
		if (y != nil || !ok) && hasSorted(p.members, v.uh) {
			ok = true
			y.path(Path{Kind: "member", Via: p.id, Name: p.name})
		}
		if y != nil || !ok {
			for _, t := range p.teams {
				if tm := rd.x.teams[t]; hasSorted(tm.members, v.uh) {
					ok = true
					if y == nil {
						break
					}
					y.path(Path{Kind: "team", Via: tm.id, Name: tm.name})
				}
			}
		}
		if !ok {
			return y.miss("Not a member of this project nor of any of its teams, and the role %s sees only assigned projects.", v.r.name)
		}
	}
	return v.also == nil || rd.seesProject(v.also, ph, nil)
}

// memberOf: a direct member or through a team (what the "assigned" scope covers).
func (v *view) memberOf(ph handle) bool {
	return !v.client && (v.u.projects.has(ph) || v.u.teamProjects.has(ph))
}

func (v *view) projectScopeOK(a Action, ph handle) bool {
	return v.has(a) && (v.scope(a) == ScopeAll || v.memberOf(ph))
}

func (rd *Reader) decideProject(v *view, a Action, id string, c *Change, y *why) error {
	if id == "" {
		switch a {
		case ProjectsCreate, ProjectsMembers: // creating one; choosing its people
			if !v.has(a) {
				return forbidden(a)
			}
			return nil
		}
		return notApplicable(a, Project)
	}
	p, ph := rd.x.project(id)
	if p == nil || !rd.seesProject(v, ph, y) {
		return hiddenProject
	}
	switch a {
	case View, ProjectsView:
		return nil
	case TasksCreate:
		if !v.has(TasksCreate) {
			return forbidden(a)
		}
		if !p.active {
			return apperr.New(apperr.Conflict, "archived", "This project is archived; reopen it to add tasks.")
		}
		if c.Task != nil {
			return rd.taskCreate(v, ph, *c.Task)
		}
		return nil
	case ProjectsEdit, ProjectsDelete, ProjectsMembers, ProjectsSettings:
		if !v.projectScopeOK(a, ph) {
			return forbidden(a)
		}
		return nil
	case FilesView, FilesUpload, FilesFolders:
		return rd.projectFiles(v, a, p)
	case ChatDiscussions: // reading and starting its discussions
		if !v.has(a) {
			return forbidden(a)
		}
		return nil
	case CostsView, CostsEdit: // its budget and extra costs
		return costs(v, a)
	}
	return notApplicable(a, Project)
}

// costs decides the money fields of something the actor sees (a client's cost per month, a
// project's budget and extra costs, a team member's hour rate): the team's, with the
// action held — and changing one takes seeing it too. Viewed as someone, both must hold it.
func costs(v *view, a Action) error {
	see := a
	switch a {
	case CostsEdit:
		see = CostsView
	case RatesEdit:
		see = RatesView
	}
	if v.client || !v.has(a) || !v.has(see) {
		return forbidden(a)
	}
	if v.also != nil {
		return costs(v.also, a)
	}
	return nil
}

// ---- teams -------------------------------------------------------------------------------

func (rd *Reader) decideTeam(v *view, a Action, id string, c *Change) error {
	if v.client {
		if id == "" && a != View {
			return forbidden(TeamsManage)
		}
		if id == "" {
			return portalOnly
		}
		return hiddenTeam
	}
	all := v.has(TeamsManage) && v.scope(TeamsManage) == ScopeAll
	if id == "" {
		switch a {
		case View:
			return nil
		case TeamsManage: // create
			if !all {
				return forbidden(TeamsManage)
			}
			return nil
		}
		return notApplicable(a, Team)
	}
	t, th := rd.x.team(id)
	if t == nil {
		return hiddenTeam
	}
	switch a {
	case View:
		return nil
	case TeamsManage:
	default:
		return notApplicable(a, Team)
	}
	// Leaders manage their team's members; appointing leaders or deleting the team is
	// for whoever manages all teams.
	if all {
		return nil
	}
	if c.Delete || c.Leaders {
		if c.Leaders && v.has(TeamsManage) && v.u.leads.has(th) {
			return apperr.New(apperr.Forbidden, "forbidden", "Only those who manage all teams can change a team's leaders.")
		}
		return forbidden(TeamsManage)
	}
	if !v.has(TeamsManage) || !v.u.leads.has(th) {
		return forbidden(TeamsManage)
	}
	// A leader adds only people they may manage, since a team's members are what its
	// leaders' team-scoped activity and view-as reach.
	for _, id := range c.Members {
		uh, ok := rd.x.userIDs.lookup(id)
		if !ok || !rd.mayManage(v, uh) {
			return apperr.New(apperr.Forbidden, "escalation",
				"You can add to your team only people you see whose role oversees nothing beyond yours (users, invoicing, settings, reports); ask someone who manages all teams.")
		}
	}
	return nil
}

// ---- boards ------------------------------------------------------------------------------

// boardLevel is the user's best invitation to board bh, directly or through a team. Roles
// that see every project (Admin, Manager) become editors as soon as they are invited.
func (v *view) boardLevel(bh handle) Level {
	l := v.u.level(bh)
	if l != LevelNone && v.projectsAll {
		return LevelEditor
	}
	return l
}

// seesBoard: invite-only boards are seen by those invited and by roles that see every
// project; open boards by every internal user. The portal shows no boards.
func (rd *Reader) seesBoard(v *view, bh handle, y *why) bool {
	b := rd.x.boards[bh]
	if !b.alive {
		return false
	}
	if v.client {
		return y.miss("Client (portal) accounts see no boards.")
	}
	ok := false
	if !b.invited {
		ok = true
		y.path(Path{Kind: "board_open", Via: b.id, Name: b.name})
	} else {
		if v.projectsAll {
			ok = true
			y.path(rd.scopePath(v))
		}
		if (y != nil || !ok) && v.u.level(bh) != LevelNone {
			ok = true
			if y != nil {
				if l := b.users[v.uh]; l != LevelNone {
					y.path(Path{Kind: "board_invite", Via: b.id, Name: b.name, Level: l})
				}
				v.u.teams.each(func(t handle) {
					if l := b.teams[t]; l != LevelNone {
						y.path(Path{Kind: "team", Via: rd.x.teams[t].id, Name: rd.x.teams[t].name, Level: l})
					}
				})
			}
		}
		if !ok {
			return y.miss("The board is invite-only and this person is not invited, directly or through a team.")
		}
	}
	return v.also == nil || rd.seesBoard(v.also, bh, nil)
}

// boardAllowsTasks: a task on an invite-only board is hidden from whoever does not see
// that board, even in a project they see. Boards are an internal tool the portal never
// shows, so they do not restrict portal users: a client sees every client-visible task of
// their projects ("View tasks marked as client-visible"), without learning of the board.
func (rd *Reader) boardAllowsTasks(v *view, bh handle) bool {
	if bh < 0 || v.client {
		return true
	}
	b := rd.x.boards[bh]
	return !b.alive || !b.invited || v.projectsAll || v.u.level(bh) != LevelNone
}

// canWorkOnBoard: moving, creating and assigning on an invite-only board takes an
// invitation, even for Admins ("if you want them to be able to assign tasks that belong
// to that Board, you need to include them in the list").
func (rd *Reader) canWorkOnBoard(v *view, bh handle) bool {
	if bh < 0 {
		return true
	}
	b := rd.x.boards[bh]
	return b.alive && (!b.invited || v.boardLevel(bh) != LevelNone)
}

// isBoardEditor: invited as editor on an invite-only board; on an open board, whoever
// manages Kanban columns. Roles holding projects.settings at scope all (Admin, Manager)
// may always edit a board's settings, invitations included, so a board can never be taken
// away from them; working on its tasks still takes an invitation.
func (rd *Reader) isBoardEditor(v *view, bh handle) bool {
	if v.client {
		return false
	}
	if v.has(ProjectsSettings) && v.scope(ProjectsSettings) == ScopeAll {
		return true
	}
	if rd.x.boards[bh].invited {
		return v.boardLevel(bh) == LevelEditor
	}
	return v.has(TasksColumns)
}

func (rd *Reader) decideBoard(v *view, a Action, id string, c *Change, y *why) error {
	if id == "" {
		switch a {
		case View: // the list: every internal user
			if v.client {
				return portalOnly
			}
			return nil
		case TasksColumns: // create
			if v.client || !v.has(TasksColumns) {
				return forbidden(TasksColumns)
			}
			return nil
		}
		return notApplicable(a, Board)
	}
	b, bh := rd.x.board(id)
	if b == nil || !rd.seesBoard(v, bh, y) {
		return hiddenBoard
	}
	switch a {
	case View:
		return nil
	case TasksStatus: // work on it: create, move and assign its tasks
		if !rd.canWorkOnBoard(v, bh) {
			return apperr.New(apperr.Forbidden, "not_invited", "Working on this board's tasks needs an invitation to it.")
		}
		return nil
	case TasksColumns: // edit: name, visibility, stages, invitations, delete
	default:
		return notApplicable(a, Board)
	}
	if !rd.isBoardEditor(v, bh) {
		if b.invited {
			return apperr.New(apperr.Forbidden, "not_editor", "Only this board's editors can change or delete it.")
		}
		return forbidden(TasksColumns)
	}
	// Changes that touch its tasks — removing stages (their tasks lose their stage),
	// changing who sees the board, deleting it — need sight of every task touched: a
	// board's editor cannot reshape the work of projects they cannot see.
	if len(c.RemovedStages) > 0 || c.Visibility || c.Delete {
		all := c.Visibility || c.Delete
		for _, th := range rd.x.allTasks {
			t := &rd.x.tasks[th]
			if t.board != bh || (!all && !slices.Contains(c.RemovedStages, rd.x.more(t).stage)) {
				continue
			}
			if !rd.seesTaskNormally(v, t, nil) {
				return apperr.New(apperr.Forbidden, "hidden_work",
					"This board holds tasks of projects you cannot see. Only someone who sees them all can remove their stages, change who sees the board or delete it.")
			}
		}
	}
	return nil
}

// ---- task types --------------------------------------------------------------------------

// typeAllows: a task type with an authorisation list lets only those listed (directly or
// through a team) create or assign its tasks; an unknown type authorises nobody.
func (rd *Reader) typeAllows(v *view, th handle, assign bool) bool {
	if th < 0 {
		return true
	}
	ty := rd.x.types[th]
	if !ty.alive {
		return false
	}
	if len(ty.users) == 0 && len(ty.teams) == 0 {
		return true
	}
	ok := func(r TypeRight) bool { return (assign && r.Assign) || (!assign && r.Create) }
	if ok(ty.users[v.uh]) {
		return true
	}
	found := false
	v.u.teams.each(func(t handle) {
		if !found && ok(ty.teams[t]) {
			found = true
		}
	})
	return found
}

func (rd *Reader) typeHandleOf(id string) handle {
	if id == "" {
		return none
	}
	if h, ok := rd.x.typeIDs.lookup(id); ok {
		return h
	}
	return -2 // names no type: authorises nobody
}

func (rd *Reader) typeAllowsID(v *view, id string, assign bool) bool {
	h := rd.typeHandleOf(id)
	return h != -2 && rd.typeAllows(v, h, assign)
}

func (rd *Reader) decideTaskType(v *view, a Action, id string) error {
	if v.client {
		if id == "" && a == View {
			return portalOnly
		}
		if id == "" {
			return forbidden(a)
		}
		return hiddenType
	}
	if id != "" {
		if t, _ := rd.x.taskType(id); t == nil {
			return hiddenType
		}
	}
	switch a {
	case View:
		return nil
	case TasksTypes: // manage types
		if !v.has(TasksTypes) {
			return forbidden(TasksTypes)
		}
		return nil
	case TasksCreate, TasksAssign: // create or assign tasks of this type
		if !v.has(a) || !rd.typeAllowsID(v, id, a == TasksAssign) {
			return apperr.New(apperr.Forbidden, "task_type", "You are not authorised for tasks of this type.")
		}
		return nil
	}
	return notApplicable(a, TaskType)
}

// ---- tasks -------------------------------------------------------------------------------

// followerMay: a portal follower sees a followed task only while it is client-visible in
// a project they are attached to: following never shows a client internal work or
// another client's.
func (v *view) followerMay(t *taskRec) bool {
	return !v.client || (t.clientVisible && v.u.clientProjects.has(t.project))
}

// seesTaskNormally: through the project and board, within the role's task scope, and
// internal tasks only with tasks.view_internal.
func (rd *Reader) seesTaskNormally(v *view, t *taskRec, y *why) bool {
	switch {
	case !v.tasksView:
		return y.miss("The role %s does not hold tasks.view.", v.r.name)
	case !t.clientVisible && !v.internal:
		return y.miss("The task is internal and the role %s does not hold tasks.view_internal.", v.r.name)
	case !rd.seesProject(v, t.project, nil):
		return y.miss(taskProjectHidden)
	case !rd.boardAllowsTasks(v, t.board):
		return y.miss("The task is on an invite-only board this person is not invited to; project access does not reveal it.")
	case !v.tasksAll && t.assignee != v.uh:
		return y.miss("The role %s sees only tasks assigned to the person, and this one is not.", v.r.name)
	}
	if y != nil {
		rd.seesProject(v, t.project, y)
		if t.board >= 0 && rd.x.boards[t.board].invited {
			rd.seesBoard(v, t.board, y)
		}
		if !v.tasksAll {
			y.path(Path{Kind: "assignee", Via: rd.x.more(t).id})
		}
	}
	return v.also == nil || rd.seesTask(v.also, t, nil)
}

// seesTask adds followers: a follower sees that one task and nothing else of its project.
func (rd *Reader) seesTask(v *view, t *taskRec, y *why) bool {
	following := hasSorted(t.followers, v.uh) && v.followerMay(t)
	if following && y == nil {
		return v.also == nil || rd.seesTask(v.also, t, nil)
	}
	normal := rd.seesTaskNormally(v, t, y)
	if following {
		y.path(Path{Kind: "follower", Via: rd.x.more(t).id})
		return v.also == nil || rd.seesTask(v.also, t, nil)
	}
	return normal
}

func (rd *Reader) decideTask(v *view, a Action, id string, c *Change, y *why) error {
	t, _ := rd.x.task(id)
	if t == nil || !rd.seesTask(v, t, y) {
		return hiddenTask
	}
	if a == View || a == TasksView {
		return nil
	}
	if a == ChatTaskComments {
		// Followers may comment too, where their role allows comments.
		if !v.has(a) {
			return forbidden(a)
		}
		return nil
	}
	// Everything else is work on the task: following lets one see it, not change it.
	if !rd.seesTaskNormally(v, t, nil) {
		if a == TasksReview || a == TasksDelete || (a == TasksEdit && c.Task == nil) {
			return forbidden(a)
		}
		return apperr.New(apperr.Forbidden, "follower_only", "You follow this task; following lets you see it, not change it.")
	}
	switch a {
	case TasksDelete:
		if !v.has(a) {
			return forbidden(a)
		}
		return nil
	case TasksReview:
		if !v.has(a) {
			return forbidden(a)
		}
		if b := t.board; b < 0 || rd.x.boards[b].stages[rd.x.more(t).stage] != "review" {
			return apperr.New(apperr.Conflict, "not_in_review", "This task is not waiting for client review.")
		}
		return nil
	case TasksEdit:
		if !v.has(a) {
			return forbidden(a)
		}
		if c.Follower != "" {
			return rd.canFollow(t, c.Follower)
		}
		if c.Task != nil {
			return rd.taskEdit(v, t, *c.Task)
		}
		return nil
	case TasksStatus:
		if c.Task != nil {
			return rd.taskMove(v, t, *c.Task)
		}
		// May move it at all: the role, and an invitation on an invite-only board.
		if !v.has(a) {
			return forbidden(a)
		}
		if !rd.canWorkOnBoard(v, t.board) {
			return apperr.New(apperr.Forbidden, "not_invited", "Moving tasks on this board needs an invitation to it.")
		}
		return nil
	case TasksAssign:
		if c.Task != nil {
			return rd.canAssign(v, t.project, t, *c.Task)
		}
		// May assign it at all (whom is decided when it happens).
		if !v.has(a) || !rd.canWorkOnBoard(v, t.board) || !rd.typeAllows(v, t.typ, true) {
			return forbidden(a)
		}
		return nil
	}
	return notApplicable(a, Task)
}

// canFollow: the follower is an active account; a portal user only for a client-visible
// task of a project they are attached to.
func (rd *Reader) canFollow(t *taskRec, userID string) error {
	var fv view
	if rd.viewOf(Actor{UserID: userID}, &fv) != nil {
		return apperr.Field("userId", "No such active user.")
	}
	if !fv.followerMay(t) {
		return apperr.Field("userId", "A client can follow only client-visible tasks of their own projects.")
	}
	return nil
}

// taskEdit decides the tasks.edit parts of a change: fields, visibility and type.
func (rd *Reader) taskEdit(v *view, t *taskRec, c TaskChange) error {
	if c.Type && c.TypeID != "" && !rd.typeAllowsID(v, c.TypeID, false) {
		return apperr.New(apperr.Forbidden, "task_type", "You are not authorised to use this task type.")
	}
	// Changing a task's type — to another or to none — takes the right to create tasks of
	// the type it has now; otherwise clearing the type would lift its limits.
	if c.Type && rd.typeHandleOf(c.TypeID) != t.typ && t.typ >= 0 && !rd.typeAllows(v, t.typ, false) {
		return apperr.New(apperr.Forbidden, "task_type", "Only people authorised for this task's type may change its type.")
	}
	// Giving an assigned task a type is assigning a task of that type: it takes the
	// type's assign right too (a change of assignee in the same request is decided there).
	if c.Type && !c.Assign && t.assignee >= 0 && !rd.typeAllowsID(v, c.TypeID, true) {
		return apperr.New(apperr.Forbidden, "task_type", "This task is assigned, and you are not authorised to assign tasks of this type.")
	}
	// Whoever the task is assigned to must still see it: making a task internal never
	// leaves it with a client assignee who cannot open it.
	if c.Visibility && !c.Assign && t.assignee >= 0 && !rd.assigneeSees(t.assignee, t.project, c.ClientVisible) {
		return apperr.Field("clientVisible", "The task's assignee could not see it any more; assign it to someone else first.")
	}
	return nil
}

// taskMove decides the tasks.status parts of a change: a new stage, or a new board.
func (rd *Reader) taskMove(v *view, t *taskRec, c TaskChange) error {
	x := rd.x
	if !v.has(TasksStatus) {
		return forbidden(TasksStatus)
	}
	toBoard := t.board
	if c.Board && c.BoardID != rd.boardID(t.board) {
		// Moving between boards is for editors of both.
		nb, nbh := x.board(c.BoardID)
		if t.board >= 0 && !rd.isBoardEditor(v, t.board) || c.BoardID != "" && (nb == nil || !rd.isBoardEditor(v, nbh)) {
			return apperr.New(apperr.Forbidden, "not_editor", "Moving tasks between boards is for editors of both boards.")
		}
		if c.BoardID != "" && !rd.seesBoard(v, nbh, nil) {
			return apperr.Field("boardId", "No such board.")
		}
		if !rd.canWorkOnBoard(v, nbh) {
			return apperr.New(apperr.Forbidden, "not_invited", "Creating or moving tasks on this board needs an invitation to it.")
		}
		if c.BoardID != "" && c.StageID == "" {
			return apperr.Field("stageId", "Choose a stage of the board.")
		}
		toBoard = nbh
	} else {
		if !c.Stage || c.StageID == rd.x.more(t).stage {
			return nil // naming the current stage is no move
		}
		if !rd.canWorkOnBoard(v, t.board) {
			return apperr.New(apperr.Forbidden, "not_invited", "Moving tasks on this board needs an invitation to it.")
		}
	}
	if c.StageID != "" && (toBoard < 0 || x.boards[toBoard].stages[c.StageID] == "") {
		return apperr.Field("stageId", "That stage is not on the task's board.")
	}
	return nil
}

func (rd *Reader) boardID(bh handle) string {
	if bh < 0 {
		return ""
	}
	return rd.x.boards[bh].id
}

// taskCreate decides the parts of a new task in project ph beyond tasks.create: its type,
// its board and stage, its assignee.
func (rd *Reader) taskCreate(v *view, ph handle, c TaskChange) error {
	x := rd.x
	if c.TypeID != "" && !rd.typeAllowsID(v, c.TypeID, false) {
		return apperr.New(apperr.Forbidden, "task_type", "You are not authorised to create tasks of this type.")
	}
	bh := none
	if c.BoardID != "" {
		b, h := x.board(c.BoardID)
		if b == nil || !rd.seesBoard(v, h, nil) {
			return apperr.Field("boardId", "No such board.")
		}
		if !rd.canWorkOnBoard(v, h) {
			return apperr.New(apperr.Forbidden, "not_invited", "Creating or moving tasks on this board needs an invitation to it.")
		}
		if c.StageID == "" {
			return apperr.Field("stageId", "Choose a stage of the board.")
		}
		bh = h
	}
	if c.StageID != "" && (bh < 0 || x.boards[bh].stages[c.StageID] == "") {
		return apperr.Field("stageId", "That stage is not on the task's board.")
	}
	if c.AssigneeID != "" {
		return rd.canAssign(v, ph, nil, c)
	}
	return nil
}

// canAssign decides giving a task (cur, or a new one of project ph) to c.AssigneeID: the
// role (assigning a task one creates to oneself needs none), an invitation on an
// invite-only board, the type's authorisations, who may open tasks for whom, and an
// assignee who sees the task.
func (rd *Reader) canAssign(v *view, ph handle, cur *taskRec, c TaskChange) error {
	x := rd.x
	assignTo := c.AssigneeID
	if cur != nil && (!c.Assign || rd.userID(cur.assignee) == assignTo) {
		return nil // no change of assignee
	}
	self := assignTo == v.u.id
	if !v.has(TasksAssign) && !(cur == nil && self) {
		return forbidden(TasksAssign)
	}
	boardH, typeH := rd.boardHandleOf(c.BoardID), rd.typeHandleOf(c.TypeID)
	clientVisible := c.ClientVisible
	if cur != nil {
		if !c.Board {
			boardH = cur.board
		}
		if !c.Type {
			typeH = cur.typ
		}
		if !c.Visibility {
			clientVisible = cur.clientVisible
		}
	}
	if !rd.canWorkOnBoard(v, boardH) {
		return apperr.New(apperr.Forbidden, "not_invited", "Assigning tasks on this board needs an invitation to it, even for admins.")
	}
	if typeH == -2 || !rd.typeAllows(v, typeH, true) {
		return apperr.New(apperr.Forbidden, "task_type", "You are not authorised to assign tasks of this type.")
	}
	if assignTo == "" {
		return nil
	}
	if !self && v.u.noOpen {
		return apperr.New(apperr.Forbidden, "task_rules", "You may not open tasks for other people.")
	}
	uh, ok := x.userIDs.lookup(assignTo)
	if !ok || !x.users[uh].alive || !x.users[uh].active {
		return apperr.Field("assigneeId", "No such active user.")
	}
	if !self && x.users[uh].noReceive {
		return apperr.Field("assigneeId", "This person does not receive tasks from others.")
	}
	var av view
	if rd.viewOf(Actor{UserID: assignTo}, &av) != nil || !rd.seesProject(&av, ph, nil) {
		return apperr.Field("assigneeId", "This person cannot see the project, so they cannot be assigned its tasks.")
	}
	if !rd.assigneeSees(uh, ph, clientVisible) {
		return apperr.Field("assigneeId", "This person could not see this task (it is internal and they are a client), so they cannot be assigned it.")
	}
	return nil
}

// assigneeSees reports whether user uh would see a task of project ph with the given
// visibility, through their role and memberships (not as a follower). Boards are left out
// on purpose: an invitation is the board editors' to give, and the assignee picker offers
// the project's people.
func (rd *Reader) assigneeSees(uh handle, ph handle, clientVisible bool) bool {
	var av view
	if rd.viewOf(Actor{UserID: rd.x.users[uh].id}, &av) != nil {
		return false
	}
	return av.tasksView && (clientVisible || av.internal) && rd.seesProject(&av, ph, nil)
}

func (rd *Reader) userID(uh handle) string {
	if uh < 0 {
		return ""
	}
	return rd.x.users[uh].id
}

func (rd *Reader) boardHandleOf(id string) handle {
	if id == "" {
		return none
	}
	if _, h := rd.x.board(id); h >= 0 {
		return h
	}
	return none
}
