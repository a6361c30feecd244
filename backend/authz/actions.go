package authz

import "fmt"

// Action is something a role may be allowed to do: one constant per catalog entry, in
// catalog order, so an action that is not in the catalog cannot be written (init checks
// the two agree). The one action outside the catalog is View: seeing a thing at all,
// decided by its type's visibility rule in rules.go.
type Action uint8

// The catalog's actions.
const (
	ProjectsView         Action = iota // projects.view
	ProjectsCreate                     // projects.create
	ProjectsEdit                       // projects.edit
	ProjectsDelete                     // projects.delete
	ProjectsMembers                    // projects.members
	ProjectsSettings                   // projects.settings
	TasksView                          // tasks.view
	TasksViewInternal                  // tasks.view_internal
	TasksCreate                        // tasks.create
	TasksEdit                          // tasks.edit
	TasksDelete                        // tasks.delete
	TasksAssign                        // tasks.assign
	TasksStatus                        // tasks.status
	TasksColumns                       // tasks.columns
	TasksTypes                         // tasks.types
	TasksReview                        // tasks.review
	UsersView                          // users.view
	UsersCreate                        // users.create
	UsersEdit                          // users.edit
	UsersDeactivate                    // users.deactivate
	UsersDelete                        // users.delete
	TeamsManage                        // teams.manage
	RolesManage                        // roles.manage
	FilesView                          // files.view
	FilesUpload                        // files.upload
	FilesDelete                        // files.delete
	FilesFolders                       // files.folders
	FilesShareClients                  // files.share_clients
	ChatDiscussions                    // chat.discussions
	ChatTaskComments                   // chat.task_comments
	ChatTeam                           // chat.team
	ChatDirect                         // chat.direct
	InvoicesView                       // invoices.view
	InvoicesCreate                     // invoices.create
	InvoicesEdit                       // invoices.edit
	InvoicesSend                       // invoices.send
	InvoicesDelete                     // invoices.delete
	InvoicesPay                        // invoices.pay
	PaymentsView                       // payments.view
	RevenueView                        // revenue.view
	CostsView                          // costs.view
	CostsEdit                          // costs.edit
	RatesView                          // rates.view
	RatesEdit                          // rates.edit
	SettingsGeneral                    // settings.general
	SettingsEmail                      // settings.email
	SettingsIntegrations               // settings.integrations
	SettingsSecurity                   // settings.security
	SettingsLicence                    // settings.licence
	ActivityTeam                       // activity.team
	ActivityClients                    // activity.clients
	ReportsDashboard                   // reports.dashboard
	numActions                         // how many catalog actions there are

	// View is seeing a resource at all; what that takes is its type's rule.
	View Action = 255
)

func init() {
	if len(Catalog) != int(numActions) {
		panic(fmt.Sprintf("authz: %d catalog entries, %d actions", len(Catalog), numActions))
	}
	for i, p := range Catalog {
		if p.Action != Action(i) {
			panic(fmt.Sprintf("authz: catalog entry %d (%s) is action %d", i, p.Key, p.Action))
		}
	}
}

// String is the action's catalog key ("view" for View).
func (a Action) String() string {
	switch {
	case a == View:
		return "view"
	case a < numActions:
		return Catalog[a].Key
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// ActionOf reads an action from its catalog key ("view" for View): how API input names
// one. Unknown text is not an action.
func ActionOf(key string) (Action, bool) {
	if key == "view" {
		return View, true
	}
	a, ok := byKey[key]
	return a, ok
}
