// Package authz is the one place that decides who may do what. Its files follow its four
// ideas:
//
//   - the catalog and roles (catalog.go, actions.go, roles.go): every permission, as typed
//     actions, the built-in roles and the templates;
//   - the index (index.go, load.go): an in-memory copy of who holds which role and who is
//     on what, with interned ids and bitsets, built from the store at start and changed only
//     by the Writer in the same critical section as each committed write, so a decision is
//     fast and never stale;
//   - decisions (decide.go, rules.go, lists.go): one entry point to ask "may this actor do
//     this to that" (Check) and one to ask "which of these may they see" (Visible and the
//     paged lists), each rule written once, in rules.go, as a predicate that check, list,
//     count, who-can-see and explain all use;
//   - explanations (explain.go): who can see a thing and by which paths, and why one
//     decision went the way it did — read off the same predicates.
//
// It must not write SQL or know about HTTP.
package authz

import (
	"slices"

	"gatehouse/backend/apperr"
)

// Scope narrows a permission. The empty scope means the permission has none.
type Scope string

// Scopes used by the catalog.
const (
	ScopeNone     Scope = ""
	ScopeAssigned Scope = "assigned" // projects: only those the user is a member of; tasks: only those assigned to them
	ScopeAll      Scope = "all"
	ScopeOwn      Scope = "own"     // invoices: only the user's own
	ScopeStaff    Scope = "staff"   // users: only internal (non-portal) accounts
	ScopeClients  Scope = "clients" // users: only portal accounts
	ScopeTeam     Scope = "team"    // reports: only the user's own team
)

// Kind is a role's kind: internal team member or client (portal).
type Kind string

// Role kinds.
const (
	KindInternal Kind = "internal"
	KindClient   Kind = "client"
)

// Area groups permissions as the first article's permission table does.
type Area struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Areas in the order the article lists them.
var Areas = []Area{
	{"projects", "Projects"},
	{"tasks", "Tasks"},
	{"users", "Users"},
	{"files", "Files"},
	{"chat", "Chat / Communication"},
	{"invoicing", "Invoicing / Financial"},
	{"costs", "Costs and rates"},
	{"settings", "Settings"},
	{"reports", "Reports / Activity"},
}

// Permission is one entry of the catalog.
type Permission struct {
	Action      Action  `json:"-"`
	Key         string  `json:"key"`
	Area        string  `json:"area"`
	Label       string  `json:"label"`
	Description string  `json:"description"`
	Scopes      []Scope `json:"scopes"` // narrowest first; empty when unscoped
	// Portal says which role kinds may hold the permission: client-kind (portal) roles may
	// only hold what a client could sensibly do, so a misconfigured portal role cannot
	// see other clients or internal data.
	Portal portal `json:"-"`
	// SelfOnly permissions concern only the holder's own things (paying one's own
	// invoices). Granting them gives no power over anyone else, so they never count as
	// escalation: an Admin, who cannot hold the portal-only invoices.pay, may still create
	// clients who can.
	SelfOnly bool `json:"-"`
	// Planned: the feature it guards is not in Gatehouse yet, so holding it does nothing
	// for now (the UI says so rather than promise it).
	Planned bool `json:"planned,omitempty"`
}

type portal int

const (
	internalOnly portal = iota
	bothKinds
	clientOnly
)

// AllowedFor reports whether a role of kind k may hold p.
func (p Permission) AllowedFor(k Kind) bool {
	switch p.Portal {
	case bothKinds:
		return true
	case clientOnly:
		return k == KindClient
	}
	return k == KindInternal
}

var (
	assignedAll  = []Scope{ScopeAssigned, ScopeAll}
	usersScopes  = []Scope{ScopeStaff, ScopeClients, ScopeAll}
	ownAll       = []Scope{ScopeOwn, ScopeAll}
	teamAll      = []Scope{ScopeTeam, ScopeAll}
	onlyOwnScope = []Scope{ScopeOwn}
)

// Catalog is the single source of every permission. /api/permissions serves it and the
// README's permission reference is generated from it (see TestREADMEPermissionReference).
//
// Design note: DESIGN.md lists tasks.view unscoped; it is scoped here (assigned|all)
// because the first article's External Contractor must "view/complete assigned tasks"
// without "view other team members' tasks", which no unscoped key can express. Likewise
// activity.team and reports.dashboard take a team scope for the second article's Leader.
// teams.manage and tasks.types are not in DESIGN.md's list: the second article has teams
// with leaders who set "permissions for just their specific team", and task types whose
// authorisations someone must manage; both needed a permission of their own.
var Catalog = []Permission{
	{Action: ProjectsView, Key: "projects.view", Area: "projects", Label: "View projects", Description: "See projects and their details.", Scopes: assignedAll, Portal: bothKinds},
	{Action: ProjectsCreate, Key: "projects.create", Area: "projects", Label: "Create projects", Description: "Start new projects."},
	{Action: ProjectsEdit, Key: "projects.edit", Area: "projects", Label: "Edit projects", Description: "Change a project's name, description and status.", Scopes: assignedAll},
	{Action: ProjectsDelete, Key: "projects.delete", Area: "projects", Label: "Delete projects", Description: "Archive or permanently delete projects.", Scopes: assignedAll},
	{Action: ProjectsMembers, Key: "projects.members", Area: "projects", Label: "Assign project members", Description: "Add or remove team members, teams and clients on projects.", Scopes: assignedAll},
	{Action: ProjectsSettings, Key: "projects.settings", Area: "projects", Label: "Manage project settings", Description: "Change project settings such as visibility.", Scopes: assignedAll},

	{Action: TasksView, Key: "tasks.view", Area: "tasks", Label: "View tasks", Description: "See tasks in visible projects: only those assigned to the user, or all.", Scopes: assignedAll, Portal: bothKinds},
	{Action: TasksViewInternal, Key: "tasks.view_internal", Area: "tasks", Label: "View internal tasks", Description: "See tasks not marked client-visible."},
	{Action: TasksCreate, Key: "tasks.create", Area: "tasks", Label: "Create tasks", Description: "Open new tasks in visible projects."},
	{Action: TasksEdit, Key: "tasks.edit", Area: "tasks", Label: "Edit tasks", Description: "Change a task's title, description and due date."},
	{Action: TasksDelete, Key: "tasks.delete", Area: "tasks", Label: "Delete tasks", Description: "Remove tasks."},
	{Action: TasksAssign, Key: "tasks.assign", Area: "tasks", Label: "Assign tasks", Description: "Choose who a task is assigned to."},
	{Action: TasksStatus, Key: "tasks.status", Area: "tasks", Label: "Change task status", Description: "Move tasks between stages and complete them."},
	{Action: TasksColumns, Key: "tasks.columns", Area: "tasks", Label: "Manage Kanban columns", Description: "Add, rename and remove board stages."},
	{Action: TasksTypes, Key: "tasks.types", Area: "tasks", Label: "Manage task types", Description: "Create task types and choose who may create or assign tasks of each type."},
	{Action: TasksReview, Key: "tasks.review", Area: "tasks", Label: "Review tasks", Description: "Approve or request changes on tasks sent for client review.", Portal: bothKinds},

	{Action: UsersView, Key: "users.view", Area: "users", Label: "View users", Description: "See user accounts.", Scopes: usersScopes},
	{Action: UsersCreate, Key: "users.create", Area: "users", Label: "Create users", Description: "Add user accounts.", Scopes: usersScopes},
	{Action: UsersEdit, Key: "users.edit", Area: "users", Label: "Edit users", Description: "Change name, email and role, and reset passwords.", Scopes: usersScopes},
	{Action: UsersDeactivate, Key: "users.deactivate", Area: "users", Label: "Deactivate users", Description: "Deactivate and reactivate accounts.", Scopes: usersScopes},
	{Action: UsersDelete, Key: "users.delete", Area: "users", Label: "Delete users", Description: "Permanently delete accounts.", Scopes: usersScopes},
	{Action: TeamsManage, Key: "teams.manage", Area: "users", Label: "Manage teams", Description: "Create, edit and delete teams and their members: all teams, or only the teams the user leads.", Scopes: teamAll},
	{Action: RolesManage, Key: "roles.manage", Area: "users", Label: "Manage roles", Description: "Create, edit, clone and delete custom roles."},

	{Action: FilesView, Key: "files.view", Area: "files", Label: "Download files", Description: "See and download files.", Portal: bothKinds},
	{Action: FilesUpload, Key: "files.upload", Area: "files", Label: "Upload files", Description: "Upload files.", Portal: bothKinds},
	{Action: FilesDelete, Key: "files.delete", Area: "files", Label: "Delete files", Description: "Remove files."},
	{Action: FilesFolders, Key: "files.folders", Area: "files", Label: "Manage folders", Description: "Create, rename and remove folders."},
	{Action: FilesShareClients, Key: "files.share_clients", Area: "files", Label: "Share files with clients", Description: "Make files visible in the client portal."},

	{Action: ChatDiscussions, Key: "chat.discussions", Area: "chat", Label: "Project discussions", Description: "Take part in project discussions.", Portal: bothKinds},
	{Action: ChatTaskComments, Key: "chat.task_comments", Area: "chat", Label: "Task comments", Description: "Comment on tasks.", Portal: bothKinds},
	{Action: ChatTeam, Key: "chat.team", Area: "chat", Label: "Team chat", Description: "Use the team chat."},
	{Action: ChatDirect, Key: "chat.direct", Area: "chat", Label: "1:1 messages", Description: "Send direct messages."},

	{Action: InvoicesView, Key: "invoices.view", Area: "invoicing", Label: "View invoices", Description: "See invoices: the user's own, or all.", Scopes: ownAll, Portal: bothKinds},
	{Action: InvoicesCreate, Key: "invoices.create", Area: "invoicing", Label: "Create invoices", Description: "Create invoices."},
	{Action: InvoicesEdit, Key: "invoices.edit", Area: "invoicing", Label: "Edit invoices", Description: "Change invoices."},
	{Action: InvoicesSend, Key: "invoices.send", Area: "invoicing", Label: "Send invoices", Description: "Send invoices to clients."},
	{Action: InvoicesDelete, Key: "invoices.delete", Area: "invoicing", Label: "Delete invoices", Description: "Delete invoices."},
	{Action: InvoicesPay, Key: "invoices.pay", Area: "invoicing", Label: "Pay invoices", Description: "Pay one's own invoices through the payment gateway.", Scopes: onlyOwnScope, Portal: clientOnly, SelfOnly: true},
	{Action: PaymentsView, Key: "payments.view", Area: "invoicing", Label: "View payment history", Description: "See payments received."},
	{Action: RevenueView, Key: "revenue.view", Area: "invoicing", Label: "View revenue metrics", Description: "See revenue figures."},

	{Action: CostsView, Key: "costs.view", Area: "costs", Label: "View company costs", Description: "See each client's cost per month, project budgets and extra costs."},
	{Action: CostsEdit, Key: "costs.edit", Area: "costs", Label: "Edit company costs", Description: "Change each client's cost per month, project budgets and extra costs."},
	{Action: RatesView, Key: "rates.view", Area: "costs", Label: "View hour rates", Description: "See what an hour of each team member costs."},
	{Action: RatesEdit, Key: "rates.edit", Area: "costs", Label: "Edit hour rates", Description: "Change what an hour of each team member costs."},

	{Action: SettingsGeneral, Key: "settings.general", Area: "settings", Label: "General settings and branding", Description: "Branding, timezone, currency and language."},
	{Action: SettingsEmail, Key: "settings.email", Area: "settings", Label: "Email settings", Description: "SMTP configuration."},
	{Action: SettingsIntegrations, Key: "settings.integrations", Area: "settings", Label: "Integrations and payment gateways", Description: "Google sign-in, Google Drive, Stripe, PayPal, 2Checkout."},
	{Action: SettingsSecurity, Key: "settings.security", Area: "settings", Label: "Security policies", Description: "Password, session and sign-in throttle policies, and which roles must use two-factor sign-in."},
	{Action: SettingsLicence, Key: "settings.licence", Area: "settings", Label: "Updates and licence", Description: "See the version, the data folder and how to apply updates (Gatehouse needs no licence key), and the backups (making one also needs every permission of the Admin role)."},

	{Action: ActivityTeam, Key: "activity.team", Area: "reports", Label: "View team activity", Description: "See the team activity feed and audit log: of the user's team, or all.", Scopes: teamAll},
	{Action: ActivityClients, Key: "activity.clients", Area: "reports", Label: "View client activity", Description: "See client logins and engagement."},
	{Action: ReportsDashboard, Key: "reports.dashboard", Area: "reports", Label: "Dashboard analytics", Description: "See dashboard analytics: of the user's team, or all.", Scopes: teamAll},
}

// byKey maps a catalog key to its action: the only place a key is read as text (API
// input, stored grants); code names actions by their constants.
var byKey = func() map[string]Action {
	m := make(map[string]Action, len(Catalog))
	for _, p := range Catalog {
		m[p.Key] = p.Action
	}
	return m
}()

// Lookup returns the catalog entry for key.
// LabelText is the permission's label as words of a message, said in the reader's
// language (apperr's catalog holds every label; its test checks them against Catalog).
func (p Permission) LabelText() apperr.Text { return apperr.Textf(p.Label) }

func Lookup(key string) (Permission, bool) {
	a, ok := byKey[key]
	if !ok {
		return Permission{}, false
	}
	return Catalog[a], true
}

// covers reports whether holding scope have includes everything scope want allows.
func covers(have, want Scope) bool {
	return have == want || have == ScopeAll
}

// validScope reports whether s is allowed for p.
func (p Permission) validScope(s Scope) bool {
	if len(p.Scopes) == 0 {
		return s == ScopeNone
	}
	return slices.Contains(p.Scopes, s)
}
