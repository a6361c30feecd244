package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/chat"
	"gatehouse/backend/identity"
)

// Team chat and 1:1 messages.

type channelJSON struct {
	ID            string     `json:"id"`
	Kind          string     `json:"kind"`
	Name          string     `json:"name"`
	TeamID        string     `json:"teamId,omitempty"`
	UserID        string     `json:"userId,omitempty"`
	CanPost       bool       `json:"canPost"`
	LastSeq       int64      `json:"lastSeq"`
	ReadSeq       int64      `json:"readSeq"`
	Unread        int        `json:"unread"`
	LastMessageAt *time.Time `json:"lastMessageAt"`
}

type chatOverviewJSON struct {
	Channels []channelJSON `json:"channels"`
	People   []personJSON  `json:"people"`
	Unread   int           `json:"unread"`
}

func (a *API) chatOverview(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	o, err := a.cfg.Chat.Overview(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	out := chatOverviewJSON{Channels: []channelJSON{}, People: []personJSON{}}
	for _, c := range o.Channels {
		out.Channels = append(out.Channels, channelJSON{ID: c.ID, Kind: c.Kind, Name: c.Name, TeamID: c.TeamID, UserID: c.UserID,
			CanPost: c.CanPost, LastSeq: c.LastSeq, ReadSeq: c.ReadSeq, Unread: c.Unread, LastMessageAt: c.LastMessageAt})
		out.Unread += c.Unread
	}
	for _, pe := range o.People {
		out.People = append(out.People, personJSON{ID: pe.ID, Name: pe.Name, Kind: "internal", Active: true})
	}
	return writeJSON(w, http.StatusOK, out)
}

type chatMessageJSON struct {
	ID         string     `json:"id"`
	ChannelID  string     `json:"channelId"`
	Seq        int64      `json:"seq"`
	Rev        int64      `json:"rev"`
	AuthorID   string     `json:"authorId"`
	AuthorName string     `json:"authorName"`
	Body       string     `json:"body"`
	Deleted    bool       `json:"deleted"`
	CreatedAt  time.Time  `json:"createdAt"`
	EditedAt   *time.Time `json:"editedAt"`
	Mine       bool       `json:"mine"`
}

func toChatMessageJSON(p *identity.Principal, m *chat.Message) chatMessageJSON {
	return chatMessageJSON{ID: m.ID, ChannelID: m.ChannelID, Seq: m.Seq, Rev: m.Rev, AuthorID: m.AuthorID, AuthorName: m.AuthorName, Body: m.Body,
		Deleted: m.Deleted, CreatedAt: m.CreatedAt, EditedAt: m.EditedAt, Mine: m.AuthorID != "" && m.AuthorID == p.Actor.UserID}
}

// seqParam reads an optional message seq or revision from the query (-1 when absent).
func seqParam(r *http.Request, name string) (int64, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return -1, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return 0, apperr.Field(name, "The %s parameter is a message's seq or revision: a whole number, 0 or more.", name)
	}
	return n, nil
}

func (a *API) listChatMessages(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	after, err := seqParam(r, "after")
	if err != nil {
		return err
	}
	before, err := seqParam(r, "before")
	if err != nil {
		return err
	}
	changed, err := seqParam(r, "changed")
	if err != nil {
		return err
	}
	if n := min(after, 0) + min(before, 0) + min(changed, 0); n > -2 {
		return apperr.Field("changed", "Ask for one of: messages after a seq, before a seq, or changed after a revision.")
	}
	ms, err := a.cfg.Chat.Messages(r.Context(), p.Actor, r.PathValue("id"), after, max(before, 0), changed)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[chatMessageJSON]{Items: each(ms, func(m *chat.Message) chatMessageJSON { return toChatMessageJSON(p, m) })})
}

func (a *API) postChatMessage(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Body string `json:"body"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	m, err := a.cfg.Chat.Post(r.Context(), p.Actor, r.PathValue("id"), req.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toChatMessageJSON(p, m))
}

func (a *API) markChatRead(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Seq int64 `json:"seq"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.cfg.Chat.MarkRead(r.Context(), p.Actor, r.PathValue("id"), req.Seq); err != nil {
		return err
	}
	return noContent(w)
}

func (a *API) editChatMessage(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Body string `json:"body"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	m, err := a.cfg.Chat.Edit(r.Context(), p.Actor, r.PathValue("id"), req.Body, false)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toChatMessageJSON(p, m))
}

func (a *API) deleteChatMessage(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if _, err := a.cfg.Chat.Edit(r.Context(), p.Actor, r.PathValue("id"), "", true); err != nil {
		return err
	}
	return noContent(w)
}
