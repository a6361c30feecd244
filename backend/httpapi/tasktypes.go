package httpapi

import (
	"net/http"

	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/tasks"
)

// Task types and who may create or assign their tasks.

type typeGrantJSON struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Create bool   `json:"create"`
	Assign bool   `json:"assign"`
}

type taskTypeJSON struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Access  []typeGrantJSON `json:"access"`
	Actions []string        `json:"actions"`
}

func (a *API) taskTypeJSON(actor authz.Actor, t *tasks.TaskType) taskTypeJSON {
	return taskTypeJSON{ID: t.ID, Name: t.Name, Actions: a.cfg.Tasks.TypeActions(actor, t.ID),
		Access: each(t.Access, func(g tasks.TypeGrant) typeGrantJSON { return typeGrantJSON{g.Type, g.ID, g.Create, g.Assign} })}
}

type taskTypeRequest struct {
	Name   *string          `json:"name"`
	Access *[]typeGrantJSON `json:"access"`
}

func (b taskTypeRequest) request() tasks.TypeRequest {
	r := tasks.TypeRequest{Name: b.Name}
	if b.Access != nil {
		l := each(*b.Access, func(g typeGrantJSON) tasks.TypeGrant {
			return tasks.TypeGrant{Type: g.Type, ID: g.ID, Create: g.Create, Assign: g.Assign}
		})
		r.Access = &l
	}
	return r
}

func (a *API) listTaskTypes(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	ts, err := a.cfg.Tasks.Types(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[taskTypeJSON]{Items: each(ts, func(t *tasks.TaskType) taskTypeJSON { return a.taskTypeJSON(p.Actor, t) })})
}

func (a *API) createTaskType(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req taskTypeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := a.cfg.Tasks.CreateType(r.Context(), p.Actor, req.request())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a.taskTypeJSON(p.Actor, t))
}

func (a *API) updateTaskType(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req taskTypeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := a.cfg.Tasks.UpdateType(r.Context(), p.Actor, r.PathValue("id"), req.request())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.taskTypeJSON(p.Actor, t))
}

func (a *API) deleteTaskType(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Tasks.DeleteType(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}
