package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/identity"
	"gatehouse/backend/store"
)

// Settings → Sign-in, Google sign-in (the browser flow of serve and the loopback flow of
// the window), remembered sessions of the window, and linked identities.

// addSignInStatus adds to /api/status what the sign-in screen needs: whether this is the
// window, whether Google sign-in is set up, and the secret store's warning, if any.
func (a *API) addSignInStatus(ctx context.Context, status map[string]any) error {
	status["window"] = a.cfg.InProcess
	google, err := a.cfg.Google.Configured(ctx)
	if err != nil {
		return err
	}
	status["googleSignIn"] = google
	if warn := a.cfg.Google.SecretsWarning(); warn != "" {
		status["secretsWarning"] = warn
	}
	return nil
}

// forgetRemembered ends the window's remembered sign-in when its user signs out there.
func (a *API) forgetRemembered(ctx context.Context, p *identity.Principal) error {
	if !a.cfg.InProcess {
		return nil
	}
	return a.cfg.Remember.Forget(ctx, p.Actor.UserID)
}

var errWindowOnly = apperr.NotFoundf("This is only available in the Gatehouse window.")

// ---- settings ------------------------------------------------------------------------------

type signInSettingsJSON struct {
	GoogleClientID        string `json:"googleClientId"`
	GoogleClientSecretSet bool   `json:"googleClientSecretSet"`
	GoogleIssuer          string `json:"googleIssuer"`
	HostedDomain          string `json:"hostedDomain"`
	AllowRegistrations    bool   `json:"allowRegistrations"`
	LinkByEmail           bool   `json:"linkByEmail"`
	DefaultRoleID         string `json:"defaultRoleId"`
	SecretsWarning        string `json:"secretsWarning,omitempty"`
}

func (a *API) signInSettingsJSON(s *identity.SignInSettings) signInSettingsJSON {
	return signInSettingsJSON{GoogleClientID: s.GoogleClientID, GoogleClientSecretSet: s.GoogleClientSecretSet,
		GoogleIssuer: s.GoogleIssuer, HostedDomain: s.HostedDomain, AllowRegistrations: s.AllowRegistrations,
		LinkByEmail: s.LinkByEmail, DefaultRoleID: s.DefaultRoleID, SecretsWarning: a.cfg.Google.SecretsWarning()}
}

func (a *API) getSignInSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	s, err := a.cfg.Google.Settings(r.Context(), p.Actor)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.signInSettingsJSON(s))
}

func (a *API) putSignInSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	var req struct {
		GoogleClientID     *string `json:"googleClientId"`
		GoogleClientSecret *string `json:"googleClientSecret"`
		GoogleIssuer       *string `json:"googleIssuer"`
		HostedDomain       *string `json:"hostedDomain"`
		AllowRegistrations *bool   `json:"allowRegistrations"`
		LinkByEmail        *bool   `json:"linkByEmail"`
		DefaultRoleID      *string `json:"defaultRoleId"`
	}
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	s, err := a.cfg.Google.UpdateSettings(r.Context(), p.Actor, identity.SignInSettingsRequest(req))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.signInSettingsJSON(s))
}

// ---- the browser flow (serve) ---------------------------------------------------------------

// flowCookie ties a browser sign-in's callback to the browser that started it, so a
// callback URL sent to someone else cannot sign them in as its author (login CSRF).
// Sessions themselves never use cookies.
const flowCookie = "gatehouse_google_flow"

const flowCookiePath = "/api/auth/google/"

// pageResult sends the browser back to the app with a one-time code for the outcome.
func (a *API) pageResult(w http.ResponseWriter, r *http.Request, key string) {
	http.Redirect(w, r, "/#/auth/google?result="+url.QueryEscape(key), http.StatusFound)
}

func (a *API) setFlowCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: value, Path: flowCookiePath, MaxAge: maxAge,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func flowBinding(r *http.Request) string {
	if c, err := r.Cookie(flowCookie); err == nil {
		return c.Value
	}
	return ""
}

func (a *API) startGoogle(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	if a.cfg.InProcess {
		// In the window the provider's page opens in the system browser, never here.
		a.fail(w, r, apperr.NotFoundf("In the Gatehouse window, Google sign-in opens in your web browser: use the window's “Sign in with Google” button."))
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	redirect := scheme + "://" + r.Host + "/api/auth/google/callback"
	binding, err := identity.NewFlowBinding()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// The cookie ties the callback and the outcome to this browser (login CSRF); it lives
	// as long as the sign-in may take plus the time to pick up its outcome.
	a.setFlowCookie(w, r, binding, int((identity.FlowLifetime+2*time.Minute)/time.Second))
	authURL, err := a.cfg.Google.StartBrowser(r.Context(), redirect, binding, a.address(r))
	if err != nil {
		key, serr := a.cfg.Google.StoreFailure(err, binding, a.address(r))
		if serr != nil {
			a.fail(w, r, serr)
			return
		}
		a.pageResult(w, r, key)
		return
	}
	http.Redirect(w, r, authURL, http.StatusFound)
}

func (a *API) googleCallback(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	if a.cfg.InProcess {
		a.fail(w, r, apperr.NotFoundf("Not found."))
		return
	}
	q := r.URL.Query()
	key, err := a.cfg.Google.CallbackBrowser(r.Context(), q.Get("state"), q.Get("code"), q.Get("error"), flowBinding(r), a.address(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.pageResult(w, r, key)
}

func (a *API) googleResult(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	var req struct {
		Result string `json:"result"`
	}
	if !a.decodeOrFail(w, r, &req) {
		return
	}
	s, err := a.cfg.Google.TakeResult(req.Result, flowBinding(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.setFlowCookie(w, r, "", -1)
	writeJSON(w, http.StatusCreated, map[string]any{"token": s.Token, "user": toUserJSON(s.User)})
}

// ---- the window's loopback flow -----------------------------------------------------------

func (a *API) startGoogleDesktop(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	if !a.cfg.InProcess {
		a.fail(w, r, errWindowOnly)
		return
	}
	start, err := a.cfg.Google.StartDesktop(r.Context(), a.cfg.OpenBrowser)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": start.ID, "expiresAt": start.ExpiresAt.UTC()})
}

func (a *API) pollGoogleDesktop(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	if !a.cfg.InProcess {
		a.fail(w, r, errWindowOnly)
		return
	}
	s, err := a.cfg.Google.DesktopResult(r.PathValue("id"))
	if errors.Is(err, identity.ErrDesktopPending) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "pending"})
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "done", "session": map[string]any{"token": s.Token, "user": toUserJSON(s.User)}})
}

func (a *API) cancelGoogleDesktop(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	if !a.cfg.InProcess {
		a.fail(w, r, errWindowOnly)
		return
	}
	if err := a.cfg.Google.CancelDesktop(r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ---- remembered sessions (the window) ------------------------------------------------------

func (a *API) rememberSession(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if !a.cfg.InProcess {
		a.fail(w, r, errWindowOnly)
		return
	}
	if err := a.cfg.Remember.Enable(r.Context(), p); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) forgetSession(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if !a.cfg.InProcess {
		a.fail(w, r, errWindowOnly)
		return
	}
	if err := a.cfg.Remember.Forget(r.Context(), p.Actor.UserID); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) resumeSession(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	if !a.cfg.InProcess {
		a.fail(w, r, errWindowOnly)
		return
	}
	s, err := a.cfg.Remember.Resume(r.Context(), a.address(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": s.Token, "user": toUserJSON(s.User)})
}

// ---- linked identities -------------------------------------------------------------------

type identityJSON struct {
	ID         string     `json:"id"`
	Provider   string     `json:"provider"`
	Issuer     string     `json:"issuer"`
	Email      string     `json:"email"`
	LinkedVia  string     `json:"linkedVia"`
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt"`
}

func identitiesJSON(list []*store.Identity) map[string]any {
	items := make([]identityJSON, len(list))
	for i, id := range list {
		items[i] = identityJSON{ID: id.ID, Provider: id.Provider, Issuer: id.Issuer, Email: id.Email, LinkedVia: id.LinkedVia,
			CreatedAt: id.CreatedAt.UTC(), LastUsedAt: id.LastUsedAt}
	}
	return map[string]any{"items": items}
}

func (a *API) listMyIdentities(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	list, err := a.cfg.Google.Identities(r.Context(), p.Actor, p.Actor.UserID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, identitiesJSON(list))
}

func (a *API) listUserIdentities(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	list, err := a.cfg.Google.Identities(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, identitiesJSON(list))
}

func (a *API) unlinkIdentity(w http.ResponseWriter, r *http.Request, p *identity.Principal) {
	if err := a.cfg.Google.Unlink(r.Context(), p.Actor, r.PathValue("id"), r.PathValue("identityId")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
