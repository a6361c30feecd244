// Package lint is the permission lint: what the first article's best practices warn
// about, read off the role structure (authz.Lint: who holds which role, who is on what,
// what each role holds) and the store (last sign-ins from the audit log's session.create
// entries, open tasks, the Google sign-in default role). Who may read it, which people it
// may name and which fixes the reader may make are authz's; the fixes themselves are the
// existing actions (deactivate a user, delete a role, set the sign-in default role), taken
// through their own services and endpoints, so each is decided and audited as by hand.
// It writes nothing.
package lint

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Thresholds, from the first article ("Two to three admin accounts is typical", "Review
// roles quarterly") and what a small team can check by hand.
const (
	MaxAdmins          = 3
	AdminIdleDays      = 30
	AccountIdleDays    = 90
	ClientManyProjects = 5
)

// Kinds of finding, in the order the page shows them.
const (
	TooManyAdmins       = "too_many_admins"
	AdminInactive       = "admin_inactive"
	AccountInactive     = "account_inactive"
	StaffNoProject      = "staff_no_project"
	ClientManyProjs     = "client_many_projects"
	GoogleDefaultRole   = "google_default_role"
	RoleUnused          = "role_unused"
	RoleGenericName     = "role_generic_name"
	RoleDuplicate       = "role_duplicate"
	DeactivatedOwnsOpen = "deactivated_open_tasks"
	GrantsExpiring      = "grants_expiring"
	GrantHeld           = "grant_held"
)

// Kinds lists every kind in page order.
var Kinds = []string{TooManyAdmins, AdminInactive, AccountInactive, StaffNoProject, ClientManyProjs,
	GoogleDefaultRole, RoleUnused, RoleGenericName, RoleDuplicate, DeactivatedOwnsOpen, GrantsExpiring, GrantHeld}

// Severities.
const (
	Warning = "warning"
	Notice  = "notice"
)

// Fix actions: each is an existing action of its own service.
const (
	FixDeactivate        = "deactivate_user"     // users: POST /api/users/{id}/deactivate
	FixDeleteRole        = "delete_role"         // roles: DELETE /api/roles/{id}
	FixDefaultRoleClient = "default_role_client" // sign-in settings: defaultRoleId = client
	FixEditRole          = "edit_role"           // opens the role editor; nothing automatic
	FixEndGrant          = "end_grant"           // grants: DELETE /api/grants/{id}
)

// Named is a person or role a finding names.
type Named struct{ ID, Name string }

// Fix is the one-click fix of a finding: which action, on what, and whether this reader
// may take it (the same decision as the action itself).
type Fix struct {
	Action  string
	UserID  string
	RoleID  string
	GrantID string
	Allowed bool
}

// Finding is one thing the best practices warn about.
type Finding struct {
	Kind     string
	Severity string
	Message  apperr.Text
	Users    []Named
	Roles    []Named
	Fix      *Fix // nil: no one-click fix
}

// Service computes the lint.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	now   func() time.Time
	// mayEnd says whether the reader may end a grant now (backend/grants; nil: nobody).
	mayEnd func(authz.Actor, *store.UserGrant) bool
	// held says whether a grant past its end is kept in force because ending it would
	// leave no active Admin (backend/grants; nil: never).
	held func(*store.UserGrant) bool
}

// ExpiringDays: grants ending within this many days are told of.
const ExpiringDays = 7

// SetGrantEnder gives the lint the rule for who may end a grant (the fix of
// grants_expiring).
func (s *Service) SetGrantEnder(may func(authz.Actor, *store.UserGrant) bool) { s.mayEnd = may }

// SetGrantHeld gives the lint the rule for a grant whose end is held back (grant_held).
func (s *Service) SetGrantHeld(held func(*store.UserGrant) bool) { s.held = held }

// New returns the service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, now: now}
}

// generic matches role names that say nothing of what the role is for.
var generic = regexp.MustCompile(`(?i)^\s*(role|custom|custom role|new role|untitled|função|nova função|personalizada|função personalizada)(\s*\d+)?\s*$`)

// Findings returns what the lint warns about, as actor may read it (403 without
// roles.manage), in Kinds order.
func (s *Service) Findings(ctx context.Context, actor authz.Actor) ([]Finding, error) {
	lv, err := s.authz.Lint(actor)
	if err != nil {
		return nil, err
	}
	now := s.now()
	ids := make([]string, len(lv.Users))
	for i, u := range lv.Users {
		ids[i] = u.ID
	}
	people := map[string]*store.User{}
	if len(ids) > 0 {
		rows, _, err := s.store.Users(ctx, store.UserFilter{IDs: ids, Limit: len(ids)})
		if err != nil {
			return nil, err
		}
		for _, u := range rows {
			people[u.ID] = u
		}
	}
	tallies, err := s.store.SignInTallies(ctx, now)
	if err != nil {
		return nil, err
	}
	lastSignIn := map[string]time.Time{}
	for _, t := range tallies {
		lastSignIn[t.UserID] = t.LastAt
	}
	// idle is how many whole days since the account last signed in, or was made when it
	// never has.
	idle := func(u *store.User) int {
		since := u.CreatedAt
		if at, ok := lastSignIn[u.ID]; ok {
			since = at
		}
		return int(now.Sub(since) / (24 * time.Hour))
	}
	roleByID := map[string]authz.LintRole{}
	for _, r := range lv.Roles {
		roleByID[r.ID] = r
	}

	var out []Finding
	add := func(f Finding) { out = append(out, f) }
	deactivate := func(u authz.LintUser) *Fix {
		return &Fix{Action: FixDeactivate, UserID: u.ID, Allowed: u.CanDeactivate}
	}

	// More than three admins: the count is the Roles page's; it names those the reader sees.
	if lv.ActiveAdmins > MaxAdmins {
		f := Finding{Kind: TooManyAdmins, Severity: Warning,
			Message: apperr.Textf("%d people hold Admin; two or three admin accounts is typical. Give the others a role with only what they need.", lv.ActiveAdmins)}
		for _, u := range lv.Users {
			if p := people[u.ID]; p != nil && u.Admin && u.Active {
				f.Users = append(f.Users, Named{u.ID, p.Name})
			}
		}
		add(f)
	}
	for _, u := range lv.Users {
		p := people[u.ID]
		if p == nil || !u.Active || !u.Admin {
			continue
		}
		if d := idle(p); d >= AdminIdleDays {
			add(Finding{Kind: AdminInactive, Severity: Warning, Users: []Named{{u.ID, p.Name}}, Fix: deactivate(u),
				Message: apperr.Textf("%s holds Admin and has not signed in for %d days.", p.Name, d)})
		}
	}
	for _, u := range lv.Users {
		p := people[u.ID]
		if p == nil || !u.Active || u.Admin { // an idle admin is told of above
			continue
		}
		if d := idle(p); d >= AccountIdleDays {
			add(Finding{Kind: AccountInactive, Severity: Notice, Users: []Named{{u.ID, p.Name}}, Fix: deactivate(u),
				Message: apperr.Textf("%s has not signed in for %d days. Deactivate the account if it is no longer needed.", p.Name, d)})
		}
	}
	for _, u := range lv.Users {
		p := people[u.ID]
		if p != nil && u.Active && u.ByMembership && u.Projects == 0 {
			add(Finding{Kind: StaffNoProject, Severity: Notice, Users: []Named{{u.ID, p.Name}},
				Message: apperr.Textf("%s is on no project, and their role sees only the projects they are on: add them to a project, or deactivate the account.", p.Name)})
		}
	}
	for _, u := range lv.Users {
		p := people[u.ID]
		if p != nil && u.Active && u.Client && u.Projects > ClientManyProjects {
			add(Finding{Kind: ClientManyProjs, Severity: Notice, Users: []Named{{u.ID, p.Name}},
				Message: apperr.Textf("%s, a client account, is attached to %d projects: check that each one still needs them.", p.Name, u.Projects)})
		}
	}

	settings, err := s.store.SignInSettings(ctx)
	if err != nil {
		return nil, err
	}
	if r, ok := roleByID[settings.DefaultRoleID]; ok && r.AboveClient {
		add(Finding{Kind: GoogleDefaultRole, Severity: Warning, Roles: []Named{{r.ID, r.Name}},
			Fix:     &Fix{Action: FixDefaultRoleClient, RoleID: authz.RoleClient, Allowed: lv.CanSetDefaultClient},
			Message: apperr.Textf("Google sign-in gives new accounts the role %s, which holds more than the built-in Client role: give strangers the least, the Client role.", r.Name)})
	}

	for _, r := range lv.Roles {
		// The sign-in default is in use even while nobody holds it yet.
		if !r.BuiltIn && r.Holders == 0 && r.ID != settings.DefaultRoleID {
			add(Finding{Kind: RoleUnused, Severity: Notice, Roles: []Named{{r.ID, r.Name}},
				Fix:     &Fix{Action: FixDeleteRole, RoleID: r.ID, Allowed: r.CanDelete},
				Message: apperr.Textf("Nobody holds the custom role %s: delete it if it is no longer needed.", r.Name)})
		}
	}
	for _, r := range lv.Roles {
		if !r.BuiltIn && generic.MatchString(r.Name) {
			add(Finding{Kind: RoleGenericName, Severity: Notice, Roles: []Named{{r.ID, r.Name}},
				Fix:     &Fix{Action: FixEditRole, RoleID: r.ID, Allowed: r.CanEdit},
				Message: apperr.Textf("The role %s has a generic name: name it for what its holders do, like Bookkeeper.", r.Name)})
		}
	}
	same := map[string][]authz.LintRole{}
	var sigs []string
	for _, r := range lv.Roles {
		if len(same[r.Same]) == 0 {
			sigs = append(sigs, r.Same)
		}
		same[r.Same] = append(same[r.Same], r)
	}
	for _, sig := range sigs {
		if rs := same[sig]; len(rs) > 1 {
			f := Finding{Kind: RoleDuplicate, Severity: Notice}
			names := make([]string, len(rs))
			for i, r := range rs {
				f.Roles = append(f.Roles, Named{r.ID, r.Name})
				names[i] = r.Name
			}
			f.Message = apperr.Textf("The roles %s hold exactly the same permissions: keep one and move its holders there.", strings.Join(names, ", "))
			add(f)
		}
	}

	for _, u := range lv.Users {
		p := people[u.ID]
		if p == nil || u.Active {
			continue
		}
		open, err := s.store.OpenTasksAssignedTo(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		n := 0 // only the tasks the reader sees
		for _, t := range open {
			if s.authz.Check(actor, authz.View, authz.TaskRef(t.ID)) == nil {
				n++
			}
		}
		switch {
		case n == 1:
			add(Finding{Kind: DeactivatedOwnsOpen, Severity: Warning, Users: []Named{{u.ID, p.Name}},
				Message: apperr.Textf("%s is deactivated and still has 1 open task: reassign it.", p.Name)})
		case n > 1:
			add(Finding{Kind: DeactivatedOwnsOpen, Severity: Warning, Users: []Named{{u.ID, p.Name}},
				Message: apperr.Textf("%s is deactivated and still has %d open tasks: reassign them.", p.Name, n)})
		}
	}

	// Extra access ending within a week: whoever relies on it should know, or it can end now.
	grants, err := s.store.OpenUserGrants(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		p := people[g.UserID]
		if p == nil || g.Until == nil || g.Until.After(now.Add(ExpiringDays*24*time.Hour)) {
			continue
		}
		if !g.Until.After(now) {
			// Past its end and still in force: held back (the last active Admin), said
			// until someone else is an Admin and it ends on the next minute's round.
			if s.held != nil && s.held(g) {
				add(Finding{Kind: GrantHeld, Severity: Warning, Users: []Named{{p.ID, p.Name}},
					Message: apperr.Textf("The Admin role given to %s for a while is past its end and kept: %s is the last active Admin. Make someone else an Admin, and it ends within a minute.", p.Name, p.Name)})
			}
			continue
		}
		days := int(g.Until.Sub(now).Hours()/24 + 0.999)
		f := Finding{Kind: GrantsExpiring, Severity: Notice, Users: []Named{{p.ID, p.Name}},
			Fix: &Fix{Action: FixEndGrant, GrantID: g.ID, UserID: p.ID, Allowed: s.mayEnd != nil && s.mayEnd(actor, g)}}
		if days <= 1 {
			f.Message = apperr.Textf("Extra access given to %s by %s ends within a day: give it again if it is still needed, or end it now.", p.Name, g.GivenByName)
		} else {
			f.Message = apperr.Textf("Extra access given to %s by %s ends in %d days: give it again if it is still needed, or end it now.", p.Name, g.GivenByName, days)
		}
		add(f)
	}

	order := map[string]int{}
	for i, k := range Kinds {
		order[k] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Kind] < order[out[j].Kind] })
	return out, nil
}
