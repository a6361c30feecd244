package authz

import "sort"

// Client engagement (activity.clients): a client account's sign-ins, the files it
// downloaded and the invoices it opened. The permission is unscoped and is the right to
// read exactly that, of every client (portal) account: it does not need users.view (the
// Director template reads client activity without managing people). One predicate,
// clientActivity, decides it for a check (ActivityClients on a user), for the list
// (ClientActivity) and for view-as (both people must hold it).

// clientActivity decides ActivityClients on client account uh (none: the collection):
// 403 without the permission, for either person when viewing as someone; 404 for anyone
// but a client account.
func (rd *Reader) clientActivity(v *view, uh handle) error {
	if !v.has(ActivityClients) || (v.also != nil && !v.also.has(ActivityClients)) {
		return forbidden(ActivityClients)
	}
	if uh == none {
		return nil
	}
	u := &rd.x.users[uh]
	if !u.alive || u.role < 0 || rd.x.roles[u.role].kind != KindClient {
		return hiddenUser
	}
	return nil
}

// ClientAccount is a client account whose engagement a reader sees, with its company when
// the reader sees that company too ("" otherwise).
type ClientAccount struct {
	ID, CompanyID string
}

// ClientActivityView is what of client engagement an actor may read.
type ClientActivityView struct {
	Clients []ClientAccount // by id
	// WholeLog: the reader reads every client entry of the activity log (activity.team at
	// scope all with activity.clients; viewing as someone, both do), so every download and
	// invoice view counts, of things deleted since included. Otherwise only those of files
	// and invoices the reader sees now count: figures never tell of what one cannot see.
	WholeLog bool
	// Holds are the keys among those log entries may need that the reader holds (both,
	// viewing as someone): an invoice's entries need invoices.view.
	Holds []string
}

// ClientActivity returns the client accounts actor may read the engagement of (403
// without activity.clients). Viewed as someone, it is what both may read.
func (a *Authorizer) ClientActivity(actor Actor) (ClientActivityView, error) {
	var out ClientActivityView
	err := a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		if err := rd.clientActivity(&v, none); err != nil {
			return err
		}
		out.WholeLog = wholeLog(&v) && (v.also == nil || wholeLog(v.also))
		out.Holds = holdsOf(&v)
		for i := range rd.x.users {
			uh := handle(i)
			if rd.clientActivity(&v, uh) != nil {
				continue
			}
			c := ClientAccount{ID: rd.x.users[uh].id}
			if ch := rd.x.users[uh].company; ch != none && rd.seesCompany(&v, ch, nil) {
				c.CompanyID = rd.x.comps[ch].id
			}
			out.Clients = append(out.Clients, c)
		}
		sort.Slice(out.Clients, func(i, j int) bool { return out.Clients[i].ID < out.Clients[j].ID })
		return nil
	})
	return out, err
}

// wholeLog: v reads every entry of the activity log that involves clients.
func wholeLog(v *view) bool {
	return v.has(ActivityTeam) && v.scope(ActivityTeam) == ScopeAll && v.has(ActivityClients)
}
