package httpapi

import (
	"net/http"

	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/teams"
)

// Teams.

type teamJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Members     []string `json:"members"`
	Leaders     []string `json:"leaders"`
	Actions     []string `json:"actions"`
	Candidates  []string `json:"candidates,omitempty"`
}

func (a *API) teamJSON(actor authz.Actor, t *teams.Team) teamJSON {
	return teamJSON{ID: t.ID, Name: t.Name, Description: t.Description, Members: orEmpty(t.Members), Leaders: orEmpty(t.Leaders),
		Actions: a.cfg.Teams.Actions(actor, t.ID), Candidates: a.cfg.Teams.Candidates(actor, t.ID)}
}

type teamRequest struct {
	Name        *string   `json:"name"`
	Description *string   `json:"description"`
	Members     *[]string `json:"members"`
	Leaders     *[]string `json:"leaders"`
	// ExpectVersion: the what-if preview's version; refused (409 stale_preview) when
	// access changed since.
	ExpectVersion string `json:"expectVersion"`
}

func (a *API) listTeams(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	ts, err := a.cfg.Teams.List(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[teamJSON]{Items: each(ts, func(t *teams.Team) teamJSON { return a.teamJSON(p.Actor, t) })})
}

func (a *API) createTeam(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req teamRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := a.cfg.Teams.Create(r.Context(), p.Actor, teams.Request(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a.teamJSON(p.Actor, t))
}

func (a *API) getTeam(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	t, err := a.cfg.Teams.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.teamJSON(p.Actor, t))
}

func (a *API) updateTeam(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req teamRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := a.cfg.Teams.Update(r.Context(), p.Actor, r.PathValue("id"), teams.Request(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.teamJSON(p.Actor, t))
}

func (a *API) deleteTeam(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Teams.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}
