package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/users"
)

// The session's own resources: status, setup, sign-in and out, me, my password.

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
	// TwoFactor: the person signs in with a second factor.
	TwoFactor bool `json:"twoFactor"`
	// CompanyID and CompanyName: a portal account's client company.
	CompanyID   string `json:"companyId,omitempty"`
	CompanyName string `json:"companyName,omitempty"`
	// HourRate is a team member's hour rate in minor units: present only to those who may
	// see it (rates.view), and then null when not set.
	HourRate *rate `json:"hourRate,omitempty"`
	// Actions is what the asker may do to this account (absent on one's own session).
	Actions []string `json:"actions,omitempty"`
}

// rate is an amount shown to someone who may see it; Set false: not set (null).
type rate struct {
	V   int64
	Set bool
}

func (r *rate) MarshalJSON() ([]byte, error) {
	if !r.Set {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatInt(r.V, 10)), nil
}

func shown(v *int64) *rate {
	if v == nil {
		return &rate{}
	}
	return &rate{V: *v, Set: true}
}

func toUserJSON(u *users.User) userJSON {
	return userJSON{ID: u.ID, Name: u.Name, Email: u.Email, RoleID: u.RoleID, RoleName: u.RoleName, RoleKind: u.RoleKind,
		Status: u.Status, MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt.UTC(), LastSignInAt: u.LastSignInAt,
		CompanyID: u.CompanyID, CompanyName: u.CompanyName, TwoFactor: u.TwoFactor}
}

type statusJSON struct {
	SetupRequired  bool   `json:"setupRequired"`
	Version        string `json:"version"`
	Window         bool   `json:"window"`
	GoogleSignIn   bool   `json:"googleSignIn"`
	SecretsWarning string `json:"secretsWarning,omitempty"`
	// Organisation: its name, logo, colour, time zone and formats, for every screen (the
	// sign-in screen's too).
	Organisation organisationJSON `json:"organisation"`
	// PasswordMinLength is the security policy's minimum, for forms' own checks
	// (setting a password from a link happens signed out).
	PasswordMinLength int `json:"passwordMinLength"`
}

func (a *API) getStatus(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	need, err := a.cfg.Identity.SetupRequired(r.Context())
	if err != nil {
		return err
	}
	google, err := a.cfg.Google.Configured(r.Context())
	if err != nil {
		return err
	}
	org, err := a.cfg.Organisation.Public(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, statusJSON{SetupRequired: need, Version: a.cfg.Version, Window: a.cfg.InProcess,
		GoogleSignIn: google, SecretsWarning: a.sayAny(r, a.cfg.Google.SecretsWarning()), Organisation: toOrganisationJSON(org),
		PasswordMinLength: a.cfg.Identity.MinPasswordLength()})
}

type ownerRequest struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (a *API) setup(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	if !a.local(r) {
		return apperr.New(apperr.Forbidden, "setup_not_local",
			"The owner account can only be created on the computer running Gatehouse (open it at 127.0.0.1).")
	}
	var req ownerRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	u, err := a.cfg.Identity.Setup(r.Context(), identity.OwnerRequest(req), a.address(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toUserJSON(u))
}

type signInRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type sessionJSON struct {
	Token string   `json:"token"`
	User  userJSON `json:"user"`
	// RecoveryCodesLeft: a recovery code opened the session; this many remain.
	RecoveryCodesLeft *int `json:"recoveryCodesLeft,omitempty"`
}

func toSessionJSON(s *identity.Session) sessionJSON {
	return sessionJSON{Token: s.Token, User: toUserJSON(s.User), RecoveryCodesLeft: s.RecoveryCodesLeft}
}

func (a *API) signIn(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	var req signInRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	s, err := a.cfg.Identity.SignIn(r.Context(), req.Email, req.Password, a.address(r))
	if err != nil {
		return err
	}
	if s.Challenge != nil {
		// The password is right; the second factor is still to come (nothing about the
		// account is told before it).
		return writeJSON(w, http.StatusOK, challengeJSON{TwoFactorRequired: true, Challenge: s.Challenge.Token, ExpiresAt: s.Challenge.ExpiresAt.UTC()})
	}
	return writeJSON(w, http.StatusCreated, toSessionJSON(s))
}

func (a *API) signOut(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Identity.SignOut(r.Context(), p); err != nil {
		return err
	}
	// In the window, signing out also ends "keep me signed in".
	if a.cfg.InProcess {
		if err := a.cfg.Remember.Forget(r.Context(), p.Actor.UserID); err != nil {
			return err
		}
	}
	return noContent(w)
}

type meJSON struct {
	User        userJSON      `json:"user"`
	Role        meRoleJSON    `json:"role"`
	Permissions []authz.Grant `json:"permissions"`
	// Nav is the pages of the app of use to this person, in menu order.
	Nav []authz.Nav `json:"nav"`
	// EmailConfigured: welcome, reset and notification mails are sent.
	EmailConfigured bool `json:"emailConfigured"`
	// Currency is the organisation's currency, in whose minor units amounts are given.
	Currency string `json:"currency"`
	// Language is the language this person reads Gatehouse in: their own choice
	// (LanguageChoice, "" for none), else the organisation's default.
	Language       string `json:"language"`
	LanguageChoice string `json:"languageChoice"`
	// TwoFactorSetupRequired: this session must set up a second factor before anything
	// else (the security policy asks it of the person's role).
	TwoFactorSetupRequired bool `json:"twoFactorSetupRequired"`
}

type meRoleJSON struct {
	ID   string     `json:"id"`
	Name string     `json:"name"`
	Kind authz.Kind `json:"kind"`
}

func (a *API) getMe(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	role, err := a.cfg.Authz.Permissions(p.Actor)
	if err != nil {
		return err
	}
	nav, err := a.cfg.Authz.Navigation(p.Actor)
	if err != nil {
		return err
	}
	nav = a.reviewNav(r.Context(), p.Actor, nav)
	u, err := a.cfg.Identity.User(r.Context(), p)
	if err != nil {
		return err
	}
	perms := role.Grants
	if perms == nil {
		perms = []authz.Grant{}
	}
	emailOn, err := a.cfg.Mail.Configured(r.Context())
	if err != nil {
		return err
	}
	currency, err := a.cfg.Costs.Currency(r.Context())
	if err != nil {
		return err
	}
	lang, own, err := a.cfg.Organisation.Language(r.Context(), p.Actor.UserID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, meJSON{User: toUserJSON(u), Role: meRoleJSON{ID: role.ID, Name: role.Name, Kind: role.Kind},
		Permissions: perms, Nav: nav, EmailConfigured: emailOn, Currency: currency, Language: lang, LanguageChoice: own,
		TwoFactorSetupRequired: p.MustEnrolTwoFactor})
}

// putMyLanguage sets the language one reads Gatehouse in ("" follows the organisation's).
func (a *API) putMyLanguage(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Language string `json:"language"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Organisation.SetLanguage(r.Context(), p.Actor, req.Language); err != nil {
		return err
	}
	return a.getMe(w, r, p)
}

type passwordChangeRequest struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

func (a *API) changeMyPassword(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req passwordChangeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Identity.ChangePassword(r.Context(), p, req.Current, req.New, a.address(r)); err != nil {
		return err
	}
	return noContent(w)
}
