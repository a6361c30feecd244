package httpapi

import (
	"context"
	"net/http"
	"time"

	"gatehouse/backend/authz"
	"gatehouse/backend/companies"
	"gatehouse/backend/identity"
)

// Client companies.

type companyJSON struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	Email     string       `json:"email"`
	Phone     string       `json:"phone"`
	Address   string       `json:"address"`
	CreatedAt time.Time    `json:"createdAt"`
	People    []personJSON `json:"people"`
	Projects  []refJSON    `json:"projects"`
	Actions   []string     `json:"actions"`
	// CostPerMonth: only to whoever may see company costs (costs.view); null when not set.
	CostPerMonth *rate `json:"costPerMonth,omitempty"`
}

type refJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// companyJSONs shapes companies for the asker: their people by name, and only the
// projects the asker sees.
func (a *API) companyJSONs(ctx context.Context, p *identity.Principal, cs []*companies.Company) ([]companyJSON, error) {
	var people, projects []string
	for _, c := range cs {
		people = append(people, c.People...)
		projects = append(projects, c.Projects...)
	}
	ps, err := a.cfg.Access.Names(ctx, people)
	if err != nil {
		return nil, err
	}
	byID := map[string]personJSON{}
	for _, pe := range ps {
		byID[pe.ID] = toPersonJSON(pe)
	}
	seen, err := a.cfg.Projects.Named(ctx, p.Actor, projects)
	if err != nil {
		return nil, err
	}
	out := make([]companyJSON, 0, len(cs))
	for _, c := range cs {
		j := companyJSON{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone, Address: c.Address, CreatedAt: c.CreatedAt,
			People: []personJSON{}, Projects: []refJSON{}, Actions: a.cfg.Authz.Allowed(p.Actor, authz.CompanyRef(c.ID), authz.UsersEdit, authz.CostsView, authz.CostsEdit)}
		if v, ok, err := a.cfg.Costs.CompanyCost(ctx, p.Actor, c.ID); err != nil {
			return nil, err
		} else if ok {
			j.CostPerMonth = shown(v)
		}
		for _, id := range c.People {
			if pe, ok := byID[id]; ok {
				j.People = append(j.People, pe)
			}
		}
		for _, id := range c.Projects {
			if name, ok := seen[id]; ok {
				j.Projects = append(j.Projects, refJSON{ID: id, Name: name})
			}
		}
		out = append(out, j)
	}
	return out, nil
}

func (a *API) listCompanies(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	cs, err := a.cfg.Companies.List(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	items, err := a.companyJSONs(r.Context(), p, cs)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[companyJSON]{Items: items})
}

func (a *API) oneCompany(w http.ResponseWriter, r *http.Request, p *identity.Principal, status int, c *companies.Company) error {
	items, err := a.companyJSONs(r.Context(), p, []*companies.Company{c})
	if err != nil {
		return err
	}
	return writeJSON(w, status, items[0])
}

func (a *API) getCompany(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	c, err := a.cfg.Companies.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return a.oneCompany(w, r, p, http.StatusOK, c)
}

type companyRequest struct {
	Name    *string `json:"name"`
	Email   *string `json:"email"`
	Phone   *string `json:"phone"`
	Address *string `json:"address"`
}

func (a *API) createCompany(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req companyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := a.cfg.Companies.Create(r.Context(), p.Actor, companies.Request(req))
	if err != nil {
		return err
	}
	return a.oneCompany(w, r, p, http.StatusCreated, c)
}

func (a *API) updateCompany(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req companyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := a.cfg.Companies.Update(r.Context(), p.Actor, r.PathValue("id"), companies.Request(req))
	if err != nil {
		return err
	}
	return a.oneCompany(w, r, p, http.StatusOK, c)
}

func (a *API) deleteCompany(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Companies.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}

type companyCostRequest struct {
	CostPerMonth *int64 `json:"costPerMonth"`
}

func (a *API) setCompanyCost(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req companyCostRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Costs.SetCompanyCost(r.Context(), p.Actor, r.PathValue("id"), req.CostPerMonth); err != nil {
		return err
	}
	return a.getCompany(w, r, p)
}
