package httpapi

import (
	"context"
	"net/http"
	"time"

	"gatehouse/backend/access"
	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/projects"
)

// Projects, and who is on them.

type projectJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Status      string   `json:"status"`
	Members     []string `json:"members"`
	Teams       []string `json:"teams"`
	Clients     []string `json:"clients"`
	TaskCount   int      `json:"taskCount"`
	// CompanyID and CompanyName: the client company, when the asker sees it.
	CompanyID   string `json:"companyId,omitempty"`
	CompanyName string `json:"companyName,omitempty"`
	// Budget and Spent (its extra costs): only to whoever may see company costs.
	Budget    *rate     `json:"budget,omitempty"`
	Spent     *int64    `json:"spent,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	Actions   []string  `json:"actions"`
	// Names of the people listed (members and clients), so no one has to look them up.
	Names map[string]string `json:"names"`
}

// projectJSONs shapes projects for the actor, naming their people in one query.
func (a *API) projectJSONs(ctx context.Context, actor authz.Actor, ps []*projects.Project) ([]projectJSON, error) {
	shaped := each(ps, func(p *projects.Project) *projects.Project { return a.cfg.Projects.ForViewer(actor, p) })
	var ids []string
	for _, p := range shaped {
		ids = append(append(ids, p.Members...), p.Clients...)
	}
	names, err := a.names(ctx, ids)
	if err != nil {
		return nil, err
	}
	// Each project's company, named when the asker sees it.
	companyName := map[string]string{}
	for _, p := range shaped {
		if _, done := companyName[p.CompanyID]; done || p.CompanyID == "" {
			continue
		}
		companyName[p.CompanyID] = ""
		if c, err := a.cfg.Companies.Get(ctx, actor, p.CompanyID); err == nil {
			companyName[p.CompanyID] = c.Name
		}
	}
	return each(shaped, func(p *projects.Project) projectJSON {
		own := map[string]string{}
		for _, id := range append(append([]string{}, p.Members...), p.Clients...) {
			if n, ok := names[id]; ok {
				own[id] = n
			}
		}
		j := projectJSON{ID: p.ID, Name: p.Name, Description: p.Description, Status: p.Status, Members: orEmpty(p.Members),
			Teams: orEmpty(p.Teams), Clients: orEmpty(p.Clients), TaskCount: p.TaskCount, CreatedAt: p.CreatedAt.UTC(),
			Actions: a.cfg.Projects.Actions(actor, p.ID), Names: own}
		if n := companyName[p.CompanyID]; n != "" {
			j.CompanyID, j.CompanyName = p.CompanyID, n
		}
		if c, err := a.cfg.Costs.ProjectCosts(ctx, actor, p.ID); err == nil {
			j.Budget, j.Spent = shown(c.Budget), &c.Spent
		}
		return j
	}), nil
}

func (a *API) writeProject(w http.ResponseWriter, r *http.Request, actor authz.Actor, status int, p *projects.Project) error {
	out, err := a.projectJSONs(r.Context(), actor, []*projects.Project{p})
	if err != nil {
		return err
	}
	return writeJSON(w, status, out[0])
}

// names returns the display names of people by id (one query; deleted people are absent).
func (a *API) names(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	people, err := a.cfg.Access.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		out[p.ID] = p.Name
	}
	return out, nil
}

type projectRequest struct {
	Name        *string   `json:"name"`
	Description *string   `json:"description"`
	Status      *string   `json:"status"`
	Members     *[]string `json:"members"`
	Teams       *[]string `json:"teams"`
	Clients     *[]string `json:"clients"`
	CompanyID   *string   `json:"companyId"`
	// ExpectVersion: the what-if preview's version; refused (409 stale_preview) when
	// access changed since.
	ExpectVersion string `json:"expectVersion"`
}

func (a *API) listProjects(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	ps, next, total, err := a.cfg.Projects.List(r.Context(), p.Actor, projects.ListRequest{Query: q.Get("q"), Status: q.Get("status"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	items, err := a.projectJSONs(r.Context(), p.Actor, ps)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[projectJSON]{Items: items, Next: cursorOf(next), Total: total})
}

func (a *API) createProject(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req projectRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	pr, err := a.cfg.Projects.Create(r.Context(), p.Actor, projects.Request(req))
	if err != nil {
		return err
	}
	return a.writeProject(w, r, p.Actor, http.StatusCreated, pr)
}

func (a *API) getProject(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	pr, err := a.cfg.Projects.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return a.writeProject(w, r, p.Actor, http.StatusOK, pr)
}

func (a *API) updateProject(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req projectRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	pr, err := a.cfg.Projects.Update(r.Context(), p.Actor, r.PathValue("id"), projects.Request(req))
	if err != nil {
		return err
	}
	return a.writeProject(w, r, p.Actor, http.StatusOK, pr)
}

func (a *API) addProjectPerson(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		UserID string `json:"userId"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	pr, err := a.cfg.Projects.AddPerson(r.Context(), p.Actor, r.PathValue("id"), req.UserID)
	if err != nil {
		return err
	}
	return a.writeProject(w, r, p.Actor, http.StatusOK, pr)
}

func (a *API) deleteProject(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Projects.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}

type personJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Active bool   `json:"active"`
}

func toPersonJSON(p access.Person) personJSON {
	return personJSON{ID: p.ID, Name: p.Name, Kind: p.Kind, Active: p.Active}
}

func (a *API) projectPeople(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	people, err := a.cfg.Access.ProjectPeople(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[personJSON]{Items: each(people, toPersonJSON)})
}

// audience lists the people who see a resource of resType, with names (whom one may
// mention in it).
func (a *API) audience(resType string) handler {
	return func(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
		people, err := a.cfg.Access.Audience(r.Context(), p.Actor, resType, r.PathValue("id"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, list[personJSON]{Items: each(people, toPersonJSON)})
	}
}

func (a *API) listPeople(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	all, err := queryBool(r.URL.Query().Get("includeDeactivated"), "includeDeactivated")
	if err != nil {
		return err
	}
	people, err := a.cfg.Access.People(r.Context(), p.Actor, all)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[personJSON]{Items: each(people, toPersonJSON)})
}
