package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"gatehouse/backend/audit"
	"gatehouse/backend/identity"
)

// The audit log.

type auditJSON struct {
	ID         string         `json:"id"`
	At         time.Time      `json:"at"`
	Action     string         `json:"action"`
	ActorID    string         `json:"actorId"`
	ActorName  string         `json:"actorName"`
	TargetType string         `json:"targetType"`
	TargetID   string         `json:"targetId"`
	TargetName string         `json:"targetName"`
	Address    string         `json:"address,omitempty"`
	Details    map[string]any `json:"details"` // as recorded: its keys depend on the action
}

func toAuditJSON(e *audit.LogEntry) auditJSON {
	d := e.Details
	if d == nil {
		d = map[string]any{}
	}
	return auditJSON{ID: strconv.FormatInt(e.ID, 10), At: e.At.UTC(), Action: e.Action, ActorID: e.ActorID, ActorName: e.ActorName,
		TargetType: e.TargetType, TargetID: e.TargetID, TargetName: e.TargetName, Address: e.Address, Details: d}
}

func (a *API) listAudit(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	q := r.URL.Query()
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	pg, err := a.cfg.Audit.List(r.Context(), p.Actor, audit.ListRequest{Action: q.Get("action"), ActorID: q.Get("actorId"),
		TargetID: q.Get("targetId"), Query: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[auditJSON]{Items: each(pg.Entries, toAuditJSON), Next: cursorOf(pg.Next)})
}
