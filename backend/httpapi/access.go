package httpapi

import (
	"net/http"

	"gatehouse/backend/access"
	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
)

// Who can see what, and why; view-as.

type accessEntryJSON struct {
	UserID   string       `json:"userId"`
	Name     string       `json:"name"`
	RoleName string       `json:"roleName"`
	Paths    []authz.Path `json:"paths"`
}

func (a *API) access(resType string) handler {
	return func(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
		l, err := a.cfg.Access.Access(r.Context(), p.Actor, resType, r.PathValue("id"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, list[accessEntryJSON]{Items: each(l, func(e access.Entry) accessEntryJSON {
			return accessEntryJSON{UserID: e.UserID, Name: e.Name, RoleName: e.RoleName, Paths: e.Paths}
		})})
	}
}

func (a *API) explainAccess(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	q := r.URL.Query()
	ex, err := a.cfg.Access.Explain(p.Actor, q.Get("userId"), q.Get("action"), q.Get("resourceType"), q.Get("resourceId"))
	if err != nil {
		return err
	}
	out := explanationJSON{Allowed: ex.Allowed, Paths: ex.Paths}
	if !ex.Missing.IsZero() {
		out.Missing = a.say(r, ex.Missing)
	}
	return writeJSON(w, http.StatusOK, out)
}

type explanationJSON struct {
	Allowed bool         `json:"allowed"`
	Paths   []authz.Path `json:"paths"`
	Missing string       `json:"missing,omitempty"`
}

type viewAsRequest struct {
	UserID string `json:"userId"`
}

func (a *API) startViewAs(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req viewAsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Access.StartViewAs(r.Context(), p.Actor, p.SessionID, req.UserID); err != nil {
		return err
	}
	return noContent(w)
}
