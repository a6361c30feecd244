package authz

import (
	"hash/maphash"
	"math/bits"
	"slices"
	"sort"
	"unsafe"

	"gatehouse/backend/store"
)

// The index: who holds which role, and who is on what. Every thing gets an interned
// handle (an int32, its position in a slice, never reused); sets are bitsets over handles
// or sorted handle slices; what checks read on every call is derived and kept up to date
// on write (the projects a user reaches through teams, a user's best invitation to each
// board, task counts by project and board), so a decision is a few slice reads.
//
// The index is changed only through the Writer (Authorizer.Update), after the database
// transaction it mirrors has committed.

type handle = int32

const none handle = -1

// bitset is a set of handles.
type bitset []uint64

func (b bitset) has(h handle) bool {
	w := int(h >> 6)
	return h >= 0 && w < len(b) && b[w]&(1<<(uint(h)&63)) != 0
}

func (b *bitset) set(h handle) {
	w := int(h >> 6)
	for len(*b) <= w {
		*b = append(*b, 0)
	}
	(*b)[w] |= 1 << (uint(h) & 63)
}

func (b *bitset) unset(h handle) {
	if w := int(h >> 6); w < len(*b) {
		(*b)[w] &^= 1 << (uint(h) & 63)
	}
}

func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}

// each calls fn for every handle in b, ascending.
func (b bitset) each(fn func(handle)) {
	for i, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			fn(handle(i<<6 + t))
			w &= w - 1
		}
	}
}

// or returns b ∪ c.
func (b bitset) or(c bitset) bitset {
	if len(c) > len(b) {
		b, c = c, b
	}
	out := slices.Clone(b)
	for i, w := range c {
		out[i] |= w
	}
	return out
}

// sorted handle sets
func addSorted(s []handle, h handle) []handle {
	i, found := slices.BinarySearch(s, h)
	if found {
		return s
	}
	return slices.Insert(s, i, h)
}

func removeSorted(s []handle, h handle) []handle {
	if i, found := slices.BinarySearch(s, h); found {
		return slices.Delete(s, i, i+1)
	}
	return s
}

func hasSorted(s []handle, h handle) bool {
	_, found := slices.BinarySearch(s, h)
	return found
}

// interner gives ids handles. It is an open-addressing table of 95-bit keyed
// fingerprints of the ids (two seeded hashes, one bit of the first set to mark a used
// slot): a lookup reads one 16-byte slot, which never straddles a cache line, and never
// the stored id, which on a large index saves the cache misses a string-keyed map costs.
// Two ids share a fingerprint with a chance of about n²/2⁹⁶ (10⁻¹⁹ for 100,000 ids), and
// the seeds are random per process, so nobody can craft a collision. Ids are never removed: a deleted thing keeps
// its handle (marked dead), and the same id made again gets it back.
type interner struct {
	seed1, seed2 maphash.Seed
	slots        []slot // a power of two in length, at most half full
	n            int
}

type slot struct {
	h1 uint64 // 0: empty
	h2 uint32
	v  handle
}

func newInterner() interner {
	return interner{seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed(), slots: make([]slot, 64)}
}

func (n *interner) hash(id string) (uint64, uint32) {
	return maphash.String(n.seed1, id) | 1, uint32(maphash.String(n.seed2, id))
}

func (n *interner) lookup(id string) (handle, bool) {
	h1, h2 := n.hash(id)
	mask := uint64(len(n.slots) - 1)
	for i := start(h1, mask); ; i = (i + 1) & mask {
		s := &n.slots[i]
		if s.h1 == 0 {
			return none, false
		}
		if s.h1 == h1 && s.h2 == h2 {
			return s.v, true
		}
	}
}

// add gives id the handle v (id must not be there yet).
func (n *interner) add(id string, v handle) {
	n.reserve(n.n + 1)
	h1, h2 := n.hash(id)
	n.place(slot{h1, h2, v})
	n.n++
}

// start is where a fingerprint's probe begins: above the bit that marks a used slot,
// which is always set.
func start(h1, mask uint64) uint64 { return (h1 >> 1) & mask }

// reserve makes room for k ids in all, at most half full.
func (n *interner) reserve(k int) {
	size := len(n.slots)
	for 2*k > size {
		size *= 2
	}
	if size == len(n.slots) {
		return
	}
	old := n.slots
	n.slots = make([]slot, size)
	for _, s := range old {
		if s.h1 != 0 {
			n.place(s)
		}
	}
}

func (n *interner) place(s slot) {
	mask := uint64(len(n.slots) - 1)
	i := start(s.h1, mask)
	for n.slots[i].h1 != 0 {
		i = (i + 1) & mask
	}
	n.slots[i] = s
}

type roleRec struct {
	id, name string
	kind     Kind
	builtIn  bool
	grants   []Grant
	has      uint64 // catalog actions held, one bit each
	scope    [numActions]Scope
	holders  bitset // users holding the role (active or not)
	// gives are the roles (handles) this role's holders may give to others even when those
	// roles hold more than this one (Kubernetes' "bind"); built-in roles give none.
	gives bitset
	alive bool
}

func (r *roleRec) holds(a Action) bool { return r.has&(1<<a) != 0 }

func compileRole(id, name string, kind Kind, builtIn bool, grants []Grant) *roleRec {
	if b, ok := BuiltIn[id]; ok && builtIn {
		grants = b
	}
	r := &roleRec{id: id, name: name, kind: kind, builtIn: builtIn, grants: slices.Clone(grants), alive: true}
	for _, gr := range grants {
		if a, ok := byKey[gr.Key]; ok {
			r.has |= 1 << a
			r.scope[a] = gr.Scope
		}
	}
	return r
}

type userRec struct {
	id             string
	role           handle
	active, alive  bool
	teams          bitset   // member of
	leads          bitset   // leader of
	projects       bitset   // direct member of
	clientProjects bitset   // attached as a client to
	teamProjects   bitset   // member of through a team (derived)
	boardLevel     []Level  // best invitation to each board, directly or through a team (derived)
	followed       []handle // tasks
	assigned       []handle // tasks, by seq
	noReceive      bool     // others may not open tasks for them
	noOpen         bool     // may not open tasks for others
	company        handle   // a portal user's client company (none: no company)
	// extras are permissions given to this person beyond their role (grants.go), by id;
	// eff is their role with those compiled in (nil: none), what their decisions read.
	extras []extraGrant
	eff    *roleRec
}

func (u *userRec) level(b handle) Level {
	if int(b) < len(u.boardLevel) {
		return u.boardLevel[b]
	}
	return LevelNone
}

type projectRec struct {
	id, name string
	active   bool
	alive    bool
	members  []handle // direct internal members
	teams    []handle
	clients  []handle
	tasks    []handle   // by seq, ascending
	counts   [][2]int32 // by board handle + 1 (0: no board): [0] internal, [1] client-visible
	company  handle     // the client company the project is for (none: none)
}

type teamRec struct {
	id, name string
	alive    bool
	members  []handle
	leaders  []handle
	projects bitset
}

type boardRec struct {
	id, name string
	alive    bool
	invited  bool
	users    map[handle]Level
	teams    map[handle]Level
	stages   map[string]string // stage id → kind (open, review, done)
	order    []string          // stage ids in board order
}

type typeRec struct {
	id, name string
	alive    bool
	users    map[handle]TypeRight
	teams    map[handle]TypeRight
}

// taskRec is a task as a decision reads it. It is exactly 64 bytes, so in the index's
// slice (a large allocation, hence page-aligned) a task is one cache line; what only lists
// and writes read is in taskMore, at the same handle.
type taskRec struct {
	project       handle
	board         handle // none: no board
	assignee      handle
	typ           handle
	clientVisible bool
	alive         bool
	self          handle // the task's own handle: where its taskMore is
	followers     []handle
	seq           int64
	_             [8]byte
}

// The build fails unless taskRec is 64 bytes (index out of range either way).
var _ = [1]struct{}{}[unsafe.Sizeof(taskRec{})-64]

type taskMore struct {
	id    string
	stage string // "" when on no board or in no stage
}

// index is the whole in-memory model.
type index struct {
	roles    []*roleRec
	roleIDs  interner
	users    []userRec // by handle: a value slice, so a user is one read
	userIDs  interner
	projects []*projectRec
	projIDs  interner
	teams    []*teamRec
	teamIDs  interner
	boards   []*boardRec
	boardIDs interner
	types    []*typeRec
	typeIDs  interner
	tasks    []taskRec // by handle: a value slice, so a task is one read
	taskMore []taskMore
	taskIDs  interner
	allTasks []handle   // every live task, by seq
	counts   [][2]int32 // every task by board handle + 1
	files    []fileRec
	fileIDs  interner
	folders  []folderRec
	foldIDs  interner
	threads  []threadRec
	thrIDs   interner
	comps    []companyRec
	compIDs  interner
	invoices []invoiceRec
	invIDs   interner
	// activeAdmins is how many active users hold the built-in Admin role.
	activeAdmins int
}

func newIndex() *index {
	x := &index{}
	for _, n := range []*interner{&x.roleIDs, &x.userIDs, &x.projIDs, &x.teamIDs, &x.boardIDs, &x.typeIDs, &x.taskIDs, &x.fileIDs, &x.foldIDs, &x.thrIDs, &x.compIDs, &x.invIDs} {
		*n = newInterner()
	}
	return x
}

// ---- handles ----------------------------------------------------------------------------

func (x *index) user(id string) *userRec {
	if h, ok := x.userIDs.lookup(id); ok {
		return &x.users[h]
	}
	return nil
}

func (x *index) role(id string) *roleRec {
	if h, ok := x.roleIDs.lookup(id); ok && x.roles[h].alive {
		return x.roles[h]
	}
	return nil
}

func (x *index) project(id string) (*projectRec, handle) {
	if h, ok := x.projIDs.lookup(id); ok && x.projects[h].alive {
		return x.projects[h], h
	}
	return nil, none
}

func (x *index) team(id string) (*teamRec, handle) {
	if h, ok := x.teamIDs.lookup(id); ok && x.teams[h].alive {
		return x.teams[h], h
	}
	return nil, none
}

func (x *index) board(id string) (*boardRec, handle) {
	if h, ok := x.boardIDs.lookup(id); ok && x.boards[h].alive {
		return x.boards[h], h
	}
	return nil, none
}

func (x *index) taskType(id string) (*typeRec, handle) {
	if h, ok := x.typeIDs.lookup(id); ok && x.types[h].alive {
		return x.types[h], h
	}
	return nil, none
}

func (x *index) task(id string) (*taskRec, handle) {
	if h, ok := x.taskIDs.lookup(id); ok && x.tasks[h].alive {
		return &x.tasks[h], h
	}
	return nil, none
}

// handleOf returns id's handle, making a record with mk for an id the index has not seen
// yet (as when a membership names someone whose row comes later).
func handleOf[T any](n *interner, recs *[]T, id string, mk func() T) handle {
	if h, ok := n.lookup(id); ok {
		return h
	}
	h := handle(len(*recs))
	*recs = append(*recs, mk())
	n.add(id, h)
	return h
}

func (x *index) userHandle(id string) handle {
	return handleOf(&x.userIDs, &x.users, id, func() userRec { return userRec{id: id, role: none, company: none} })
}

func (x *index) teamHandle(id string) handle {
	return handleOf(&x.teamIDs, &x.teams, id, func() *teamRec { return &teamRec{id: id} })
}

func (x *index) boardHandle(id string) handle {
	return handleOf(&x.boardIDs, &x.boards, id, func() *boardRec { return &boardRec{id: id} })
}

func (x *index) projectHandle(id string) handle {
	return handleOf(&x.projIDs, &x.projects, id, func() *projectRec { return &projectRec{id: id, company: none} })
}

func (x *index) typeHandle(id string) handle {
	return handleOf(&x.typeIDs, &x.types, id, func() *typeRec { return &typeRec{id: id} })
}

func (x *index) roleHandle(id string) handle {
	return handleOf(&x.roleIDs, &x.roles, id, func() *roleRec { return &roleRec{id: id} })
}

func handles(ids []string, h func(string) handle) []handle {
	out := make([]handle, 0, len(ids))
	for _, id := range ids {
		out = append(out, h(id))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ---- derived sets -------------------------------------------------------------------------

// refreshTeamProjects recomputes the projects user u reaches through teams.
func (x *index) refreshTeamProjects(u *userRec) {
	var out bitset
	u.teams.each(func(t handle) { out = out.or(x.teams[t].projects) })
	u.teamProjects = out
}

// refreshBoardLevels recomputes user u's best invitation to each board.
func (x *index) refreshBoardLevels(uh handle) {
	u := &x.users[uh]
	levels := u.boardLevel[:0]
	for bh, b := range x.boards {
		best := LevelNone
		if b.alive {
			best = b.users[uh]
			if best != LevelEditor {
				u.teams.each(func(t handle) {
					if l := b.teams[t]; l == LevelEditor || (l == LevelMember && best == LevelNone) {
						best = l
					}
				})
			}
		}
		for len(levels) <= bh {
			levels = append(levels, LevelNone)
		}
		levels[bh] = best
	}
	u.boardLevel = levels
}

// more is what the index keeps of task t beyond what decisions read.
func (x *index) more(t *taskRec) *taskMore { return &x.taskMore[t.self] }

func (x *index) countTask(t *taskRec, delta int32) {
	cv := 0
	if t.clientVisible {
		cv = 1
	}
	b := int(t.board) + 1
	p := x.projects[t.project]
	for _, c := range []*[][2]int32{&p.counts, &x.counts} {
		for len(*c) <= b {
			*c = append(*c, [2]int32{})
		}
		(*c)[b][cv] += delta
	}
}

func insertBySeq(s []handle, tasks []taskRec, h handle) []handle {
	seq := tasks[h].seq
	if n := len(s); n == 0 || tasks[s[n-1]].seq < seq {
		return append(s, h) // the usual case: a new task is the newest
	}
	i := sort.Search(len(s), func(i int) bool { return tasks[s[i]].seq >= seq })
	return slices.Insert(s, i, h)
}

func removeBySeq(s []handle, tasks []taskRec, h handle) []handle {
	seq := tasks[h].seq
	i := sort.Search(len(s), func(i int) bool { return tasks[s[i]].seq >= seq })
	for ; i < len(s) && tasks[s[i]].seq == seq; i++ {
		if s[i] == h {
			return slices.Delete(s, i, i+1)
		}
	}
	return s
}

// ---- the Writer's setters ----------------------------------------------------------------

// PutRole adds or replaces a role (built-in roles keep their built-in grants, and give
// no roles).
func (w *Writer) PutRole(r *store.Role) {
	grants := make([]Grant, len(r.Grants))
	for i, g := range r.Grants {
		grants[i] = Grant{Key: g.Key, Scope: Scope(g.Scope)}
	}
	w.putRole(r.ID, r.Name, Kind(r.Kind), r.BuiltIn, grants, r.Assignable)
}

func (w *Writer) putRole(id, name string, kind Kind, builtIn bool, grants []Grant, assignable []string) {
	x := w.x
	h := x.roleHandle(id)
	next := compileRole(id, name, kind, builtIn, grants)
	if !builtIn {
		// A role named before its own row is read gets a handle now (as memberships do).
		for _, to := range assignable {
			next.gives.set(x.roleHandle(to))
		}
	}
	next.holders = x.roles[h].holders
	x.roles[h] = next
	next.holders.each(func(uh handle) {
		if len(x.users[uh].extras) > 0 {
			x.refreshEff(uh)
		}
	})
}

// DeleteRole forgets a role (its holders have been moved first), and takes it off every
// role's list of roles to give, as the database's cascade does.
func (w *Writer) DeleteRole(id string) {
	if h, ok := w.x.roleIDs.lookup(id); ok {
		w.x.roles[h].alive = false
		for _, r := range w.x.roles {
			r.gives.unset(h)
		}
	}
}

// PutUser adds or replaces a user's role and status.
func (w *Writer) PutUser(id, roleID string, active bool) {
	x := w.x
	uh := x.userHandle(id)
	u := &x.users[uh]
	if u.alive && u.active && u.role >= 0 && x.roles[u.role].id == RoleAdmin {
		x.activeAdmins--
	}
	if u.role >= 0 {
		x.roles[u.role].holders.unset(uh)
	}
	u.role, u.active, u.alive = x.roleHandle(roleID), active, true
	x.roles[u.role].holders.set(uh)
	if active && roleID == RoleAdmin {
		x.activeAdmins++
	}
	x.refreshEff(uh)
}

// DeleteUser forgets a user, and every membership, invitation, assignment and follow of
// theirs (the database cascades the same). Task-type authorisations keep naming them: a
// type whose only authorised person is deleted stays closed instead of opening to all.
func (w *Writer) DeleteUser(id string) {
	x := w.x
	uh, ok := x.userIDs.lookup(id)
	if !ok {
		return
	}
	u := &x.users[uh]
	if u.alive && u.active && u.role >= 0 && x.roles[u.role].id == RoleAdmin {
		x.activeAdmins--
	}
	if u.role >= 0 {
		x.roles[u.role].holders.unset(uh)
	}
	u.projects.each(func(p handle) { x.projects[p].members = removeSorted(x.projects[p].members, uh) })
	u.clientProjects.each(func(p handle) { x.projects[p].clients = removeSorted(x.projects[p].clients, uh) })
	u.teams.each(func(t handle) {
		x.teams[t].members = removeSorted(x.teams[t].members, uh)
		x.teams[t].leaders = removeSorted(x.teams[t].leaders, uh)
	})
	for _, th := range u.followed {
		x.tasks[th].followers = removeSorted(x.tasks[th].followers, uh)
	}
	for _, th := range u.assigned {
		x.tasks[th].assignee = none
	}
	for _, b := range x.boards {
		delete(b.users, uh)
	}
	*u = userRec{id: id, role: none, company: none}
}

// PutProject adds or replaces a project's name, status and membership (its tasks stay).
func (w *Writer) PutProject(p *store.Project) {
	x := w.x
	ph := x.projectHandle(p.ID)
	rec := x.projects[ph]
	// Undo the old membership.
	for _, u := range rec.members {
		x.users[u].projects.unset(ph)
	}
	for _, u := range rec.clients {
		x.users[u].clientProjects.unset(ph)
	}
	oldTeams := rec.teams
	for _, t := range oldTeams {
		x.teams[t].projects.unset(ph)
	}
	rec.name, rec.active, rec.alive = p.Name, p.Status == "active", true
	rec.members = handles(p.Members, x.userHandle)
	rec.clients = handles(p.Clients, x.userHandle)
	rec.teams = handles(p.Teams, x.teamHandle)
	for _, u := range rec.members {
		x.users[u].projects.set(ph)
	}
	for _, u := range rec.clients {
		x.users[u].clientProjects.set(ph)
	}
	for _, t := range rec.teams {
		x.teams[t].projects.set(ph)
	}
	// Members of teams that joined or left reach other projects now.
	for _, t := range append(slices.Clone(oldTeams), rec.teams...) {
		for _, u := range x.teams[t].members {
			x.refreshTeamProjects(&x.users[u])
		}
	}
}

// DeleteProject forgets a project and its tasks.
func (w *Writer) DeleteProject(id string) {
	x := w.x
	rec, _ := x.project(id)
	if rec == nil {
		return
	}
	for _, th := range slices.Clone(rec.tasks) {
		w.DeleteTask(x.taskMore[th].id)
	}
	w.dropFiles(func(f *fileRec) bool { return f.project == x.projectHandle(id) }, func(fo *folderRec) bool { return fo.project == x.projectHandle(id) })
	for i := range x.threads {
		if x.threads[i].project == x.projectHandle(id) {
			x.threads[i].alive = false
		}
	}
	w.PutProject(&store.Project{ID: id})
	rec.alive = false
}

// PutTeam adds or replaces a team and its members and leaders.
func (w *Writer) PutTeam(t *store.Team) {
	x := w.x
	th := x.teamHandle(t.ID)
	rec := x.teams[th]
	old := rec.members
	for _, u := range old {
		x.users[u].teams.unset(th)
	}
	for _, u := range rec.leaders {
		x.users[u].leads.unset(th)
	}
	rec.name, rec.alive = t.Name, true
	rec.members = handles(t.Members, x.userHandle)
	rec.leaders = handles(t.Leaders, x.userHandle)
	for _, u := range rec.members {
		x.users[u].teams.set(th)
	}
	for _, u := range rec.leaders {
		x.users[u].leads.set(th)
	}
	for _, u := range append(slices.Clone(old), rec.members...) {
		x.refreshTeamProjects(&x.users[u])
		x.refreshBoardLevels(u)
	}
}

// DeleteTeam forgets a team, and removes it from projects and boards. Task-type
// authorisations keep naming it (see DeleteUser).
func (w *Writer) DeleteTeam(id string) {
	x := w.x
	rec, th := x.team(id)
	if rec == nil {
		return
	}
	rec.projects.each(func(p handle) { x.projects[p].teams = removeSorted(x.projects[p].teams, th) })
	rec.projects = nil
	for _, b := range x.boards {
		delete(b.teams, th)
	}
	w.PutTeam(&store.Team{ID: id})
	rec.alive = false
}

// PutBoard adds or replaces a board. Tasks in a removed stage keep no stage (the
// database's ON DELETE SET NULL).
func (w *Writer) PutBoard(b *store.Board) {
	x := w.x
	bh := x.boardHandle(b.ID)
	rec := x.boards[bh]
	affected := map[handle]bool{}
	mark := func(r *boardRec) {
		for u := range r.users {
			affected[u] = true
		}
		for t := range r.teams {
			for _, u := range x.teams[t].members {
				affected[u] = true
			}
		}
	}
	mark(rec)
	next := &boardRec{id: b.ID, name: b.Name, alive: true, invited: b.Visibility == "invited", users: map[handle]Level{},
		teams: map[handle]Level{}, stages: map[string]string{}}
	for _, g := range b.Access {
		if g.Type == "user" {
			next.users[x.userHandle(g.ID)] = Level(g.Level)
		} else {
			next.teams[x.teamHandle(g.ID)] = Level(g.Level)
		}
	}
	for _, st := range b.Stages {
		next.stages[st.ID] = st.Kind
		next.order = append(next.order, st.ID)
	}
	x.boards[bh] = next
	mark(next)
	for u := range affected {
		x.refreshBoardLevels(u)
	}
	for _, th := range x.allTasks {
		if m := &x.taskMore[th]; x.tasks[th].board == bh && m.stage != "" && next.stages[m.stage] == "" {
			m.stage = ""
		}
	}
}

// DeleteBoard forgets a board; its tasks stay in their projects without a board (as the
// database's ON DELETE SET NULL does).
func (w *Writer) DeleteBoard(id string) {
	x := w.x
	rec, bh := x.board(id)
	if rec == nil {
		return
	}
	for _, th := range x.allTasks {
		if t := &x.tasks[th]; t.board == bh {
			x.countTask(t, -1)
			t.board, x.taskMore[th].stage = none, ""
			x.countTask(t, +1)
		}
	}
	w.PutBoard(&store.Board{ID: id}) // no invitations left: nobody's level names it
	x.boards[bh].alive = false
}

// PutTaskType adds or replaces a task type and who may create or assign its tasks.
func (w *Writer) PutTaskType(t *store.TaskType) {
	x := w.x
	h := x.typeHandle(t.ID)
	rec := &typeRec{id: t.ID, name: t.Name, alive: true, users: map[handle]TypeRight{}, teams: map[handle]TypeRight{}}
	for _, g := range t.Access {
		r := TypeRight{Create: g.Create, Assign: g.Assign}
		if g.Type == "user" {
			rec.users[x.userHandle(g.ID)] = r
		} else {
			rec.teams[x.teamHandle(g.ID)] = r
		}
	}
	x.types[h] = rec
}

// DeleteTaskType forgets a type (its tasks keep no type).
func (w *Writer) DeleteTaskType(id string) {
	x := w.x
	rec, h := x.taskType(id)
	if rec == nil {
		return
	}
	for _, th := range x.allTasks {
		if x.tasks[th].typ == h {
			x.tasks[th].typ = none
		}
	}
	rec.alive = false
}

// PutTask adds or replaces a task.
func (w *Writer) PutTask(t *store.Task) {
	x := w.x
	p, ph := x.project(t.ProjectID)
	if p == nil {
		return
	}
	h, ok := x.taskIDs.lookup(t.ID)
	var rec *taskRec
	if ok && x.tasks[h].alive {
		rec = &x.tasks[h]
		x.countTask(rec, -1)
		if rec.assignee >= 0 {
			u := &x.users[rec.assignee]
			u.assigned = removeBySeq(u.assigned, x.tasks, h)
		}
		for _, f := range rec.followers {
			x.users[f].followed = removeSorted(x.users[f].followed, h)
		}
	} else {
		if !ok {
			h = handle(len(x.tasks))
			x.tasks = append(x.tasks, taskRec{})
			x.taskMore = append(x.taskMore, taskMore{})
			x.taskIDs.add(t.ID, h)
		}
		x.tasks[h] = taskRec{self: h, seq: t.Seq, project: ph, alive: true}
		x.taskMore[h].id = t.ID
		rec = &x.tasks[h]
		p.tasks = insertBySeq(p.tasks, x.tasks, h)
		x.allTasks = insertBySeq(x.allTasks, x.tasks, h)
	}
	rec.board, rec.assignee, rec.typ = none, none, none
	if t.BoardID != "" {
		rec.board = x.boardHandle(t.BoardID)
	}
	if t.AssigneeID != "" {
		rec.assignee = x.userHandle(t.AssigneeID)
	}
	if t.TypeID != "" {
		rec.typ = x.typeHandle(t.TypeID)
	}
	x.taskMore[h].stage, rec.clientVisible = t.StageID, t.ClientVisible
	rec.followers = handles(t.Followers, x.userHandle)
	x.countTask(rec, +1)
	if rec.assignee >= 0 {
		u := &x.users[rec.assignee]
		u.assigned = insertBySeq(u.assigned, x.tasks, h)
	}
	for _, f := range rec.followers {
		x.users[f].followed = addSorted(x.users[f].followed, h)
	}
}

// DeleteTask forgets a task.
func (w *Writer) DeleteTask(id string) {
	x := w.x
	rec, h := x.task(id)
	if rec == nil {
		return
	}
	x.countTask(rec, -1)
	if rec.assignee >= 0 {
		u := &x.users[rec.assignee]
		u.assigned = removeBySeq(u.assigned, x.tasks, h)
	}
	for _, f := range rec.followers {
		x.users[f].followed = removeSorted(x.users[f].followed, h)
	}
	p := x.projects[rec.project]
	p.tasks = removeBySeq(p.tasks, x.tasks, h)
	x.allTasks = removeBySeq(x.allTasks, x.tasks, h)
	rec.alive = false
	// Its files go with it (as in the database): kept as the project's, they would be
	// seen by people the task was hidden from.
	for i := range x.files {
		if x.files[i].task == h {
			x.files[i].alive = false
		}
	}
}

// PutTaskRules records who may open tasks for whom, for one user.
func (w *Writer) PutTaskRules(userID string, r store.TaskRules) {
	u := &w.x.users[w.x.userHandle(userID)]
	u.noReceive, u.noOpen = !r.ReceiveFromOthers, !r.OpenForOthers
}
