package httpapi

import (
	"context"
	"net/http"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/mail"
	"gatehouse/backend/tasks"
	"gatehouse/backend/users"
)

// User accounts, their passwords and their task rules.

// withActions is an account as the asker sees it: with what they may do to it.
func (a *API) withActions(p *identity.Principal, u *users.User) userJSON {
	out := toUserJSON(u)
	out.Actions = a.cfg.Users.Actions(p.Actor, u.ID)
	// Resetting a second factor is users.edit over the account, never one's own.
	if u.TwoFactor && a.cfg.Identity.MayResetTwoFactor(p.Actor, u.ID) {
		out.Actions = append(out.Actions, "users.reset_two_factor")
	}
	// The hour rate only to whoever may see it (rates.view; never a client's).
	if v, ok, err := a.cfg.Costs.HourRate(context.Background(), p.Actor, u.ID); err == nil && ok {
		out.HourRate = shown(v)
	}
	return out
}

type hourRateRequest struct {
	HourRate *int64 `json:"hourRate"`
}

func (a *API) setHourRate(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req hourRateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Costs.SetHourRate(r.Context(), p.Actor, r.PathValue("id"), req.HourRate); err != nil {
		return err
	}
	u, err := a.cfg.Users.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.withActions(p, u))
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
	Name            string `json:"name"`
	Email           string `json:"email"`
	RoleID          string `json:"roleId"`
	Password        string `json:"password"`
	Generate        bool   `json:"generate"`
	SendWelcome     *bool  `json:"sendWelcome"`
	IncludePassword bool   `json:"includePassword"`
	CompanyID       string `json:"companyId"`
}

type userWithPasswordJSON struct {
	userJSON
	GeneratedPassword string `json:"generatedPassword,omitempty"`
	Welcome           string `json:"welcome"`
	MailID            string `json:"mailId,omitempty"`
	WithoutProjects   bool   `json:"withoutProjects"`
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req userCreateRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := a.cfg.Users.Create(r.Context(), p.Actor, users.CreateRequest(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, userWithPasswordJSON{a.withActions(p, c.User), c.Generated, c.Welcome, c.MailID, c.WithoutProjects})
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	u, err := a.cfg.Users.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.withActions(p, u))
}

type userUpdateRequest struct {
	Name      *string `json:"name"`
	Email     *string `json:"email"`
	RoleID    *string `json:"roleId"`
	CompanyID *string `json:"companyId"`
	// ExpectVersion: the what-if preview's version; refused (409 stale_preview) when
	// access changed since.
	ExpectVersion string `json:"expectVersion"`
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

type handoverRequest struct {
	ReassignTo string            `json:"reassignTo"`
	ByProject  map[string]string `json:"byProject"`
}

// handoverPlan reads the optional body of a deactivation or deletion: who takes the
// leaver's open tasks.
func handoverPlan(r *http.Request) (users.Plan, error) {
	var req handoverRequest
	if r.ContentLength == 0 {
		return users.Plan{}, nil
	}
	if err := decode(r, &req); err != nil {
		return users.Plan{}, err
	}
	return users.Plan(req), nil
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	plan, err := handoverPlan(r)
	if err != nil {
		return err
	}
	if err := a.cfg.Users.Delete(r.Context(), p.Actor, r.PathValue("id"), plan); err != nil {
		return err
	}
	return noContent(w)
}

func (a *API) deactivateUser(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	plan, err := handoverPlan(r)
	if err != nil {
		return err
	}
	u, err := a.cfg.Users.Deactivate(r.Context(), p.Actor, r.PathValue("id"), plan)
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

func (a *API) resendInvitation(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	id, err := a.cfg.Users.ResendInvitation(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, acceptedJSON{Message: a.say(r, apperr.Textf("A new welcome mail is on its way; earlier links no longer work.")), MailID: id})
}

func (a *API) sendResetEmail(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	id, err := a.cfg.Users.SendResetEmail(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, acceptedJSON{Message: a.say(r, apperr.Textf("A reset link is on its way. It works once, within 30 minutes; the current password works until then.")), MailID: id})
}

type handoverProjectJSON struct {
	ProjectID   string       `json:"projectId"`
	ProjectName string       `json:"projectName"`
	OpenTasks   int          `json:"openTasks"`
	Candidates  []personJSON `json:"candidates"`
}

type handoverJSON struct {
	OpenTasks       int                   `json:"openTasks"`
	HiddenOpenTasks int                   `json:"hiddenOpenTasks"`
	Comments        int                   `json:"comments"`
	Projects        []handoverProjectJSON `json:"projects"`
	Candidates      []personJSON          `json:"candidates"`
}

func (a *API) getHandover(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	h, err := a.cfg.Users.Handover(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	people := func(ids []string) ([]personJSON, error) {
		ps, err := a.cfg.Access.Names(r.Context(), ids)
		return each(ps, toPersonJSON), err
	}
	out := handoverJSON{OpenTasks: h.OpenTasks, HiddenOpenTasks: h.HiddenOpenTasks, Comments: h.Comments, Projects: []handoverProjectJSON{}}
	if out.Candidates, err = people(h.Candidates); err != nil {
		return err
	}
	for _, hp := range h.Projects {
		c, err := people(hp.Candidates)
		if err != nil {
			return err
		}
		out.Projects = append(out.Projects, handoverProjectJSON{hp.ProjectID, hp.ProjectName, hp.OpenTasks, c})
	}
	return writeJSON(w, http.StatusOK, out)
}

type importFieldErrorJSON struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

type importRowJSON struct {
	Line     int                    `json:"line"`
	Name     string                 `json:"name"`
	Email    string                 `json:"email"`
	Role     string                 `json:"role"`
	Projects []string               `json:"projects"`
	Teams    []string               `json:"teams"`
	Errors   []importFieldErrorJSON `json:"errors"`
}

type importReportJSON struct {
	Rows    []importRowJSON `json:"rows"`
	Valid   int             `json:"valid"`
	Invalid int             `json:"invalid"`
}

func (a *API) importReportJSON(r *http.Request, rep *users.ImportReport) *importReportJSON {
	if rep == nil {
		return nil
	}
	lang := a.language(r)
	return &importReportJSON{Valid: rep.Valid, Invalid: rep.Invalid, Rows: each(rep.Rows, func(row *users.ImportRow) importRowJSON {
		return importRowJSON{Line: row.Line, Name: row.Name, Email: row.Email, Role: row.Role, Projects: row.Projects, Teams: row.Teams,
			Errors: each(row.Errors, func(e apperr.FieldError) importFieldErrorJSON { return importFieldErrorJSON{e.Field, e.In(lang)} })}
	})}
}

type importLinkJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Link  string `json:"link"`
}

type importJobJSON struct {
	ID            string            `json:"id"`
	State         string            `json:"state"`
	Done          int               `json:"done"`
	Total         int               `json:"total"`
	Error         *errorBody        `json:"error,omitempty"`
	Report        *importReportJSON `json:"report,omitempty"`
	WelcomeQueued int               `json:"welcomeQueued"`
	Links         []importLinkJSON  `json:"links,omitempty"`
}

func (a *API) importJobJSON(r *http.Request, j *users.ImportJob) importJobJSON {
	out := importJobJSON{ID: j.ID, State: j.State, Done: j.Done(), Total: j.Total, Report: a.importReportJSON(r, j.Report), WelcomeQueued: j.Welcome}
	if j.Err != nil {
		out.Error = a.errorBody(r, j.Err)
	}
	base := a.linkBase(r)
	for _, l := range j.Links {
		link := l.Token
		if base != "" {
			link = mail.SetPasswordLink(base, l.Token)
		}
		out.Links = append(out.Links, importLinkJSON{Name: l.Name, Email: l.Email, Link: link})
	}
	return out
}

// linkBase is where set-password links point: the address in Settings → Email or the one
// serve answers at, else the address this request came to (serve), or none in the window,
// where the code is typed into the app.
func (a *API) linkBase(r *http.Request) string {
	if base := a.cfg.Mail.LinkBase(r.Context()); base != "" {
		return base
	}
	if a.cfg.InProcess || r.Host == "" {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (a *API) importUsers(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		CSV         string `json:"csv"`
		DryRun      bool   `json:"dryRun"`
		SendWelcome *bool  `json:"sendWelcome"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.DryRun {
		rep, err := a.cfg.Users.CheckImport(r.Context(), p.Actor, req.CSV)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, a.importReportJSON(r, rep))
	}
	j, err := a.cfg.Users.Import(r.Context(), p.Actor, req.CSV, req.SendWelcome)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, a.importJobJSON(r, j))
}

func (a *API) importTemplate(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Authz.Holds(p.Actor, authz.UsersCreate); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="gatehouse-users.csv"`)
	_, err := w.Write([]byte(users.ImportTemplate))
	return err
}

func (a *API) getImportJob(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	j, err := a.cfg.Users.ImportStatus(p.Actor, r.PathValue("jobId"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.importJobJSON(r, j))
}
