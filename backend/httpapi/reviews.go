package httpapi

import (
	"context"
	"net/http"
	"slices"
	"time"

	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/reviews"
	"gatehouse/backend/store"
)

// Access review campaigns: who runs them (roles.manage) starts, follows, closes and
// exports them; each reviewer decides their own lines.

type namedJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type reviewJSON struct {
	ID           string           `json:"id"`
	Scope        string           `json:"scope"`
	ScopeID      string           `json:"scopeId"`
	ScopeName    string           `json:"scopeName"`
	Status       string           `json:"status"`
	StartedBy    namedJSON        `json:"startedBy"`
	StartedAt    time.Time        `json:"startedAt"`
	ClosedByName string           `json:"closedByName"`
	ClosedAt     *time.Time       `json:"closedAt"`
	Lines        int              `json:"lines"`
	Decided      int              `json:"decided"`
	CanClose     bool             `json:"canClose"`
	Reviewers    []namedJSON      `json:"reviewers,omitempty"`
	Items        []reviewLineJSON `json:"items,omitempty"`
}

type reviewLineJSON struct {
	ID           string      `json:"id"`
	Position     int         `json:"position"`
	UserID       string      `json:"userId"`
	UserName     string      `json:"userName"`
	UserEmail    string      `json:"userEmail"`
	Kind         string      `json:"kind"`
	ThingID      string      `json:"thingId"`
	ThingName    string      `json:"thingName"`
	Detail       string      `json:"detail"`
	ReviewerID   string      `json:"reviewerId"`
	ReviewerName string      `json:"reviewerName"`
	Decision     string      `json:"decision"`
	NewRoleID    string      `json:"newRoleId"`
	NewRoleName  string      `json:"newRoleName"`
	Note         string      `json:"note"`
	DecidedAt    *time.Time  `json:"decidedAt"`
	Outcome      string      `json:"outcome"`
	OutcomeText  string      `json:"outcomeText"`
	AppliedAt    *time.Time  `json:"appliedAt"`
	RoleChoices  []namedJSON `json:"roleChoices"`
}

func named(ns []reviews.Named) []namedJSON {
	out := make([]namedJSON, 0, len(ns))
	for _, n := range ns {
		out = append(out, namedJSON{ID: n.ID, Name: n.Name})
	}
	return out
}

func toReviewJSON(p *identity.Principal, r *store.AccessReview) reviewJSON {
	return reviewJSON{ID: r.ID, Scope: r.Scope, ScopeID: r.ScopeID, ScopeName: r.ScopeName, Status: r.Status,
		StartedBy: namedJSON{ID: r.StartedBy, Name: r.StartedByName}, StartedAt: r.StartedAt, ClosedByName: r.ClosedByName,
		ClosedAt: r.ClosedAt, Lines: r.Items, Decided: r.Decided,
		CanClose: r.Status == store.ReviewOpen && r.StartedBy == p.Actor.UserID && p.Actor.Viewer == ""}
}

func (a *API) toReviewDetail(r *http.Request, p *identity.Principal, rv *reviews.Review) reviewJSON {
	out := toReviewJSON(p, rv.AccessReview)
	out.Reviewers = named(rv.Reviewers)
	out.Items = make([]reviewLineJSON, 0, len(rv.Lines))
	lang := a.language(r)
	for _, l := range rv.Lines {
		out.Items = append(out.Items, reviewLineJSON{ID: l.ID, Position: l.Position, UserID: l.UserID, UserName: l.UserName,
			UserEmail: l.UserEmail, Kind: l.Kind, ThingID: l.ThingID, ThingName: l.ThingName, Detail: l.Detail,
			ReviewerID: l.ReviewerID, ReviewerName: l.ReviewerName, Decision: l.Decision, NewRoleID: l.NewRoleID,
			NewRoleName: l.NewRoleName, Note: l.Note, DecidedAt: l.DecidedAt, Outcome: l.Outcome, OutcomeText: l.OutcomeText(lang),
			AppliedAt: l.AppliedAt, RoleChoices: named(l.RoleChoices)})
	}
	return out
}

func (a *API) listReviews(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rs, err := a.cfg.Reviews.List(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	out := list[reviewJSON]{Items: make([]reviewJSON, 0, len(rs))}
	for _, rv := range rs {
		out.Items = append(out.Items, toReviewJSON(p, rv))
	}
	return writeJSON(w, http.StatusOK, out)
}

type reviewStartRequest struct {
	Scope     string   `json:"scope"`
	ScopeID   string   `json:"scopeId"`
	Reviewers []string `json:"reviewers"`
}

func (a *API) startReview(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req reviewStartRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	rv, err := a.cfg.Reviews.Start(r.Context(), p.Actor, reviews.StartRequest{Scope: req.Scope, ScopeID: req.ScopeID, Reviewers: req.Reviewers})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a.toReviewDetail(r, p, rv))
}

func (a *API) reviewCandidates(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	ns, err := a.cfg.Reviews.Candidates(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[namedJSON]{Items: named(ns)})
}

type reviewDueJSON struct {
	Due        bool       `json:"due"`
	LastClosed *time.Time `json:"lastClosed"`
	Open       int        `json:"open"`
}

func (a *API) reviewDue(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	d, err := a.cfg.Reviews.Due(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reviewDueJSON{Due: d.Due, LastClosed: d.LastClosed, Open: d.Open})
}

func (a *API) myReviews(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rs, err := a.cfg.Reviews.Mine(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	out := list[reviewJSON]{Items: make([]reviewJSON, 0, len(rs))}
	for _, rv := range rs {
		out.Items = append(out.Items, a.toReviewDetail(r, p, rv))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getReview(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rv, err := a.cfg.Reviews.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.toReviewDetail(r, p, rv))
}

type reviewDecideRequest struct {
	Decision string `json:"decision"`
	RoleID   string `json:"roleId"`
	Note     string `json:"note"`
}

func (a *API) decideReviewLine(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req reviewDecideRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if _, err := a.cfg.Reviews.Decide(r.Context(), p.Actor, r.PathValue("id"), r.PathValue("lineId"),
		reviews.DecideRequest{Decision: req.Decision, RoleID: req.RoleID, Note: req.Note}); err != nil {
		return err
	}
	return a.getReview(w, r, p)
}

type reviewCloseRequest struct {
	KeepUndecided bool `json:"keepUndecided"`
}

func (a *API) closeReview(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req reviewCloseRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	rv, err := a.cfg.Reviews.Close(r.Context(), p.Actor, r.PathValue("id"), req.KeepUndecided)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.toReviewDetail(r, p, rv))
}

func (a *API) reviewReportCSV(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rv, err := a.cfg.Reviews.Report(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := rv.CSV(a.language(r), a.bookLocation())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="access-review.csv"`)
	_, err = w.Write(b)
	return err
}

func (a *API) reviewReportPDF(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rv, err := a.cfg.Reviews.Report(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := rv.PDF(a.language(r), a.bookLocation())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="access-review.pdf"`)
	_, err = w.Write(b)
	return err
}

// reviewNav adds the access review pages to the menu: "Access reviews" for who runs
// them (roles.manage), after the lint; "My access review" while the person has lines in
// an open review.
func (a *API) reviewNav(ctx context.Context, actor authz.Actor, nav []authz.Nav) []authz.Nav {
	if a.cfg.Reviews == nil {
		return nav
	}
	var add []authz.Nav
	if total, _, err := a.cfg.Reviews.Pending(ctx, actor); err == nil && total > 0 && actor.Viewer == "" {
		add = append(add, authz.Nav{Key: "myReview", Label: "My access review"})
	}
	if a.cfg.Authz.Check(actor, authz.RolesManage, authz.Ref{}) == nil {
		add = append(add, authz.Nav{Key: "reviews", Label: "Access reviews"})
	}
	if len(add) == 0 {
		return nav
	}
	at := slices.IndexFunc(nav, func(n authz.Nav) bool { return n.Key == "lint" })
	if at < 0 {
		at = slices.IndexFunc(nav, func(n authz.Nav) bool { return n.Key == "activity" || n.Key == "settings" })
	}
	if at < 0 {
		return append(nav, add...)
	}
	if nav[at].Key == "lint" {
		at++
	}
	return slices.Insert(nav, at, add...)
}
