package authz

import (
	"container/heap"
	"sort"

	"gatehouse/backend/apperr"
)

// VisibleProjects returns the ids of the projects the actor sees, or all=true when the
// role sees every project (the list is then the store's to page through).
func (a *Authorizer) VisibleProjects(actor Actor) (ids []string, all bool, err error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, err := a.viewOf(actor)
	if err != nil {
		return nil, false, err
	}
	if !v.projectsView {
		return []string{}, false, nil
	}
	if v.also != nil {
		// Viewed as: only what both see (one pass over the projects; view-as is rare).
		ids = []string{}
		for id, p := range a.projects {
			if v.seesProject(p) {
				ids = append(ids, id)
			}
		}
		sort.Strings(ids)
		return ids, false, nil
	}
	if v.projectsAll {
		return nil, true, nil
	}
	set := map[string]bool{}
	if v.client {
		for id := range v.w.clientProjects {
			set[id] = true
		}
	} else {
		for id := range v.w.projects {
			set[id] = true
		}
		for t := range v.w.teams {
			for id := range a.teams[t].projects {
				set[id] = true
			}
		}
	}
	ids = make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, false, nil
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

func (f *TaskFilter) match(t *task) bool {
	return (f.ProjectID == "" || t.project.id == f.ProjectID) && (f.BoardID == "" || t.board == f.BoardID) &&
		(f.StageID == "" || t.stage == f.StageID) && (f.AssigneeID == "" || t.assignee == f.AssigneeID)
}

// TaskPage is one page of visible tasks, newest first.
type TaskPage struct {
	IDs   []string
	Total int
	Next  int64 // cursor for the next page, 0 when this is the last
}

// VisibleTasks returns a page of the tasks the actor sees that match f, and how many
// match in all. It never checks task by task against the database: the candidates come
// from the index (the visible projects' task lists, or the user's assigned or followed
// tasks), merged newest first, and the total comes from per-project counts by board when
// the filter allows.
func (a *Authorizer) VisibleTasks(actor Actor, f TaskFilter) (*TaskPage, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, err := a.viewOf(actor)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var sources [][]*task
	projectsKnown := false // every candidate's project is visible
	switch {
	case !v.tasksView:
	case !v.tasksAll:
		sources = append(sources, sortedTasks(v.w.assigned))
	case f.ProjectID != "":
		if p := a.projects[f.ProjectID]; p != nil && v.seesProject(p) {
			sources, projectsKnown = append(sources, p.tasks), true
		}
	case v.projectsAll:
		sources, projectsKnown = append(sources, a.allTasks), true
	default:
		ids, _, _ := a.visibleProjectsLocked(v)
		for _, id := range ids {
			sources = append(sources, a.projects[id].tasks)
		}
		projectsKnown = true
	}
	normal := func(t *task) bool {
		if !f.match(t) {
			return false
		}
		if projectsKnown && v.also == nil {
			return (t.clientVisible || v.internal) && v.boardAllowsTasks(t.board)
		}
		return v.seesTaskNormally(t)
	}
	// Followed tasks the actor would not see otherwise.
	var followedOnly []*task
	for _, t := range sortedTasks(v.w.followed) {
		if f.match(t) && v.followerMay(t) && !v.seesTaskNormally(t) && (v.also == nil || v.also.seesTask(t)) {
			followedOnly = append(followedOnly, t)
		}
	}
	page := &TaskPage{}
	// Total.
	if projectsKnown && f.StageID == "" && f.AssigneeID == "" && v.also == nil {
		page.Total = a.countVisible(v, sources, f)
	} else {
		for _, s := range sources {
			for _, t := range s {
				if normal(t) {
					page.Total++
				}
			}
		}
	}
	page.Total += len(followedOnly)
	// Page: merge the sources newest first from the cursor.
	h := &mergeHeap{}
	for n, s := range append(sources, followedOnly) {
		i := len(s) - 1
		if f.Before > 0 {
			i = sort.Search(len(s), func(i int) bool { return s[i].seq >= f.Before }) - 1
		}
		if i >= 0 {
			// Items of the last source (followed-only tasks) are taken as they are; the
			// others must pass the visibility predicate.
			*h = append(*h, cursor{s, i, n == len(sources)})
		}
	}
	heap.Init(h)
	// One more than the page is collected, to know whether a next page exists.
	var last int64
	for h.Len() > 0 && len(page.IDs) <= f.Limit {
		c := (*h)[0]
		t, followed := c.s[c.i], c.followed
		if c.i == 0 {
			heap.Pop(h)
		} else {
			(*h)[0].i--
			heap.Fix(h, 0)
		}
		if followed || normal(t) {
			if len(page.IDs) == f.Limit {
				page.Next = last
				break
			}
			page.IDs = append(page.IDs, t.id)
			last = t.seq
		}
	}
	return page, nil
}

// countVisible sums per-project counts by board: client-visible tasks, plus internal ones
// when the role sees them, on boards the actor may see tasks of.
func (a *Authorizer) countVisible(v *view, sources [][]*task, f TaskFilter) int {
	total := 0
	allowed := map[string]bool{} // per board, computed once per list
	add := func(counts map[string]*[2]int) {
		for bid, c := range counts {
			ok, seen := allowed[bid]
			if !seen {
				ok = (f.BoardID == "" || bid == f.BoardID) && v.boardAllowsTasks(bid)
				allowed[bid] = ok
			}
			if !ok {
				continue
			}
			total += c[1]
			if v.internal {
				total += c[0]
			}
		}
	}
	switch {
	case f.ProjectID != "":
		if p := a.projects[f.ProjectID]; p != nil && len(sources) > 0 {
			add(p.counts)
		}
	case v.projectsAll:
		add(a.counts) // every project: the global counts by board
	default:
		ids, _, _ := a.visibleProjectsLocked(v)
		for _, id := range ids {
			add(a.projects[id].counts)
		}
	}
	return total
}

func (a *Authorizer) visibleProjectsLocked(v *view) ([]string, bool, error) {
	if !v.projectsView {
		return nil, false, nil
	}
	var ids []string
	if v.client {
		for id := range v.w.clientProjects {
			ids = append(ids, id)
		}
		return ids, false, nil
	}
	seen := map[string]bool{}
	for id := range v.w.projects {
		seen[id] = true
		ids = append(ids, id)
	}
	for t := range v.w.teams {
		for id := range a.teams[t].projects {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids, false, nil
}

func sortedTasks(m map[string]*task) []*task {
	out := make([]*task, 0, len(m))
	for _, t := range m {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

type cursor struct {
	s        []*task
	i        int
	followed bool
}

// mergeHeap is a max-heap of cursors by the seq they point at.
type mergeHeap []cursor

func (h mergeHeap) Len() int           { return len(h) }
func (h mergeHeap) Less(i, j int) bool { return h[i].s[h[i].i].seq > h[j].s[h[j].i].seq }
func (h mergeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)        { *h = append(*h, x.(cursor)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// ProjectStaffWithout returns active internal users whose role sees only assigned
// projects and who are in no project (directly or through a team): the staff who would
// log in to an empty dashboard.
func (a *Authorizer) StaffWithoutProjects() []string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	pv := permIndex["projects.view"]
	out := []string{} // empty, not nil: callers filter by it
	for uid, u := range a.users {
		r := a.roles[u.roleID]
		if !u.active || r == nil || r.Kind != KindInternal || !r.has[pv] || r.scopes[pv] == ScopeAll {
			continue
		}
		w := a.readWork(uid)
		inTeamProject := false
		for t := range w.teams {
			if len(a.teams[t].projects) > 0 {
				inTeamProject = true
				break
			}
		}
		if len(w.projects) == 0 && !inTeamProject {
			out = append(out, uid)
		}
	}
	sort.Strings(out)
	return out
}

// VisibleTaskCount is how many tasks of a project the actor sees.
func (a *Authorizer) VisibleTaskCount(actor Actor, projectID string) int {
	p, err := a.VisibleTasks(actor, TaskFilter{ProjectID: projectID, Limit: 1})
	if err != nil {
		return 0
	}
	return p.Total
}

// ProjectPeople returns who is on a project the actor sees: internal people (direct
// members and members of its teams) and, for internal actors only, its attached clients —
// a portal user does not learn of other clients. Deactivated people are included so
// their past work can still be named.
func (a *Authorizer) ProjectPeople(actor Actor, id string) (internal, clients []string, err error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, err := a.viewOf(actor)
	if err != nil {
		return nil, nil, err
	}
	p := a.projects[id]
	if p == nil || !v.seesProject(p) {
		return nil, nil, hiddenProject
	}
	known := func(u string) bool { _, ok := a.users[u]; return ok }
	set := map[string]bool{}
	for u := range p.members {
		set[u] = true
	}
	for t := range p.teams {
		for u := range a.teams[t].members {
			set[u] = true
		}
	}
	internal, clients = []string{}, []string{}
	for u := range set {
		if known(u) {
			internal = append(internal, u)
		}
	}
	if !v.client {
		for u := range p.clients {
			if known(u) {
				clients = append(clients, u)
			}
		}
	}
	sort.Strings(internal)
	sort.Strings(clients)
	return internal, clients, nil
}

// InternalPeople returns every active internal user, for the pickers internal users need
// (assignees, board invitations, team members); portal users get none.
func (a *Authorizer) InternalPeople(actor Actor) ([]string, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, err := a.viewOf(actor)
	if err != nil {
		return nil, err
	}
	if v.client {
		return nil, apperr.New(apperr.Forbidden, "forbidden", "Client (portal) accounts do not see the team directory.")
	}
	out := []string{}
	for uid, u := range a.users {
		if r := a.roles[u.roleID]; u.active && r != nil && r.Kind == KindInternal {
			out = append(out, uid)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Nameable returns those of ids whom actor may learn of (their id and name) from the
// things they share: internal users may know anyone; a portal user the team (internal
// users) and themselves, never another client.
func (a *Authorizer) Nameable(actor Actor, ids []string) []string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	r, err := a.actorRole(actor)
	if err != nil {
		return []string{}
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if a.mayName(actor, r, id) {
			out = append(out, id)
		}
	}
	return out
}

func (a *Authorizer) mayName(actor Actor, r *role, id string) bool {
	if r.Kind != KindClient || id == actor.UserID {
		return true
	}
	u := a.users[id]
	if u == nil {
		return false
	}
	ur := a.roles[u.roleID]
	return ur != nil && ur.Kind == KindInternal
}

// IsClient reports whether the actor's role is a portal role.
func (a *Authorizer) IsClient(actor Actor) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	r, err := a.actorRole(actor)
	return err == nil && r.Kind == KindClient
}
