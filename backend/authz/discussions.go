package authz

import (
	"gatehouse/backend/apperr"
	"gatehouse/backend/store"
)

// Project discussions: threads with messages. A thread is internal (the project's team)
// or visible to the project's clients too; whoever sees it may write in it with
// chat.discussions, and changes only their own messages.

type threadRec struct {
	id            string
	project       handle
	clientVisible bool
	alive         bool
}

func (t threadRec) live() bool { return t.alive }

func (x *index) thread(id string) (*threadRec, handle) { return liveRec(&x.thrIDs, x.threads, id) }

// PutThread adds or replaces a thread.
func (w *Writer) PutThread(t *store.Thread) {
	x := w.x
	_, ph := x.project(t.ProjectID)
	if ph == none {
		return
	}
	h := handleOf(&x.thrIDs, &x.threads, t.ID, func() threadRec { return threadRec{} })
	x.threads[h] = threadRec{id: t.ID, project: ph, clientVisible: t.ClientVisible, alive: true}
}

// DeleteThread forgets a thread.
func (w *Writer) DeleteThread(id string) {
	if t, _ := w.x.thread(id); t != nil {
		t.alive = false
	}
}

var (
	hiddenThread = apperr.NotFoundf("No such discussion.")
	ownMessages  = apperr.New(apperr.Forbidden, "own_messages", "You can change only your own messages.")
)

// seesThread is who sees a discussion: chat.discussions and the project; a client only
// a discussion open to clients.
func (rd *Reader) seesThread(v *view, t *threadRec, y *why) bool {
	if !t.alive {
		return false
	}
	if !v.has(ChatDiscussions) {
		return y.miss("The role %s does not hold chat.discussions.", v.r.name)
	}
	if !rd.seesProject(v, t.project, y) {
		return false
	}
	if v.client {
		if !t.clientVisible {
			return y.miss("The discussion is internal: it is not open to clients.")
		}
		y.path(Path{Kind: "shared"})
	}
	return v.also == nil || rd.seesThread(v.also, t, nil)
}

func (rd *Reader) decideThread(v *view, a Action, id string, c *Change, y *why) error {
	t, _ := rd.x.thread(id)
	if t == nil || !rd.seesThread(v, t, y) {
		return hiddenThread
	}
	switch a {
	case View:
		return nil
	case ChatDiscussions: // writing in it; with Author, changing that message
		if c.Author != "" && c.Author != v.u.id {
			return ownMessages
		}
		return nil
	}
	return notApplicable(a, Thread)
}

// WouldSeeThread decides whether actor would see a thread of project projectID that is
// about to be made (so not in the index yet): the same predicate as for any thread.
func (rd *Reader) WouldSeeThread(actor Actor, projectID string, clientVisible bool) bool {
	var v view
	if rd.viewOf(actor, &v) != nil {
		return false
	}
	_, ph := rd.x.project(projectID)
	return ph != none && rd.seesThread(&v, &threadRec{project: ph, clientVisible: clientVisible, alive: true}, nil)
}
