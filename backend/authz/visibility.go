package authz

import (
	"slices"
	"sort"

	"gatehouse/backend/apperr"
)

// view is one actor's standing, computed once per check or list: the role's relevant
// grants as flags, so that per-task predicates are a few field reads.
type view struct {
	a            *Authorizer
	uid          string
	r            *role
	w            *userWork
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

func (a *Authorizer) viewOf(actor Actor) (*view, error) {
	v := &view{}
	if err := a.fillView(v, actor); err != nil {
		return nil, err
	}
	return v, nil
}

// fillView sets v up for actor; hot paths keep v on the stack.
func (a *Authorizer) fillView(v *view, actor Actor) error {
	r, err := a.actorRole(actor)
	if err != nil {
		return err
	}
	pv, tv := ixProjectsView, ixTasksView
	*v = view{a: a, uid: actor.UserID, r: r, w: a.readWork(actor.UserID), client: r.Kind == KindClient}
	v.projectsView = r.has[pv]
	// A portal role sees only the projects its user is attached to, whatever the scope.
	v.projectsAll = r.has[pv] && r.scopes[pv] == ScopeAll && !v.client
	v.tasksView = r.has[tv]
	v.tasksAll = r.has[tv] && r.scopes[tv] == ScopeAll
	v.internal = r.has[ixTasksInternal]
	if actor.Viewer != "" && actor.Viewer != actor.UserID {
		v.also = &view{}
		if err := a.fillView(v.also, Actor{UserID: actor.Viewer}); err != nil {
			return err
		}
	}
	return nil
}

// has reports whether the role holds key; an unknown key is never held.
func (v *view) has(key string) bool {
	i, ok := permIndex[key]
	return ok && v.r.has[i]
}

func (v *view) scope(key string) Scope {
	i, ok := permIndex[key]
	if !ok {
		return ScopeNone
	}
	return v.r.scopes[i]
}

// seesProject: role scope all; or, for an assigned scope, direct membership or a team that
// is a project member; for portal users, attachment as a client.
func (v *view) seesProject(p *project) bool {
	return v.seesProjectSelf(p) && (v.also == nil || v.also.seesProject(p))
}

func (v *view) seesProjectSelf(p *project) bool {
	if !v.projectsView {
		return false
	}
	if v.client {
		return p.clients[v.uid]
	}
	return v.projectsAll || p.members[v.uid] || v.viaTeam(p) != ""
}

// viaTeam returns a team through which the user is a member of p, or "".
func (v *view) viaTeam(p *project) string {
	for t := range v.w.teams {
		if p.teams[t] {
			return t
		}
	}
	return ""
}

// boardLevel is the user's best invitation to b, directly or through a team. Roles that
// see every project (Admin, Manager) become editors as soon as they are invited.
func (v *view) boardLevel(b *board) Level {
	best := b.access[Principal{"user", v.uid}]
	if best != LevelEditor {
		for t := range v.w.teams {
			if l := b.access[Principal{"team", t}]; l == LevelEditor || (l == LevelMember && best == LevelNone) {
				best = l
			}
		}
	}
	if best != LevelNone && v.projectsAll {
		return LevelEditor
	}
	return best
}

// seesBoard: invite-only boards are seen by those invited and by roles that see every
// project; open boards by every internal user. The portal shows no boards.
func (v *view) seesBoard(b *board) bool {
	if v.client {
		return false
	}
	return (!b.invited || v.projectsAll || v.boardLevel(b) != LevelNone) && (v.also == nil || v.also.seesBoard(b))
}

// boardAllowsTasks: a task on an invite-only board is hidden from whoever does not see that
// board, even in a project they see. Boards are an internal tool the portal never shows,
// so they do not restrict portal users: a client sees every client-visible task of their
// projects ("View tasks marked as client-visible"), without learning of the board.
func (v *view) boardAllowsTasks(boardID string) bool {
	return v.boardAllowsTasksSelf(boardID) && (v.also == nil || v.also.boardAllowsTasks(boardID))
}

func (v *view) boardAllowsTasksSelf(boardID string) bool {
	if boardID == "" || v.client {
		return true
	}
	b := v.a.boards[boardID]
	return b == nil || !b.invited || v.projectsAll || v.boardLevel(b) != LevelNone
}

// seesTaskNormally: through the project and board, within the role's task scope, and
// internal tasks only with tasks.view_internal.
func (v *view) seesTaskNormally(t *task) bool {
	return v.seesTaskNormallySelf(t) && (v.also == nil || v.also.seesTask(t))
}

func (v *view) seesTaskNormallySelf(t *task) bool {
	return v.tasksView && (t.clientVisible || v.internal) && (v.tasksAll || t.assignee == v.uid) &&
		v.seesProjectSelf(t.project) && v.boardAllowsTasksSelf(t.board)
}

// seesTask adds followers: a follower sees that one task and nothing else of its project.
// A portal follower sees it only while it is client-visible in a project they are
// attached to: following never shows a client internal work or another client's.
func (v *view) seesTask(t *task) bool {
	return ((t.followers[v.uid] && v.followerMay(t)) || v.seesTaskNormallySelf(t)) && (v.also == nil || v.also.seesTask(t))
}

func (v *view) followerMay(t *task) bool {
	return !v.client || (t.clientVisible && t.project.clients[v.uid])
}

// canWorkOnBoard: moving, creating and assigning on an invite-only board takes an
// invitation, even for Admins ("if you want them to be able to assign tasks that belong
// to that Board, you need to include them in the list").
func (v *view) canWorkOnBoard(boardID string) bool {
	if boardID == "" {
		return true
	}
	b := v.a.boards[boardID]
	return b != nil && (!b.invited || v.boardLevel(b) != LevelNone)
}

// isBoardEditor: invited as editor on an invite-only board; on an open board, whoever
// manages Kanban columns.
//
// Roles holding projects.settings at scope all (Admin, Manager) may always edit a board's
// settings, invitations included, so a board can never be taken away from them; working
// on its tasks still takes an invitation.
func (v *view) isBoardEditor(b *board) bool {
	if v.client {
		return false
	}
	if v.has("projects.settings") && v.scope("projects.settings") == ScopeAll {
		return true
	}
	if b.invited {
		return v.boardLevel(b) == LevelEditor
	}
	return v.has("tasks.columns")
}

// typeAllows: a task type with an authorisation list lets only those listed (directly or
// through a team) create or assign its tasks.
func (v *view) typeAllows(typeID string, assign bool) bool {
	if typeID == "" {
		return true
	}
	ty := v.a.types[typeID]
	if ty == nil {
		return false // an unknown type authorises nobody
	}
	if len(ty.access) == 0 {
		return true
	}
	ok := func(r TypeRight) bool { return (assign && r.Assign) || (!assign && r.Create) }
	if ok(ty.access[Principal{"user", v.uid}]) {
		return true
	}
	for t := range v.w.teams {
		if ok(ty.access[Principal{"team", t}]) {
			return true
		}
	}
	return false
}

// projectScopeOK: a scoped projects.* permission at "assigned" covers projects the user is
// a member of (directly or through a team).
func (v *view) projectScopeOK(key string, p *project) bool {
	if !v.has(key) {
		return false
	}
	if v.scope(key) == ScopeAll {
		return true
	}
	return !v.client && (p.members[v.uid] || v.viaTeam(p) != "")
}

var (
	hiddenProject = apperr.NotFoundf("No such project.")
	hiddenBoard   = apperr.NotFoundf("No such board.")
	hiddenTask    = apperr.NotFoundf("No such task.")
	hiddenTeam    = apperr.NotFoundf("No such team.")
)

// CanProject decides a project action: projects.view, projects.edit, projects.delete,
// projects.members, projects.settings or tasks.create. A project the actor cannot see is
// 404.
func (a *Authorizer) CanProject(actor Actor, action, id string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canProject(actor, action, id)
}

// CanProject is Authorizer.CanProject under Update's lock.
func (w *Writer) CanProject(actor Actor, action, id string) error {
	return w.a.canProject(actor, action, id)
}

func (a *Authorizer) canProject(actor Actor, action, id string) error {
	v, err := a.viewOf(actor)
	if err != nil {
		return err
	}
	p := a.projects[id]
	if p == nil || !v.seesProject(p) {
		return hiddenProject
	}
	switch action {
	case "projects.view":
		return nil
	case "tasks.create":
		if !v.has("tasks.create") {
			return forbidden(action)
		}
		if !p.active {
			return apperr.New(apperr.Conflict, "archived", "This project is archived; reopen it to add tasks.")
		}
		return nil
	}
	if !v.projectScopeOK(action, p) {
		return forbidden(action)
	}
	return nil
}

// CanCreateProject decides projects.create.
func (a *Authorizer) CanCreateProject(actor Actor) error {
	return a.Can(actor, "projects.create", Resource{})
}

// CanBoard decides a board action: "view", "edit" (name, visibility, stages, invitations,
// delete) for editors.
func (a *Authorizer) CanBoard(actor Actor, action, id string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canBoard(actor, action, id)
}

// CanBoard is Authorizer.CanBoard under Update's lock.
func (w *Writer) CanBoard(actor Actor, action, id string) error {
	return w.a.canBoard(actor, action, id)
}

func (a *Authorizer) canBoard(actor Actor, action, id string) error {
	v, err := a.viewOf(actor)
	if err != nil {
		return err
	}
	b := a.boards[id]
	if b == nil || !v.seesBoard(b) {
		return hiddenBoard
	}
	if action == "edit" && !v.isBoardEditor(b) {
		if b.invited {
			return apperr.New(apperr.Forbidden, "not_editor", "Only this board's editors can change or delete it.")
		}
		return forbidden("tasks.columns")
	}
	return nil
}

// CanReshapeBoard decides the changes to board id that touch its tasks: removing stages
// (their tasks lose their stage), changing who sees the board, deleting it (all: every
// task is touched). The actor must see every task so touched: a board's editor cannot
// reshape the work of projects they cannot see.
func (w *Writer) CanReshapeBoard(actor Actor, id string, removedStages []string, all bool) error {
	a := w.a
	v, err := a.viewOf(actor)
	if err != nil {
		return err
	}
	for _, t := range a.allTasks {
		if t.board != id || (!all && !slices.Contains(removedStages, t.stage)) {
			continue
		}
		if !v.seesTaskNormally(t) {
			return apperr.New(apperr.Forbidden, "hidden_work",
				"This board holds tasks of projects you cannot see. Only someone who sees them all can remove their stages, change who sees the board or delete it.")
		}
	}
	return nil
}

// CanCreateBoard decides who may create boards: whoever manages Kanban columns.
func (a *Authorizer) CanCreateBoard(actor Actor) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, err := a.viewOf(actor)
	if err != nil {
		return err
	}
	if v.client || !v.has("tasks.columns") {
		return forbidden("tasks.columns")
	}
	return nil
}

// TaskChange describes a task being created or changed, for CanTask.
type TaskChange struct {
	ProjectID string // create only
	BoardID   string
	StageID   string
	TypeID    string
	Assignee  string
	// ClientVisible is the new visibility when Visibility is set (and on create).
	ClientVisible bool
	// Which parts change (on update); on create all are set as given.
	Fields, Board, Stage, Type, Assign, Visibility bool
}

// CanViewTask decides whether the actor sees a task (404 otherwise).
func (a *Authorizer) CanViewTask(actor Actor, id string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var v view
	if err := a.fillView(&v, actor); err != nil {
		return err
	}
	t := a.tasks[id]
	if t == nil || !v.seesTask(t) {
		return hiddenTask
	}
	return nil
}

// CanTaskAction decides tasks.delete, tasks.review and chat.task_comments on a task.
func (a *Authorizer) CanTaskAction(actor Actor, action, id string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canTaskAction(actor, action, id)
}

// CanTaskAction is Authorizer.CanTaskAction under Update's lock.
func (w *Writer) CanTaskAction(actor Actor, action, id string) error {
	return w.a.canTaskAction(actor, action, id)
}

func (a *Authorizer) canTaskAction(actor Actor, action, id string) error {
	v, err := a.viewOf(actor)
	if err != nil {
		return err
	}
	t := a.tasks[id]
	if t == nil || !v.seesTask(t) {
		return hiddenTask
	}
	switch action {
	case "chat.task_comments":
		// Followers may comment too, where their role allows comments.
		if !v.has(action) {
			return forbidden(action)
		}
	case "tasks.review":
		if !v.seesTaskNormally(t) || !v.has(action) {
			return forbidden(action)
		}
		if b := a.boards[t.board]; b == nil || b.stages[t.stage] != "review" {
			return apperr.New(apperr.Conflict, "not_in_review", "This task is not waiting for client review.")
		}
	case "tasks.delete", "tasks.edit":
		if !v.seesTaskNormally(t) || !v.has(action) {
			return forbidden(action)
		}
	default:
		return forbidden(action)
	}
	return nil
}

// CanTask decides creating a task (id "") or changing one: the project and board rules,
// the role's tasks.* permissions, the task type's authorisations, and who may open tasks
// for whom. Errors name the field at fault.
func (a *Authorizer) CanTask(actor Actor, id string, c TaskChange) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canTask(actor, id, c)
}

// CanTask is Authorizer.CanTask under Update's lock.
func (w *Writer) CanTask(actor Actor, id string, c TaskChange) error {
	return w.a.canTask(actor, id, c)
}

func (a *Authorizer) canTask(actor Actor, id string, c TaskChange) error {
	v, err := a.viewOf(actor)
	if err != nil {
		return err
	}
	var p *project
	var cur *task
	if id == "" {
		if err := a.canProject(actor, "tasks.create", c.ProjectID); err != nil {
			return err
		}
		p = a.projects[c.ProjectID]
		if c.TypeID != "" && !v.typeAllows(c.TypeID, false) {
			return apperr.New(apperr.Forbidden, "task_type", "You are not authorised to create tasks of this type.")
		}
	} else {
		cur = a.tasks[id]
		if cur == nil || !v.seesTask(cur) {
			return hiddenTask
		}
		if !v.seesTaskNormally(cur) {
			return apperr.New(apperr.Forbidden, "follower_only", "You follow this task; following lets you see it, not change it.")
		}
		p = cur.project
		if c.Board && c.BoardID == cur.board {
			c.Board = false // naming the current board is no move between boards
		}
		if c.Stage && c.StageID == cur.stage && !c.Board {
			c.Stage = false
		}
		if (c.Fields || c.Visibility || c.Type) && !v.has("tasks.edit") {
			return forbidden("tasks.edit")
		}
		if c.Type && c.TypeID != "" && !v.typeAllows(c.TypeID, false) {
			return apperr.New(apperr.Forbidden, "task_type", "You are not authorised to use this task type.")
		}
		// Changing a task's type — to another or to none — takes the right to create tasks
		// of the type it has now; otherwise clearing the type would lift its limits.
		if c.Type && c.TypeID != cur.typeID && cur.typeID != "" && !v.typeAllows(cur.typeID, false) {
			return apperr.New(apperr.Forbidden, "task_type", "Only people authorised for this task's type may change its type.")
		}
		if c.Stage || c.Board {
			if !v.has("tasks.status") {
				return forbidden("tasks.status")
			}
		}
		if c.Stage && !c.Board {
			if !v.canWorkOnBoard(cur.board) {
				return apperr.New(apperr.Forbidden, "not_invited", "Moving tasks on this board needs an invitation to it.")
			}
		}
		if c.Board && c.BoardID != cur.board {
			// Moving between boards is for editors of both.
			for _, bid := range []string{cur.board, c.BoardID} {
				if b := a.boards[bid]; bid != "" && (b == nil || !v.isBoardEditor(b)) {
					return apperr.New(apperr.Forbidden, "not_editor", "Moving tasks between boards is for editors of both boards.")
				}
			}
		}
	}
	if (id == "" || c.Board) && c.BoardID != "" {
		b := a.boards[c.BoardID]
		if b == nil || !v.seesBoard(b) {
			return &apperr.Error{Kind: apperr.Invalid, Code: "invalid", Field: "boardId", Message: "No such board."}
		}
		if !v.canWorkOnBoard(c.BoardID) {
			return apperr.New(apperr.Forbidden, "not_invited", "Creating or moving tasks on this board needs an invitation to it.")
		}
		if c.StageID == "" {
			return apperr.Field("stageId", "Choose a stage of the board.")
		}
	}
	if c.StageID != "" && (id == "" || c.Stage || c.Board) {
		bid := c.BoardID
		if id != "" && !c.Board {
			bid = cur.board
		}
		if b := a.boards[bid]; b == nil || b.stages[c.StageID] == "" {
			return apperr.Field("stageId", "That stage is not on the task's board.")
		}
	}
	assignTo := c.Assignee
	if (id == "" && assignTo != "") || (id != "" && c.Assign && assignTo != cur.assignee) {
		if err := a.canAssign(v, p, cur, c, assignTo); err != nil {
			return err
		}
	}
	// Whoever the task is assigned to after the change must still see it: making a task
	// internal never leaves it with a client assignee who cannot open it.
	if id != "" && !c.Assign && cur.assignee != "" && c.Visibility {
		if !a.assigneeSees(cur.assignee, p, a.resultingVisibility(cur, c)) {
			return apperr.Field("clientVisible", "The task's assignee could not see it any more; assign it to someone else first.")
		}
	}
	return nil
}

func (a *Authorizer) resultingVisibility(cur *task, c TaskChange) bool {
	if cur != nil && !c.Visibility {
		return cur.clientVisible
	}
	return c.ClientVisible
}

// assigneeSees reports whether user uid would see a task of project p with the given
// visibility, through their role and memberships (not as a follower). Boards are left out
// on purpose: an invitation is the board editors' to give, and the assignee picker offers
// the project's people.
func (a *Authorizer) assigneeSees(uid string, p *project, clientVisible bool) bool {
	var av view
	if a.fillView(&av, Actor{UserID: uid}) != nil {
		return false
	}
	return av.tasksView && (clientVisible || av.internal) && av.seesProject(p)
}

func (a *Authorizer) canAssign(v *view, p *project, cur *task, c TaskChange, assignTo string) error {
	self := assignTo == v.uid
	if !v.has("tasks.assign") && !(cur == nil && self) {
		return forbidden("tasks.assign")
	}
	boardID, typeID := c.BoardID, c.TypeID
	if cur != nil {
		if !c.Board {
			boardID = cur.board
		}
		if !c.Type {
			typeID = cur.typeID
		}
	}
	if !v.canWorkOnBoard(boardID) {
		return apperr.New(apperr.Forbidden, "not_invited", "Assigning tasks on this board needs an invitation to it, even for admins.")
	}
	if typeID != "" && !v.typeAllows(typeID, true) {
		return apperr.New(apperr.Forbidden, "task_type", "You are not authorised to assign tasks of this type.")
	}
	if assignTo == "" {
		return nil
	}
	if !self && v.w.noOpen {
		return apperr.New(apperr.Forbidden, "task_rules", "You may not open tasks for other people.")
	}
	u, ok := a.users[assignTo]
	if !ok || !u.active {
		return apperr.Field("assigneeId", "No such active user.")
	}
	if !self && a.readWork(assignTo).noReceive {
		return apperr.Field("assigneeId", "This person does not receive tasks from others.")
	}
	av, err := a.viewOf(Actor{UserID: assignTo})
	if err != nil || !av.seesProject(p) {
		return apperr.Field("assigneeId", "This person cannot see the project, so they cannot be assigned its tasks.")
	}
	if !a.assigneeSees(assignTo, p, a.resultingVisibility(cur, c)) {
		return apperr.Field("assigneeId", "This person could not see this task (it is internal and they are a client), so they cannot be assigned it.")
	}
	return nil
}

// CanTeam decides "view", "edit" (name, members), "leaders" (who leads) and "delete" on a
// team, and "create" (id ""): teams.manage at scope all, or at scope team for the teams one
// leads (edit only: a leader cannot appoint leaders).
func (a *Authorizer) CanTeam(actor Actor, action, id string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canTeam(actor, action, id)
}

// CanTeam is Authorizer.CanTeam under Update's lock.
func (w *Writer) CanTeam(actor Actor, action, id string) error { return w.a.canTeam(actor, action, id) }

func (a *Authorizer) canTeam(actor Actor, action, id string) error {
	v, err := a.viewOf(actor)
	if err != nil {
		return err
	}
	if v.client {
		if id == "" {
			return forbidden("teams.manage")
		}
		return hiddenTeam
	}
	if id == "" {
		if v.scope("teams.manage") != ScopeAll {
			return forbidden("teams.manage")
		}
		return nil
	}
	t := a.teams[id]
	if t == nil {
		return hiddenTeam
	}
	switch action {
	case "view":
		return nil
	case "edit":
		if v.scope("teams.manage") == ScopeAll || (v.has("teams.manage") && t.leaders[v.uid]) {
			return nil
		}
	case "delete", "leaders":
		if v.scope("teams.manage") == ScopeAll {
			return nil
		}
	}
	return forbidden("teams.manage")
}

// CanAddToTeam decides adding people to team id: whoever manages all teams may add any
// internal user; a leader (teams.manage at scope team) only people they may manage —
// accounts they see whose role holds nothing beyond theirs — since a team's members are
// what its leaders' team-scoped activity and view-as reach.
func (w *Writer) CanAddToTeam(actor Actor, id string, uids []string) error {
	a := w.a
	if err := a.canTeam(actor, "edit", id); err != nil {
		return err
	}
	r, err := a.actorRole(actor)
	if err != nil {
		return err
	}
	if r.scopes[permIndex["teams.manage"]] == ScopeAll {
		return nil
	}
	for _, uid := range uids {
		if !a.mayManage(actor, r, uid) {
			return apperr.New(apperr.Forbidden, "escalation",
				"You can add to your team only people you see whose role oversees nothing beyond yours (users, invoicing, settings, reports); ask someone who manages all teams.")
		}
	}
	return nil
}

// TeamCandidates returns the active internal users actor may add to team id (nil when
// they may not edit it), for the member picker.
func (a *Authorizer) TeamCandidates(actor Actor, id string) []string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.canTeam(actor, "edit", id) != nil {
		return nil
	}
	r, _ := a.actorRole(actor)
	all := r.scopes[permIndex["teams.manage"]] == ScopeAll
	out := []string{}
	for uid, u := range a.users {
		if ur := a.roles[u.roleID]; u.active && ur != nil && ur.Kind == KindInternal && (all || a.mayManage(actor, r, uid)) {
			out = append(out, uid)
		}
	}
	sort.Strings(out)
	return out
}

// TypeRights says what actor may do with tasks of type id: create them, assign them.
func (a *Authorizer) TypeRights(actor Actor, id string) TypeRight {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var v view
	if a.fillView(&v, actor) != nil || v.client {
		return TypeRight{}
	}
	return TypeRight{Create: v.has("tasks.create") && v.typeAllows(id, false), Assign: v.has("tasks.assign") && v.typeAllows(id, true)}
}

// CanListInternal decides lists every internal user may read (teams, boards, task
// types); the client portal shows none of them.
func (a *Authorizer) CanListInternal(actor Actor) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, err := a.viewOf(actor)
	if err != nil {
		return err
	}
	if v.client {
		return apperr.New(apperr.Forbidden, "forbidden", "Client (portal) accounts do not see this.")
	}
	return nil
}

// BoardStanding returns whether the actor sees board id, their invitation level, and
// whether they may edit it and work on it (create, move, assign tasks).
func (a *Authorizer) BoardStanding(actor Actor, id string) (sees bool, level Level, edit, work bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, err := a.viewOf(actor)
	b := a.boards[id]
	if err != nil || b == nil || !v.seesBoard(b) {
		return false, LevelNone, false, false
	}
	return true, v.boardLevel(b), v.isBoardEditor(b), v.canWorkOnBoard(id)
}

// TaskActions lists what the actor may do on a task: edit, delete, status, assign,
// review, comment.
func (a *Authorizer) TaskActions(actor Actor, id string) []string {
	out := []string{}
	for _, c := range []struct {
		name string
		ok   func() error
	}{
		{"edit", func() error { return a.CanTaskAction(actor, "tasks.edit", id) }},
		{"delete", func() error { return a.CanTaskAction(actor, "tasks.delete", id) }},
		{"status", func() error { return a.CanTask(actor, id, TaskChange{Stage: true}) }},
		{"assign", func() error { return a.canAssignSomeone(actor, id) }},
		{"review", func() error { return a.CanTaskAction(actor, "tasks.review", id) }},
		{"comment", func() error { return a.CanTaskAction(actor, "chat.task_comments", id) }},
	} {
		if c.ok() == nil {
			out = append(out, c.name)
		}
	}
	return out
}

// canAssignSomeone: the role, board and type rules allow assigning this task at all
// (whom is decided when it happens).
func (a *Authorizer) canAssignSomeone(actor Actor, id string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, err := a.viewOf(actor)
	if err != nil {
		return err
	}
	t := a.tasks[id]
	if t == nil || !v.seesTaskNormally(t) {
		return hiddenTask
	}
	if !v.has("tasks.assign") || !v.canWorkOnBoard(t.board) || (t.typeID != "" && !v.typeAllows(t.typeID, true)) {
		return forbidden("tasks.assign")
	}
	return nil
}

// CanViewAs decides whether actor may see the app read-only as user id: users.view
// covering that user and activity.team. The user must be active (a deactivated account
// sees nothing to show).
//
// Viewing as someone whose role holds anything the viewer's does not would be an
// escalation, so it is refused; at the team scope of activity.team only members of the
// teams the viewer leads can be viewed.
func (a *Authorizer) CanViewAs(actor Actor, id string) error {
	if err := a.Can(actor, "users.view", UserRes(id)); err != nil {
		return err
	}
	if err := a.Can(actor, "activity.team", Resource{}); err != nil {
		return err
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	target, ok := a.users[id]
	if !ok || !target.active {
		return apperr.New(apperr.Conflict, "deactivated", "This account is deactivated: it sees nothing.")
	}
	mine, _ := a.actorRole(actor)
	if tr := a.roles[target.roleID]; tr == nil || !subset(tr, mine) {
		return apperr.New(apperr.Forbidden, "escalation", "This person's role holds permissions yours does not; you cannot view the app as them.")
	}
	if mine.scopes[permIndex["activity.team"]] != ScopeAll && id != actor.UserID {
		for tid := range a.readWork(actor.UserID).teams {
			if t := a.teams[tid]; t != nil && t.leaders[actor.UserID] && t.members[id] {
				return nil
			}
		}
		return apperr.New(apperr.Forbidden, "forbidden", "You may view the app only as members of the teams you lead.")
	}
	return nil
}

// CanFollow decides whether actor may make userID a follower of a task: they may edit
// the task, and the follower is an active internal user, or a portal user attached to the
// task's project while the task is client-visible.
func (a *Authorizer) CanFollow(actor Actor, taskID, userID string) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.canFollow(actor, taskID, userID)
}

// CanFollow is Authorizer.CanFollow under Update's lock.
func (w *Writer) CanFollow(actor Actor, taskID, userID string) error {
	return w.a.canFollow(actor, taskID, userID)
}

func (a *Authorizer) canFollow(actor Actor, taskID, userID string) error {
	if err := a.canTaskAction(actor, "tasks.edit", taskID); err != nil {
		return err
	}
	var fv view
	if a.fillView(&fv, Actor{UserID: userID}) != nil {
		return apperr.Field("userId", "No such active user.")
	}
	if !fv.followerMay(a.tasks[taskID]) {
		return apperr.Field("userId", "A client can follow only client-visible tasks of their own projects.")
	}
	return nil
}
