package httpapi

import (
	"net/http"

	"gatehouse/backend/authz"
	"gatehouse/backend/boards"
	"gatehouse/backend/identity"
)

// Kanban boards: stages, visibility and invitations.

type stageJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type invitationJSON struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Level string `json:"level"`
}

type boardJSON struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Visibility string           `json:"visibility"`
	Stages     []stageJSON      `json:"stages"`
	Access     []invitationJSON `json:"access"`
	MyLevel    string           `json:"myLevel"`
	Actions    []string         `json:"actions"`
}

func (a *API) boardJSON(actor authz.Actor, b *boards.Board) boardJSON {
	out := boardJSON{ID: b.ID, Name: b.Name, Visibility: b.Visibility,
		Stages: each(b.Stages, func(s boards.Stage) stageJSON { return stageJSON{s.ID, s.Name, s.Kind} }),
		Access: each(b.Access, func(g boards.Grant) invitationJSON { return invitationJSON{g.Type, g.ID, g.Level} })}
	out.MyLevel, out.Actions = a.cfg.Boards.Standing(actor, b.ID)
	return out
}

type boardRequest struct {
	Name       *string           `json:"name"`
	Visibility *string           `json:"visibility"`
	Stages     *[]stageJSON      `json:"stages"`
	Access     *[]invitationJSON `json:"access"`
	// ExpectVersion: the what-if preview's version; refused (409 stale_preview) when
	// access changed since.
	ExpectVersion string `json:"expectVersion"`
}

func (b boardRequest) request() boards.Request {
	r := boards.Request{Name: b.Name, Visibility: b.Visibility, ExpectVersion: b.ExpectVersion}
	if b.Stages != nil {
		st := each(*b.Stages, func(s stageJSON) boards.Stage { return boards.Stage{ID: s.ID, Name: s.Name, Kind: s.Kind} })
		r.Stages = &st
	}
	if b.Access != nil {
		acc := each(*b.Access, func(g invitationJSON) boards.Grant { return boards.Grant{Type: g.Type, ID: g.ID, Level: g.Level} })
		r.Access = &acc
	}
	return r
}

func (a *API) listBoards(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	bs, err := a.cfg.Boards.List(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[boardJSON]{Items: each(bs, func(b *boards.Board) boardJSON { return a.boardJSON(p.Actor, b) })})
}

func (a *API) createBoard(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req boardRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	b, err := a.cfg.Boards.Create(r.Context(), p.Actor, req.request())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a.boardJSON(p.Actor, b))
}

func (a *API) getBoard(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	b, err := a.cfg.Boards.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.boardJSON(p.Actor, b))
}

func (a *API) updateBoard(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req boardRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	b, err := a.cfg.Boards.Update(r.Context(), p.Actor, r.PathValue("id"), req.request())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.boardJSON(p.Actor, b))
}

func (a *API) deleteBoard(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Boards.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}
