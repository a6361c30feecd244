package audit

import (
	"fmt"
	"slices"
)

// The catalog of audit actions: every action any service records, with its kind (what the
// activity log's filter groups it under) and which of its details name things by id. It is
// the one list: Record refuses an action that is not here, the API serves it to the
// filter pickers (GET /api/audit/actions), and a test fails when an action has no words in
// the UI's locale files (frontend/src/locales/<language>/activity.json, actions.<code>) or
// a kind none (kinds.<kind>).

// Kinds of action, in the order the filter offers them.
const (
	KindSignIn     = "sign_in" // signing in, passwords, second factors, view-as
	KindUser       = "user"
	KindRole       = "role"
	KindProject    = "project"
	KindTeam       = "team"
	KindBoard      = "board"
	KindTask       = "task"
	KindFile       = "file"
	KindDiscussion = "discussion"
	KindChat       = "chat"
	KindClient     = "client" // client companies and which company a portal account is in
	KindInvoice    = "invoice"
	KindSettings   = "settings"
)

// Kinds lists every kind, in the filter's order.
var Kinds = []string{KindSignIn, KindUser, KindRole, KindProject, KindTeam, KindBoard, KindTask, KindFile, KindDiscussion,
	KindChat, KindClient, KindInvoice, KindSettings}

// ActionDef is one action of the catalog.
type ActionDef struct {
	Action string
	Kind   string
	// Refs are the details that hold ids, and of what (an authz type name: "user",
	// "team"…): a string id, a list of ids, or {from, to} ids. Record stores each with
	// the thing's name as it is then; the reader shows the name as it is now, when the
	// reader may see the thing, else the recorded one.
	Refs map[string]string
}

var (
	users    = map[string]string{"added": "user", "removed": "user"}
	followed = map[string]string{"follower": "user", "userId": "user"}
	taskRefs = map[string]string{"project": "project", "board": "board", "assignee": "user", "type": "task_type"}
	// folderId, taskId and parentId as first written.
	fileRefs   = map[string]string{"project": "project", "folder": "folder", "folderId": "folder", "task": "task", "taskId": "task"}
	folderRefs = map[string]string{"project": "project", "parent": "folder", "parentId": "folder"}
)

var catalog = []ActionDef{
	// Signing in, passwords and second factors.
	{Action: "session.create", Kind: KindSignIn},
	{Action: "session.fail", Kind: KindSignIn},
	{Action: "session.refused", Kind: KindSignIn},
	{Action: "identity.link", Kind: KindSignIn},
	{Action: "identity.unlink", Kind: KindSignIn},
	{Action: "user.password_change", Kind: KindSignIn},
	{Action: "user.password_set_by_link", Kind: KindSignIn},
	{Action: "user.password_reset", Kind: KindSignIn},
	{Action: "user.reset_requested", Kind: KindSignIn},
	{Action: "user.reset_mail", Kind: KindSignIn},
	{Action: "admin.reset_password", Kind: KindSignIn},
	{Action: "user.two_factor_enabled", Kind: KindSignIn},
	{Action: "user.two_factor_disabled", Kind: KindSignIn},
	{Action: "user.two_factor_reset", Kind: KindSignIn},
	{Action: "user.recovery_codes_replaced", Kind: KindSignIn},
	{Action: "view_as.start", Kind: KindSignIn},

	// People.
	{Action: "setup.owner", Kind: KindUser},
	{Action: "admin.create_owner", Kind: KindUser},
	{Action: "user.create", Kind: KindUser, Refs: map[string]string{"projects": "project", "teams": "team"}}, // an import names them
	{Action: "user.update", Kind: KindUser},
	{Action: "user.email_change_requested", Kind: KindUser},
	{Action: "user.role_change", Kind: KindUser, Refs: map[string]string{"role": "role"}},
	{Action: "user.deactivate", Kind: KindUser},
	{Action: "user.reactivate", Kind: KindUser},
	{Action: "user.delete", Kind: KindUser},
	{Action: "user.invitation_resent", Kind: KindUser},
	{Action: "user.handover", Kind: KindUser, Refs: map[string]string{"to": "user"}},
	{Action: "user.task_rules", Kind: KindUser},
	{Action: "user.hour_rate", Kind: KindUser},
	// Extra grants beyond a role (backend/grants): given, revoked, ended on their date.
	{Action: "grant.create", Kind: KindUser},
	{Action: "grant.revoke", Kind: KindUser},
	{Action: "grant.expire", Kind: KindUser},
	// A role for a while whose end would leave no active Admin: held, tried again each minute.
	{Action: "grant.expire_held", Kind: KindUser},

	{Action: "role.create", Kind: KindRole},
	{Action: "role.clone", Kind: KindRole},
	{Action: "role.update", Kind: KindRole},
	{Action: "role.delete", Kind: KindRole},
	// Access reviews (backend/reviews): what each closing applied is recorded by the
	// services that applied it, as by hand.
	{Action: "review.start", Kind: KindRole, Refs: map[string]string{"reviewers": "user"}},
	{Action: "review.decide", Kind: KindRole, Refs: map[string]string{"user": "user", "role": "role"}},
	{Action: "review.close", Kind: KindRole},

	{Action: "project.create", Kind: KindProject, Refs: map[string]string{"members": "user", "teams": "team", "clients": "user", "company": "company"}},
	{Action: "project.update", Kind: KindProject, Refs: map[string]string{"membersAdded": "user", "membersRemoved": "user",
		"teamsAdded": "team", "teamsRemoved": "team", "clientsAdded": "user", "clientsRemoved": "user", "company": "company"}},
	{Action: "project.delete", Kind: KindProject},
	{Action: "project.budget", Kind: KindProject},
	{Action: "project.cost_add", Kind: KindProject},
	{Action: "project.cost_delete", Kind: KindProject},

	{Action: "team.create", Kind: KindTeam, Refs: map[string]string{"members": "user", "leaders": "user"}},
	{Action: "team.update", Kind: KindTeam, Refs: users},
	{Action: "team.delete", Kind: KindTeam},

	{Action: "board.create", Kind: KindBoard},
	{Action: "board.update", Kind: KindBoard},
	{Action: "board.delete", Kind: KindBoard},

	{Action: "task.create", Kind: KindTask, Refs: taskRefs},
	{Action: "task.update", Kind: KindTask, Refs: taskRefs},
	{Action: "task.move", Kind: KindTask, Refs: taskRefs},
	{Action: "task.delete", Kind: KindTask, Refs: taskRefs},
	{Action: "task.visibility", Kind: KindTask},
	{Action: "task.review", Kind: KindTask},
	{Action: "task.follower_add", Kind: KindTask, Refs: followed},
	{Action: "task.follower_remove", Kind: KindTask, Refs: followed},
	{Action: "task_type.save", Kind: KindTask},
	{Action: "task_type.delete", Kind: KindTask},

	{Action: "file.upload", Kind: KindFile, Refs: fileRefs},
	{Action: "file.update", Kind: KindFile, Refs: fileRefs},
	{Action: "file.delete", Kind: KindFile, Refs: fileRefs},
	// Recorded by the client engagement figures (files downloaded).
	{Action: "file.download", Kind: KindFile, Refs: fileRefs},
	{Action: "folder.create", Kind: KindFile, Refs: folderRefs},
	{Action: "folder.update", Kind: KindFile, Refs: folderRefs},
	{Action: "folder.delete", Kind: KindFile, Refs: folderRefs},

	{Action: "thread.create", Kind: KindDiscussion, Refs: map[string]string{"project": "project"}},
	{Action: "message.post", Kind: KindDiscussion},
	{Action: "message.edit", Kind: KindDiscussion},
	{Action: "message.delete", Kind: KindDiscussion},

	{Action: "chat.message_edit", Kind: KindChat},
	{Action: "chat.message_delete", Kind: KindChat},

	{Action: "company.create", Kind: KindClient},
	{Action: "company.update", Kind: KindClient},
	{Action: "company.delete", Kind: KindClient},
	{Action: "company.cost", Kind: KindClient},
	{Action: "user.company_change", Kind: KindClient, Refs: map[string]string{"from": "company", "to": "company"}},

	{Action: "invoice.create", Kind: KindInvoice},
	{Action: "invoice.update", Kind: KindInvoice},
	{Action: "invoice.delete", Kind: KindInvoice},
	{Action: "invoice.send", Kind: KindInvoice},
	{Action: "invoice.void", Kind: KindInvoice},
	{Action: "invoice.payment", Kind: KindInvoice},
	{Action: "invoice.payment_excess", Kind: KindInvoice},
	{Action: "invoice.checkout", Kind: KindInvoice},
	// Recorded by the client engagement figures (invoices viewed).
	{Action: "invoice.view", Kind: KindInvoice},

	{Action: "settings.general", Kind: KindSettings},
	{Action: "settings.logo", Kind: KindSettings},
	{Action: "settings.logo_remove", Kind: KindSettings},
	{Action: "settings.email", Kind: KindSettings},
	{Action: "settings.sign_in", Kind: KindSettings},
	{Action: "settings.security", Kind: KindSettings},
	{Action: "settings.backups", Kind: KindSettings},
	{Action: "backup.made", Kind: KindSettings},
	{Action: "backup.downloaded", Kind: KindSettings},
	{Action: "invoicing.settings", Kind: KindSettings},
	{Action: "payments.settings", Kind: KindSettings},
}

var byAction = func() map[string]*ActionDef {
	m := make(map[string]*ActionDef, len(catalog))
	for i := range catalog {
		d := &catalog[i]
		if _, dup := m[d.Action]; dup || !slices.Contains(Kinds, d.Kind) {
			panic(fmt.Sprintf("audit: catalog: %s is listed twice or has an unknown kind %q", d.Action, d.Kind))
		}
		m[d.Action] = d
	}
	return m
}()

// Catalog returns every action, in the catalog's order (grouped by kind).
func Catalog() []ActionDef { return slices.Clone(catalog) }

// Lookup returns the catalog's entry for action.
func Lookup(action string) (ActionDef, bool) {
	d, ok := byAction[action]
	if !ok {
		return ActionDef{}, false
	}
	return *d, true
}

// ActionsOf returns the actions of kind ("" for an unknown kind: none).
func ActionsOf(kind string) []string {
	var out []string
	for _, d := range catalog {
		if d.Kind == kind {
			out = append(out, d.Action)
		}
	}
	return out
}
