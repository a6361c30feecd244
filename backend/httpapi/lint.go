package httpapi

import (
	"net/http"

	"gatehouse/backend/identity"
	"gatehouse/backend/lint"
)

// Permission lint (roles.manage): what the best practices warn about, each finding with
// its fix and whether this reader may take it. The fixes are the existing endpoints.

type lintNamedJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type lintFixJSON struct {
	Action  string `json:"action"`
	UserID  string `json:"userId,omitempty"`
	RoleID  string `json:"roleId,omitempty"`
	GrantID string `json:"grantId,omitempty"`
	Allowed bool   `json:"allowed"`
}

type lintFindingJSON struct {
	Kind     string          `json:"kind"`
	Severity string          `json:"severity"`
	Message  string          `json:"message"`
	Users    []lintNamedJSON `json:"users"`
	Roles    []lintNamedJSON `json:"roles"`
	Fix      *lintFixJSON    `json:"fix"`
}

type lintJSON struct {
	Items []lintFindingJSON `json:"items"`
}

func lintNamed(ns []lint.Named) []lintNamedJSON {
	out := make([]lintNamedJSON, 0, len(ns))
	for _, n := range ns {
		out = append(out, lintNamedJSON{ID: n.ID, Name: n.Name})
	}
	return out
}

func (a *API) lint(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	fs, err := a.cfg.Lint.Findings(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	out := lintJSON{Items: make([]lintFindingJSON, 0, len(fs))}
	for _, f := range fs {
		j := lintFindingJSON{Kind: f.Kind, Severity: f.Severity, Message: a.say(r, f.Message), Users: lintNamed(f.Users), Roles: lintNamed(f.Roles)}
		if f.Fix != nil {
			j.Fix = &lintFixJSON{Action: f.Fix.Action, UserID: f.Fix.UserID, RoleID: f.Fix.RoleID, GrantID: f.Fix.GrantID, Allowed: f.Fix.Allowed}
		}
		out.Items = append(out.Items, j)
	}
	return writeJSON(w, http.StatusOK, out)
}
