package httpapi

import (
	"net/http"
	"strings"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/identity"
	"gatehouse/backend/mail"
	"gatehouse/backend/store"
)

// Email: Settings → Email, the email log, one's notification mails, and the signed-out
// password flows (forgot password, set-password links).

type emailNotificationsJSON struct {
	ProjectAdded *bool `json:"projectAdded"`
	TaskAssigned *bool `json:"taskAssigned"`
	TaskReviewed *bool `json:"taskReviewed"`
	Mentioned    *bool `json:"mentioned"`
}

type emailSettingsJSON struct {
	Configured     bool                   `json:"configured"`
	Host           string                 `json:"host"`
	Port           int                    `json:"port"`
	Security       string                 `json:"security"`
	Username       string                 `json:"username"`
	PasswordSet    bool                   `json:"passwordSet"`
	FromName       string                 `json:"fromName"`
	FromAddress    string                 `json:"fromAddress"`
	AppURL         string                 `json:"appUrl"`
	Notifications  emailNotificationsJSON `json:"notifications"`
	Warning        string                 `json:"warning,omitempty"`
	SecretsWarning string                 `json:"secretsWarning,omitempty"`
}

func (a *API) emailSettingsJSON(r *http.Request, s *mail.Settings) emailSettingsJSON {
	return emailSettingsJSON{Configured: s.Configured, Host: s.Host, Port: s.Port, Security: s.Security, Username: s.Username,
		PasswordSet: s.PasswordSet, FromName: s.FromName, FromAddress: s.FromAddress, AppURL: s.AppURL,
		Notifications: emailNotificationsJSON{&s.NotifyProject, &s.NotifyAssigned, &s.NotifyReviewed, &s.NotifyMentioned},
		Warning:       a.sayAny(r, s.Warning), SecretsWarning: a.sayAny(r, s.SecretsWarning)}
}

func (a *API) getEmailSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	s, err := a.cfg.Mail.Settings(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.emailSettingsJSON(r, s))
}

type emailSettingsRequest struct {
	Host          *string                 `json:"host"`
	Port          *int                    `json:"port"`
	Security      *string                 `json:"security"`
	Username      *string                 `json:"username"`
	Password      *string                 `json:"password"`
	ClearPassword bool                    `json:"clearPassword"`
	FromName      *string                 `json:"fromName"`
	FromAddress   *string                 `json:"fromAddress"`
	AppURL        *string                 `json:"appUrl"`
	Notifications *emailNotificationsJSON `json:"notifications"`
}

func (a *API) putEmailSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req emailSettingsRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	sr := mail.SettingsRequest{Host: req.Host, Port: req.Port, Security: req.Security, Username: req.Username, Password: req.Password,
		ClearPassword: req.ClearPassword, FromName: req.FromName, FromAddress: req.FromAddress, AppURL: req.AppURL}
	if n := req.Notifications; n != nil {
		sr.NotifyProject, sr.NotifyAssigned, sr.NotifyReviewed, sr.NotifyMentioned = n.ProjectAdded, n.TaskAssigned, n.TaskReviewed, n.Mentioned
	}
	s, err := a.cfg.Mail.UpdateSettings(r.Context(), p.Actor, sr)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.emailSettingsJSON(r, s))
}

type testEmailJSON struct {
	OK    bool   `json:"ok"`
	Reply string `json:"reply"`
}

func (a *API) sendTestEmail(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		To string `json:"to"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	res, err := a.cfg.Mail.Test(r.Context(), p.Actor, req.To)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, testEmailJSON{res.OK, res.Reply})
}

type mailJSON struct {
	ID            string     `json:"id"`
	Kind          string     `json:"kind"`
	To            string     `json:"to"`
	Subject       string     `json:"subject"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"lastError"`
	CreatedAt     time.Time  `json:"createdAt"`
	NextAttemptAt *time.Time `json:"nextAttemptAt"`
	SentAt        *time.Time `json:"sentAt"`
}

func toMailJSON(m *store.Mail) mailJSON {
	return mailJSON{ID: m.ID, Kind: m.Kind, To: m.To, Subject: m.Subject, State: m.State, Attempts: m.Attempts, LastError: m.LastError,
		CreatedAt: m.CreatedAt, NextAttemptAt: m.NextAttemptAt, SentAt: m.SentAt}
}

func (a *API) listOutbox(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	pg, err := a.cfg.Mail.Log(r.Context(), p.Actor, q.Get("state"), limit, q.Get("cursor"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[mailJSON]{Items: each(pg.Mails, toMailJSON), Next: cursorOf(pg.Next), Total: pg.Total})
}

func (a *API) retryMail(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	m, err := a.cfg.Mail.Retry(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toMailJSON(m))
}

type notificationPrefJSON struct {
	Key        string `json:"key"`
	Label      string `json:"label"`
	Enabled    bool   `json:"enabled"`
	OffByOwner bool   `json:"offByOwner"`
}

type notificationPrefsJSON struct {
	Items           []notificationPrefJSON `json:"items"`
	EmailConfigured bool                   `json:"emailConfigured"`
}

func toPrefsJSON(pr *mail.Prefs) notificationPrefsJSON {
	return notificationPrefsJSON{EmailConfigured: pr.EmailConfigured, Items: each(pr.Items, func(i mail.Pref) notificationPrefJSON {
		return notificationPrefJSON{Key: i.Key, Label: i.Label, Enabled: i.Enabled, OffByOwner: i.OffByOwner}
	})}
}

func (a *API) getMyNotifications(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	pr, err := a.cfg.Mail.MyPrefs(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPrefsJSON(pr))
}

func (a *API) setMyNotifications(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req emailNotificationsJSON
	if err := decode(r, &req); err != nil {
		return err
	}
	pr, err := a.cfg.Mail.SetMyPrefs(r.Context(), p.Actor, map[string]*bool{mail.KindProjectAdded: req.ProjectAdded,
		mail.KindTaskAssigned: req.TaskAssigned, mail.KindTaskReviewed: req.TaskReviewed, mail.KindMentioned: req.Mentioned})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPrefsJSON(pr))
}

type acceptedJSON struct {
	Message string `json:"message"`
	MailID  string `json:"mailId,omitempty"`
}

// forgotAnswer is the same whether the address is known or not.
var forgotAnswer = apperr.Textf("If an account uses this address, a reset link is on its way. It works once, within 30 minutes.")

func (a *API) forgotPassword(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	var req struct {
		Email string `json:"email"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Identity.ForgotPassword(r.Context(), req.Email, a.address(r)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, acceptedJSON{Message: a.say(r, forgotAnswer)})
}

type passwordLinkJSON struct {
	Purpose   string    `json:"purpose"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	ExpiresAt time.Time `json:"expiresAt"`
}

func (a *API) checkPasswordLink(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	var req struct {
		Token string `json:"token"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	l, err := a.cfg.Identity.CheckLink(r.Context(), req.Token, a.address(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, passwordLinkJSON{Purpose: l.Purpose, Email: l.Email, Name: l.Name, ExpiresAt: l.ExpiresAt})
}

func (a *API) setPasswordWithLink(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	var req struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	email, err := a.cfg.Identity.SetPasswordWithLink(r.Context(), req.Token, req.Password, a.address(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Email string `json:"email"`
	}{email})
}

func (a *API) changeMyEmail(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Password string `json:"password"`
		Email    string `json:"email"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Identity.ChangeEmail(r.Context(), p, req.Password, req.Email, a.address(r)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, acceptedJSON{Message: a.say(r, apperr.Textf(
		"A confirmation link is on its way to %s. Your email changes when you open it (within 24 hours); until then it stays as it is.",
		strings.TrimSpace(req.Email)))})
}

func (a *API) confirmEmail(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	var req struct {
		Token string `json:"token"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	email, err := a.cfg.Identity.ConfirmEmail(r.Context(), req.Token, a.address(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Email string `json:"email"`
	}{email})
}
