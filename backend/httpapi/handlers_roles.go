package httpapi

import (
	"net/http"

	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/roles"
)

type roleJSON struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Kind        authz.Kind    `json:"kind"`
	BuiltIn     bool          `json:"builtIn"`
	Description string        `json:"description"`
	Permissions []authz.Grant `json:"permissions"`
	UserCount   int           `json:"userCount"`
}

func toRoleJSON(r *roles.Role) roleJSON {
	perms := r.Grants
	if perms == nil {
		perms = []authz.Grant{}
	}
	return roleJSON{ID: r.ID, Name: r.Name, Kind: r.Kind, BuiltIn: r.BuiltIn, Description: r.Description, Permissions: perms, UserCount: r.UserCount}
}

func (a *API) listPermissions(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	areas, perms, err := a.cfg.Roles.Catalog(p.Actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	type permJSON struct {
		authz.Permission
		Scopes []authz.Scope `json:"scopes"`
	}
	items := make([]permJSON, len(perms))
	for i, pm := range perms {
		items[i] = permJSON{Permission: pm, Scopes: append([]authz.Scope{}, pm.Scopes...)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"areas": areas, "items": items})
}

func (a *API) listRoleTemplates(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	ts, err := a.cfg.Roles.Templates(p.Actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ts})
}

func (a *API) listRoles(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	rs, err := a.cfg.Roles.List(r.Context(), p.Actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]roleJSON, len(rs))
	for i, role := range rs {
		items[i] = toRoleJSON(role)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nil})
}

func (a *API) getRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	role, err := a.cfg.Roles.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRoleJSON(role))
}

func (a *API) createRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var req struct {
		Name        string        `json:"name"`
		Description string        `json:"description"`
		Kind        authz.Kind    `json:"kind"`
		Permissions []authz.Grant `json:"permissions"`
	}
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	role, err := a.cfg.Roles.Create(r.Context(), p.Actor, roles.CreateRequest{Name: req.Name, Description: req.Description,
		Kind: req.Kind, Grants: req.Permissions}, "role.create")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toRoleJSON(role))
}

func (a *API) updateRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var req struct {
		Name        *string        `json:"name"`
		Description *string        `json:"description"`
		Kind        *authz.Kind    `json:"kind"`
		Permissions *[]authz.Grant `json:"permissions"`
	}
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	role, err := a.cfg.Roles.Update(r.Context(), p.Actor, r.PathValue("id"), roles.UpdateRequest{Name: req.Name,
		Description: req.Description, Kind: req.Kind, Grants: req.Permissions})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toRoleJSON(role))
}

func (a *API) deleteRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if err := a.cfg.Roles.Delete(r.Context(), p.Actor, r.PathValue("id"), r.URL.Query().Get("reassignTo")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) cloneRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var req struct {
		Name string `json:"name"`
	}
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	role, err := a.cfg.Roles.Clone(r.Context(), p.Actor, r.PathValue("id"), req.Name)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toRoleJSON(role))
}
