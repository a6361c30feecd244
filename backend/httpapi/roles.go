package httpapi

import (
	"net/http"

	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/roles"
)

// The permission catalog, role templates and roles.

type roleJSON struct {
	ID                string        `json:"id"`
	Name              string        `json:"name"`
	Kind              authz.Kind    `json:"kind"`
	BuiltIn           bool          `json:"builtIn"`
	Description       string        `json:"description"`
	Permissions       []authz.Grant `json:"permissions"`
	AssignableRoleIDs []string      `json:"assignableRoleIds"`
	UserCount         int           `json:"userCount"`
	// MayGive and Actions are the asker's standing towards the role as something to give.
	MayGive bool     `json:"mayGive"`
	Actions []string `json:"actions"`
}

// roleJSONs shapes roles for the asker: with whether they may give each, and how.
func (a *API) roleJSONs(p *identity.Principal, rs ...*roles.Role) []roleJSON {
	givings := a.cfg.Roles.Givings(p.Actor, rs)
	return each(rs, func(r *roles.Role) roleJSON {
		perms := r.Grants
		if perms == nil {
			perms = []authz.Grant{}
		}
		assignable := r.Assignable
		if assignable == nil {
			assignable = []string{}
		}
		g := givings[r.ID]
		if g.Actions == nil {
			g.Actions = []string{}
		}
		return roleJSON{ID: r.ID, Name: r.Name, Kind: r.Kind, BuiltIn: r.BuiltIn, Description: r.Description, Permissions: perms,
			AssignableRoleIDs: assignable, UserCount: r.UserCount, MayGive: g.MayGive, Actions: g.Actions}
	})
}

type permissionJSON struct {
	authz.Permission
	Scopes []authz.Scope `json:"scopes"`
	// Kinds: the kinds of role that may hold it (so a picker for a client's role, or a
	// client's extra grant, offers only what the server accepts).
	Kinds []authz.Kind `json:"kinds"`
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
		kinds := []authz.Kind{}
		for _, k := range []authz.Kind{authz.KindInternal, authz.KindClient} {
			if pm.AllowedFor(k) {
				kinds = append(kinds, k)
			}
		}
		return permissionJSON{Permission: pm, Scopes: append([]authz.Scope{}, pm.Scopes...), Kinds: kinds}
	})
	return writeJSON(w, http.StatusOK, catalogJSON{Areas: areas, Items: items})
}

type templateJSON struct {
	Key               string        `json:"key"`
	Name              string        `json:"name"`
	Kind              authz.Kind    `json:"kind"`
	Description       string        `json:"description"`
	Source            string        `json:"source"`
	Permissions       []authz.Grant `json:"permissions"`
	AssignableRoleIDs []string      `json:"assignableRoleIds"`
}

type templatesJSON struct {
	Items []templateJSON `json:"items"`
}

func (a *API) listRoleTemplates(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	ts, err := a.cfg.Roles.Templates(p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, templatesJSON{Items: each(ts, func(t authz.Template) templateJSON {
		return templateJSON{Key: t.Key, Name: t.Name, Kind: t.Kind, Description: t.Description, Source: t.Source,
			Permissions: t.Grants, AssignableRoleIDs: append([]string{}, t.Assignable...)}
	})})
}

func (a *API) listRoles(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rs, err := a.cfg.Roles.List(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[roleJSON]{Items: a.roleJSONs(p, rs...)})
}

func (a *API) getRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	role, err := a.cfg.Roles.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.roleJSONs(p, role)[0])
}

type roleCreateRequest struct {
	Name              string        `json:"name"`
	Description       string        `json:"description"`
	Kind              authz.Kind    `json:"kind"`
	Permissions       []authz.Grant `json:"permissions"`
	AssignableRoleIDs []string      `json:"assignableRoleIds"`
}

func (a *API) createRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req roleCreateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	role, err := a.cfg.Roles.Create(r.Context(), p.Actor, roles.CreateRequest{Name: req.Name, Description: req.Description,
		Kind: req.Kind, Grants: req.Permissions, Assignable: req.AssignableRoleIDs})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a.roleJSONs(p, role)[0])
}

type roleUpdateRequest struct {
	Name              *string        `json:"name"`
	Description       *string        `json:"description"`
	Kind              *authz.Kind    `json:"kind"`
	Permissions       *[]authz.Grant `json:"permissions"`
	AssignableRoleIDs *[]string      `json:"assignableRoleIds"`
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
		Description: req.Description, Kind: req.Kind, Grants: req.Permissions, Assignable: req.AssignableRoleIDs, ExpectVersion: req.ExpectVersion})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.roleJSONs(p, role)[0])
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
	return writeJSON(w, http.StatusCreated, a.roleJSONs(p, role)[0])
}
