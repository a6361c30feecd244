// Package costs keeps what the company spends, in integer minor units of the
// organisation's currency: a client company's cost per month, a project's budget and extra
// costs (costs.view / costs.edit), and a team member's hour rate (rates.view / rates.edit:
// "Managers are not allowed to change employee-hour costs"). Each is decided in
// backend/authz on the thing it belongs to; whoever may not see a figure is never sent it.
package costs

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// MaxAmount bounds every amount (a trillion minor units), far beyond any real figure and
// far inside int64 sums.
const MaxAmount = 1_000_000_000_000

// Service is the costs service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	write *write.Path
	now   func() time.Time
}

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now}
}

// Cost is one extra cost of a project.
type Cost = store.ProjectCost

// Project is a project's budget and what was spent on it.
type Project struct {
	Budget *int64
	Spent  int64
	Items  []*Cost
}

func checkAmount(field string, v *int64, zeroOK bool) error {
	if v == nil {
		return nil
	}
	if *v < 0 || (*v == 0 && !zeroOK) || *v > MaxAmount {
		return apperr.Field(field, "Enter an amount in cents (a whole number) from %d to %d.", map[bool]int{true: 0, false: 1}[zeroOK], int64(MaxAmount))
	}
	return nil
}

// Currency is the organisation's currency.
func (s *Service) Currency(ctx context.Context) (string, error) { return s.store.Currency(ctx) }

// CompanyCost returns a company's cost per month when the actor may see it (ok false: the
// figure is not theirs to see).
func (s *Service) CompanyCost(ctx context.Context, actor authz.Actor, companyID string) (v *int64, ok bool, err error) {
	if s.authz.Check(actor, authz.CostsView, authz.CompanyRef(companyID)) != nil {
		return nil, false, nil
	}
	v, err = s.store.CompanyCost(ctx, companyID)
	return v, err == nil, err
}

// SetCompanyCost changes a company's cost per month (nil: not set).
func (s *Service) SetCompanyCost(ctx context.Context, actor authz.Actor, companyID string, v *int64) error {
	if err := checkAmount("costPerMonth", v, true); err != nil {
		return err
	}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.CostsEdit, authz.CompanyRef(companyID)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		before, err := tx.CompanyCost(ctx, companyID)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.SetCompanyCost(ctx, companyID, v); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "company.cost", TargetType: "company", TargetID: companyID,
			Details: map[string]any{"from": before, "to": v}, Needs: authz.CostsView.String(), ClientRelated: true}}}, nil
	})
	return err
}

// ProjectCosts returns a project's budget, extra costs and what they add up to.
func (s *Service) ProjectCosts(ctx context.Context, actor authz.Actor, projectID string) (*Project, error) {
	if err := s.authz.Check(actor, authz.CostsView, authz.ProjectRef(projectID)); err != nil {
		return nil, err
	}
	b, err := s.store.ProjectBudget(ctx, projectID)
	if err != nil {
		return nil, err
	}
	items, err := s.store.ProjectCosts(ctx, projectID)
	if err != nil {
		return nil, err
	}
	p := &Project{Budget: b, Items: items}
	for _, c := range items {
		p.Spent += c.Amount
	}
	return p, nil
}

// SetBudget changes a project's budget (nil: not set).
func (s *Service) SetBudget(ctx context.Context, actor authz.Actor, projectID string, v *int64) error {
	if err := checkAmount("budget", v, true); err != nil {
		return err
	}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.CostsEdit, authz.ProjectRef(projectID)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		before, err := tx.ProjectBudget(ctx, projectID)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.SetProjectBudget(ctx, projectID, v); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "project.budget", TargetType: "project", TargetID: projectID,
			Details: map[string]any{"from": before, "to": v}, Needs: authz.CostsView.String()}}}, nil
	})
	return err
}

// AddCost records an extra cost of a project.
func (s *Service) AddCost(ctx context.Context, actor authz.Actor, projectID, description string, amount int64, date string) (*Cost, error) {
	d := strings.TrimSpace(description)
	switch {
	case d == "":
		return nil, apperr.Field("description", "Say what the cost was for.")
	case utf8.RuneCountInString(d) > 200:
		return nil, apperr.Field("description", "The description is too long: at most 200 characters.")
	}
	if err := text.Line("description", apperr.Textf("description"), d); err != nil {
		return nil, err
	}
	if err := checkAmount("amount", &amount, false); err != nil {
		return nil, err
	}
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return nil, apperr.Field("date", "Enter the date as YYYY-MM-DD.")
	}
	now := s.now()
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Cost, write.Effect, error) {
		if err := w.Check(actor, authz.CostsEdit, authz.ProjectRef(projectID)); err != nil {
			return nil, write.Effect{}, err
		}
		c := &Cost{ID: uuid.NewString(), ProjectID: projectID, Description: d, Amount: amount, SpentOn: date, CreatedBy: actor.UserID, CreatedAt: now}
		if err := tx.AddProjectCost(ctx, c); err != nil {
			return nil, write.Effect{}, err
		}
		return c, write.Effect{Audit: []audit.Entry{{Action: "project.cost_add", TargetType: "project", TargetID: projectID,
			Details: map[string]any{"description": d, "amount": amount, "date": date}, Needs: authz.CostsView.String()}}}, nil
	})
}

// DeleteCost removes an extra cost.
func (s *Service) DeleteCost(ctx context.Context, actor authz.Actor, id string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		c, err := tx.ProjectCost(ctx, id)
		if err != nil || w.Check(actor, authz.CostsView, authz.ProjectRef(c.ProjectID)) != nil {
			return struct{}{}, write.Effect{}, apperr.NotFoundf("No such cost.")
		}
		if err := w.Check(actor, authz.CostsEdit, authz.ProjectRef(c.ProjectID)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteProjectCost(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "project.cost_delete", TargetType: "project", TargetID: c.ProjectID,
			Details: map[string]any{"description": c.Description, "amount": c.Amount, "date": c.SpentOn}, Needs: authz.CostsView.String()}}}, nil
	})
	return err
}

// HourRate returns a team member's hour rate when the actor may see it.
func (s *Service) HourRate(ctx context.Context, actor authz.Actor, userID string) (v *int64, ok bool, err error) {
	if s.authz.Check(actor, authz.RatesView, authz.UserRef(userID)) != nil {
		return nil, false, nil
	}
	v, err = s.store.HourRate(ctx, userID)
	return v, err == nil, err
}

// SetHourRate changes a team member's hour rate (nil: not set).
func (s *Service) SetHourRate(ctx context.Context, actor authz.Actor, userID string, v *int64) error {
	if err := checkAmount("hourRate", v, true); err != nil {
		return err
	}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.RatesEdit, authz.UserRef(userID)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		before, err := tx.HourRate(ctx, userID)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.SetHourRate(ctx, userID, v); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "user.hour_rate", TargetType: "user", TargetID: userID,
			Details: map[string]any{"from": before, "to": v}, Needs: authz.RatesView.String()}}}, nil
	})
	return err
}
