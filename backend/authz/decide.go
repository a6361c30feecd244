package authz

import (
	"gatehouse/backend/apperr"
)

// Level is a board invitation level.
type Level string

// Board invitation levels.
const (
	LevelNone   Level = ""
	LevelMember Level = "member" // view, move tasks between stages, create tasks in stages
	LevelEditor Level = "editor" // also edit the board and its stages, delete it, move tasks between boards
)

// TypeRight says what a user or team may do with tasks of a type.
type TypeRight struct {
	Create bool `json:"create"`
	Assign bool `json:"assign"`
}

// RoleDef is a role's definition as a role change proposes it. Assignable are the roles
// its holders may give to others (ids).
type RoleDef struct {
	ID         string
	Name       string
	Kind       Kind
	BuiltIn    bool
	Grants     []Grant
	Assignable []string
}

// TaskChange is what a task is created with, or changed to. On a change, the flags say
// which parts change; only those fields are read.
type TaskChange struct {
	BoardID, StageID, TypeID, AssigneeID string
	ClientVisible                        bool

	Fields, Board, Stage, Type, Assign, Visibility bool
}

// Change is the second thing an action concerns, for the actions that have one; each
// action reads only its own fields.
type Change struct {
	// Task is the task being created (TasksCreate on a project) or changed.
	Task *TaskChange
	// Follower is the person made a follower of a task (TasksEdit).
	Follower string
	// Role is the role given to an account (UsersCreate, UsersEdit), or the role a deleted
	// role's holders move to (RolesManage with Delete).
	Role string
	// Password: an administrator's password reset, or a reset or welcome mail sent to the
	// account (UsersEdit).
	Password bool
	// Email: changing the account's email (UsersEdit). Whoever holds an account's email
	// can have its password reset, so this is taking the account over, like Password.
	Email bool
	// Deactivate: deactivating the account (UsersDeactivate; without it, reactivating).
	Deactivate bool
	// Def is a role's new definition (RolesManage: create, edit).
	Def *RoleDef
	// Clone: copying a role, built-in ones included (RolesManage).
	Clone bool
	// Delete: deleting the thing (roles, teams, boards).
	Delete bool
	// Members are people added to a team; Leaders says its leaders change (TeamsManage).
	Members []string
	Leaders bool
	// RemovedStages are a board's stages being removed; Visibility says who sees the
	// board changes (TasksColumns).
	RemovedStages []string
	Visibility    bool
	// Author is the author of the message being edited or deleted (ChatDiscussions on a
	// thread, ChatTeam or ChatDirect on a channel): one changes only one's own.
	Author string
	// Payment: recording money received on a sent invoice (InvoicesEdit).
	Payment bool
	// Trust: the settings that decide whom sign-in trusts (SettingsIntegrations), where
	// password links go (SettingsEmail), or that weaken how sign-in is guarded
	// (SettingsSecurity); and backups, which hold everything (SettingsLicence).
	Trust bool
	// TwoFactor: an administrator's reset of an account's second factor (UsersEdit).
	TwoFactor bool
}

// view is one actor's standing, computed once per decision: the role's relevant grants as
// flags, so the predicates of rules.go are a few field reads. It lives on the stack.
type view struct {
	uh           handle
	u            *userRec
	r            *roleRec
	client       bool
	projectsView bool
	projectsAll  bool
	tasksView    bool
	tasksAll     bool
	internal     bool // may see tasks not marked client-visible
	// also is the viewer's own view when the actor is being viewed as (Actor.Viewer):
	// what the actor sees is then only what both see.
	also *view
}

func (v *view) has(a Action) bool { return a < numActions && v.r.holds(a) }

func (v *view) scope(a Action) Scope {
	if a >= numActions {
		return ScopeNone
	}
	return v.r.scope[a]
}

var errNoSession = apperr.New(apperr.Unauthenticated, "unauthenticated", "Your session has ended. Sign in again.")

// actorRecord finds the actor's user and role: an unknown or deactivated account has no
// standing (their sessions are gone too, but the index is the authority).
func (rd *Reader) actorRecord(actor Actor) (handle, *userRec, *roleRec, error) {
	x := rd.x
	var uh handle
	if actor.h > 0 && int(actor.h) <= len(x.users) && x.users[actor.h-1].id == actor.UserID {
		uh = actor.h - 1
	} else {
		h, ok := x.userIDs.lookup(actor.UserID)
		if !ok {
			return none, nil, nil, errNoSession
		}
		uh = h
	}
	u := &x.users[uh]
	if !u.alive || !u.active || u.role < 0 || !x.roles[u.role].alive {
		return none, nil, nil, errNoSession
	}
	return uh, u, x.roleOf(u), nil
}

func (rd *Reader) viewOf(actor Actor, v *view) error {
	uh, u, r, err := rd.actorRecord(actor)
	if err != nil {
		return err
	}
	*v = view{uh: uh, u: u, r: r, client: r.kind == KindClient}
	v.projectsView = r.holds(ProjectsView)
	// A portal role sees only the projects its user is attached to, whatever the scope.
	v.projectsAll = v.projectsView && r.scope[ProjectsView] == ScopeAll && !v.client
	v.tasksView = r.holds(TasksView)
	v.tasksAll = v.tasksView && r.scope[TasksView] == ScopeAll
	v.internal = r.holds(TasksViewInternal)
	if actor.Viewer != "" && actor.Viewer != actor.UserID {
		v.also = &view{}
		if err := rd.viewOf(Actor{UserID: actor.Viewer}, v.also); err != nil {
			return err
		}
	}
	return nil
}

func forbidden(a Action) error {
	if a >= numActions {
		return errForbidden
	}
	return forbiddenTo[a]
}

// The refusals, made once: a denied check allocates nothing. (Errors are never changed
// after they are made.)
var (
	errForbidden = apperr.New(apperr.Forbidden, "forbidden", "Your role does not allow this.")
	forbiddenTo  = func() (out [numActions]error) {
		for a := range numActions {
			out[a] = apperr.New(apperr.Forbidden, "forbidden", "Your role does not allow this (%s: %s).", a, Catalog[a].LabelText())
		}
		return out
	}()
)

func notApplicable(a Action, t Type) error {
	return apperr.New(apperr.Forbidden, "forbidden", "%s is not something one can do to a %s.", a, t)
}

// Check decides whether actor may do action to res: see Authorizer.Check.
func (rd *Reader) Check(actor Actor, a Action, res Ref, chg ...Change) error {
	var v view
	if err := rd.viewOf(actor, &v); err != nil {
		return err
	}
	var c Change
	if len(chg) > 0 {
		c = chg[0]
	}
	return rd.decide(&v, a, res, &c, nil)
}

// Allowed lists which of actions actor may do to res.
func (rd *Reader) Allowed(actor Actor, res Ref, actions ...Action) []string {
	out := []string{}
	var v view
	if rd.viewOf(actor, &v) != nil {
		return out
	}
	for _, a := range actions {
		if rd.decide(&v, a, res, &Change{}, nil) == nil {
			out = append(out, a.String())
		}
	}
	return out
}

// decide is the one decision: the rule of res's type for action a. With y set it also
// records why (the paths by which v reaches res, or the missing link).
func (rd *Reader) decide(v *view, a Action, res Ref, c *Change, y *why) error {
	switch res.Type {
	case System:
		return rd.decideSystem(v, a, c)
	case User:
		return rd.decideUser(v, a, res.ID, c)
	case Role:
		return rd.decideRole(v, a, res.ID, c)
	case Project:
		return rd.decideProject(v, a, res.ID, c, y)
	case Team:
		return rd.decideTeam(v, a, res.ID, c)
	case Board:
		return rd.decideBoard(v, a, res.ID, c, y)
	case Task:
		return rd.decideTask(v, a, res.ID, c, y)
	case TaskType:
		return rd.decideTaskType(v, a, res.ID)
	case File:
		return rd.decideFile(v, a, res.ID, y)
	case Folder:
		return rd.decideFolder(v, a, res.ID)
	case Thread:
		return rd.decideThread(v, a, res.ID, c, y)
	case Channel:
		return rd.decideChannel(v, a, res.ID, c, y)
	case Company:
		return rd.decideCompany(v, a, res.ID, y)
	case Invoice:
		return rd.decideInvoice(v, a, res.ID, c, y)
	}
	return apperr.Field("resourceType", "Unknown resource type.")
}

// why records, for explanations, the paths by which someone reaches a thing or the first
// link that is missing. A nil *why records nothing (the decisions' hot path).
type why struct {
	paths   []Path
	missing apperr.Text
}

func (y *why) path(p Path) {
	if y != nil {
		y.paths = append(y.paths, p)
	}
}

// miss records the missing link (the first one named wins) and reports false.
func (y *why) miss(format string, args ...any) bool {
	if y != nil && y.missing.IsZero() {
		y.missing = apperr.Textf(format, args...)
	}
	return false
}
