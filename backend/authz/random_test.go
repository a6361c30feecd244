package authz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"gatehouse/backend/store"
)

// model is a deliberately naive restatement of the visibility rules, written without the
// index: plain maps, every answer computed from scratch.
type model struct {
	role     map[string]string // user → role id
	active   map[string]bool
	members  map[string]map[string]bool // project → users
	pteams   map[string]map[string]bool // project → teams
	clients  map[string]map[string]bool // project → users
	tmembers map[string]map[string]bool // team → users
	invited  map[string]bool            // board → invite-only
	access   map[string]map[principal]Level
	tasks    map[string]*mtask
	files    map[string]*mfile
	threads  map[string]*mthread
}

// mthread is a project discussion, internal or open to clients.
type mthread struct {
	id, project string
	cv          bool
}

// mfile is a project file: attached to a task or not, shared with clients or not, or a
// client's own upload.
type mfile struct {
	id, project, task, uploader string
	shared, fromClient          bool
}

type mtask struct {
	id, project, board, assignee string
	cv                           bool
	followers                    map[string]bool
	seq                          int64
}

type mrole struct {
	client, projectsView, projectsAll, tasksView, tasksAll, internal, filesView, discussions bool
	chatTeam, chatDirect                                                                     bool
	filesUpload, filesDelete, filesShare                                                     bool
}

func modelRole(grants []Grant, kind Kind) mrole {
	m := mrole{client: kind == KindClient}
	for _, g := range grants {
		switch g.Key {
		case "projects.view":
			m.projectsView, m.projectsAll = true, g.Scope == ScopeAll && kind != KindClient
		case "tasks.view":
			m.tasksView, m.tasksAll = true, g.Scope == ScopeAll
		case "tasks.view_internal":
			m.internal = true
		case "files.view":
			m.filesView = true
		case "chat.discussions":
			m.discussions = true
		case "files.upload":
			m.filesUpload = true
		case "files.delete":
			m.filesDelete = true
		case "files.share_clients":
			m.filesShare = true
		case "chat.team":
			m.chatTeam = true
		case "chat.direct":
			m.chatDirect = true
		}
	}
	return m
}

func (m *model) inTeamOf(u, p string) bool {
	for t, on := range m.pteams[p] {
		if on && m.tmembers[t][u] {
			return true
		}
	}
	return false
}

func (m *model) seesProject(r mrole, u, p string) bool {
	if !m.active[u] || !r.projectsView {
		return false
	}
	if r.client {
		return m.clients[p][u]
	}
	return r.projectsAll || m.members[p][u] || m.inTeamOf(u, p)
}

func (m *model) invitedTo(u, b string) bool {
	if m.access[b][principal{"user", u}] != LevelNone {
		return true
	}
	for t, ms := range m.tmembers {
		if ms[u] && m.access[b][principal{"team", t}] != LevelNone {
			return true
		}
	}
	return false
}

func (m *model) seesBoard(r mrole, u, b string) bool {
	return m.active[u] && !r.client && (!m.invited[b] || r.projectsAll || m.invitedTo(u, b))
}

func (m *model) seesTask(r mrole, u string, t *mtask) bool {
	if !m.active[u] {
		return false
	}
	if t.followers[u] && (!r.client || (t.cv && m.clients[t.project][u])) {
		return true
	}
	return m.seesTaskNormally(r, u, t)
}

// seesTaskNormally: by the role, not only as a follower.
func (m *model) seesTaskNormally(r mrole, u string, t *mtask) bool {
	boardOK := t.board == "" || r.client || !m.invited[t.board] || r.projectsAll || m.invitedTo(u, t.board)
	return m.active[u] && r.tasksView && (t.cv || r.internal) && (r.tasksAll || t.assignee == u) && m.seesProject(r, u, t.project) && boardOK
}

// mayChangeFile: renaming, moving (files.upload) or deleting (files.delete) a file one
// sees: a client only their own uploads; a task's follower only sees its files.
func (m *model) mayChangeFile(r mrole, u string, f *mfile, has bool) bool {
	if !m.seesFile(r, u, f) || !has || (r.client && f.uploader != u) {
		return false
	}
	t := m.tasks[f.task]
	return t == nil || m.seesTaskNormally(r, u, t)
}

// mayShareFile: the team with files.share_clients, for a project's own file (a task's
// file is seen as the task is; a client's upload stays the client's and the team's).
func (m *model) mayShareFile(r mrole, u string, f *mfile) bool {
	return m.seesFile(r, u, f) && r.filesShare && !r.client && m.tasks[f.task] == nil && !f.fromClient
}

func (m *model) seesThread(r mrole, u string, t *mthread) bool {
	return m.active[u] && r.discussions && m.seesProject(r, u, t.project) && (!r.client || t.cv)
}

// seesChannel: team chat is for internal users with chat.team (a team's channel for its
// members), 1:1 conversations for their two people with chat.direct.
func (m *model) seesChannel(r mrole, u, id string) bool {
	if !m.active[u] || r.client {
		return false
	}
	if id == "everyone" {
		return r.chatTeam
	}
	if tm, ok := strings.CutPrefix(id, "team:"); ok {
		return r.chatTeam && m.tmembers[tm][u]
	}
	pair, _ := strings.CutPrefix(id, "dm:")
	a, b, _ := strings.Cut(pair, ":")
	return r.chatDirect && (u == a || u == b)
}

// mayWriteDirect: one writes in a 1:1 conversation one reads while the other person can
// read it too.
func (m *model) mayWriteDirect(mroles map[string]mrole, u, a, b string) bool {
	other := a
	if u == a {
		other = b
	}
	return m.seesChannel(mroles[m.role[u]], u, DirectChannel(a, b)) && m.seesChannel(mroles[m.role[other]], other, DirectChannel(a, b))
}

func (m *model) seesFile(r mrole, u string, f *mfile) bool {
	if !m.active[u] || !r.filesView {
		return false
	}
	if t := m.tasks[f.task]; t != nil {
		if !m.seesTask(r, u, t) {
			return false
		}
	} else if !m.seesProject(r, u, f.project) {
		return false
	}
	if !r.client {
		return true
	}
	switch {
	case f.fromClient:
		return f.uploader == u
	case m.tasks[f.task] != nil:
		return true
	}
	return f.shared
}

func keys(m map[string]bool) []string {
	out := []string{}
	for k, v := range m {
		if v {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// At least 10,000 random changes to roles, status, membership, teams, boards, tasks and
// followers; after each, sampled answers of the index are compared with the model, and
// every 250 changes all of them (checks, lists and totals): zero disagreements.
func TestRandomChangesAgreeWithAReferenceModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	roleIDs := []string{RoleAdmin, RoleStaff, RoleClient, "external-contractor", "manager", "team-leader", "director-read-only"}
	var roleDefs []RoleDef
	mroles := map[string]mrole{}
	for _, id := range roleIDs {
		kind, grants := grantsFor(t, id)
		_, builtIn := BuiltIn[id]
		roleDefs = append(roleDefs, RoleDef{ID: id, Name: id, Kind: kind, BuiltIn: builtIn, Grants: grants})
		mroles[id] = modelRole(grants, kind)
	}
	users := []string{"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10", "u11"}
	projects := []string{"p0", "p1", "p2", "p3", "p4"}
	teams := []string{"t0", "t1", "t2"}
	boards := []string{"b0", "b1", "b2"}
	m := &model{role: map[string]string{}, active: map[string]bool{}, members: map[string]map[string]bool{}, pteams: map[string]map[string]bool{},
		clients: map[string]map[string]bool{}, tmembers: map[string]map[string]bool{}, invited: map[string]bool{},
		access: map[string]map[principal]Level{}, tasks: map[string]*mtask{}, files: map[string]*mfile{}, threads: map[string]*mthread{}}
	var udefs []UserDef
	for i, u := range users {
		m.role[u], m.active[u] = roleIDs[i%len(roleIDs)], true
		udefs = append(udefs, UserDef{ID: u, RoleID: m.role[u], Active: true})
	}
	a := newWith(roleDefs, udefs)
	for _, p := range projects {
		m.members[p], m.pteams[p], m.clients[p] = map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
	for _, tm := range teams {
		m.tmembers[tm] = map[string]bool{}
	}
	for _, b := range boards {
		m.access[b] = map[principal]Level{}
	}
	syncProject := func(w *Writer, p string) {
		w.PutProject(&store.Project{ID: p, Name: p, Status: "active", Members: keys(m.members[p]), Teams: keys(m.pteams[p]), Clients: keys(m.clients[p])})
	}
	syncTeam := func(w *Writer, tm string) { w.PutTeam(&store.Team{ID: tm, Name: tm, Members: keys(m.tmembers[tm])}) }
	syncBoard := func(w *Writer, b string) {
		w.PutBoard(boardRow(b, m.invited[b], m.access[b], map[string]string{"s-" + b: "open"}))
	}
	syncTask := func(w *Writer, t *mtask) {
		stage := ""
		if t.board != "" {
			stage = "s-" + t.board
		}
		w.PutTask(&store.Task{ID: t.id, Seq: t.seq, ProjectID: t.project, BoardID: t.board, StageID: stage, AssigneeID: t.assignee,
			ClientVisible: t.cv, Followers: keys(t.followers)})
	}
	a.Update(func(w *Writer) error {
		for _, tm := range teams {
			syncTeam(w, tm)
		}
		for _, p := range projects {
			syncProject(w, p)
		}
		for _, b := range boards {
			syncBoard(w, b)
		}
		return nil
	})
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	var seq int64
	taskIDs := func() []string {
		ids := make([]string, 0, len(m.tasks))
		for id := range m.tasks {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		return ids
	}
	disagreements := 0
	report := func(format string, args ...any) {
		disagreements++
		if disagreements <= 20 {
			t.Errorf(format, args...)
		}
	}
	checkOne := func(step int, u string) {
		r := mroles[m.role[u]]
		actor := Actor{UserID: u}
		for _, p := range projects {
			if got, want := a.Check(actor, View, ProjectRef(p)) == nil, m.seesProject(r, u, p); got != want {
				report("step %d: %s (%s) sees project %s: index %v, model %v", step, u, m.role[u], p, got, want)
			}
		}
		for _, b := range boards {
			if got, want := a.Check(actor, View, BoardRef(b)) == nil, m.seesBoard(r, u, b); got != want {
				report("step %d: %s (%s) sees board %s: index %v, model %v", step, u, m.role[u], b, got, want)
			}
		}
		for _, id := range taskIDs() {
			if got, want := a.Check(actor, View, TaskRef(id)) == nil, m.seesTask(r, u, m.tasks[id]); got != want {
				report("step %d: %s (%s) sees task %s %+v: index %v, model %v", step, u, m.role[u], id, *m.tasks[id], got, want)
			}
		}
		for id, f := range m.files {
			if got, want := a.Check(actor, View, FileRef(id)) == nil, m.seesFile(r, u, f); got != want {
				report("step %d: %s (%s) sees file %s %+v: index %v, model %v", step, u, m.role[u], id, *f, got, want)
			}
		}
		for id, f := range m.files {
			for _, c := range []struct {
				a    Action
				want bool
			}{{FilesUpload, m.mayChangeFile(r, u, f, r.filesUpload)}, {FilesDelete, m.mayChangeFile(r, u, f, r.filesDelete)}, {FilesShareClients, m.mayShareFile(r, u, f)}} {
				if got := a.Check(actor, c.a, FileRef(id)) == nil; got != c.want {
					report("step %d: %s (%s) %s file %s %+v: index %v, model %v", step, u, m.role[u], c.a, id, *f, got, c.want)
				}
			}
		}
		for id, th := range m.threads {
			if got, want := a.Check(actor, View, ThreadRef(id)) == nil, m.seesThread(r, u, th); got != want {
				report("step %d: %s (%s) sees thread %s %+v: index %v, model %v", step, u, m.role[u], id, *th, got, want)
			}
			// Writing in it is seeing it; changing a message, only one's own.
			if got, want := a.Check(actor, ChatDiscussions, ThreadRef(id)) == nil, m.seesThread(r, u, th); got != want {
				report("step %d: %s (%s) writes in thread %s: index %v, model %v", step, u, m.role[u], id, got, want)
			}
			if a.Check(actor, ChatDiscussions, ThreadRef(id), Change{Author: "someone-else"}) == nil {
				report("step %d: %s changes someone else's message in thread %s", step, u, id)
			}
		}
		chans := []string{EveryoneChannel}
		for _, tm := range teams {
			chans = append(chans, TeamChannel(tm))
		}
		for _, id := range chans {
			if got, want := a.Check(actor, View, ChannelRef(id)) == nil, m.seesChannel(r, u, id); got != want {
				report("step %d: %s (%s) reads channel %s: index %v, model %v", step, u, m.role[u], id, got, want)
			}
			if got, want := a.Check(actor, ChatTeam, ChannelRef(id)) == nil, m.seesChannel(r, u, id); got != want {
				report("step %d: %s (%s) writes in channel %s: index %v, model %v", step, u, m.role[u], id, got, want)
			}
		}
		for _, other := range users {
			if other == u {
				continue
			}
			id := DirectChannel(u, other)
			if got, want := a.Check(actor, View, ChannelRef(id)) == nil, m.seesChannel(r, u, id); got != want {
				report("step %d: %s (%s) reads %s: index %v, model %v", step, u, m.role[u], id, got, want)
			}
			if got, want := a.Check(actor, ChatDirect, ChannelRef(id)) == nil, m.mayWriteDirect(mroles, u, u, other); got != want {
				report("step %d: %s (%s) writes to %s (%s): index %v, model %v", step, u, m.role[u], other, m.role[other], got, want)
			}
		}
	}
	checkLists := func(step int, u string) {
		r := mroles[m.role[u]]
		actor := Actor{UserID: u}
		if !m.active[u] {
			if _, err := a.VisibleTasks(actor, TaskFilter{}); err == nil {
				report("step %d: deactivated %s listed tasks", step, u)
			}
			return
		}
		var want []string
		for _, id := range taskIDs() {
			if m.seesTask(r, u, m.tasks[id]) {
				want = append(want, id)
			}
		}
		var got []string
		f := TaskFilter{Limit: 4}
		total := -1
		for {
			page, err := a.VisibleTasks(actor, f)
			if err != nil {
				report("step %d: %s list: %v", step, u, err)
				return
			}
			if total == -1 {
				total = page.Total
			}
			got = append(got, page.IDs...)
			if page.Next == 0 {
				break
			}
			f.Before = page.Next
		}
		sorted := slices.Clone(got)
		sort.Strings(sorted)
		if !slices.Equal(sorted, want) || total != len(want) || len(slices.Compact(sorted)) != len(got) {
			report("step %d: %s (%s) task list %v (total %d), model %v", step, u, m.role[u], got, total, want)
		}
		// Newest first.
		for i := 1; i < len(got); i++ {
			if m.tasks[got[i]].seq > m.tasks[got[i-1]].seq {
				report("step %d: %s task list out of order", step, u)
			}
		}
		// Per-project lists and totals.
		for _, p := range projects {
			page, _ := a.VisibleTasks(actor, TaskFilter{ProjectID: p, Limit: 200})
			n := 0
			for _, id := range want {
				if m.tasks[id].project == p {
					n++
				}
			}
			if page.Total != n || len(page.IDs) != n {
				report("step %d: %s tasks of %s: %d/%d, model %d", step, u, p, len(page.IDs), page.Total, n)
			}
		}
		ids, all, _ := a.VisibleProjects(actor)
		var wantP []string
		for _, p := range projects {
			if m.seesProject(r, u, p) {
				wantP = append(wantP, p)
			}
		}
		if all {
			ids = projects
		}
		if fmt.Sprint(ids) != fmt.Sprint(wantP) && !(len(ids) == 0 && len(wantP) == 0) {
			report("step %d: %s visible projects %v, model %v", step, u, ids, wantP)
		}
	}
	var fileSeq int
	syncFile := func(w *Writer, f *mfile) {
		w.PutFile(&store.File{ID: f.id, ProjectID: f.project, TaskID: f.task, Shared: f.shared, FromClient: f.fromClient, UploadedBy: f.uploader})
	}
	const steps = 10_000
	for step := 0; step < steps; step++ {
		a.Update(func(w *Writer) error {
			switch op := rng.IntN(20); op {
			case 18:
				th := &mthread{id: fmt.Sprintf("h%05d", len(m.threads)+1), project: pick(projects), cv: rng.IntN(2) == 0}
				m.threads[th.id] = th
				w.PutThread(&store.Thread{ID: th.id, ProjectID: th.project, ClientVisible: th.cv})
			case 19:
				for id := range m.threads {
					delete(m.threads, id)
					w.DeleteThread(id)
					break
				}
			case 15, 16:
				fileSeq++
				f := &mfile{id: fmt.Sprintf("f%05d", fileSeq), project: pick(projects), shared: rng.IntN(2) == 0, uploader: pick(users)}
				switch rng.IntN(3) {
				case 0: // attached to a task of its project
					for _, id := range taskIDs() {
						if m.tasks[id].project == f.project {
							f.task = id
							break
						}
					}
				case 1: // a client's upload
					f.fromClient, f.shared = true, false
				}
				m.files[f.id] = f
				syncFile(w, f)
			case 17:
				for id, f := range m.files {
					if rng.IntN(3) == 0 {
						delete(m.files, id)
						w.DeleteFile(id)
					} else {
						f.shared = !f.shared && !f.fromClient
						syncFile(w, f)
					}
					break
				}
			case 0:
				u := pick(users)
				m.role[u] = pick(roleIDs)
				w.PutUser(u, m.role[u], m.active[u])
			case 1:
				u := pick(users)
				m.active[u] = !m.active[u]
				w.PutUser(u, m.role[u], m.active[u])
			case 2, 3:
				p, u := pick(projects), pick(users)
				m.members[p][u] = !m.members[p][u]
				syncProject(w, p)
			case 4:
				p, tm := pick(projects), pick(teams)
				m.pteams[p][tm] = !m.pteams[p][tm]
				syncProject(w, p)
			case 5:
				p, u := pick(projects), pick(users)
				m.clients[p][u] = !m.clients[p][u]
				syncProject(w, p)
			case 6, 7:
				tm, u := pick(teams), pick(users)
				m.tmembers[tm][u] = !m.tmembers[tm][u]
				syncTeam(w, tm)
			case 8:
				b := pick(boards)
				m.invited[b] = !m.invited[b]
				syncBoard(w, b)
			case 9:
				b := pick(boards)
				pr := principal{"user", pick(users)}
				if rng.IntN(2) == 0 {
					pr = principal{"team", pick(teams)}
				}
				m.access[b][pr] = []Level{LevelNone, LevelMember, LevelEditor}[rng.IntN(3)]
				if m.access[b][pr] == LevelNone {
					delete(m.access[b], pr)
				}
				syncBoard(w, b)
			case 10, 11:
				seq++
				tk := &mtask{id: fmt.Sprintf("k%05d", seq), seq: seq, project: pick(projects), cv: rng.IntN(2) == 0, followers: map[string]bool{}}
				if rng.IntN(2) == 0 {
					tk.board = pick(boards)
				}
				if rng.IntN(2) == 0 {
					tk.assignee = pick(users)
				}
				m.tasks[tk.id] = tk
				syncTask(w, tk)
			case 12:
				if ids := taskIDs(); len(ids) > 0 {
					tk := m.tasks[pick(ids)]
					switch rng.IntN(4) {
					case 0:
						tk.cv = !tk.cv
					case 1:
						tk.board = ""
						if rng.IntN(3) > 0 {
							tk.board = pick(boards)
						}
					case 2:
						tk.assignee = pick(append(slices.Clone(users), ""))
					case 3:
						u := pick(users)
						tk.followers[u] = !tk.followers[u]
					}
					syncTask(w, tk)
				}
			case 13:
				if ids := taskIDs(); len(ids) > 30 {
					id := pick(ids)
					delete(m.tasks, id)
					w.DeleteTask(id)
					for fid, f := range m.files { // as the database does: a task's files go with it
						if f.task == id {
							delete(m.files, fid)
						}
					}
				}
			case 14:
				if ids := taskIDs(); len(ids) > 0 {
					tk := m.tasks[pick(ids)]
					u := pick(users)
					tk.followers[u] = !tk.followers[u]
					syncTask(w, tk)
				}
			}
			return nil
		})
		checkOne(step, pick(users))
		if step%250 == 249 {
			for _, u := range users {
				checkOne(step, u)
				checkLists(step, u)
			}
		}
	}
	if disagreements > 0 {
		t.Fatalf("%d disagreements between the index and the model", disagreements)
	}
	t.Logf("%d random changes, %d tasks, %d files and %d discussions at the end, zero disagreements", steps, len(m.tasks), len(m.files), len(m.threads))
}
