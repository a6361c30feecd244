package httpapi

import (
	"net/http"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/discussions"
	"gatehouse/backend/identity"
)

// Project discussions.

type threadJSON struct {
	ID            string    `json:"id"`
	ProjectID     string    `json:"projectId"`
	Title         string    `json:"title"`
	ClientVisible bool      `json:"clientVisible"`
	Messages      int       `json:"messages"`
	CreatedAt     time.Time `json:"createdAt"`
	LastMessageAt time.Time `json:"lastMessageAt"`
}

func toThreadJSON(t *discussions.Thread) threadJSON {
	return threadJSON{ID: t.ID, ProjectID: t.ProjectID, Title: t.Title, ClientVisible: t.ClientVisible, Messages: t.Messages,
		CreatedAt: t.CreatedAt, LastMessageAt: t.LastMessageAt}
}

type messageJSON struct {
	ID         string     `json:"id"`
	ThreadID   string     `json:"threadId"`
	Seq        int64      `json:"seq"`
	Rev        int64      `json:"rev"`
	AuthorID   string     `json:"authorId"`
	AuthorName string     `json:"authorName"`
	Body       string     `json:"body"`
	Mentions   []string   `json:"mentions"`
	Deleted    bool       `json:"deleted"`
	CreatedAt  time.Time  `json:"createdAt"`
	EditedAt   *time.Time `json:"editedAt"`
	Mine       bool       `json:"mine"`
}

func toMessageJSON(p *identity.Principal, m *discussions.Message) messageJSON {
	mentions := m.Mentions
	if mentions == nil {
		mentions = []string{}
	}
	return messageJSON{ID: m.ID, ThreadID: m.ThreadID, Seq: m.Seq, Rev: m.Rev, AuthorID: m.AuthorID, AuthorName: m.AuthorName, Body: m.Body,
		Mentions: mentions, Deleted: m.Deleted, CreatedAt: m.CreatedAt, EditedAt: m.EditedAt, Mine: m.AuthorID != "" && m.AuthorID == p.Actor.UserID}
}

func (a *API) listThreads(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	ts, err := a.cfg.Discussions.Threads(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[threadJSON]{Items: each(ts, toThreadJSON)})
}

type threadRequest struct {
	Title         string   `json:"title"`
	ClientVisible bool     `json:"clientVisible"`
	Body          string   `json:"body"`
	Mentions      []string `json:"mentions"`
}

func (a *API) createThread(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req threadRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := a.cfg.Discussions.CreateThread(r.Context(), p.Actor, r.PathValue("id"), req.Title, req.ClientVisible, req.Body, req.Mentions)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toThreadJSON(t))
}

func (a *API) getThread(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	t, err := a.cfg.Discussions.Thread(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toThreadJSON(t))
}

func (a *API) listMessages(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	after, err := seqParam(r, "after")
	if err != nil {
		return err
	}
	changed, err := seqParam(r, "changed")
	if err != nil {
		return err
	}
	if after >= 0 && changed >= 0 {
		return apperr.Field("changed", "Ask for messages after one seq or changed after one revision, not both.")
	}
	ms, err := a.cfg.Discussions.Messages(r.Context(), p.Actor, r.PathValue("id"), max(after, changed, 0), changed >= 0)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[messageJSON]{Items: each(ms, func(m *discussions.Message) messageJSON { return toMessageJSON(p, m) })})
}

type messageRequest struct {
	Body     string   `json:"body"`
	Mentions []string `json:"mentions"`
}

func (a *API) postMessage(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req messageRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	m, err := a.cfg.Discussions.Post(r.Context(), p.Actor, r.PathValue("id"), req.Body, req.Mentions)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toMessageJSON(p, m))
}

func (a *API) editMessage(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Body string `json:"body"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	m, err := a.cfg.Discussions.Edit(r.Context(), p.Actor, r.PathValue("id"), req.Body, false)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toMessageJSON(p, m))
}

func (a *API) deleteMessage(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if _, err := a.cfg.Discussions.Edit(r.Context(), p.Actor, r.PathValue("id"), "", true); err != nil {
		return err
	}
	return noContent(w)
}
