package authz

import (
	"gatehouse/backend/apperr"
	"gatehouse/backend/store"
)

// Client companies: a company's portal users and projects ("Customer > Project"). Who
// lists client accounts (users.view covering clients) sees every company; a client sees
// their own. Creating a company is giving client accounts a home (users.create covering
// clients); changing or deleting one is editing them (users.edit covering clients).

type companyRec struct {
	id, name string
	alive    bool
}

func (c companyRec) live() bool { return c.alive }

func (x *index) company(id string) (*companyRec, handle) { return liveRec(&x.compIDs, x.comps, id) }

func (x *index) companyHandle(id string) handle {
	return handleOf(&x.compIDs, &x.comps, id, func() companyRec { return companyRec{id: id} })
}

// PutCompany adds or renames a company.
func (w *Writer) PutCompany(c *store.Company) {
	h := w.x.companyHandle(c.ID)
	w.x.comps[h] = companyRec{id: c.ID, name: c.Name, alive: true}
}

// DeleteCompany forgets a company; its projects belong to none.
func (w *Writer) DeleteCompany(id string) {
	c, h := w.x.company(id)
	if c == nil {
		return
	}
	c.alive = false
	for _, p := range w.x.projects {
		if p.company == h {
			p.company = none
		}
	}
}

// SetUserCompany puts a user in a company ("": in none).
func (w *Writer) SetUserCompany(userID, companyID string) {
	u := &w.x.users[w.x.userHandle(userID)]
	u.company = none
	if companyID != "" {
		u.company = w.x.companyHandle(companyID)
	}
}

// SetProjectCompany gives a project to a company ("": to none).
func (w *Writer) SetProjectCompany(projectID, companyID string) {
	p := w.x.projects[w.x.projectHandle(projectID)]
	p.company = none
	if companyID != "" {
		p.company = w.x.companyHandle(companyID)
	}
}

var hiddenCompany = apperr.NotFoundf("No such client company.")

// listsClients: the role lists client accounts (users.view covering clients).
func listsClients(v *view) bool {
	return !v.client && v.has(UsersView) && covers(v.scope(UsersView), ScopeClients)
}

// seesCompany is who sees a company: whoever lists client accounts, whoever may see company
// costs (a client's cost per month is one: "viewable by Manager and Director"), and its
// own people.
func (rd *Reader) seesCompany(v *view, ch handle, y *why) bool {
	if !rd.x.comps[ch].alive {
		return false
	}
	switch {
	case v.client && v.u.company == ch:
		y.path(Path{Kind: "client"})
	case v.client:
		return y.miss("A client sees only their own company.")
	case !listsClients(v) && !v.has(CostsView):
		return y.miss("The role %s neither lists client accounts (users.view for clients) nor sees company costs.", v.r.name)
	default:
		y.path(Path{Kind: "role_scope"})
	}
	return v.also == nil || rd.seesCompany(v.also, ch, nil)
}

func (rd *Reader) decideCompany(v *view, a Action, id string, y *why) error {
	manages := func(a Action) error {
		if v.client || !v.has(a) || !covers(v.scope(a), ScopeClients) {
			return forbidden(a)
		}
		return nil
	}
	if id == "" { // the companies: listing them, making one
		switch a {
		case View:
			if v.client || listsClients(v) || v.has(CostsView) {
				return nil
			}
			return forbidden(UsersView)
		case UsersCreate:
			return manages(a)
		}
		return notApplicable(a, Company)
	}
	_, ch := rd.x.company(id)
	if ch == none || !rd.seesCompany(v, ch, y) {
		return hiddenCompany
	}
	switch a {
	case View:
		return nil
	case UsersEdit: // changing its details, deleting it, putting people or projects in it
		return manages(a)
	case CostsView, CostsEdit: // its cost per month
		return costs(v, a)
	}
	return notApplicable(a, Company)
}

// CompanyOf returns the company of user userID as the index holds it ("" when none).
func (rd *Reader) CompanyOf(userID string) string {
	if u := rd.x.user(userID); u != nil && u.company != none && rd.x.comps[u.company].alive {
		return rd.x.comps[u.company].id
	}
	return ""
}
