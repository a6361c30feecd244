package authz

import (
	"slices"
	"strings"
	"time"

	"gatehouse/backend/apperr"
)

// Extra grants: one permission given to one person beyond their role, optionally until a
// date. They enter every decision through the person's effective role (userRec.eff: the
// role with the extra permissions compiled in), so check, lists, counts, who-can-see and
// explain read them as they read the role, and cannot disagree. (A role held for a while,
// a project membership, a board invitation or a follow given as a grant is written as the
// thing itself; only its end is the grant's.)

// ExtraGrant is a permission given to one person beyond their role.
type ExtraGrant struct {
	ID    string
	Key   string
	Scope Scope
	By    string // the giver's name, for explanations
	Until *time.Time
}

type extraGrant struct {
	id     string
	action Action
	scope  Scope
	by     string
	until  *time.Time
}

// roleOf is what user u's decisions read: their role, with their extra grants when they
// have any.
func (x *index) roleOf(u *userRec) *roleRec {
	if u.eff != nil {
		return u.eff
	}
	return x.roles[u.role]
}

// refreshEff recompiles user uh's effective role after a change of their role, of its
// permissions, or of their extra grants. A grant the role's kind may not hold, or whose
// scope the role's own cannot widen into one scope, adds nothing.
func (x *index) refreshEff(uh handle) {
	u := &x.users[uh]
	if len(u.extras) == 0 || u.role < 0 {
		u.eff = nil
		return
	}
	base := x.roles[u.role]
	eff := *base
	eff.holders = nil
	for _, e := range u.extras {
		if !Catalog[e.action].AllowedFor(base.kind) {
			continue
		}
		switch {
		case !eff.holds(e.action):
			eff.has |= 1 << e.action
			eff.scope[e.action] = e.scope
		case covers(e.scope, eff.scope[e.action]):
			eff.scope[e.action] = e.scope
		}
	}
	// The grants as a list too (what /api/me says the person holds), in catalog order.
	eff.grants = nil
	for a := Action(0); a < numActions; a++ {
		if eff.holds(a) {
			eff.grants = append(eff.grants, Grant{Key: Catalog[a].Key, Scope: eff.scope[a]})
		}
	}
	u.eff = &eff
}

// PutExtraGrant adds or replaces a permission given to userID beyond their role (an
// unknown key is ignored: the service checked it against the catalog).
func (w *Writer) PutExtraGrant(userID string, g ExtraGrant) {
	a, ok := byKey[g.Key]
	if !ok {
		return
	}
	x := w.x
	uh := x.userHandle(userID)
	u := &x.users[uh]
	e := extraGrant{id: g.ID, action: a, scope: g.Scope, by: g.By, until: g.Until}
	i := slices.IndexFunc(u.extras, func(e extraGrant) bool { return e.id == g.ID })
	if i >= 0 {
		u.extras = slices.Clone(u.extras)
		u.extras[i] = e
	} else {
		// A new slice each time: a what-if copy of the index never shares this one.
		u.extras = append(slices.Clone(u.extras), e)
		slices.SortFunc(u.extras, func(a, b extraGrant) int { return strings.Compare(a.id, b.id) })
	}
	x.refreshEff(uh)
}

// DeleteExtraGrant ends a permission given beyond a role.
func (w *Writer) DeleteExtraGrant(userID, id string) {
	x := w.x
	uh, ok := x.userIDs.lookup(userID)
	if !ok {
		return
	}
	u := &x.users[uh]
	u.extras = slices.DeleteFunc(slices.Clone(u.extras), func(e extraGrant) bool { return e.id == id })
	x.refreshEff(uh)
}

// grantFor is the extra grant through which v holds action a as widely as it does, or nil
// when v's role holds it so by itself.
func (rd *Reader) grantFor(v *view, a Action) *extraGrant {
	if v.u == nil || len(v.u.extras) == 0 || v.u.role < 0 {
		return nil
	}
	base := rd.x.roles[v.u.role]
	if base.holds(a) && covers(base.scope[a], v.r.scope[a]) {
		return nil
	}
	for i := range v.u.extras {
		if e := &v.u.extras[i]; e.action == a && e.scope == v.r.scope[a] {
			return e
		}
	}
	return nil
}

// scopePath is the path by which v sees every project (projects.view with scope all):
// their role, or an extra grant (who gave it, until when).
func (rd *Reader) scopePath(v *view) Path {
	if e := rd.grantFor(v, ProjectsView); e != nil {
		p := Path{Kind: "grant", Via: e.id, Name: e.by}
		if e.until != nil {
			p.Until = e.until.UTC().Format(time.RFC3339)
		}
		return p
	}
	return Path{Kind: "role_scope", Name: rd.x.roles[v.u.role].name}
}

// CanGive decides whether actor may give userID one permission with scope beyond their
// role: the actor manages the person (users.edit on them), and holds that permission with
// a scope at least as wide themselves — no more than one's own role, as for a role edit.
// The permission must be one the person's kind of role may hold. What the actor holds only
// for a while (an extra grant with an end) they give for no longer than they hold it:
// until must then be set and no later than their own grant's end.
func (rd *Reader) CanGive(actor Actor, userID string, gr Grant, until *time.Time) error {
	var v view
	if err := rd.viewOf(actor, &v); err != nil {
		return err
	}
	if err := rd.decideUser(&v, UsersEdit, userID, &Change{}); err != nil {
		return err
	}
	u := rd.x.user(userID)
	norm, err := NormalizeGrants(rd.x.roles[u.role].kind, []Grant{gr})
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Field == "kind" {
			return err
		}
		return rebase(err, "permission")
	}
	gr = norm[0]
	if err := rd.canGrant(&v, norm); err != nil {
		return err
	}
	if end, ok := rd.heldUntil(&v, gr); ok && end != nil && (until == nil || until.After(*end)) {
		return apperr.Field("until", "You hold %s only until %s: give it until then at the latest.", label(gr), end.UTC().Format("2006-01-02 15:04 UTC"))
	}
	base := rd.x.roles[u.role]
	if a := byKey[gr.Key]; base.holds(a) && covers(base.scope[a], gr.Scope) {
		return apperr.Field("permission", "The role %s already holds %s.", base.name, label(gr))
	} else if base.holds(a) && !covers(gr.Scope, base.scope[a]) {
		return apperr.Field("scope", "The role %s already holds %s; to widen it, give the scope %q.", base.name, label(Grant{gr.Key, base.scope[a]}), ScopeAll)
	}
	return nil
}

// heldUntil says until when actor (v) holds gr: ok with a nil end when their role or a
// lasting extra grant covers it, else the latest end among their time-boxed grants that
// cover it (ok false when nothing covers it: canGrant refuses that first).
func (rd *Reader) heldUntil(v *view, gr Grant) (end *time.Time, ok bool) {
	a, known := byKey[gr.Key]
	if !known {
		return nil, false
	}
	if base := rd.x.roles[v.u.role]; base.holds(a) && covers(base.scope[a], gr.Scope) {
		return nil, true
	}
	for _, e := range v.u.extras {
		if e.action != a || !covers(e.scope, gr.Scope) {
			continue
		}
		if e.until == nil {
			return nil, true
		}
		if end == nil || e.until.After(*end) {
			end = e.until
		}
		ok = true
	}
	return end, ok
}

// rebase moves a field error onto another field, keeping its words.
func rebase(err error, field string) error {
	if e, ok := apperr.As(err); ok && e.Field != "" {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

// ExtraGrants lists the permissions userID holds beyond their role, for a reader who may
// see them.
func (rd *Reader) ExtraGrants(userID string) []ExtraGrant {
	u := rd.x.user(userID)
	if u == nil {
		return nil
	}
	out := make([]ExtraGrant, 0, len(u.extras))
	for _, e := range u.extras {
		out = append(out, ExtraGrant{ID: e.id, Key: Catalog[e.action].Key, Scope: e.scope, By: e.by, Until: e.until})
	}
	return out
}

// LastActiveAdmin reports whether userID is the only active Admin: moving them out of the
// Admin role would leave Gatehouse with none (a role given for a while that would end so
// is held until someone else is an Admin).
func (rd *Reader) LastActiveAdmin(userID string) bool {
	u := rd.x.user(userID)
	return u != nil && u.alive && u.active && u.role >= 0 && rd.x.roles[u.role].id == RoleAdmin && rd.x.activeAdmins <= 1
}
