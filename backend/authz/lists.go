package authz

import (
	"container/heap"
	"slices"
	"sort"

	"gatehouse/backend/apperr"
)

// "Which of these may they see": the lists. Each is driven by the index (the actor's
// projects, a project's task list, counts by board) and decided by the same predicates as
// Check; the reference-model test holds lists, counts, checks and explanations to one
// another.

// Visible returns those of ids (of type t) that actor may see, in their order.
func (a *Authorizer) Visible(actor Actor, t Type, ids []string) ([]string, error) {
	var out []string
	err := a.Read(func(rd *Reader) error {
		var err error
		out, err = rd.Visible(actor, t, ids)
		return err
	})
	return out, err
}

// Keep returns those of items actor sees, in their order; id names an item (one read
// lock and one decision per item, for lists of rows read from the store).
func Keep[T any](a *Authorizer, actor Actor, t Type, items []T, id func(T) string) ([]T, error) {
	out := make([]T, 0, len(items))
	err := a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		for _, it := range items {
			if rd.decide(&v, View, Ref{t, id(it)}, &Change{}, nil) == nil {
				out = append(out, it)
			}
		}
		return nil
	})
	return out, err
}

// Visible is Authorizer.Visible for a lock holder.
func (rd *Reader) Visible(actor Actor, t Type, ids []string) ([]string, error) {
	var v view
	if err := rd.viewOf(actor, &v); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if rd.decide(&v, View, Ref{t, id}, &Change{}, nil) == nil {
			out = append(out, id)
		}
	}
	return out, nil
}

// visibleProjects returns the projects v sees, or all=true when v's role sees every
// project (and nobody views as them).
func (rd *Reader) visibleProjects(v *view) (set bitset, all bool) {
	switch {
	case !v.projectsView:
		return nil, false
	case v.client:
		set = slices.Clone(v.u.clientProjects)
	case v.projectsAll:
		if v.also == nil {
			return nil, true
		}
		for ph, p := range rd.x.projects {
			if p.alive {
				set.set(handle(ph))
			}
		}
	default:
		set = v.u.projects.or(v.u.teamProjects)
	}
	if v.also != nil {
		var both bitset
		set.each(func(ph handle) {
			if rd.seesProject(v, ph, nil) {
				both.set(ph)
			}
		})
		return both, false
	}
	return set, false
}

// VisibleProjects returns the ids of the projects the actor sees, or all=true when the
// role sees every project (the list is then the store's to page through).
func (a *Authorizer) VisibleProjects(actor Actor) (ids []string, all bool, err error) {
	err = a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		set, everyone := rd.visibleProjects(&v)
		if everyone {
			all = true
			return nil
		}
		ids = []string{}
		set.each(func(ph handle) {
			if rd.x.projects[ph].alive {
				ids = append(ids, rd.x.projects[ph].id)
			}
		})
		sort.Strings(ids)
		return nil
	})
	return ids, all, err
}

// TaskFilter narrows a task list. Before is a keyset cursor: only tasks created before the
// task with that sequence number (0: from the newest).
type TaskFilter struct {
	ProjectID  string
	BoardID    string
	StageID    string
	AssigneeID string
	Before     int64
	Limit      int
}

// TaskPage is one page of visible tasks, newest first.
type TaskPage struct {
	IDs   []string
	Total int
	Next  int64 // cursor for the next page, 0 when this is the last
}

// VisibleTasks returns a page of the tasks the actor sees that match f, and how many
// match in all. Candidates come from the index (the visible projects' task lists, or the
// user's assigned or followed tasks), merged newest first; the total comes from counts by
// project and board when the filter allows, else from the same predicate as the page.
func (a *Authorizer) VisibleTasks(actor Actor, f TaskFilter) (*TaskPage, error) {
	var page *TaskPage
	err := a.Read(func(rd *Reader) error {
		var err error
		page, err = rd.visibleTasks(actor, f)
		return err
	})
	return page, err
}

func (rd *Reader) visibleTasks(actor Actor, f TaskFilter) (*TaskPage, error) {
	x := rd.x
	var v view
	if err := rd.viewOf(actor, &v); err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	// The filter as handles (an unknown id matches nothing).
	match := func(*taskRec) bool { return true }
	fp, fb, fa := none, none, none
	if f.ProjectID != "" {
		if _, fp = x.project(f.ProjectID); fp < 0 {
			return &TaskPage{IDs: []string{}}, nil
		}
	}
	if f.BoardID != "" {
		if _, fb = x.board(f.BoardID); fb < 0 {
			return &TaskPage{IDs: []string{}}, nil
		}
	}
	if f.AssigneeID != "" {
		h, ok := x.userIDs.lookup(f.AssigneeID)
		if !ok {
			return &TaskPage{IDs: []string{}}, nil
		}
		fa = h
	}
	if fp >= 0 || fb >= 0 || fa >= 0 || f.StageID != "" {
		match = func(t *taskRec) bool {
			return (fp < 0 || t.project == fp) && (fb < 0 || t.board == fb) && (fa < 0 || t.assignee == fa) &&
				(f.StageID == "" || x.more(t).stage == f.StageID)
		}
	}
	var sources [][]handle
	projectsKnown := false // every candidate's project is visible: the predicate's project part holds
	set, all := rd.visibleProjects(&v)
	switch {
	case !v.tasksView:
	case !v.tasksAll:
		sources = append(sources, v.u.assigned)
	case fp >= 0:
		if rd.seesProject(&v, fp, nil) {
			sources, projectsKnown = append(sources, x.projects[fp].tasks), true
		}
	case all:
		sources, projectsKnown = append(sources, x.allTasks), true
	default:
		set.each(func(ph handle) { sources = append(sources, x.projects[ph].tasks) })
		projectsKnown = true
	}
	// Per board, whether v may see its tasks: computed once per list.
	boardOK := make([]int8, len(x.boards)+1) // 0 unknown, 1 yes, 2 no; index board+1
	allowed := func(bh handle) bool {
		i := bh + 1
		if boardOK[i] == 0 {
			boardOK[i] = 2
			if rd.boardAllowsTasks(&v, bh) {
				boardOK[i] = 1
			}
		}
		return boardOK[i] == 1
	}
	normal := func(t *taskRec) bool {
		if !match(t) {
			return false
		}
		if projectsKnown && v.also == nil {
			return (t.clientVisible || v.internal) && allowed(t.board)
		}
		return rd.seesTaskNormally(&v, t, nil)
	}
	// Followed tasks the actor would not see otherwise.
	var followedOnly []handle
	for _, th := range v.u.followed {
		t := &x.tasks[th]
		if match(t) && v.followerMay(t) && !rd.seesTaskNormally(&v, t, nil) && (v.also == nil || rd.seesTask(v.also, t, nil)) {
			followedOnly = append(followedOnly, th)
		}
	}
	sort.Slice(followedOnly, func(i, j int) bool { return x.tasks[followedOnly[i]].seq < x.tasks[followedOnly[j]].seq })
	page := &TaskPage{IDs: make([]string, 0, min(f.Limit, 64))}
	// Total: counts by board where the filter allows, else the predicate over the sources.
	if projectsKnown && f.StageID == "" && fa < 0 && v.also == nil {
		add := func(counts [][2]int32) {
			for i, c := range counts {
				bh := handle(i - 1)
				if (fb >= 0 && bh != fb) || !allowed(bh) {
					continue
				}
				page.Total += int(c[1])
				if v.internal {
					page.Total += int(c[0])
				}
			}
		}
		switch {
		case fp >= 0:
			if len(sources) > 0 {
				add(x.projects[fp].counts)
			}
		case all:
			add(x.counts)
		default:
			set.each(func(ph handle) { add(x.projects[ph].counts) })
		}
	} else {
		for _, s := range sources {
			for _, th := range s {
				if normal(&x.tasks[th]) {
					page.Total++
				}
			}
		}
	}
	page.Total += len(followedOnly)
	// Page: merge the sources newest first from the cursor.
	h := &mergeHeap{tasks: x.tasks}
	for n, s := range append(sources, followedOnly) {
		i := len(s) - 1
		if f.Before > 0 {
			i = sort.Search(len(s), func(i int) bool { return x.tasks[s[i]].seq >= f.Before }) - 1
		}
		if i >= 0 {
			// Items of the last source (followed-only tasks) are taken as they are; the
			// others must pass the predicate.
			h.c = append(h.c, cursor{s, i, n == len(sources)})
		}
	}
	heap.Init(h)
	var last int64
	for h.Len() > 0 && len(page.IDs) <= f.Limit {
		c := h.c[0]
		th, followed := c.s[c.i], c.followed
		if c.i == 0 {
			heap.Pop(h)
		} else {
			h.c[0].i--
			heap.Fix(h, 0)
		}
		t := &x.tasks[th]
		if followed || normal(t) {
			if len(page.IDs) == f.Limit {
				page.Next = last // one more exists: there is a next page
				break
			}
			page.IDs = append(page.IDs, x.more(t).id)
			last = t.seq
		}
	}
	return page, nil
}

type cursor struct {
	s        []handle
	i        int
	followed bool
}

// mergeHeap is a max-heap of cursors by the seq they point at.
type mergeHeap struct {
	c     []cursor
	tasks []taskRec
}

func (h *mergeHeap) Len() int { return len(h.c) }
func (h *mergeHeap) Less(i, j int) bool {
	return h.tasks[h.c[i].s[h.c[i].i]].seq > h.tasks[h.c[j].s[h.c[j].i]].seq
}
func (h *mergeHeap) Swap(i, j int) { h.c[i], h.c[j] = h.c[j], h.c[i] }
func (h *mergeHeap) Push(x any)    { h.c = append(h.c, x.(cursor)) }
func (h *mergeHeap) Pop() any {
	x := h.c[len(h.c)-1]
	h.c = h.c[:len(h.c)-1]
	return x
}

// VisibleTaskCount is how many tasks of a project the actor sees.
func (a *Authorizer) VisibleTaskCount(actor Actor, projectID string) int {
	p, err := a.VisibleTasks(actor, TaskFilter{ProjectID: projectID, Limit: 1})
	if err != nil {
		return 0
	}
	return p.Total
}

// StaffWithoutProjects returns active internal users whose role sees only assigned
// projects and who are in no project (directly or through a team): the staff who would
// sign in to an empty dashboard.
func (a *Authorizer) StaffWithoutProjects() []string {
	out := []string{} // empty, not nil: callers filter by it
	a.Read(func(rd *Reader) error {
		for i := range rd.x.users {
			u := &rd.x.users[i]
			if !u.alive || !u.active || u.role < 0 {
				continue
			}
			r := rd.x.roleOf(u)
			if r.kind != KindInternal || !r.holds(ProjectsView) || r.scope[ProjectsView] == ScopeAll {
				continue
			}
			if u.projects.empty() && u.teamProjects.empty() {
				out = append(out, u.id)
			}
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// ProjectPeople returns who is on a project the actor sees: internal people (direct
// members and members of its teams) and, for internal actors only, its attached clients —
// a portal user does not learn of other clients. Deactivated people are included so their
// past work can still be named.
func (a *Authorizer) ProjectPeople(actor Actor, id string) (internal, clients []string, err error) {
	err = a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		p, ph := rd.x.project(id)
		if p == nil || !rd.seesProject(&v, ph, nil) {
			return hiddenProject
		}
		set := slices.Clone(p.members)
		for _, t := range p.teams {
			set = append(set, rd.x.teams[t].members...)
		}
		slices.Sort(set)
		internal, clients = rd.ids(slices.Compact(set)), []string{}
		if !v.client {
			clients = rd.ids(p.clients)
		}
		return nil
	})
	return internal, clients, err
}

// ids returns the ids of live users, sorted.
func (rd *Reader) ids(hs []handle) []string {
	out := make([]string, 0, len(hs))
	for _, h := range hs {
		if u := &rd.x.users[h]; u.alive {
			out = append(out, u.id)
		}
	}
	sort.Strings(out)
	return out
}

// InternalPeople returns every active internal user, for the pickers internal users need
// (assignees, board invitations, team members); portal users get none.
func (a *Authorizer) InternalPeople(actor Actor, withDeactivated bool) ([]string, error) {
	var out []string
	err := a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		if v.client {
			return apperr.New(apperr.Forbidden, "forbidden", "Client (portal) accounts do not see the team directory.")
		}
		if withDeactivated {
			out = rd.internal(false, func(handle) bool { return true })
		} else {
			out = rd.activeInternal(func(handle) bool { return true })
		}
		return nil
	})
	return out, err
}

func (rd *Reader) activeInternal(keep func(handle) bool) []string {
	return rd.internal(true, keep)
}

// internal lists internal users (only active ones when activeOnly) that keep accepts.
func (rd *Reader) internal(activeOnly bool, keep func(handle) bool) []string {
	out := []string{}
	for uh := range rd.x.users {
		u := &rd.x.users[uh]
		if u.alive && (u.active || !activeOnly) && u.role >= 0 && rd.x.roles[u.role].kind == KindInternal && keep(handle(uh)) {
			out = append(out, u.id)
		}
	}
	sort.Strings(out)
	return out
}

// TeamCandidates returns the active internal users actor may add to team id (nil when
// they may not edit it), for the member picker.
func (a *Authorizer) TeamCandidates(actor Actor, id string) []string {
	var out []string
	a.Read(func(rd *Reader) error {
		var v view
		if rd.viewOf(actor, &v) != nil || rd.decideTeam(&v, TeamsManage, id, &Change{}) != nil {
			return nil
		}
		all := v.scope(TeamsManage) == ScopeAll
		out = rd.activeInternal(func(uh handle) bool { return all || rd.mayManage(&v, uh) })
		return nil
	})
	return out
}

// VisibleUserKinds returns the kinds of accounts actor may list (nil: all kinds), or
// Forbidden when they may see none besides themselves.
func (a *Authorizer) VisibleUserKinds(actor Actor) ([]Kind, error) {
	var out []Kind
	err := a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		if err := rd.decideUser(&v, View, "", &Change{}); err != nil {
			return err
		}
		switch v.scope(UsersView) {
		case ScopeStaff:
			out = []Kind{KindInternal}
		case ScopeClients:
			out = []Kind{KindClient}
		}
		return nil
	})
	return out, err
}

// Nameable returns those of ids whom actor may learn of (their id and name) from the
// things they share: internal users may know anyone; a portal user the team (internal
// users) and themselves, never another client.
func (a *Authorizer) Nameable(actor Actor, ids []string) []string {
	out := make([]string, 0, len(ids))
	a.Read(func(rd *Reader) error {
		var v view
		if rd.viewOf(actor, &v) != nil {
			return nil
		}
		for _, id := range ids {
			if !v.client || id == v.u.id {
				out = append(out, id)
				continue
			}
			if u := rd.x.user(id); u != nil && u.alive && u.role >= 0 && rd.x.roles[u.role].kind == KindInternal {
				out = append(out, id)
			}
		}
		return nil
	})
	return out
}

// AuditView says which audit entries an actor may read.
type AuditView struct {
	All bool // false (team scope): only entries made by or about People
	// People are the actor and the members of the teams they lead whom they may manage.
	People  []string
	Clients bool // entries that involve client (portal) accounts
	// Holds are the keys among those entries may need (costs.view, rates.view) that the
	// reader holds (both people, viewing as someone).
	Holds []string
}

// guarded are the permissions an activity-log entry may need to be read.
var guarded = []Action{CostsView, RatesView, InvoicesView}

func holdsOf(v *view) []string {
	var out []string
	for _, a := range guarded {
		if v.has(a) && (v.also == nil || v.also.has(a)) {
			out = append(out, a.String())
		}
	}
	return out
}

// AuditScope returns what of the audit log actor may read: activity.team is needed;
// activity.clients adds entries that involve portal accounts. At scope team, a leader
// reads the activity of the teams they lead, and of those only entries about things they
// can see themselves (SeesAuditEntry); adding someone to one's team therefore never
// widens one's sight. Viewed as someone, it is what both may read.
func (a *Authorizer) AuditScope(actor Actor) (AuditView, error) {
	var out AuditView
	err := a.Read(func(rd *Reader) error {
		view, err := rd.auditScope(Actor{UserID: actor.UserID})
		if err != nil || actor.Viewer == "" || actor.Viewer == actor.UserID {
			out = view
			return err
		}
		mine, err := rd.auditScope(Actor{UserID: actor.Viewer})
		if err != nil {
			return err
		}
		out = AuditView{All: view.All && mine.All, Clients: view.Clients && mine.Clients}
		for _, k := range view.Holds {
			if slices.Contains(mine.Holds, k) {
				out.Holds = append(out.Holds, k)
			}
		}
		switch {
		case out.All:
		case view.All:
			out.People = mine.People
		case mine.All:
			out.People = view.People
		default:
			for _, u := range view.People {
				if slices.Contains(mine.People, u) {
					out.People = append(out.People, u)
				}
			}
		}
		return nil
	})
	return out, err
}

func (rd *Reader) auditScope(actor Actor) (AuditView, error) {
	var v view
	if err := rd.viewOf(actor, &v); err != nil {
		return AuditView{}, err
	}
	if !v.has(ActivityTeam) {
		return AuditView{}, forbidden(ActivityTeam)
	}
	out := AuditView{All: v.scope(ActivityTeam) == ScopeAll, Clients: v.has(ActivityClients), Holds: holdsOf(&v)}
	if !out.All {
		people := map[handle]bool{v.uh: true}
		v.u.leads.each(func(th handle) {
			if t := rd.x.teams[th]; t.alive {
				for _, uh := range t.members {
					if rd.mayManage(&v, uh) {
						people[uh] = true
					}
				}
			}
		})
		for uh := range people {
			out.People = append(out.People, rd.x.users[uh].id)
		}
		sort.Strings(out.People)
	}
	return out, nil
}

// AuditEntryRef is what an audit entry is by and about, for SeesAuditEntry.
type AuditEntryRef struct {
	ActorID    string
	TargetType string
	TargetID   string
}

// SeesAuditEntry decides one entry for an actor whose AuditView is team-scoped: made by
// or about one of scope.People, and about something the actor sees (View on its target:
// a person, project, board, task, team, task type or role). Entries about things they
// cannot see, or that no longer exist, are not theirs to read.
func (a *Authorizer) SeesAuditEntry(actor Actor, scope AuditView, e AuditEntryRef) bool {
	if scope.All {
		return true
	}
	involved := slices.Contains(scope.People, e.ActorID) || (e.TargetType == "user" && slices.Contains(scope.People, e.TargetID))
	if !involved {
		return false
	}
	t, ok := TypeOf(e.TargetType)
	if !ok {
		return false
	}
	return a.Check(actor, View, Ref{t, e.TargetID}) == nil
}

// Me is what /api/me says of the actor's role.
type Me struct {
	Role   RoleDef
	Grants []Grant
}

// Permissions returns the actor's role and its grants (for /api/me).
func (a *Authorizer) Permissions(actor Actor) (RoleDef, error) {
	var out RoleDef
	err := a.Read(func(rd *Reader) error {
		_, _, r, err := rd.actorRecord(actor)
		if err != nil {
			return err
		}
		out = RoleDef{ID: r.id, Name: r.name, Kind: r.kind, BuiltIn: r.builtIn, Grants: slices.Clone(r.grants)}
		return nil
	})
	return out, err
}

// GrantsOf returns the grants of role id (built-in roles included).
func (a *Authorizer) GrantsOf(id string) []Grant {
	var out []Grant
	a.Read(func(rd *Reader) error {
		if r := rd.x.role(id); r != nil {
			out = slices.Clone(r.grants)
		}
		return nil
	})
	return out
}

// Active reports whether the user exists and is active.
func (rd *Reader) Active(userID string) bool {
	u := rd.x.user(userID)
	return u != nil && u.alive && u.active
}

// Active is Reader.Active under the shared lock.
func (a *Authorizer) Active(userID string) bool {
	ok := false
	a.Read(func(rd *Reader) error { ok = rd.Active(userID); return nil })
	return ok
}

// RoleName returns the name and kind of role id, as the index holds them (no query).
func (rd *Reader) RoleName(id string) (name string, kind Kind, ok bool) {
	if r := rd.x.role(id); r != nil {
		return r.name, r.kind, true
	}
	return "", "", false
}

// RoleKind returns the kind of role id.
func (rd *Reader) RoleKind(id string) (Kind, bool) {
	if r := rd.x.role(id); r != nil {
		return r.kind, true
	}
	return "", false
}

// Holders is how many users hold role id.
func (rd *Reader) Holders(id string) int {
	n := 0
	if r := rd.x.role(id); r != nil {
		rd.eachHolder(r, func(handle) error { n++; return nil })
	}
	return n
}

// HolderIDs are the users who hold role id.
func (rd *Reader) HolderIDs(id string) []string {
	var out []string
	if r := rd.x.role(id); r != nil {
		rd.eachHolder(r, func(uh handle) error { out = append(out, rd.x.users[uh].id); return nil })
	}
	return out
}

// UserRole returns the role id of a user, and whether they are active.
func (rd *Reader) UserRole(id string) (roleID string, active bool, ok bool) {
	u := rd.x.user(id)
	if u == nil || !u.alive || u.role < 0 {
		return "", false, false
	}
	return rd.x.roles[u.role].id, u.active, true
}

// Level is the actor's invitation level to board id ("" when none), as the UI shows it.
func (a *Authorizer) Level(actor Actor, id string) Level {
	l := LevelNone
	a.Read(func(rd *Reader) error {
		var v view
		if rd.viewOf(actor, &v) != nil {
			return nil
		}
		if b, bh := rd.x.board(id); b != nil && rd.seesBoard(&v, bh, nil) {
			l = v.boardLevel(bh)
		}
		return nil
	})
	return l
}

// Nav is a page of the app the actor may open, for the menu.
type Nav struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Navigation lists the pages of the app that are of use to the actor, in menu order: the
// UI shows these and nothing else (and still every request is decided on its own).
func (a *Authorizer) Navigation(actor Actor) ([]Nav, error) {
	var out []Nav
	err := a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		ok := func(a Action, res Ref) bool { return rd.decide(&v, a, res, &Change{}, nil) == nil }
		works := v.has(TasksView) || v.has(ProjectsView)
		usersLabel := map[Scope]string{ScopeClients: "Clients", ScopeStaff: "Team"}[v.scope(UsersView)]
		if usersLabel == "" {
			usersLabel = "Users"
		}
		invoicing := "Invoicing"
		if v.client {
			invoicing = "Invoices"
		}
		staffUsers := v.has(UsersView) && v.scope(UsersView) != ScopeClients
		// A role for money alone (the article's Bookkeeper: "They will see the Invoicing
		// section and nothing else") opens on Invoicing, with the client list it is given.
		moneyOnly := !v.client && v.has(InvoicesView) && !works && !staffUsers && !v.has(ChatTeam) && !v.has(ChatDirect) &&
			!v.has(RolesManage) && !v.has(TeamsManage) && !v.has(ActivityTeam) && !v.has(ActivityClients) && !v.has(ReportsDashboard) && !v.has(SettingsGeneral) && !v.has(SettingsIntegrations) && !v.has(SettingsEmail) && !v.has(SettingsLicence) &&
			!v.has(SettingsSecurity)
		for _, n := range []struct {
			key, label string
			show       bool
		}{
			{"overview", "Overview", !moneyOnly},
			{"projects", "Projects", v.has(ProjectsView)},
			{"tasks", "Tasks", works},
			{"boards", "Boards", works && ok(View, Ref{Type: Board})},
			// Team chat and 1:1 messages: the team's (clients talk in project discussions).
			{"chat", "Chat", !v.client && (v.has(ChatTeam) || v.has(ChatDirect))},
			{"invoicing", invoicing, v.has(InvoicesView)},
			{"users", usersLabel, ok(View, Ref{Type: User})},
			// Teams are of staff: users.view of clients only does not show them.
			{"teams", "Teams", !v.client && (v.has(TeamsManage) || (v.has(UsersView) && v.scope(UsersView) != ScopeClients))},
			{"roles", "Roles", v.has(RolesManage)},
			// Comparing roles is for who shapes them or manages the team, not a client list.
			{"compare", "Role comparison", v.has(RolesManage) || staffUsers},
			{"lint", "Permission lint", rd.lint(&v) == nil},
			{"taskTypes", "Task types", ok(TasksTypes, Ref{Type: TaskType})},
			{"reports", "Reports", v.has(ReportsDashboard)},
			{"activity", "Activity", v.has(ActivityTeam)},
			{"clientActivity", "Client activity", v.has(ActivityClients)},
			{"settings", "Settings", v.has(SettingsGeneral) || v.has(SettingsIntegrations) || v.has(SettingsEmail) || v.has(SettingsSecurity) || v.has(SettingsLicence)},
			{"emailLog", "Email log", v.has(SettingsEmail)},
		} {
			if n.show {
				out = append(out, Nav{Key: n.key, Label: n.label})
			}
		}
		return nil
	})
	return out, err
}

// Holds reports whether actor's role holds action at any scope: whom a document is
// mailed to (an invoice goes to the company's people who hold invoices.view), never
// whether an act on a thing is allowed (that is Check's).
func (rd *Reader) Holds(actor Actor, action Action) bool {
	var v view
	return rd.viewOf(actor, &v) == nil && v.has(action)
}

// Holds answers whether actor's role holds action at any scope (403 when not): for tools
// that exist only for its holders (the CSV import of users), whose every act is still
// decided on its own.
func (a *Authorizer) Holds(actor Actor, action Action) error {
	return a.Read(func(rd *Reader) error {
		var v view
		if err := rd.viewOf(actor, &v); err != nil {
			return err
		}
		if !v.has(action) {
			return forbiddenTo[action]
		}
		return nil
	})
}

// IsClient reports whether actor's role is a client (portal) role: where what they make
// goes (a client's upload lands in "From the client"), never whether they may make it.
func (rd *Reader) IsClient(actor Actor) bool {
	var v view
	return rd.viewOf(actor, &v) == nil && v.client
}

// IsClient is Reader.IsClient under the shared lock.
func (a *Authorizer) IsClient(actor Actor) bool {
	var c bool
	a.Read(func(rd *Reader) error { c = rd.IsClient(actor); return nil })
	return c
}

// Giving is what an asker may do with one role as something to give: whether their role
// may give it at all (it lists the role, or the role is within it: what a role's list of
// roles to give may name), and the actions by which they may hand it to people —
// users.create (add accounts with it) and users.edit (move accounts into it).
type Giving struct {
	MayGive bool
	Actions []string
}

// Givings answers Giving for each of roleIDs (unknown ones are left out), under one lock,
// from the same rules that decide the giving itself, so a picker offers exactly what the
// server accepts.
func (a *Authorizer) Givings(actor Actor, roleIDs []string) map[string]Giving {
	out := map[string]Giving{}
	a.Read(func(rd *Reader) error {
		var v view
		if rd.viewOf(actor, &v) != nil {
			return nil
		}
		for _, id := range roleIDs {
			to := rd.x.role(id)
			if to == nil {
				continue
			}
			g := Giving{MayGive: rd.x.gives(v.r, to), Actions: []string{}}
			for _, act := range []Action{UsersCreate, UsersEdit} {
				if rd.decideRole(&v, act, id, &Change{}) == nil {
					g.Actions = append(g.Actions, act.String())
				}
			}
			out[id] = g
		}
		return nil
	})
	return out
}

// RolesListing names the roles whose holders may give role id (their lists name it),
// sorted: what deleting it takes off those lists.
func (rd *Reader) RolesListing(id string) []string {
	h, ok := rd.x.roleIDs.lookup(id)
	if !ok {
		return nil
	}
	var out []string
	for _, r := range rd.x.roles {
		if r.alive && r.id != id && r.gives.has(h) {
			out = append(out, r.name)
		}
	}
	slices.Sort(out)
	return out
}

// assignable returns the ids of the roles role id lets its holders give.
func (rd *Reader) assignable(id string) []string {
	out := []string{}
	if r := rd.x.role(id); r != nil {
		r.gives.each(func(h handle) {
			if rd.x.roles[h].alive {
				out = append(out, rd.x.roles[h].id)
			}
		})
	}
	return out
}
