// Package httpapi is the one HTTP API behind the window (Wails AssetServer.Handler,
// in-process) and `gatehouse serve` (net/http). It decodes requests into typed values,
// resolves the bearer session to an actor, calls a service and writes a typed answer; a
// handler returns an error, which one function (fail) maps to the contract in
// openapi.yaml. One file per resource. It decides nothing about access itself: services
// ask backend/authz; and it validates nothing beyond decoding: services do.
package httpapi

import (
	_ "embed"

	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"gatehouse/backend/access"
	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/backup"
	"gatehouse/backend/boards"
	"gatehouse/backend/chat"
	"gatehouse/backend/companies"
	"gatehouse/backend/costs"
	"gatehouse/backend/discussions"
	"gatehouse/backend/engagement"
	"gatehouse/backend/files"
	"gatehouse/backend/grants"
	"gatehouse/backend/identity"
	"gatehouse/backend/invoices"
	"gatehouse/backend/lint"
	"gatehouse/backend/mail"
	"gatehouse/backend/organisation"
	"gatehouse/backend/payments"
	"gatehouse/backend/projects"
	"gatehouse/backend/reports"
	"gatehouse/backend/reviews"
	"gatehouse/backend/rolebook"
	"gatehouse/backend/roles"
	"gatehouse/backend/tasks"
	"gatehouse/backend/teams"
	"gatehouse/backend/users"
)

//go:embed openapi.yaml
var OpenAPI []byte

// MaxBody is the largest request body accepted (413 beyond it).
const MaxBody = 1 << 20

// Config wires the API to its services.
type Config struct {
	Identity    *identity.Service
	Users       *users.Service
	Roles       *roles.Service
	Audit       *audit.Service
	Authz       *authz.Authorizer
	Projects    *projects.Service
	Teams       *teams.Service
	Boards      *boards.Service
	Tasks       *tasks.Service
	Access      *access.Service
	Mail        *mail.Service
	Files       *files.Service
	Discussions *discussions.Service
	Chat        *chat.Service
	Companies   *companies.Service
	Costs       *costs.Service
	Invoices    *invoices.Service
	Payments    *payments.Service
	// Organisation is Settings → General.
	Organisation *organisation.Service
	Reports      *reports.Service
	// Engagement is client login history and engagement (activity.clients).
	Engagement *engagement.Service
	// Lint is the permission lint (roles.manage).
	Lint *lint.Service
	// RoleBook is the role book and the access report (roles.manage).
	RoleBook *rolebook.Service
	Backups  *backup.Service
	// Grants are extra grants beyond a role, optionally until a date.
	Grants *grants.Service
	// Reviews are access review campaigns.
	Reviews *reviews.Service
	Log     *slog.Logger
	Version string
	// InProcess is true inside the window: requests come from the app's own webview, so
	// they count as local (setup is allowed) and carry no network address.
	InProcess bool
	// AllowedHosts, when set, are the only Host headers accepted: a server bound to
	// loopback refuses other names so a web page cannot reach it by DNS rebinding.
	AllowedHosts []string
	// Frontend, when set, is served for every path outside /api (serve mode); unknown
	// paths get index.html so the single-page app can route them.
	Frontend fs.FS
	// Google sign-in and the window's remembered sessions.
	Google   *identity.Google
	Remember *identity.Remember
	// OpenBrowser opens a URL in the system browser (the window's Google sign-in; nil in
	// serve mode).
	OpenBrowser func(url string) error
}

type route struct {
	pattern string // "METHOD /path" as net/http.ServeMux understands it
	public  bool   // reachable without a session
	// duringPasswordChange: open to a session whose user must still change an
	// admin-issued password (everything else answers 403 until they do).
	duringPasswordChange bool
	// duringEnrolment: open to a session that must still set up a second factor (the
	// security policy asks it of the person's role; everything else answers 403).
	duringEnrolment bool
	// raw: the body is content of any type and size (an upload), read by the handler;
	// not JSON, and not held to MaxBody.
	raw    bool
	handle handler
}

// handler answers one request; an error it returns is answered by fail.
type handler func(w http.ResponseWriter, r *http.Request, p *identity.Principal) error

// API is the handler.
type API struct {
	cfg    Config
	mux    *http.ServeMux
	routes []route
	static http.Handler
}

// New returns the handler for cfg.
func New(cfg Config) *API {
	a := &API{cfg: cfg, mux: http.NewServeMux()}
	a.routes = a.routeTable()
	for _, rt := range a.routes {
		a.mux.Handle(rt.pattern, a.endpoint(rt))
	}
	a.mux.HandleFunc("/api/", a.unknownRoute)
	if cfg.Frontend != nil {
		a.static = spa(cfg.Frontend)
	}
	return a
}

func (a *API) routeTable() []route {
	return []route{
		{pattern: "GET /api/openapi.yaml", public: true, handle: a.getOpenAPI},
		{pattern: "GET /api/status", public: true, handle: a.getStatus},
		{pattern: "POST /api/setup", public: true, handle: a.setup},
		{pattern: "POST /api/sessions", public: true, handle: a.signIn},
		{pattern: "POST /api/sessions/two-factor", public: true, handle: a.completeSignIn},
		{pattern: "DELETE /api/sessions/current", handle: a.signOut, duringPasswordChange: true, duringEnrolment: true},
		{pattern: "GET /api/me", handle: a.getMe, duringPasswordChange: true, duringEnrolment: true},
		{pattern: "POST /api/me/password", handle: a.changeMyPassword, duringPasswordChange: true},
		{pattern: "GET /api/permissions", handle: a.listPermissions, duringPasswordChange: true, duringEnrolment: true},
		{pattern: "GET /api/me/two-factor", handle: a.getMyTwoFactor, duringEnrolment: true},
		{pattern: "POST /api/me/two-factor/enrolment", handle: a.startEnrolment, duringEnrolment: true},
		{pattern: "POST /api/me/two-factor/enrolment/confirm", handle: a.confirmEnrolment, duringEnrolment: true},
		{pattern: "POST /api/me/two-factor/recovery-codes", handle: a.regenerateRecoveryCodes},
		{pattern: "POST /api/me/two-factor/disable", handle: a.disableMyTwoFactor},
		{pattern: "DELETE /api/users/{id}/two-factor", handle: a.resetUserTwoFactor},
		{pattern: "GET /api/settings/security", handle: a.getSecuritySettings},
		{pattern: "PUT /api/settings/security", handle: a.putSecuritySettings},
		{pattern: "GET /api/role-templates", handle: a.listRoleTemplates},
		{pattern: "GET /api/roles", handle: a.listRoles},
		{pattern: "POST /api/roles", handle: a.createRole},
		{pattern: "GET /api/roles/{id}", handle: a.getRole},
		{pattern: "PATCH /api/roles/{id}", handle: a.updateRole},
		{pattern: "DELETE /api/roles/{id}", handle: a.deleteRole},
		{pattern: "POST /api/roles/{id}/clone", handle: a.cloneRole},
		{pattern: "GET /api/roles/{id}/history", handle: a.roleHistory},
		{pattern: "POST /api/roles/{id}/rollback", handle: a.rollbackRole},
		{pattern: "GET /api/roles/book.md", handle: a.roleBookMarkdown},
		{pattern: "GET /api/roles/book.pdf", handle: a.roleBookPDF},
		{pattern: "GET /api/access-report.csv", handle: a.accessReportCSV},
		{pattern: "GET /api/users", handle: a.listUsers},
		{pattern: "POST /api/users", handle: a.createUser},
		{pattern: "GET /api/users/{id}", handle: a.getUser},
		{pattern: "PATCH /api/users/{id}", handle: a.updateUser},
		{pattern: "DELETE /api/users/{id}", handle: a.deleteUser},
		{pattern: "POST /api/users/{id}/deactivate", handle: a.deactivateUser},
		{pattern: "POST /api/users/{id}/reactivate", handle: a.reactivateUser},
		{pattern: "POST /api/users/{id}/password", handle: a.resetUserPassword},
		{pattern: "GET /api/audit", handle: a.listAudit},
		{pattern: "GET /api/audit.csv", handle: a.auditCSV},
		{pattern: "GET /api/activity/clients", handle: a.clientActivity},
		{pattern: "GET /api/lint", handle: a.lint},
		{pattern: "GET /api/grants", handle: a.listGrants},
		{pattern: "DELETE /api/grants/{id}", handle: a.revokeGrant},
		{pattern: "GET /api/users/{id}/grants", handle: a.listUserGrants},
		{pattern: "POST /api/users/{id}/grants", handle: a.giveGrant},
		{pattern: "GET /api/reviews", handle: a.listReviews},
		{pattern: "POST /api/reviews", handle: a.startReview},
		{pattern: "GET /api/reviews/candidates", handle: a.reviewCandidates},
		{pattern: "GET /api/reviews/due", handle: a.reviewDue},
		{pattern: "GET /api/reviews/mine", handle: a.myReviews},
		{pattern: "GET /api/reviews/{id}", handle: a.getReview},
		{pattern: "PUT /api/reviews/{id}/lines/{lineId}", handle: a.decideReviewLine},
		{pattern: "POST /api/reviews/{id}/close", handle: a.closeReview},
		{pattern: "GET /api/reviews/{id}/report.csv", handle: a.reviewReportCSV},
		{pattern: "GET /api/reviews/{id}/report.pdf", handle: a.reviewReportPDF},
		{pattern: "POST /api/what-if", handle: a.whatIf},
		{pattern: "GET /api/activity/clients.csv", handle: a.clientActivityCSV},
		{pattern: "GET /api/activity/clients/{id}/sign-ins", handle: a.clientSignIns},
		{pattern: "GET /api/audit/actions", handle: a.auditActions},
		{pattern: "GET /api/audit/people", handle: a.auditPeople},
		{pattern: "GET /api/settings/sign-in", handle: a.getSignInSettings},
		{pattern: "PUT /api/settings/sign-in", handle: a.putSignInSettings},
		{pattern: "GET /api/auth/google/start", public: true, handle: a.startGoogle},
		{pattern: "GET /api/auth/google/callback", public: true, handle: a.googleCallback},
		{pattern: "POST /api/auth/google/result", public: true, handle: a.googleResult},
		{pattern: "POST /api/auth/google/desktop", public: true, handle: a.startGoogleDesktop},
		{pattern: "GET /api/auth/google/desktop/{id}", public: true, handle: a.pollGoogleDesktop},
		{pattern: "DELETE /api/auth/google/desktop/{id}", public: true, handle: a.cancelGoogleDesktop},
		{pattern: "POST /api/sessions/remembered", handle: a.rememberSession, duringPasswordChange: true, duringEnrolment: true},
		{pattern: "DELETE /api/sessions/remembered", handle: a.forgetSession, duringPasswordChange: true, duringEnrolment: true},
		{pattern: "POST /api/sessions/resume", public: true, handle: a.resumeSession},
		{pattern: "GET /api/me/identities", handle: a.listMyIdentities},
		{pattern: "GET /api/users/{id}/identities", handle: a.listUserIdentities},
		{pattern: "DELETE /api/users/{id}/identities/{identityId}", handle: a.unlinkIdentity},
		{pattern: "GET /api/projects", handle: a.listProjects},
		{pattern: "POST /api/projects", handle: a.createProject},
		{pattern: "GET /api/projects/{id}", handle: a.getProject},
		{pattern: "PATCH /api/projects/{id}", handle: a.updateProject},
		{pattern: "DELETE /api/projects/{id}", handle: a.deleteProject},
		{pattern: "GET /api/projects/{id}/tasks", handle: a.listProjectTasks},
		{pattern: "POST /api/projects/{id}/tasks", handle: a.createTask},
		{pattern: "GET /api/projects/{id}/access", handle: a.access("project")},
		{pattern: "GET /api/projects/{id}/people", handle: a.projectPeople},
		{pattern: "POST /api/projects/{id}/people", handle: a.addProjectPerson},
		{pattern: "GET /api/people", handle: a.listPeople},
		{pattern: "GET /api/teams", handle: a.listTeams},
		{pattern: "POST /api/teams", handle: a.createTeam},
		{pattern: "GET /api/teams/{id}", handle: a.getTeam},
		{pattern: "PATCH /api/teams/{id}", handle: a.updateTeam},
		{pattern: "DELETE /api/teams/{id}", handle: a.deleteTeam},
		{pattern: "GET /api/boards", handle: a.listBoards},
		{pattern: "POST /api/boards", handle: a.createBoard},
		{pattern: "GET /api/boards/{id}", handle: a.getBoard},
		{pattern: "PATCH /api/boards/{id}", handle: a.updateBoard},
		{pattern: "DELETE /api/boards/{id}", handle: a.deleteBoard},
		{pattern: "GET /api/boards/{id}/tasks", handle: a.listBoardTasks},
		{pattern: "GET /api/boards/{id}/access", handle: a.access("board")},
		{pattern: "GET /api/tasks", handle: a.listTasks},
		{pattern: "GET /api/tasks/{id}", handle: a.getTask},
		{pattern: "PATCH /api/tasks/{id}", handle: a.updateTask},
		{pattern: "DELETE /api/tasks/{id}", handle: a.deleteTask},
		{pattern: "POST /api/tasks/{id}/review", handle: a.reviewTask},
		{pattern: "GET /api/tasks/{id}/followers", handle: a.listFollowers},
		{pattern: "POST /api/tasks/{id}/followers", handle: a.addFollower},
		{pattern: "DELETE /api/tasks/{id}/followers/{userId}", handle: a.removeFollower},
		{pattern: "GET /api/tasks/{id}/comments", handle: a.listComments},
		{pattern: "POST /api/tasks/{id}/comments", handle: a.addComment},
		{pattern: "GET /api/tasks/{id}/access", handle: a.access("task")},
		{pattern: "GET /api/task-types", handle: a.listTaskTypes},
		{pattern: "POST /api/task-types", handle: a.createTaskType},
		{pattern: "PATCH /api/task-types/{id}", handle: a.updateTaskType},
		{pattern: "DELETE /api/task-types/{id}", handle: a.deleteTaskType},
		{pattern: "GET /api/users/{id}/task-rules", handle: a.getTaskRules},
		{pattern: "PUT /api/users/{id}/task-rules", handle: a.setTaskRules},
		{pattern: "GET /api/access/explain", handle: a.explainAccess},
		{pattern: "POST /api/view-as", handle: a.startViewAs},
		{pattern: "POST /api/auth/forgot-password", public: true, handle: a.forgotPassword},
		{pattern: "POST /api/auth/password-link", public: true, handle: a.checkPasswordLink},
		{pattern: "POST /api/auth/set-password", public: true, handle: a.setPasswordWithLink},
		{pattern: "POST /api/me/email", handle: a.changeMyEmail},
		{pattern: "POST /api/auth/confirm-email", public: true, handle: a.confirmEmail},
		{pattern: "GET /api/me/notifications", handle: a.getMyNotifications},
		{pattern: "PUT /api/me/language", handle: a.putMyLanguage},
		{pattern: "PUT /api/me/notifications", handle: a.setMyNotifications},
		{pattern: "GET /api/settings/email", handle: a.getEmailSettings},
		{pattern: "PUT /api/settings/email", handle: a.putEmailSettings},
		{pattern: "POST /api/settings/email/test", handle: a.sendTestEmail},
		{pattern: "GET /api/email/outbox", handle: a.listOutbox},
		{pattern: "POST /api/email/outbox/{id}/retry", handle: a.retryMail},
		{pattern: "POST /api/users/{id}/invitation", handle: a.resendInvitation},
		{pattern: "POST /api/users/{id}/reset-email", handle: a.sendResetEmail},
		{pattern: "GET /api/users/{id}/handover", handle: a.getHandover},
		{pattern: "POST /api/users/import", handle: a.importUsers},
		{pattern: "GET /api/users/import/template", handle: a.importTemplate},
		{pattern: "GET /api/user-imports/{jobId}", handle: a.getImportJob},
		{pattern: "GET /api/projects/{id}/files", handle: a.listFiles},
		{pattern: "POST /api/projects/{id}/files", raw: true, handle: a.uploadFile},
		{pattern: "POST /api/projects/{id}/folders", handle: a.createFolder},
		{pattern: "GET /api/projects/{id}/folders", handle: a.listFolders},
		{pattern: "GET /api/tasks/{id}/files", handle: a.listTaskFiles},
		{pattern: "GET /api/files/{id}", handle: a.getFile},
		{pattern: "GET /api/files/{id}/content", handle: a.downloadFile},
		{pattern: "PATCH /api/files/{id}", handle: a.updateFile},
		{pattern: "DELETE /api/files/{id}", handle: a.deleteFile},
		{pattern: "GET /api/files/{id}/access", handle: a.access("file")},
		{pattern: "PATCH /api/folders/{id}", handle: a.updateFolder},
		{pattern: "GET /api/projects/{id}/threads", handle: a.listThreads},
		{pattern: "POST /api/projects/{id}/threads", handle: a.createThread},
		{pattern: "GET /api/threads/{id}", handle: a.getThread},
		{pattern: "GET /api/threads/{id}/messages", handle: a.listMessages},
		{pattern: "POST /api/threads/{id}/messages", handle: a.postMessage},
		{pattern: "GET /api/threads/{id}/access", handle: a.access("thread")},
		{pattern: "GET /api/threads/{id}/people", handle: a.audience("thread")},
		{pattern: "PATCH /api/messages/{id}", handle: a.editMessage},
		{pattern: "DELETE /api/messages/{id}", handle: a.deleteMessage},
		{pattern: "GET /api/companies", handle: a.listCompanies},
		{pattern: "POST /api/companies", handle: a.createCompany},
		{pattern: "GET /api/companies/{id}", handle: a.getCompany},
		{pattern: "PATCH /api/companies/{id}", handle: a.updateCompany},
		{pattern: "DELETE /api/companies/{id}", handle: a.deleteCompany},
		{pattern: "PUT /api/companies/{id}/cost", handle: a.setCompanyCost},
		{pattern: "GET /api/projects/{id}/costs", handle: a.projectCosts},
		{pattern: "POST /api/projects/{id}/costs", handle: a.addProjectCost},
		{pattern: "PUT /api/projects/{id}/budget", handle: a.setBudget},
		{pattern: "DELETE /api/project-costs/{id}", handle: a.deleteProjectCost},
		{pattern: "PUT /api/users/{id}/hour-rate", handle: a.setHourRate},
		{pattern: "GET /api/reports/tasks", handle: a.taskReport},
		{pattern: "GET /api/reports/tasks.csv", handle: a.taskReportCSV},
		{pattern: "GET /api/revenue", handle: a.revenue},
		{pattern: "GET /api/revenue.csv", handle: a.revenueCSV},
		{pattern: "GET /api/invoices", handle: a.listInvoices},
		{pattern: "POST /api/invoices", handle: a.createInvoice},
		{pattern: "GET /api/invoices/{id}", handle: a.getInvoice},
		{pattern: "PATCH /api/invoices/{id}", handle: a.updateInvoice},
		{pattern: "DELETE /api/invoices/{id}", handle: a.deleteInvoice},
		{pattern: "POST /api/invoices/{id}/send", handle: a.sendInvoice},
		{pattern: "POST /api/invoices/{id}/void", handle: a.voidInvoice},
		{pattern: "GET /api/invoices/{id}/payments", handle: a.listPayments},
		{pattern: "GET /api/invoices/{id}/pdf", handle: a.invoicePDF},
		{pattern: "POST /api/invoices/{id}/checkout", handle: a.startCheckout},
		{pattern: "POST /api/checkout/{session}/confirm", handle: a.confirmCheckout},
		{pattern: "POST " + stripeWebhookPath, public: true, handle: a.stripeWebhook},
		{pattern: "GET /api/invoicing/settings", handle: a.getInvoicingSettings},
		{pattern: "PUT /api/invoicing/settings", handle: a.putInvoicingSettings},
		{pattern: "GET /api/settings/about", handle: a.getAbout},
		{pattern: "GET /api/settings/backups", handle: a.getBackupSettings},
		{pattern: "PUT /api/settings/backups", handle: a.putBackupSettings},
		{pattern: "POST /api/backups", handle: a.makeBackup},
		{pattern: "GET /api/backups/download", handle: a.downloadBackup},
		{pattern: "GET /api/settings/general", handle: a.getGeneralSettings},
		{pattern: "PUT /api/settings/general", handle: a.putGeneralSettings},
		{pattern: "PUT /api/settings/general/logo", raw: true, handle: a.putLogo},
		{pattern: "DELETE /api/settings/general/logo", handle: a.deleteLogo},
		{pattern: "GET /api/branding/logo", public: true, handle: a.getLogo},
		{pattern: "GET /api/settings/payments", handle: a.getPaymentSettings},
		{pattern: "PUT /api/settings/payments", handle: a.putPaymentSettings},
		{pattern: "POST /api/invoices/{id}/payments", handle: a.recordPayment},
		{pattern: "GET /api/chat", handle: a.chatOverview},
		{pattern: "GET /api/chat/channels/{id}/messages", handle: a.listChatMessages},
		{pattern: "POST /api/chat/channels/{id}/messages", handle: a.postChatMessage},
		{pattern: "POST /api/chat/channels/{id}/read", handle: a.markChatRead},
		{pattern: "PATCH /api/chat/messages/{id}", handle: a.editChatMessage},
		{pattern: "DELETE /api/chat/messages/{id}", handle: a.deleteChatMessage},
		{pattern: "DELETE /api/folders/{id}", handle: a.deleteFolder},
	}
}

// Patterns lists every route, for the contract test.
func (a *API) Patterns() []string {
	out := make([]string, len(a.routes))
	for i, rt := range a.routes {
		out[i] = rt.pattern
	}
	return out
}

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// Unwrap lets http.ResponseController reach the connection (an upload's or a download's
// own deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// ServeHTTP logs every /api request (method, path, status, duration; never headers or
// bodies, which carry tokens and passwords), then routes it.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !a.hostAllowed(r.Host) {
		a.writeError(w, r, http.StatusMisdirectedRequest, "bad_host", apperr.Textf("This server only answers to its own address."))
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/api/") && r.URL.Path != "/api" {
		if a.static != nil {
			a.static.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
		return
	}
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if v := recover(); v != nil {
			a.cfg.Log.Error("api panic", "method", r.Method, "path", r.URL.Path, "panic", v)
			a.writeError(rec, r, http.StatusInternalServerError, "internal", internalMessage)
		}
		a.cfg.Log.Info("api", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"ms", time.Since(start).Milliseconds())
	}()
	rec.Header().Set("Cache-Control", "no-store")
	rec.Header().Set("X-Content-Type-Options", "nosniff")
	rec.Header().Set("X-Frame-Options", "DENY")
	a.mux.ServeHTTP(rec, r)
}

func (a *API) hostAllowed(host string) bool {
	if len(a.cfg.AllowedHosts) == 0 {
		return true
	}
	for _, h := range a.cfg.AllowedHosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// endpoint wraps a route: body checks for methods that carry one, then the session (and
// view-as), then the handler; an error is answered once, by fail.
func (a *API) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, _ = withReader(r)
		if !rt.raw && (r.Method == http.MethodPost || r.Method == http.MethodPatch || r.Method == http.MethodPut || r.Method == http.MethodDelete) {
			if r.ContentLength > MaxBody {
				a.writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", errBodyTooLarge)
				return
			}
			if r.ContentLength != 0 && !isJSON(r.Header.Get("Content-Type")) {
				a.writeError(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type",
					apperr.Textf("Send the request body as JSON (Content-Type: application/json)."))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		}
		p, err := a.principal(r, rt)
		if err == nil {
			err = rt.handle(w, r, p)
		}
		if err != nil {
			a.fail(w, r, err)
		}
	})
}

var (
	errPasswordChangeRequired = apperr.New(apperr.Forbidden, "password_change_required", "Choose your own password first (POST /api/me/password).")
	errEnrolmentRequired      = apperr.New(apperr.Forbidden, "two_factor_setup_required",
		"Your role signs in with two-factor sign-in: set it up first (POST /api/me/two-factor/enrolment, then …/confirm).")
	errViewAsReadOnly = apperr.New(apperr.Forbidden, "view_as_read_only", "Viewing as someone else is read-only.")
)

// principal resolves the request's session (none for public routes). With X-View-As, a
// GET is answered as that person sees it — decided for both them and the viewer — and
// only after the session started viewing as them (POST /api/view-as); the session stays
// the viewer's.
func (a *API) principal(r *http.Request, rt route) (*identity.Principal, error) {
	if rt.public {
		return nil, nil
	}
	p, err := a.cfg.Identity.Authenticate(r.Context(), bearer(r))
	if err != nil {
		return nil, err
	}
	if rd, ok := r.Context().Value(readerKey{}).(*reader); ok {
		rd.userID = p.Actor.UserID // before any view-as: the answer is read by the viewer
	}
	if p.MustChangePassword && !rt.duringPasswordChange {
		return nil, errPasswordChangeRequired
	}
	// The password comes first: a session that must do both changes it, then enrols.
	if p.MustEnrolTwoFactor && !rt.duringEnrolment && !(p.MustChangePassword && rt.duringPasswordChange) {
		return nil, errEnrolmentRequired
	}
	if as := r.Header.Get("X-View-As"); as != "" {
		if r.Method != http.MethodGet {
			return nil, errViewAsReadOnly
		}
		viewed := *p
		if viewed.Actor, err = a.cfg.Access.ViewAs(p.Actor, p.ViewAs, as); err != nil {
			return nil, err
		}
		return &viewed, nil
	}
	return p, nil
}

func isJSON(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// unknownRoute answers /api paths no route matches: 405 when the path exists with
// another method, else 404; both as JSON.
func (a *API) unknownRoute(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := a.mux.Handler(probe); pattern != "/api/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		a.writeError(w, r, http.StatusMethodNotAllowed, "method_not_allowed",
			apperr.Textf("%s is not allowed here; use %s.", r.Method, strings.Join(allowed, " or ")))
		return
	}
	a.writeError(w, r, http.StatusNotFound, "not_found", apperr.Textf("There is no API route %s.", r.URL.Path))
}

// address is the client's address for throttling and the audit log.
func (a *API) address(r *http.Request) string {
	if a.cfg.InProcess {
		return "local window"
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// local reports whether the request comes from this machine.
func (a *API) local(r *http.Request) bool {
	if a.cfg.InProcess {
		return true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (a *API) getOpenAPI(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	w.Header().Set("Content-Type", "application/yaml")
	_, err := w.Write(OpenAPI)
	return err
}

// contentSecurityPolicy is the served UI's: its own scripts only (no inline or foreign
// script), styles of its own plus the inline ones Mantine sets, data only from /api, and
// never inside another site's frame (clickjacking).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"

// spa serves the built frontend; paths that are not files get index.html.
func spa(files fs.FS) http.Handler {
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name != "" {
			if st, err := fs.Stat(files, name); err != nil || st.IsDir() {
				r2 := r.Clone(r.Context())
				r2.URL.Path = "/"
				fileServer.ServeHTTP(w, r2)
				return
			}
		}
		fileServer.ServeHTTP(w, r)
	})
}
