package httpapi

import (
	"net/http"
	"time"

	"gatehouse/backend/costs"
	"gatehouse/backend/identity"
)

// A project's budget and extra costs (costs.view, costs.edit).

type projectCostJSON struct {
	ID          string    `json:"id"`
	Description string    `json:"description"`
	Amount      int64     `json:"amount"`
	Date        string    `json:"date"`
	CreatedAt   time.Time `json:"createdAt"`
}

type projectCostsJSON struct {
	// Company is the project's client company with its cost per month, when the asker
	// sees both.
	Company  *companyCostJSON  `json:"company,omitempty"`
	Currency string            `json:"currency"`
	Budget   *rate             `json:"budget"`
	Spent    int64             `json:"spent"`
	Items    []projectCostJSON `json:"items"`
}

func (a *API) projectCosts(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	c, err := a.cfg.Costs.ProjectCosts(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	cur, err := a.cfg.Costs.Currency(r.Context())
	if err != nil {
		return err
	}
	out := projectCostsJSON{Currency: cur, Budget: shown(c.Budget), Spent: c.Spent}
	if p2, err := a.cfg.Projects.Get(r.Context(), p.Actor, r.PathValue("id")); err == nil && p2.CompanyID != "" {
		if co, err := a.cfg.Companies.Get(r.Context(), p.Actor, p2.CompanyID); err == nil {
			if v, ok, err := a.cfg.Costs.CompanyCost(r.Context(), p.Actor, co.ID); err == nil && ok {
				out.Company = &companyCostJSON{ID: co.ID, Name: co.Name, CostPerMonth: shown(v)}
			}
		}
	}
	out.Items = each(c.Items, func(c *costs.Cost) projectCostJSON {
		return projectCostJSON{ID: c.ID, Description: c.Description, Amount: c.Amount, Date: c.SpentOn, CreatedAt: c.CreatedAt}
	})
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) setBudget(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Budget *int64 `json:"budget"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Costs.SetBudget(r.Context(), p.Actor, r.PathValue("id"), req.Budget); err != nil {
		return err
	}
	return a.projectCosts(w, r, p)
}

func (a *API) addProjectCost(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Description string `json:"description"`
		Amount      int64  `json:"amount"`
		Date        string `json:"date"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := a.cfg.Costs.AddCost(r.Context(), p.Actor, r.PathValue("id"), req.Description, req.Amount, req.Date)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, projectCostJSON{ID: c.ID, Description: c.Description, Amount: c.Amount, Date: c.SpentOn, CreatedAt: c.CreatedAt})
}

func (a *API) deleteProjectCost(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Costs.DeleteCost(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}

type companyCostJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	CostPerMonth *rate  `json:"costPerMonth"`
}
