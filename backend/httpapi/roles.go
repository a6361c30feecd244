package httpapi

import (
	"net/http"

	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/roles"
)

// The permission catalog, role templates and roles.

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

type permissionJSON struct {
	authz.Permission
	Scopes []authz.Scope `json:"scopes"`
}

type catalogJSON struct {
	Areas []authz.Area     `json:"areas"`
	Items []permissionJSON `json:"items"`
}

func (a *API) listPermissions(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	areas, perms, err := a.cfg.Roles.Catalog(p.Actor)
	if err != nil {
		return err
	}
	items := each(perms, func(pm authz.Permission) permissionJSON {
		return permissionJSON{Permission: pm, Scopes: append([]authz.Scope{}, pm.Scopes...)}
	})
	return writeJSON(w, http.StatusOK, catalogJSON{Areas: areas, Items: items})
}

type templatesJSON struct {
	Items []authz.Template `json:"items"`
}

func (a *API) listRoleTemplates(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	ts, err := a.cfg.Roles.Templates(p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, templatesJSON{Items: ts})
}

func (a *API) listRoles(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rs, err := a.cfg.Roles.List(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[roleJSON]{Items: each(rs, toRoleJSON)})
}

func (a *API) getRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	role, err := a.cfg.Roles.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toRoleJSON(role))
}

type roleCreateRequest struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Kind        authz.Kind    `json:"kind"`
	Permissions []authz.Grant `json:"permissions"`
}

func (a *API) createRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req roleCreateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	role, err := a.cfg.Roles.Create(r.Context(), p.Actor, roles.CreateRequest{Name: req.Name, Description: req.Description,
		Kind: req.Kind, Grants: req.Permissions})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toRoleJSON(role))
}

type roleUpdateRequest struct {
	Name        *string        `json:"name"`
	Description *string        `json:"description"`
	Kind        *authz.Kind    `json:"kind"`
	Permissions *[]authz.Grant `json:"permissions"`
	// ExpectVersion: the what-if preview's version; refused (409 stale_preview) when
	// access changed since.
	ExpectVersion string `json:"expectVersion"`
}

func (a *API) updateRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req roleUpdateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	role, err := a.cfg.Roles.Update(r.Context(), p.Actor, r.PathValue("id"), roles.UpdateRequest{Name: req.Name,
		Description: req.Description, Kind: req.Kind, Grants: req.Permissions, ExpectVersion: req.ExpectVersion})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toRoleJSON(role))
}

func (a *API) deleteRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Roles.Delete(r.Context(), p.Actor, r.PathValue("id"), r.URL.Query().Get("reassignTo")); err != nil {
		return err
	}
	return noContent(w)
}

type roleCloneRequest struct {
	Name string `json:"name"`
}

func (a *API) cloneRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req roleCloneRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	role, err := a.cfg.Roles.Clone(r.Context(), p.Actor, r.PathValue("id"), req.Name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toRoleJSON(role))
}
