package authz

import (
	"testing"

	"gatehouse/backend/apperr"
	"gatehouse/backend/store"
)

// Client engagement's one predicate, for a check, the list and view-as: activity.clients
// (both people's, viewing as someone) reads every client account and nothing else, with
// no need of users.view; the whole client log only to who reads it all.
func TestClientActivityPredicate(t *testing.T) {
	roles := []RoleDef{
		{ID: RoleAdmin, Name: "Admin", Kind: KindInternal, BuiltIn: true, Grants: BuiltIn[RoleAdmin]},
		{ID: RoleStaff, Name: "Staff", Kind: KindInternal, BuiltIn: true, Grants: BuiltIn[RoleStaff]},
		{ID: RoleClient, Name: "Client", Kind: KindClient, BuiltIn: true, Grants: BuiltIn[RoleClient]},
		{ID: "director", Name: "Director", Kind: KindInternal, Grants: []Grant{g(ProjectsView, ScopeAll), g(ActivityTeam, ScopeAll), g(ActivityClients)}},
		{ID: "success", Name: "Client success", Kind: KindInternal, Grants: []Grant{g(ActivityClients)}},
		{ID: "leader", Name: "Leader", Kind: KindInternal, Grants: []Grant{g(ActivityTeam, ScopeTeam), g(ActivityClients)}},
	}
	a := newWith(roles, []UserDef{{"owner", RoleAdmin, true}, {"sam", RoleStaff, true}, {"carl", RoleClient, true}, {"dora", RoleClient, false},
		{"dan", "director", true}, {"sue", "success", true}, {"lea", "leader", true}})
	a.Update(func(w *Writer) error {
		w.PutCompany(&store.Company{ID: "acme", Name: "Acme"})
		w.SetUserCompany("carl", "acme")
		return nil
	})
	kind := func(err error) apperr.Kind {
		if err == nil {
			return 0
		}
		e, _ := apperr.As(err)
		return e.Kind
	}
	for _, c := range []struct {
		actor Actor
		res   Ref
		want  apperr.Kind
	}{
		{Actor{UserID: "owner"}, Ref{Type: User}, 0},
		{Actor{UserID: "owner"}, UserRef("carl"), 0},
		{Actor{UserID: "owner"}, UserRef("dora"), 0}, // deactivated: the history stays readable
		{Actor{UserID: "owner"}, UserRef("sam"), apperr.NotFound},
		{Actor{UserID: "owner"}, UserRef("nobody"), apperr.NotFound},
		{Actor{UserID: "dan"}, UserRef("carl"), 0}, // no users.view needed
		{Actor{UserID: "sue"}, UserRef("carl"), 0},
		{Actor{UserID: "sam"}, Ref{Type: User}, apperr.Forbidden},
		{Actor{UserID: "sam"}, UserRef("carl"), apperr.Forbidden},
		{Actor{UserID: "sam"}, UserRef("nobody"), apperr.Forbidden}, // 403 before 404
		{Actor{UserID: "carl"}, UserRef("carl"), apperr.Forbidden},
		{Actor{UserID: "dan", Viewer: "owner"}, UserRef("carl"), 0},
		{Actor{UserID: "sam", Viewer: "owner"}, UserRef("carl"), apperr.Forbidden},
		{Actor{UserID: "dan", Viewer: "sam"}, UserRef("carl"), apperr.Forbidden},
	} {
		if got := kind(a.Check(c.actor, ActivityClients, c.res)); got != c.want {
			t.Errorf("%+v %v: %v, want %v", c.actor, c.res, got, c.want)
		}
	}

	for _, c := range []struct {
		actor     Actor
		whole     bool
		company   string // Carl's, as the reader gets it
		forbidden bool
	}{
		{actor: Actor{UserID: "owner"}, whole: true, company: "acme"},
		{actor: Actor{UserID: "dan"}, whole: true}, // sees no companies (no users.view, no costs.view)
		{actor: Actor{UserID: "sue"}},              // reads no activity log
		{actor: Actor{UserID: "lea"}},              // a team's log only
		{actor: Actor{UserID: "dan", Viewer: "owner"}, whole: true},
		// What both read (built directly: view-as itself would not let Lea or Sue view as
		// the owner, whose role oversees more than theirs).
		{actor: Actor{UserID: "owner", Viewer: "lea"}},
		{actor: Actor{UserID: "owner", Viewer: "sue"}},
		{actor: Actor{UserID: "sam"}, forbidden: true},
		{actor: Actor{UserID: "owner", Viewer: "sam"}, forbidden: true},
	} {
		v, err := a.ClientActivity(c.actor)
		if c.forbidden {
			if kind(err) != apperr.Forbidden || len(v.Clients) != 0 {
				t.Errorf("%+v: %v %+v", c.actor, err, v)
			}
			continue
		}
		if err != nil || v.WholeLog != c.whole || len(v.Clients) != 2 || v.Clients[0] != (ClientAccount{ID: "carl", CompanyID: c.company}) ||
			v.Clients[1] != (ClientAccount{ID: "dora"}) {
			t.Errorf("%+v: %v %+v", c.actor, err, v)
		}
	}
}
