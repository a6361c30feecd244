package authz

import (
	"context"
	"sync"

	"gatehouse/backend/apperr"
)

// Actor is who makes a request. Only the id is carried: the role and status are read from
// the index at every decision, so a change is in force for the very next request.
//
// Viewer is set when someone views the app as UserID ("view as", read-only): every
// decision must then hold for the viewer too, so viewing as someone never shows anything
// the viewer could not see directly.
type Actor struct {
	UserID string
	Viewer string
	// h is UserID's handle plus one, when the actor was made by Authorizer.Actor (0: look
	// it up by id). A handle is never reused, so it cannot point at someone else.
	h handle
}

// Type is a kind of resource that roles guard.
type Type uint8

// Resource types. System is the zero Ref: global actions (settings, activity, creating
// things that have no id yet when no type is given).
const (
	System Type = iota
	User
	Role
	Project
	Team
	Board
	Task
	TaskType
	File
	Folder
	Thread
	Channel
	Company
	Invoice
)

var typeNames = [...]string{"system", "user", "role", "project", "team", "board", "task", "task_type", "file", "folder", "thread", "channel", "company", "invoice"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown"
}

// TypeOf reads a resource type from its name (API input).
func TypeOf(name string) (Type, bool) {
	for i, n := range typeNames {
		if n == name && i != int(System) {
			return Type(i), true
		}
	}
	return System, false
}

// Ref names a resource: its type and id. A Ref with a type and no id is the collection
// (creating a project, listing teams).
type Ref struct {
	Type Type
	ID   string
}

// Refs of each type.
func UserRef(id string) Ref     { return Ref{User, id} }
func RoleRef(id string) Ref     { return Ref{Role, id} }
func ProjectRef(id string) Ref  { return Ref{Project, id} }
func TeamRef(id string) Ref     { return Ref{Team, id} }
func BoardRef(id string) Ref    { return Ref{Board, id} }
func TaskRef(id string) Ref     { return Ref{Task, id} }
func TaskTypeRef(id string) Ref { return Ref{TaskType, id} }
func FileRef(id string) Ref     { return Ref{File, id} }
func FolderRef(id string) Ref   { return Ref{Folder, id} }
func ThreadRef(id string) Ref   { return Ref{Thread, id} }
func ChannelRef(id string) Ref  { return Ref{Channel, id} }
func CompanyRef(id string) Ref  { return Ref{Company, id} }
func InvoiceRef(id string) Ref  { return Ref{Invoice, id} }

// Authorizer is the index and the lock around it. Decisions take the shared lock; writes
// go through Update, which holds the exclusive lock across the database commit and the
// index change, so no decision ever answers from a state older than a committed write.
type Authorizer struct {
	mu      sync.RWMutex
	x       *index
	ready   chan struct{}
	loadErr error
	// version counts the index's committed changes: a what-if preview names the state it
	// was computed on, and a write that expects it refuses when it has moved on.
	version uint64
}

// New returns an empty Authorizer (tests fill it with Update).
func New() *Authorizer {
	return &Authorizer{x: newIndex(), ready: make(chan struct{})}
}

// Reader makes decisions over the index; its holder holds the lock. Every rule is a
// method of Reader, written once: the Authorizer's methods take the shared lock and call
// it, and the Writer, under the exclusive lock, embeds it.
type Reader struct{ x *index }

// Writer changes the index, and decides (as a Reader) on exactly the state it is about to
// change. It exists only inside Update.
type Writer struct{ Reader }

var errUnavailable = apperr.New(apperr.Unavailable, "index_unavailable",
	"Gatehouse could not read its database at start, so it cannot decide who may do what. The details are in its log; restart it.")

// Wait blocks until the index is loaded, or ctx ends.
func (a *Authorizer) Wait(ctx context.Context) error {
	select {
	case <-a.ready:
		return a.loadErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Read runs fn under the shared lock.
func (a *Authorizer) Read(fn func(r *Reader) error) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.loadErr != nil {
		return errUnavailable
	}
	return fn(&Reader{x: a.x})
}

// Update runs fn under the exclusive lock. fn decides (w is a Reader), commits its
// database transaction, then records the change with the Writer's setters.
func (a *Authorizer) Update(fn func(w *Writer) error) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.loadErr != nil {
		return errUnavailable
	}
	err := fn(&Writer{Reader{x: a.x}})
	if err == nil {
		a.version++
	}
	return err
}

// Actor returns the actor for userID with its handle resolved, so the decisions of one
// request look the user up once.
func (a *Authorizer) Actor(userID string) Actor {
	a.mu.RLock()
	defer a.mu.RUnlock()
	act := Actor{UserID: userID}
	if h, ok := a.x.userIDs.lookup(userID); ok {
		act.h = h + 1
	}
	return act
}

// Check decides whether actor may do action to res (with chg, for actions that concern a
// second thing): nil, or an *apperr.Error of kind Unauthenticated, NotFound (the actor may
// not even see res) or Forbidden (or Invalid, naming the field, for a bad second thing).
func (a *Authorizer) Check(actor Actor, action Action, res Ref, chg ...Change) error {
	// Read without a closure: this is the hot path, and it must not allocate.
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.loadErr != nil {
		return errUnavailable
	}
	r := Reader{x: a.x}
	return r.Check(actor, action, res, chg...)
}

// Allowed lists which of actions actor may do to res, by their keys (for the actions an
// answer carries).
func (a *Authorizer) Allowed(actor Actor, res Ref, actions ...Action) []string {
	out := []string{}
	a.Read(func(r *Reader) error {
		out = r.Allowed(actor, res, actions...)
		return nil
	})
	return out
}
