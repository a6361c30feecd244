package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/identity"
	"gatehouse/backend/users"
)

func (a *API) listUsers(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	q := r.URL.Query()
	req := users.ListRequest{Query: q.Get("q"), RoleID: q.Get("roleId"), Kind: q.Get("kind"), Status: q.Get("status"),
		Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	switch q.Get("withoutProjects") {
	case "", "false":
	case "true":
		req.WithoutProjects = true
	default:
		a.fail(w, r, apperr.Field("withoutProjects", "withoutProjects is true or false."))
		return
	}
	switch q.Get("order") {
	case "", "asc":
	case "desc":
		req.Desc = true
	default:
		a.fail(w, r, apperr.Field("order", "Order is asc or desc."))
		return
	}
	var err error
	if req.Limit, err = queryInt(q.Get("limit"), "limit"); err != nil {
		a.fail(w, r, err)
		return
	}
	page, err := a.cfg.Users.List(r.Context(), p.Actor, req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]userJSON, len(page.Users))
	for i, u := range page.Users {
		items[i] = toUserJSON(u)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nullable(page.Next), "total": page.Total})
}

func queryInt(s, field string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, apperr.Field(field, "%s must be a whole number of at least 1.", field)
	}
	return n, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var req struct {
		Name, Email, RoleID, Password string
		Generate                      bool
	}
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	u, generated, err := a.cfg.Users.Create(r.Context(), p.Actor, users.CreateRequest{Name: req.Name, Email: req.Email,
		RoleID: req.RoleID, Password: req.Password, Generate: req.Generate})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := struct {
		userJSON
		GeneratedPassword string `json:"generatedPassword,omitempty"`
	}{toUserJSON(u), generated}
	writeJSON(w, http.StatusCreated, out)
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	u, err := a.cfg.Users.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toUserJSON(u))
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var req struct {
		Name   *string `json:"name"`
		Email  *string `json:"email"`
		RoleID *string `json:"roleId"`
	}
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	u, err := a.cfg.Users.Update(r.Context(), p.Actor, r.PathValue("id"), users.UpdateRequest{Name: req.Name, Email: req.Email, RoleID: req.RoleID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toUserJSON(u))
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if err := a.cfg.Users.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) deactivateUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	u, err := a.cfg.Users.Deactivate(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toUserJSON(u))
}

func (a *API) reactivateUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	u, err := a.cfg.Users.Reactivate(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toUserJSON(u))
}

func (a *API) resetUserPassword(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var req struct {
		Password string `json:"password"`
		Generate bool   `json:"generate"`
	}
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	generated, err := a.cfg.Users.ResetPassword(r.Context(), p.Actor, r.PathValue("id"), req.Password, req.Generate)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := map[string]any{}
	if generated != "" {
		out["generatedPassword"] = generated
	}
	writeJSON(w, http.StatusOK, out)
}

type auditJSON struct {
	ID         string         `json:"id"`
	At         time.Time      `json:"at"`
	Action     string         `json:"action"`
	ActorID    string         `json:"actorId"`
	ActorName  string         `json:"actorName"`
	TargetType string         `json:"targetType"`
	TargetID   string         `json:"targetId"`
	TargetName string         `json:"targetName"`
	Address    string         `json:"address,omitempty"`
	Details    map[string]any `json:"details"`
}

func (a *API) listAudit(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	page, err := a.cfg.Audit.List(r.Context(), p.Actor, audit.ListRequest{Action: q.Get("action"), ActorID: q.Get("actorId"),
		TargetID: q.Get("targetId"), Query: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items := make([]auditJSON, len(page.Entries))
	for i, e := range page.Entries {
		d := e.Details
		if d == nil {
			d = map[string]any{}
		}
		items[i] = auditJSON{ID: strconv.FormatInt(e.ID, 10), At: e.At.UTC(), Action: e.Action, ActorID: e.ActorID, ActorName: e.ActorName,
			TargetType: e.TargetType, TargetID: e.TargetID, TargetName: e.TargetName, Address: e.Address, Details: d}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "next": nullable(page.Next)})
}
