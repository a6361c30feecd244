// Package httpapi is the one HTTP API behind the window (Wails AssetServer.Handler,
// in-process) and `gatehouse serve` (net/http). It decodes requests, resolves the bearer
// session to an actor, calls a service and maps errors to the contract in openapi.yaml.
// It decides nothing about access itself: services ask backend/authz.
package httpapi

import (
	_ "embed"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/roles"
	"gatehouse/backend/users"
)

//go:embed openapi.yaml
var OpenAPI []byte

// MaxBody is the largest request body accepted (413 beyond it).
const MaxBody = 1 << 20

// Config wires the API to its services.
type Config struct {
	Identity *identity.Service
	Users    *users.Service
	Roles    *roles.Service
	Audit    *audit.Service
	Authz    *authz.Authorizer
	Log      *slog.Logger
	Version  string
	// InProcess is true inside the window: requests come from the app's own webview, so
	// they count as local (setup is allowed) and carry no network address.
	InProcess bool
	// AllowedHosts, when set, are the only Host headers accepted: a server bound to
	// loopback refuses other names so a web page cannot reach it by DNS rebinding.
	AllowedHosts []string
	// Frontend, when set, is served for every path outside /api (serve mode); unknown
	// paths get index.html so the single-page app can route them.
	Frontend fs.FS
}

type route struct {
	pattern string // "METHOD /path" as net/http.ServeMux understands it
	public  bool   // reachable without a session
	// duringPasswordChange: open to a session whose user must still change an
	// admin-issued password (everything else answers 403 until they do).
	duringPasswordChange bool
	handle               func(w http.ResponseWriter, r *http.Request, p *identity.Principal)
}

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
		{pattern: "DELETE /api/sessions/current", handle: a.signOut, duringPasswordChange: true},
		{pattern: "GET /api/me", handle: a.getMe, duringPasswordChange: true},
		{pattern: "POST /api/me/password", handle: a.changeMyPassword, duringPasswordChange: true},
		{pattern: "GET /api/permissions", handle: a.listPermissions, duringPasswordChange: true},
		{pattern: "GET /api/role-templates", handle: a.listRoleTemplates},
		{pattern: "GET /api/roles", handle: a.listRoles},
		{pattern: "POST /api/roles", handle: a.createRole},
		{pattern: "GET /api/roles/{id}", handle: a.getRole},
		{pattern: "PATCH /api/roles/{id}", handle: a.updateRole},
		{pattern: "DELETE /api/roles/{id}", handle: a.deleteRole},
		{pattern: "POST /api/roles/{id}/clone", handle: a.cloneRole},
		{pattern: "GET /api/users", handle: a.listUsers},
		{pattern: "POST /api/users", handle: a.createUser},
		{pattern: "GET /api/users/{id}", handle: a.getUser},
		{pattern: "PATCH /api/users/{id}", handle: a.updateUser},
		{pattern: "DELETE /api/users/{id}", handle: a.deleteUser},
		{pattern: "POST /api/users/{id}/deactivate", handle: a.deactivateUser},
		{pattern: "POST /api/users/{id}/reactivate", handle: a.reactivateUser},
		{pattern: "POST /api/users/{id}/password", handle: a.resetUserPassword},
		{pattern: "GET /api/audit", handle: a.listAudit},
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

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// ServeHTTP logs every /api request (method, path, status, duration; never headers or
// bodies, which carry tokens and passwords), then routes it.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !a.hostAllowed(r.Host) {
		writeError(w, http.StatusMisdirectedRequest, "bad_host", "This server only answers to its own address.", "")
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
			writeError(rec, http.StatusInternalServerError, "internal", internalMessage, "")
		}
		a.cfg.Log.Info("api", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"ms", time.Since(start).Milliseconds())
	}()
	rec.Header().Set("Cache-Control", "no-store")
	rec.Header().Set("X-Content-Type-Options", "nosniff")
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

// endpoint wraps a route: body checks for methods that carry one, then the session.
func (a *API) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost || r.Method == http.MethodPatch || r.Method == http.MethodPut {
			if r.ContentLength > MaxBody {
				writeError(w, http.StatusRequestEntityTooLarge, "too_large", "The request body is larger than 1 MiB.", "")
				return
			}
			if r.ContentLength != 0 && !isJSON(r.Header.Get("Content-Type")) {
				writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type",
					"Send the request body as JSON (Content-Type: application/json).", "")
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		}
		var p *identity.Principal
		if !rt.public {
			var err error
			p, err = a.cfg.Identity.Authenticate(r.Context(), bearer(r))
			if err != nil {
				a.fail(w, r, err)
				return
			}
			if p.MustChangePassword && !rt.duringPasswordChange {
				writeError(w, http.StatusForbidden, "password_change_required",
					"Choose your own password first (POST /api/me/password).", "")
				return
			}
		}
		rt.handle(w, r, p)
	})
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
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
			r.Method+" is not allowed here; use "+strings.Join(allowed, " or ")+".", "")
		return
	}
	writeError(w, http.StatusNotFound, "not_found", "There is no API route "+r.URL.Path+".", "")
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

func (a *API) getOpenAPI(w http.ResponseWriter, r *http.Request, _ *identity.Principal) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Write(OpenAPI)
}

// spa serves the built frontend; paths that are not files get index.html.
func spa(files fs.FS) http.Handler {
	fileServer := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
