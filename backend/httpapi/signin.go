package httpapi

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/identity"
)

// Settings → Sign-in, Google sign-in (the browser flow of serve and the loopback flow of
// the window), remembered sessions of the window, and linked identities.

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

func (a *API) signInSettingsJSON(r *http.Request, s *identity.SignInSettings) signInSettingsJSON {
	return signInSettingsJSON{GoogleClientID: s.GoogleClientID, GoogleClientSecretSet: s.GoogleClientSecretSet,
		GoogleIssuer: s.GoogleIssuer, HostedDomain: s.HostedDomain, AllowRegistrations: s.AllowRegistrations,
		LinkByEmail: s.LinkByEmail, DefaultRoleID: s.DefaultRoleID, SecretsWarning: a.sayAny(r, a.cfg.Google.SecretsWarning())}
}

func (a *API) getSignInSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	s, err := a.cfg.Google.Settings(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.signInSettingsJSON(r, s))
}

type signInSettingsRequest struct {
	GoogleClientID     *string `json:"googleClientId"`
	GoogleClientSecret *string `json:"googleClientSecret"`
	GoogleIssuer       *string `json:"googleIssuer"`
	HostedDomain       *string `json:"hostedDomain"`
	AllowRegistrations *bool   `json:"allowRegistrations"`
	LinkByEmail        *bool   `json:"linkByEmail"`
	DefaultRoleID      *string `json:"defaultRoleId"`
}

func (a *API) putSignInSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req signInSettingsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	s, err := a.cfg.Google.UpdateSettings(r.Context(), p.Actor, identity.SignInSettingsRequest(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.signInSettingsJSON(r, s))
}

// ---- the browser flow (serve) ---------------------------------------------------------------

// flowCookie ties a browser sign-in's callback and outcome to the browser that started it,
// so a callback URL or result code sent to someone else cannot sign them in as its author
// (login CSRF). Sessions themselves never use cookies.
const flowCookie = "gatehouse_google_flow"

const flowCookiePath = "/api/auth/google/"

// pageResult sends the browser back to the app with a one-time code for the outcome.
func (a *API) pageResult(w http.ResponseWriter, r *http.Request, key string) error {
	http.Redirect(w, r, "/#/auth/google?result="+url.QueryEscape(key), http.StatusFound)
	return nil
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

func (a *API) startGoogle(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	if a.cfg.InProcess {
		// In the window the provider's page opens in the system browser, never here.
		return apperr.NotFoundf("In the Gatehouse window, Google sign-in opens in your web browser: use the window's “Sign in with Google” button.")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	redirect := scheme + "://" + r.Host + "/api/auth/google/callback"
	binding, err := identity.NewFlowBinding()
	if err != nil {
		return err
	}
	// The cookie lives as long as the sign-in may take plus the time to pick up its outcome.
	a.setFlowCookie(w, r, binding, int((identity.FlowLifetime+2*time.Minute)/time.Second))
	authURL, err := a.cfg.Google.StartBrowser(r.Context(), redirect, binding, a.address(r))
	if err != nil {
		key, serr := a.cfg.Google.StoreFailure(err, binding, a.address(r))
		if serr != nil {
			return serr
		}
		return a.pageResult(w, r, key)
	}
	http.Redirect(w, r, authURL, http.StatusFound)
	return nil
}

func (a *API) googleCallback(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	if a.cfg.InProcess {
		return apperr.NotFoundf("Not found.")
	}
	q := r.URL.Query()
	key, err := a.cfg.Google.CallbackBrowser(r.Context(), q.Get("state"), q.Get("code"), q.Get("error"), flowBinding(r), a.address(r))
	if err != nil {
		return err
	}
	return a.pageResult(w, r, key)
}

type googleResultRequest struct {
	Result string `json:"result"`
}

func (a *API) googleResult(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	var req googleResultRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	s, err := a.cfg.Google.TakeResult(req.Result, flowBinding(r))
	if err != nil {
		return err
	}
	a.setFlowCookie(w, r, "", -1)
	return writeJSON(w, http.StatusCreated, toSessionJSON(s))
}

// ---- the window's loopback flow -----------------------------------------------------------

type desktopStartJSON struct {
	ID        string    `json:"id"`
	ExpiresAt time.Time `json:"expiresAt"`
}

func (a *API) startGoogleDesktop(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	if !a.cfg.InProcess {
		return errWindowOnly
	}
	start, err := a.cfg.Google.StartDesktop(r.Context(), a.cfg.OpenBrowser)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, desktopStartJSON{ID: start.ID, ExpiresAt: start.ExpiresAt.UTC()})
}

type desktopPollJSON struct {
	Status  string       `json:"status"`
	Session *sessionJSON `json:"session,omitempty"`
}

func (a *API) pollGoogleDesktop(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	if !a.cfg.InProcess {
		return errWindowOnly
	}
	s, err := a.cfg.Google.DesktopResult(r.PathValue("id"))
	if errors.Is(err, identity.ErrDesktopPending) {
		return writeJSON(w, http.StatusOK, desktopPollJSON{Status: "pending"})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, desktopPollJSON{Status: "done", Session: new(toSessionJSON(s))})
}

func (a *API) cancelGoogleDesktop(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	if !a.cfg.InProcess {
		return errWindowOnly
	}
	if err := a.cfg.Google.CancelDesktop(r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}

// ---- remembered sessions (the window) ------------------------------------------------------

func (a *API) rememberSession(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if !a.cfg.InProcess {
		return errWindowOnly
	}
	if err := a.cfg.Remember.Enable(r.Context(), p); err != nil {
		return err
	}
	return noContent(w)
}

func (a *API) forgetSession(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if !a.cfg.InProcess {
		return errWindowOnly
	}
	if err := a.cfg.Remember.Forget(r.Context(), p.Actor.UserID); err != nil {
		return err
	}
	return noContent(w)
}

func (a *API) resumeSession(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	if !a.cfg.InProcess {
		return errWindowOnly
	}
	s, err := a.cfg.Remember.Resume(r.Context(), a.address(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toSessionJSON(s))
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

type identitiesJSON struct {
	Items []identityJSON `json:"items"`
}

func toIdentitiesJSON(l []*identity.Identity) identitiesJSON {
	return identitiesJSON{Items: each(l, func(id *identity.Identity) identityJSON {
		return identityJSON{ID: id.ID, Provider: id.Provider, Issuer: id.Issuer, Email: id.Email, LinkedVia: id.LinkedVia,
			CreatedAt: id.CreatedAt.UTC(), LastUsedAt: id.LastUsedAt}
	})}
}

func (a *API) listMyIdentities(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	l, err := a.cfg.Google.Identities(r.Context(), p.Actor, p.Actor.UserID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toIdentitiesJSON(l))
}

func (a *API) listUserIdentities(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	l, err := a.cfg.Google.Identities(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toIdentitiesJSON(l))
}

func (a *API) unlinkIdentity(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Google.Unlink(r.Context(), p.Actor, r.PathValue("id"), r.PathValue("identityId")); err != nil {
		return err
	}
	return noContent(w)
}
