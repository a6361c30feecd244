package httpapi

import (
	"net/http"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/roles"
)

// What-if before saving: who would gain and who would lose what if a proposed change to
// access were saved, computed by the index's own decisions on a copy of it. The answer's
// version goes back with the save (expectVersion), which is refused if access changed.

type whatIfRoleJSON struct {
	ID          string        `json:"id"`
	Kind        *authz.Kind   `json:"kind"`
	Permissions []authz.Grant `json:"permissions"`
}

type whatIfUserJSON struct {
	ID     string `json:"id"`
	RoleID string `json:"roleId"`
}

type whatIfRequest struct {
	Role *whatIfRoleJSON `json:"role"`
	User *whatIfUserJSON `json:"user"`
}

type whatIfChangeJSON struct {
	UserID   string `json:"userId"`
	UserName string `json:"userName"`
	Type     string `json:"type"`
	ID       string `json:"id"`
	Name     string `json:"name"`
	Action   string `json:"action"`
	Gained   bool   `json:"gained"`
}

type whatIfJSON struct {
	Version   string             `json:"version"`
	Gained    int                `json:"gained"`
	Lost      int                `json:"lost"`
	People    int                `json:"people"`
	Truncated bool               `json:"truncated"`
	Changes   []whatIfChangeJSON `json:"changes"`
}

func (a *API) whatIf(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req whatIfRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	var prop roles.Proposal
	switch {
	case req.Role != nil && req.User == nil:
		if req.Role.ID == "" {
			return apperr.Field("role.id", "Say which role.")
		}
		prop = roles.Proposal{RoleID: req.Role.ID, Kind: req.Role.Kind, Grants: req.Role.Permissions}
	case req.User != nil && req.Role == nil:
		if req.User.ID == "" || req.User.RoleID == "" {
			return apperr.Field("user.roleId", "Say whose role changes, and to which.")
		}
		prop = roles.Proposal{UserID: req.User.ID, ToRole: req.User.RoleID}
	default:
		return apperr.Field("change", "Give one change to preview: a role's permissions, or a person's role.")
	}
	pv, err := a.cfg.Roles.WhatIf(r.Context(), p.Actor, prop)
	if err != nil {
		return err
	}
	out := whatIfJSON{Version: pv.Version, Gained: pv.Gained, Lost: pv.Lost, People: pv.People, Truncated: pv.Truncated,
		Changes: make([]whatIfChangeJSON, 0, len(pv.Changes))}
	for _, c := range pv.Changes {
		t := c.Type.String()
		if c.Type == authz.System {
			t = "permission"
		}
		out.Changes = append(out.Changes, whatIfChangeJSON{UserID: c.UserID, UserName: c.UserName, Type: t, ID: c.ID,
			Name: c.Name, Action: c.Action, Gained: c.Gained})
	}
	return writeJSON(w, http.StatusOK, out)
}
