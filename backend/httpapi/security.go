package httpapi

import (
	"net/http"
	"time"

	"gatehouse/backend/identity"
)

// Settings → Security, two-factor sign-in (the sign-in's second step, one's own second
// factor under My account, an administrator's reset).

// ---- Settings → Security -----------------------------------------------------------------

type roleOptionJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type securitySettingsJSON struct {
	MinPasswordLength    int              `json:"minPasswordLength"`
	IdleTimeoutMinutes   int              `json:"idleTimeoutMinutes"`
	SessionLifetimeHours int              `json:"sessionLifetimeHours"`
	ThrottleAccount      int              `json:"throttleAccount"`
	ThrottleAccountWide  int              `json:"throttleAccountWide"`
	ThrottleAddress      int              `json:"throttleAddress"`
	TwoFactorRoles       []string         `json:"twoFactorRoles"`
	Roles                []roleOptionJSON `json:"roles"`
	// 0: the activity log is kept for ever.
	ActivityRetentionDays int `json:"activityRetentionDays"`
}

func toSecuritySettingsJSON(s *identity.SecuritySettings) securitySettingsJSON {
	return securitySettingsJSON{MinPasswordLength: s.MinPasswordLength, IdleTimeoutMinutes: s.IdleTimeoutMinutes,
		SessionLifetimeHours: s.SessionLifetimeHours, ThrottleAccount: s.ThrottleAccount, ThrottleAccountWide: s.ThrottleAccountWide,
		ThrottleAddress: s.ThrottleAddress, TwoFactorRoles: s.TwoFactorRoles, ActivityRetentionDays: s.ActivityRetentionDays,
		Roles: each(s.Roles, func(r identity.RoleOption) roleOptionJSON { return roleOptionJSON(r) })}
}

func (a *API) getSecuritySettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	s, err := a.cfg.Identity.SecuritySettings(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSecuritySettingsJSON(s))
}

type securitySettingsRequest struct {
	MinPasswordLength     *int      `json:"minPasswordLength"`
	IdleTimeoutMinutes    *int      `json:"idleTimeoutMinutes"`
	SessionLifetimeHours  *int      `json:"sessionLifetimeHours"`
	ThrottleAccount       *int      `json:"throttleAccount"`
	ThrottleAccountWide   *int      `json:"throttleAccountWide"`
	ThrottleAddress       *int      `json:"throttleAddress"`
	TwoFactorRoles        *[]string `json:"twoFactorRoles"`
	ActivityRetentionDays *int      `json:"activityRetentionDays"`
}

func (a *API) putSecuritySettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req securitySettingsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	s, err := a.cfg.Identity.UpdateSecuritySettings(r.Context(), p.Actor, identity.SecurityRequest(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSecuritySettingsJSON(s))
}

// ---- the sign-in's second step -------------------------------------------------------------

type challengeJSON struct {
	TwoFactorRequired bool      `json:"twoFactorRequired"`
	Challenge         string    `json:"challenge"`
	ExpiresAt         time.Time `json:"expiresAt"`
}

type completeSignInRequest struct {
	Challenge string `json:"challenge"`
	Code      string `json:"code"`
}

func (a *API) completeSignIn(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	var req completeSignInRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	s, err := a.cfg.Identity.CompleteSignIn(r.Context(), req.Challenge, req.Code, a.address(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toSessionJSON(s))
}

// ---- one's own second factor -----------------------------------------------------------

type twoFactorStatusJSON struct {
	Enabled           bool       `json:"enabled"`
	EnabledAt         *time.Time `json:"enabledAt"`
	RecoveryCodesLeft int        `json:"recoveryCodesLeft"`
	Required          bool       `json:"required"`
}

func (a *API) getMyTwoFactor(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	s, err := a.cfg.Identity.TwoFactorStatus(r.Context(), p)
	if err != nil {
		return err
	}
	out := twoFactorStatusJSON{Enabled: s.Enabled, RecoveryCodesLeft: s.RecoveryCodesLeft, Required: s.Required}
	if s.EnabledAt != nil {
		t := s.EnabledAt.UTC()
		out.EnabledAt = &t
	}
	return writeJSON(w, http.StatusOK, out)
}

type enrolmentJSON struct {
	Secret     string `json:"secret"`
	OtpauthURI string `json:"otpauthUri"`
	QRCode     string `json:"qrCode"`
}

func (a *API) startEnrolment(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	e, err := a.cfg.Identity.StartEnrolment(r.Context(), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, enrolmentJSON{Secret: e.Secret, OtpauthURI: e.URI, QRCode: e.QRCode})
}

type codeRequest struct {
	Code string `json:"code"`
}

type recoveryCodesJSON struct {
	RecoveryCodes []string `json:"recoveryCodes"`
}

func (a *API) confirmEnrolment(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req codeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	codes, err := a.cfg.Identity.ConfirmEnrolment(r.Context(), p, req.Code, a.address(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, recoveryCodesJSON{RecoveryCodes: codes})
}

func (a *API) regenerateRecoveryCodes(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req codeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	codes, err := a.cfg.Identity.RegenerateRecoveryCodes(r.Context(), p, req.Code, a.address(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, recoveryCodesJSON{RecoveryCodes: codes})
}

func (a *API) disableMyTwoFactor(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req codeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Identity.DisableTwoFactor(r.Context(), p, req.Code, a.address(r)); err != nil {
		return err
	}
	return noContent(w)
}

// ---- an administrator's reset ------------------------------------------------------------

func (a *API) resetUserTwoFactor(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Identity.ResetTwoFactor(r.Context(), p.Actor, r.PathValue("id"), a.address(r)); err != nil {
		return err
	}
	return noContent(w)
}
