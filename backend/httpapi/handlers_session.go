package httpapi

import (
	"net/http"
	"time"

	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/store"
)

type userJSON struct {
	ID                 string     `json:"id"`
	Name               string     `json:"name"`
	Email              string     `json:"email"`
	RoleID             string     `json:"roleId"`
	RoleName           string     `json:"roleName"`
	RoleKind           string     `json:"roleKind"`
	Status             string     `json:"status"`
	MustChangePassword bool       `json:"mustChangePassword"`
	CreatedAt          time.Time  `json:"createdAt"`
	LastSignInAt       *time.Time `json:"lastSignInAt"`
}

func toUserJSON(u *store.User) userJSON {
	return userJSON{ID: u.ID, Name: u.Name, Email: u.Email, RoleID: u.RoleID, RoleName: u.RoleName, RoleKind: u.RoleKind,
		Status: u.Status, MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt.UTC(), LastSignInAt: u.LastSignInAt}
}

func (a *API) getStatus(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	need, err := a.cfg.Identity.SetupRequired(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	status := map[string]any{"setupRequired": need, "version": a.cfg.Version}
	if err := a.addSignInStatus(r.Context(), status); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, status)
}

func (a *API) setup(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	if !a.local(r) {
		writeError(w, http.StatusForbidden, "setup_not_local",
			"The owner account can only be created on the computer running Gatehouse (open it at 127.0.0.1).", "")
		return
	}
	var req struct{ Name, Email, Password string }
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	u, err := a.cfg.Identity.CreateOwner(r.Context(), identity.OwnerRequest{Name: req.Name, Email: req.Email, Password: req.Password}, true, a.address(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toUserJSON(u))
}

func (a *API) signIn(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	var req struct{ Email, Password string }
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	s, err := a.cfg.Identity.SignIn(r.Context(), req.Email, req.Password, a.address(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": s.Token, "user": toUserJSON(s.User)})
}

func (a *API) signOut(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if err := a.cfg.Identity.SignOut(r.Context(), p); err != nil {
		a.fail(w, r, err)
		return
	}
	// In the window, signing out also ends "keep me signed in".
	if err := a.forgetRemembered(r.Context(), p); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) getMe(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	role, err := a.cfg.Authz.Permissions(p.Actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	u, err := a.cfg.Identity.User(r.Context(), p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	perms := role.Grants
	if perms == nil {
		perms = []authz.Grant{}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"user":        toUserJSON(u),
		"role":        map[string]any{"id": role.ID, "name": role.Name, "kind": role.Kind},
		"permissions": perms,
	})
}

func (a *API) changeMyPassword(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var req struct{ Current, New string }
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	if err := a.cfg.Identity.ChangePassword(r.Context(), p, req.Current, req.New, a.address(r)); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
