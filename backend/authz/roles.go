package authz

import (
	"fmt"
	"slices"
	"sort"

	"gatehouse/backend/apperr"
)

// Grant is one permission a role holds, with its scope.
type Grant struct {
	Key   string `json:"key"`
	Scope Scope  `json:"scope"`
}

// IDs of the built-in roles (rows seeded by the first migration).
const (
	RoleAdmin  = "admin"
	RoleStaff  = "staff"
	RoleClient = "client"
)

// everything grants every permission a role of kind k may hold, at its widest scope.
func everything(k Kind) []Grant {
	var out []Grant
	for _, p := range Catalog {
		if !p.AllowedFor(k) {
			continue
		}
		s := ScopeNone
		if len(p.Scopes) > 0 {
			s = p.Scopes[len(p.Scopes)-1]
		}
		out = append(out, Grant{p.Key, s})
	}
	return out
}

func g(a Action, scope ...Scope) Grant {
	if len(scope) == 0 {
		return Grant{Key: Catalog[a].Key}
	}
	return Grant{Key: Catalog[a].Key, Scope: scope[0]}
}

// BuiltIn holds the permissions of the built-in roles, read from the first article's role
// descriptions and its Role Comparison Table.
var BuiltIn = map[string][]Grant{
	// "Full, unrestricted access to everything" except paying invoices ("No (admin
	// creates invoices)"): invoices.pay is a portal permission, not held by internal roles.
	RoleAdmin: everything(KindInternal),
	// "Project-level access limited to assignments": view and work on assigned projects,
	// create/edit/complete tasks, upload and manage files, discussions, task chat, team chat,
	// 1:1 messages, Kanban. No finance, users, settings or activity.
	RoleStaff: {
		g(ProjectsView, ScopeAssigned),
		g(TasksView, ScopeAll), g(TasksViewInternal), g(TasksCreate), g(TasksEdit),
		g(TasksAssign), g(TasksStatus), g(TasksColumns),
		g(FilesView), g(FilesUpload), g(FilesDelete), g(FilesFolders),
		g(ChatDiscussions), g(ChatTaskComments), g(ChatTeam), g(ChatDirect),
	},
	// "Portal-only access limited to their assigned projects": client-visible tasks, download
	// (and, limited, upload) portal files, discussions and chat, own invoices and payments,
	// approve or request changes on tasks in client review.
	RoleClient: {
		g(ProjectsView, ScopeAssigned),
		g(TasksView, ScopeAll), g(TasksReview),
		g(FilesView), g(FilesUpload),
		g(ChatDiscussions), g(ChatTaskComments),
		g(InvoicesView, ScopeOwn), g(InvoicesPay, ScopeOwn),
	},
}

// Template is a starting point for a custom role. Assignable are the roles its holders
// may give (built-in role ids).
type Template struct {
	Key         string
	Name        string
	Kind        Kind
	Description string
	Source      string
	Grants      []Grant
	Assignable  []string
}

const (
	article1 = "Example custom roles (users and roles article)"
	article2 = "Hierarchical profiles (user permissions article)"
)

// Templates are the first article's five example roles, the second article's Manager and
// Team Leader profiles, and its "users on the account may add users, if the Administrator
// permits it" as the People Manager.
var Templates = []Template{
	{Key: "project-manager", Name: "Project Manager", Kind: KindInternal, Source: article1,
		Description: "Sees all projects, manages tasks and files, assigns team members and views team activity; no settings, invoicing or user management.",
		Grants: []Grant{
			g(ProjectsView, ScopeAll), g(ProjectsMembers, ScopeAll),
			g(TasksView, ScopeAll), g(TasksViewInternal), g(TasksCreate), g(TasksEdit), g(TasksDelete),
			g(TasksAssign), g(TasksStatus), g(TasksColumns),
			g(FilesView), g(FilesUpload), g(FilesDelete), g(FilesFolders), g(FilesShareClients),
			g(ChatDiscussions), g(ChatTaskComments), g(ChatTeam), g(ChatDirect),
			g(ActivityTeam, ScopeAll),
		}},
	{Key: "bookkeeper", Name: "Bookkeeper", Kind: KindInternal, Source: article1,
		Description: "Creates, edits and sends invoices, views payment history, revenue and the client list; no projects, tasks, files, settings or user management.",
		Grants: []Grant{
			g(InvoicesView, ScopeAll), g(InvoicesCreate), g(InvoicesEdit), g(InvoicesSend),
			g(PaymentsView), g(RevenueView), g(UsersView, ScopeClients),
		}},
	{Key: "senior-designer", Name: "Senior Designer", Kind: KindInternal, Source: article1,
		Description: "Assigned projects with full task management, file upload and management, and team chat; no invoicing, users, settings, clients or activity.",
		Grants: []Grant{
			g(ProjectsView, ScopeAssigned),
			g(TasksView, ScopeAll), g(TasksViewInternal), g(TasksCreate), g(TasksEdit), g(TasksDelete),
			g(TasksAssign), g(TasksStatus), g(TasksColumns),
			g(FilesView), g(FilesUpload), g(FilesDelete), g(FilesFolders),
			g(ChatDiscussions), g(ChatTaskComments), g(ChatTeam),
		}},
	{Key: "external-contractor", Name: "External Contractor", Kind: KindInternal, Source: article1,
		Description: "Assigned projects, views and completes only the tasks assigned to them, uploads files and uses project chat; cannot create projects, see other members' tasks, manage users, invoicing or settings.",
		Grants: []Grant{
			g(ProjectsView, ScopeAssigned),
			g(TasksView, ScopeAssigned), g(TasksViewInternal), g(TasksStatus),
			g(FilesView), g(FilesUpload),
			g(ChatDiscussions),
		}},
	{Key: "director-read-only", Name: "Director (Read-Only)", Kind: KindInternal, Source: article1,
		Description: "Sees all projects, tasks, invoicing data, activity feeds and reports; cannot create, edit or delete anything, manage users or change settings.",
		Grants: []Grant{
			g(ProjectsView, ScopeAll), g(TasksView, ScopeAll), g(TasksViewInternal), g(FilesView),
			g(InvoicesView, ScopeAll), g(PaymentsView), g(RevenueView), g(CostsView),
			g(ActivityTeam, ScopeAll), g(ActivityClients), g(ReportsDashboard, ScopeAll),
		}},
	{Key: "manager", Name: "Manager", Kind: KindInternal, Source: article2,
		Description: "Accesses all account data and reports, manages clients' projects, project settings and tasks, and sees company costs; cannot manage users, roles or account settings.",
		Grants: []Grant{
			g(ProjectsView, ScopeAll), g(ProjectsCreate), g(ProjectsEdit, ScopeAll), g(ProjectsMembers, ScopeAll),
			g(ProjectsSettings, ScopeAll),
			g(TasksView, ScopeAll), g(TasksViewInternal), g(TasksCreate), g(TasksEdit), g(TasksDelete),
			g(TasksAssign), g(TasksStatus), g(TasksColumns),
			g(TasksTypes), g(UsersView, ScopeAll),
			g(FilesView), g(FilesUpload), g(FilesDelete), g(FilesFolders), g(FilesShareClients),
			g(ChatDiscussions), g(ChatTaskComments), g(ChatTeam), g(ChatDirect),
			g(InvoicesView, ScopeAll), g(PaymentsView), g(RevenueView),
			// "view company costs and edit items such as client cost/month, project
			// budget, and extra cost. Managers are not allowed to change employee-hour costs."
			g(CostsView), g(CostsEdit), g(RatesView),
			g(ActivityTeam, ScopeAll), g(ActivityClients), g(ReportsDashboard, ScopeAll),
		}},
	{Key: "team-leader", Name: "Team Leader", Kind: KindInternal, Source: article2,
		Description: "Works on assigned projects, opens and assigns tasks, sees internal users, and the activity and reports of their own team.",
		Grants: []Grant{
			g(ProjectsView, ScopeAssigned),
			g(TasksView, ScopeAll), g(TasksViewInternal), g(TasksCreate), g(TasksEdit), g(TasksAssign), g(TasksStatus),
			g(UsersView, ScopeStaff), g(TeamsManage, ScopeTeam),
			g(FilesView), g(FilesUpload),
			g(ChatDiscussions), g(ChatTaskComments), g(ChatTeam), g(ChatDirect),
			g(ActivityTeam, ScopeTeam), g(ReportsDashboard, ScopeTeam),
		}},
	// "Adding a user to the account can only be done by the Administrator, or, if they
	// permit it, all users on the account may do so": a role that adds and looks after
	// Staff and Client accounts without holding their work permissions (it lists them as
	// roles its holders may give). Deleting accounts stays with the Administrator.
	{Key: "people-manager", Name: "People Manager", Kind: KindInternal, Source: article2,
		Description: "Adds Staff and Client accounts and looks after them: corrects names, moves people between those roles, deactivates and reactivates them. It gives the Staff and Client roles without holding their permissions, and no role above its own; it cannot reset their passwords or delete accounts.",
		Grants: []Grant{
			g(UsersView, ScopeAll), g(UsersCreate, ScopeAll), g(UsersEdit, ScopeAll), g(UsersDeactivate, ScopeAll),
		},
		Assignable: []string{RoleStaff, RoleClient}},
}

// NormalizeGrants checks grants against the catalog for a role of kind k and returns them
// in catalog order. Every problem is a 422 on the "permissions" field naming the key.
func NormalizeGrants(k Kind, grants []Grant) ([]Grant, error) {
	if k != KindInternal && k != KindClient {
		return nil, apperr.Field("kind", "Kind must be %q or %q.", KindInternal, KindClient)
	}
	seen := map[string]bool{}
	out := make([]Grant, 0, len(grants))
	for _, gr := range grants {
		p, ok := Lookup(gr.Key)
		if !ok {
			return nil, apperr.Field("permissions", "Unknown permission %q.", gr.Key)
		}
		if seen[gr.Key] {
			return nil, apperr.Field("permissions", "Permission %q is listed twice.", gr.Key)
		}
		seen[gr.Key] = true
		if len(p.Scopes) == 1 && gr.Scope == ScopeNone {
			gr.Scope = p.Scopes[0] // the only scope there is
		}
		if !p.validScope(gr.Scope) {
			if len(p.Scopes) == 0 {
				return nil, apperr.Field("permissions", "Permission %q takes no scope.", gr.Key)
			}
			return nil, apperr.Field("permissions", "Permission %q needs a scope: one of %v.", gr.Key, p.Scopes)
		}
		if !p.AllowedFor(k) {
			if k == KindClient {
				return nil, apperr.Field("permissions", "A client (portal) role cannot hold %q (%s).", gr.Key, p.LabelText())
			}
			return nil, apperr.Field("permissions", "Only client (portal) roles can hold %q (%s).", gr.Key, p.LabelText())
		}
		out = append(out, gr)
	}
	sort.Slice(out, func(i, j int) bool { return byKey[out[i].Key] < byKey[out[j].Key] })
	return out, nil
}

// Diff lists what changed from old to new grants, for the audit log: keys added, removed,
// and keys whose scope changed ("key: old → new").
func Diff(old, new []Grant) (added, removed, changed []string) {
	om := map[string]Scope{}
	for _, gr := range old {
		om[gr.Key] = gr.Scope
	}
	nm := map[string]Scope{}
	for _, gr := range new {
		nm[gr.Key] = gr.Scope
		if s, ok := om[gr.Key]; !ok {
			added = append(added, label(gr))
		} else if s != gr.Scope {
			changed = append(changed, fmt.Sprintf("%s: %s → %s", gr.Key, s, gr.Scope))
		}
	}
	for _, gr := range old {
		if _, ok := nm[gr.Key]; !ok {
			removed = append(removed, label(gr))
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	slices.Sort(changed)
	return
}

func label(gr Grant) string {
	if gr.Scope == ScopeNone {
		return gr.Key
	}
	return gr.Key + ":" + string(gr.Scope)
}

// NormalizeAssignable returns the roles a role lets its holders give, each once, sorted;
// an empty id is a 422 on "assignableRoleIds". Whether each exists, and whether the
// editor may list it, is decided under the lock (RolesManage with Change.Def).
func NormalizeAssignable(ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id == "" {
			return nil, apperr.Field("assignableRoleIds", "A role to give is missing its id.")
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
