package httpapi

import (
	"net/http"

	"gatehouse/backend/apperr"
	"gatehouse/backend/identity"
	"gatehouse/backend/tasks"
	"gatehouse/backend/users"
)

// User accounts, their passwords and their task rules.

// withActions is an account as the asker sees it: with what they may do to it.
func (a *API) withActions(p *identity.Principal, u *users.User) userJSON {
	out := toUserJSON(u)
	out.Actions = a.cfg.Users.Actions(p.Actor, u.ID)
	return out
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	q := r.URL.Query()
	req := users.ListRequest{Query: q.Get("q"), RoleID: q.Get("roleId"), Kind: q.Get("kind"), Status: q.Get("status"),
		Sort: q.Get("sort"), Cursor: q.Get("cursor")}
	var err error
	if req.WithoutProjects, err = queryBool(q.Get("withoutProjects"), "withoutProjects"); err != nil {
		return err
	}
	switch q.Get("order") {
	case "", "asc":
	case "desc":
		req.Desc = true
	default:
		return apperr.Field("order", "Order is asc or desc.")
	}
	if req.Limit, err = queryInt(q.Get("limit"), "limit"); err != nil {
		return err
	}
	pg, err := a.cfg.Users.List(r.Context(), p.Actor, req)
	if err != nil {
		return err
	}
	items := each(pg.Users, func(u *users.User) userJSON { return a.withActions(p, u) })
	return writeJSON(w, http.StatusOK, page[userJSON]{Items: items, Next: cursorOf(pg.Next), Total: pg.Total})
}

type userCreateRequest struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	RoleID   string `json:"roleId"`
	Password string `json:"password"`
	Generate bool   `json:"generate"`
}

type userWithPasswordJSON struct {
	userJSON
	GeneratedPassword string `json:"generatedPassword,omitempty"`
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req userCreateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u, generated, err := a.cfg.Users.Create(r.Context(), p.Actor, users.CreateRequest(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, userWithPasswordJSON{a.withActions(p, u), generated})
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	u, err := a.cfg.Users.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.withActions(p, u))
}

type userUpdateRequest struct {
	Name   *string `json:"name"`
	Email  *string `json:"email"`
	RoleID *string `json:"roleId"`
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req userUpdateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := a.cfg.Users.Update(r.Context(), p.Actor, r.PathValue("id"), users.UpdateRequest(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.withActions(p, u))
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Users.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}

func (a *API) deactivateUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	u, err := a.cfg.Users.Deactivate(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.withActions(p, u))
}

func (a *API) reactivateUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	u, err := a.cfg.Users.Reactivate(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.withActions(p, u))
}

type passwordResetRequest struct {
	Password string `json:"password"`
	Generate bool   `json:"generate"`
}

type passwordResetJSON struct {
	GeneratedPassword string `json:"generatedPassword,omitempty"`
}

func (a *API) resetUserPassword(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req passwordResetRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	generated, err := a.cfg.Users.ResetPassword(r.Context(), p.Actor, r.PathValue("id"), req.Password, req.Generate)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, passwordResetJSON{generated})
}

type taskRulesJSON struct {
	ReceiveFromOthers *bool `json:"receiveFromOthers"`
	OpenForOthers     *bool `json:"openForOthers"`
}

func rulesJSON(r tasks.Rules) taskRulesJSON {
	return taskRulesJSON{&r.ReceiveFromOthers, &r.OpenForOthers}
}

func (a *API) getTaskRules(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rules, err := a.cfg.Tasks.Rules(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rulesJSON(rules))
}

func (a *API) setTaskRules(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req taskRulesJSON
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.ReceiveFromOthers == nil || req.OpenForOthers == nil {
		return apperr.Field("receiveFromOthers", "Send both receiveFromOthers and openForOthers.")
	}
	rules, err := a.cfg.Tasks.SetRules(r.Context(), p.Actor, r.PathValue("id"), tasks.Rules{ReceiveFromOthers: *req.ReceiveFromOthers, OpenForOthers: *req.OpenForOthers})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rulesJSON(rules))
}
