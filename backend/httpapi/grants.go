package httpapi

import (
	"net/http"
	"time"

	"gatehouse/backend/grants"
	"gatehouse/backend/identity"
)

// Extra grants: something given to one person beyond their role, optionally until a date
// (backend/grants decides who may give what: no more than one's own role).

type grantJSON struct {
	ID               string     `json:"id"`
	UserID           string     `json:"userId"`
	UserName         string     `json:"userName"`
	Kind             string     `json:"kind"`
	Permission       string     `json:"permission"`
	Scope            string     `json:"scope"`
	RoleID           string     `json:"roleId"`
	RoleName         string     `json:"roleName"`
	PreviousRoleID   string     `json:"previousRoleId"`
	PreviousRoleName string     `json:"previousRoleName"`
	TargetID         string     `json:"targetId"`
	TargetName       string     `json:"targetName"`
	Level            string     `json:"level"`
	Note             string     `json:"note"`
	GivenByID        string     `json:"givenById"`
	GivenByName      string     `json:"givenByName"`
	CreatedAt        time.Time  `json:"createdAt"`
	Until            *time.Time `json:"until"`
	EndedAt          *time.Time `json:"endedAt"`
	EndedHow         string     `json:"endedHow"`
	CanRevoke        bool       `json:"canRevoke"`
	// Held: past its end and kept, because ending it would leave no active Admin.
	Held bool `json:"held"`
}

type grantListJSON struct {
	Items []grantJSON `json:"items"`
}

type giveGrantJSON struct {
	Kind       string     `json:"kind"`
	Permission string     `json:"permission"`
	Scope      string     `json:"scope"`
	RoleID     string     `json:"roleId"`
	TargetID   string     `json:"targetId"`
	Level      string     `json:"level"`
	Until      *time.Time `json:"until"`
	Note       string     `json:"note"`
}

func (a *API) grantOut(r *http.Request, p *identity.Principal, g *grants.Grant) grantJSON {
	s := a.cfg.Grants.Show(r.Context(), p.Actor, g)
	return grantJSON{ID: g.ID, UserID: g.UserID, UserName: s.UserName, Kind: g.Kind, Permission: g.Permission, Scope: g.Scope,
		RoleID: g.RoleID, RoleName: s.RoleName, PreviousRoleID: g.PreviousRoleID, PreviousRoleName: s.PreviousRoleName,
		TargetID: g.TargetID, TargetName: s.TargetName, Level: g.Level, Note: g.Note, GivenByID: g.GivenBy, GivenByName: g.GivenByName,
		CreatedAt: g.CreatedAt, Until: g.Until, EndedAt: g.EndedAt, EndedHow: g.EndedHow, CanRevoke: s.CanRevoke, Held: a.cfg.Grants.Held(g)}
}

func (a *API) grantList(w http.ResponseWriter, r *http.Request, p *identity.Principal, userID string) error {
	gs, err := a.cfg.Grants.List(r.Context(), p.Actor, userID)
	if err != nil {
		return err
	}
	out := grantListJSON{Items: make([]grantJSON, 0, len(gs))}
	for _, g := range gs {
		out.Items = append(out.Items, a.grantOut(r, p, g))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) listGrants(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	return a.grantList(w, r, p, "")
}

func (a *API) listUserGrants(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	return a.grantList(w, r, p, r.PathValue("id"))
}

func (a *API) giveGrant(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req giveGrantJSON
	if err := decode(r, &req); err != nil {
		return err
	}
	g, err := a.cfg.Grants.Give(r.Context(), p.Actor, grants.GiveRequest{UserID: r.PathValue("id"), Kind: req.Kind, Permission: req.Permission,
		Scope: req.Scope, RoleID: req.RoleID, TargetID: req.TargetID, Level: req.Level, Until: req.Until, Note: req.Note})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a.grantOut(r, p, g))
}

func (a *API) revokeGrant(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	g, err := a.cfg.Grants.Revoke(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.grantOut(r, p, g))
}
