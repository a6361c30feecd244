package roles

import (
	"context"
	"errors"
	"slices"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Role history: every change to a custom role is kept as a version (its name,
// description, kind and grants after the change, who made it and when), written in the
// change's own transaction (create, clone, Update and Rollback all add one). A rollback
// is an edit to a version's state, decided and audited as one.

// addVersion records row as the role's next version, unless it is the same as the last
// one (an edit that changed nothing).
func addVersion(ctx context.Context, tx *store.Store, actor authz.Actor, row *store.Role, note string, rolledBack int) error {
	prev, err := tx.RoleVersions(ctx, row.ID)
	if err != nil {
		return err
	}
	if n := len(prev); n > 0 && rolledBack == 0 {
		last := prev[n-1]
		if last.Name == row.Name && last.Description == row.Description && last.Kind == row.Kind && slices.Equal(sortedGrants(last.Grants), sortedGrants(row.Grants)) &&
			last.Assignable != nil && sameSet(last.Assignable, row.Assignable) {
			return nil
		}
	}
	v := &store.RoleVersion{RoleID: row.ID, Name: row.Name, Description: row.Description, Kind: row.Kind,
		Grants: row.Grants, Assignable: slices.Clone(row.Assignable), ActorID: actor.UserID, Note: note, RolledBack: rolledBack, CreatedAt: row.UpdatedAt}
	if u, err := tx.User(ctx, actor.UserID); err == nil {
		v.ActorName = u.Name
	}
	return tx.AddRoleVersion(ctx, v)
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

func sortedGrants(gs []store.Grant) []store.Grant {
	out := slices.Clone(gs)
	slices.SortFunc(out, func(a, b store.Grant) int {
		if a.Key != b.Key {
			if a.Key < b.Key {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// VersionChange is one difference between two states of a role, in words.
type VersionChange struct {
	// Kind: added, removed, scope (a permission's scope changed), name, description, kind,
	// or gives_added, gives_removed (a role its holders may give).
	Kind     string
	Key      string // the permission, for added, removed and scope; the role, for gives_*
	From, To string // scopes, names, descriptions or kinds
	Text     apperr.Text
}

// State is a role's name, description, kind, grants and the roles its holders may give
// (nil: not recorded, in a version older than that record).
type State struct {
	Name, Description string
	Kind              authz.Kind
	Grants            []authz.Grant
	Assignable        []string
}

// Version is one version of a role with what changed from the one before.
type Version struct {
	Version   int
	State     State
	At        string // RFC 3339
	ChangedBy string // the person who made it, when the reader sees them; "" otherwise
	Note      string // create, clone, update or rollback
	// RolledBack: the version a rollback returned to.
	RolledBack int
	// Changes from the previous version (none for the first one).
	Changes []VersionChange
	// Restore is what rolling back to this version would change in the role as it is now.
	Restore []VersionChange
}

func stateOf(v *store.RoleVersion) State {
	st := State{Name: v.Name, Description: v.Description, Kind: authz.Kind(v.Kind), Assignable: v.Assignable}
	for _, g := range v.Grants {
		st.Grants = append(st.Grants, authz.Grant{Key: g.Key, Scope: authz.Scope(g.Scope)})
	}
	return st
}

// ScopeText is a scope in words.
func ScopeText(s authz.Scope) apperr.Text {
	switch s {
	case authz.ScopeAssigned:
		return apperr.Textf("assigned only")
	case authz.ScopeAll:
		return apperr.Textf("all")
	case authz.ScopeOwn:
		return apperr.Textf("own only")
	case authz.ScopeStaff:
		return apperr.Textf("staff only")
	case authz.ScopeClients:
		return apperr.Textf("clients only")
	case authz.ScopeTeam:
		return apperr.Textf("own team only")
	}
	return apperr.Textf("no scope")
}

// KindText is a role kind in words.
func KindText(k authz.Kind) apperr.Text {
	if k == authz.KindClient {
		return apperr.Textf("client (portal)")
	}
	return apperr.Textf("internal")
}

// GrantText is a permission with its scope in words: “View projects” (all).
func GrantText(g authz.Grant) apperr.Text {
	label := apperr.Textf("%s", g.Key)
	if p, ok := authz.Lookup(g.Key); ok {
		label = p.LabelText()
	}
	if g.Scope == authz.ScopeNone {
		return apperr.Textf("“%s”", label)
	}
	return apperr.Textf("“%s” (%s)", label, ScopeText(g.Scope))
}

// Compare lists what changes from a to b, in words: name, kind, description, then the
// permissions added, removed and whose scope changed, in catalog order, then the roles
// its holders may give that were added and removed (when both states record them),
// named by roleName (nil: by id).
func Compare(a, b State, roleName func(id string) string) []VersionChange {
	var out []VersionChange
	if a.Name != b.Name {
		out = append(out, VersionChange{Kind: "name", From: a.Name, To: b.Name, Text: apperr.Textf("Renamed from “%s” to “%s”", a.Name, b.Name)})
	}
	if a.Kind != b.Kind {
		out = append(out, VersionChange{Kind: "kind", From: string(a.Kind), To: string(b.Kind),
			Text: apperr.Textf("Kind changed from %s to %s", KindText(a.Kind), KindText(b.Kind))})
	}
	if a.Description != b.Description {
		out = append(out, VersionChange{Kind: "description", From: a.Description, To: b.Description, Text: apperr.Textf("Description changed")})
	}
	have := map[string]authz.Scope{}
	for _, g := range a.Grants {
		have[g.Key] = g.Scope
	}
	want := map[string]authz.Scope{}
	for _, g := range b.Grants {
		want[g.Key] = g.Scope
	}
	for _, p := range authz.Catalog {
		from, had := have[p.Key]
		to, has := want[p.Key]
		switch {
		case has && !had:
			out = append(out, VersionChange{Kind: "added", Key: p.Key, To: string(to), Text: apperr.Textf("Added %s", GrantText(authz.Grant{Key: p.Key, Scope: to}))})
		case had && !has:
			out = append(out, VersionChange{Kind: "removed", Key: p.Key, From: string(from), Text: apperr.Textf("Removed %s", GrantText(authz.Grant{Key: p.Key, Scope: from}))})
		case had && has && from != to:
			out = append(out, VersionChange{Kind: "scope", Key: p.Key, From: string(from), To: string(to),
				Text: apperr.Textf("“%s”: scope changed from %s to %s", p.LabelText(), ScopeText(from), ScopeText(to))})
		}
	}
	if a.Assignable != nil && b.Assignable != nil {
		name := func(id string) string {
			if roleName != nil {
				if n := roleName(id); n != "" {
					return n
				}
			}
			return id
		}
		added, removed := setDiff(a.Assignable, b.Assignable)
		for _, id := range added {
			out = append(out, VersionChange{Kind: "gives_added", Key: id, To: name(id), Text: apperr.Textf("May now give the role “%s”", name(id))})
		}
		for _, id := range removed {
			out = append(out, VersionChange{Kind: "gives_removed", Key: id, From: name(id), Text: apperr.Textf("May no longer give the role “%s”", name(id))})
		}
	}
	return out
}

// History returns a custom role's versions, newest first, each with what changed from the
// one before and what rolling back to it would change now. Reading it takes roles.manage;
// who made each change is named only to a reader who sees them.
func (s *Service) History(ctx context.Context, actor authz.Actor, id string) ([]Version, error) {
	if err := s.authz.Check(actor, authz.RolesManage, authz.Ref{Type: authz.Role}); err != nil {
		return nil, err
	}
	cur, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.RoleVersions(ctx, id)
	if err != nil {
		return nil, err
	}
	var actors []string
	for _, v := range vs {
		if v.ActorID != "" && !slices.Contains(actors, v.ActorID) {
			actors = append(actors, v.ActorID)
		}
	}
	seen, err := s.authz.Visible(actor, authz.User, actors)
	if err != nil {
		return nil, err
	}
	now := State{Name: cur.Name, Description: cur.Description, Kind: cur.Kind, Grants: cur.Grants, Assignable: cur.Assignable}
	if now.Assignable == nil {
		now.Assignable = []string{}
	}
	name := func(id string) string { n, _, _ := s.authzRole(id); return n }
	out := make([]Version, 0, len(vs))
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		st := stateOf(v)
		ver := Version{Version: v.Version, State: st, At: v.CreatedAt.UTC().Format("2006-01-02T15:04:05Z07:00"), Note: v.Note,
			RolledBack: v.RolledBack, Restore: Compare(now, st, name)}
		if slices.Contains(seen, v.ActorID) {
			ver.ChangedBy = v.ActorName
		}
		if i > 0 {
			ver.Changes = Compare(stateOf(vs[i-1]), st, name)
		}
		out = append(out, ver)
	}
	return out, nil
}

// Rollback returns a custom role to one of its versions: an edit to that version's name,
// description, kind, permissions and roles to give (when the version records them),
// decided exactly as that edit (the actor needs every permission the role holds now and
// after) and audited as a role update naming the version. expectVersion is the what-if
// preview's (see UpdateRequest.ExpectVersion).
func (s *Service) Rollback(ctx context.Context, actor authz.Actor, id string, version int, expectVersion string) (*Role, error) {
	if err := s.authz.Check(actor, authz.RolesManage, authz.RoleRef(id)); err != nil {
		return nil, err
	}
	v, err := s.store.RoleVersion(ctx, id, version)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.Field("version", "This role has no version %d.", version)
	}
	if err != nil {
		return nil, err
	}
	st := stateOf(v)
	grants := st.Grants
	if grants == nil {
		grants = []authz.Grant{}
	}
	req := UpdateRequest{Name: &st.Name, Description: &st.Description, Kind: &st.Kind, Grants: &grants, ExpectVersion: expectVersion}
	if st.Assignable != nil {
		gives := slices.Clone(st.Assignable)
		req.Assignable = &gives
	}
	return s.update(ctx, actor, id, req, version)
}
