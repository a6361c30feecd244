package authz

import (
	"sync"

	"gatehouse/backend/apperr"
)

// Actor is who makes a request. Only the id is carried: the role and status are read
// from the index at every check, so a change is in force for the very next request.
//
// Viewer is set when someone views the app as UserID ("view as", read-only): every
// decision must then hold for the viewer too, so viewing as someone never shows anything
// the viewer could not see directly.
type Actor struct {
	UserID string
	Viewer string
}

// Resource is what an action is about. The zero Resource means "the system" (global
// actions such as managing roles or reading the audit log).
type Resource struct {
	Type string // "user" or "role"
	ID   string
	// Kind is used for users.create, where the account does not exist yet: the kind of the
	// role it will get.
	Kind Kind
}

// Resources.
func UserRes(id string) Resource    { return Resource{Type: "user", ID: id} }
func NewUserRes(kind Kind) Resource { return Resource{Type: "user", Kind: kind} }
func RoleRes(id string) Resource    { return Resource{Type: "role", ID: id} }

// RoleDef is a role as the index needs it.
type RoleDef struct {
	ID      string
	Name    string
	Kind    Kind
	BuiltIn bool
	Grants  []Grant
}

// UserDef is a user as the index needs it.
type UserDef struct {
	ID     string
	RoleID string
	Active bool
}

type role struct {
	RoleDef
	scopes []Scope // by catalog position
	has    []bool
}

func compile(d RoleDef) *role {
	if b, ok := BuiltIn[d.ID]; ok && d.BuiltIn {
		d.Grants = b
	}
	r := &role{RoleDef: d, scopes: make([]Scope, len(Catalog)), has: make([]bool, len(Catalog))}
	for _, gr := range d.Grants {
		if i, ok := permIndex[gr.Key]; ok {
			r.has[i], r.scopes[i] = true, gr.Scope
		}
	}
	return r
}

type user struct {
	roleID string
	active bool
}

// Authorizer is the decision point and its index. Reads take a shared lock; writes go
// through Update, which holds the exclusive lock across the database commit and the
// index change, so no check ever answers from a state older than a committed write.
type Authorizer struct {
	mu           sync.RWMutex
	roles        map[string]*role
	users        map[string]*user
	usersByRole  map[string]map[string]bool
	activeAdmins int

	uwork    map[string]*userWork
	projects map[string]*project
	teams    map[string]*team
	boards   map[string]*board
	types    map[string]*taskType
	tasks    map[string]*task
	allTasks []*task            // by seq, ascending
	counts   map[string]*[2]int // all tasks by board: [0] internal, [1] client-visible
}

// New returns an Authorizer holding roles and users.
func New(roles []RoleDef, users []UserDef) *Authorizer {
	a := &Authorizer{roles: map[string]*role{}, users: map[string]*user{}, usersByRole: map[string]map[string]bool{},
		uwork: map[string]*userWork{}, projects: map[string]*project{}, teams: map[string]*team{}, boards: map[string]*board{},
		types: map[string]*taskType{}, tasks: map[string]*task{}, counts: map[string]*[2]int{}}
	w := &Writer{a}
	for _, r := range roles {
		w.SetRole(r)
	}
	for _, u := range users {
		w.SetUser(u)
	}
	return a
}

// Writer changes the index and answers checks while Update holds the lock.
type Writer struct{ a *Authorizer }

// Update runs fn under the exclusive lock. fn commits its database transaction and then
// records the change with the Writer's setters; checks made through the Writer inside fn
// see exactly the state fn is about to change.
func (a *Authorizer) Update(fn func(w *Writer) error) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fn(&Writer{a})
}

// SetRole adds or replaces a role.
func (w *Writer) SetRole(d RoleDef) { w.a.roles[d.ID] = compile(d) }

// DeleteRole forgets a role.
func (w *Writer) DeleteRole(id string) { delete(w.a.roles, id) }

// SetUser adds or replaces a user.
func (w *Writer) SetUser(d UserDef) {
	a := w.a
	if old, ok := a.users[d.ID]; ok {
		if old.active && old.roleID == RoleAdmin {
			a.activeAdmins--
		}
		delete(a.usersByRole[old.roleID], d.ID)
	}
	a.users[d.ID] = &user{roleID: d.RoleID, active: d.Active}
	if a.usersByRole[d.RoleID] == nil {
		a.usersByRole[d.RoleID] = map[string]bool{}
	}
	a.usersByRole[d.RoleID][d.ID] = true
	if d.Active && d.RoleID == RoleAdmin {
		a.activeAdmins++
	}
}

// DeleteUser forgets a user.
func (w *Writer) DeleteUser(id string) {
	a := w.a
	if old, ok := a.users[id]; ok {
		if old.active && old.roleID == RoleAdmin {
			a.activeAdmins--
		}
		delete(a.usersByRole[old.roleID], id)
	}
	delete(a.users, id)
	a.forgetUserWork(id)
}

// Can reports whether actor may do action (a catalog key) on res: nil, or an
// *apperr.Error of kind Unauthenticated, NotFound (the actor may not even see res) or
// Forbidden.
func (a *Authorizer) Can(actor Actor, action string, res Resource) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.can(actor, action, res)
}

// Can is Authorizer.Can under Update's lock.
func (w *Writer) Can(actor Actor, action string, res Resource) error {
	return w.a.can(actor, action, res)
}

var errNoSession = apperr.New(apperr.Unauthenticated, "unauthenticated", "Your session has ended. Sign in again.")

// actorRole returns the actor's role, or an error when the actor is unknown or
// deactivated (their sessions are gone too, but the index is the authority).
func (a *Authorizer) actorRole(actor Actor) (*role, error) {
	u, ok := a.users[actor.UserID]
	if !ok || !u.active {
		return nil, errNoSession
	}
	r, ok := a.roles[u.roleID]
	if !ok {
		return nil, errNoSession
	}
	return r, nil
}

func forbidden(action string) error {
	p, _ := Lookup(action)
	return apperr.New(apperr.Forbidden, "forbidden", "Your role does not allow this (%s: %s).", action, p.Label)
}

func (a *Authorizer) can(actor Actor, action string, res Resource) error {
	r, err := a.actorRole(actor)
	if err != nil {
		return err
	}
	i, ok := permIndex[action]
	if !ok {
		// A programming error, not a user's: deny rather than guess.
		return apperr.New(apperr.Forbidden, "forbidden", "Unknown action %q.", action)
	}
	switch res.Type {
	case "user":
		return a.canUser(actor, r, i, action, res)
	case "role":
		return a.canRole(r, i, action, res)
	}
	if !r.has[i] {
		return forbidden(action)
	}
	return nil
}

// userKindScope is the users.* scope that covers accounts of kind k.
func userKindScope(k Kind) Scope {
	if k == KindClient {
		return ScopeClients
	}
	return ScopeStaff
}

func (a *Authorizer) canUser(actor Actor, r *role, i int, action string, res Resource) error {
	if res.ID == "" { // an account of res.Kind that does not exist yet (create), or a kind an
		// account is moved to (edit): the action's scope must cover that kind
		if !r.has[i] || !covers(r.scopes[i], userKindScope(res.Kind)) {
			return forbidden(action)
		}
		return nil
	}
	hidden := apperr.NotFoundf("No such user.")
	target, ok := a.users[res.ID]
	if !ok {
		return hidden
	}
	tr := a.roles[target.roleID]
	if tr == nil {
		return hidden
	}
	self := res.ID == actor.UserID
	view := permIndex["users.view"]
	canSee := self || (r.has[view] && covers(r.scopes[view], userKindScope(tr.Kind)))
	if !canSee {
		return hidden
	}
	if i == view {
		return nil
	}
	if !r.has[i] || !covers(r.scopes[i], userKindScope(tr.Kind)) {
		return forbidden(action)
	}
	// No escalation: managing an account whose role holds more than yours would let you
	// take it over (reset its password) or strip a superior of access.
	if !subset(tr, r) {
		return apperr.New(apperr.Forbidden, "escalation", "%s's role holds permissions your role does not have.", "This user")
	}
	return nil
}

func (a *Authorizer) canRole(r *role, i int, action string, res Resource) error {
	if !r.has[i] {
		return forbidden(action)
	}
	if _, ok := a.roles[res.ID]; !ok {
		return apperr.NotFoundf("No such role.")
	}
	return nil
}

// subset reports whether everything role x grants, role y grants too (with a scope at
// least as wide).
func subset(x, y *role) bool {
	for i := range x.has {
		if x.has[i] && !Catalog[i].SelfOnly && (!y.has[i] || !covers(y.scopes[i], x.scopes[i])) {
			return false
		}
	}
	return true
}
