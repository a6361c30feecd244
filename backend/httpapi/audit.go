package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
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
	pg, err := a.cfg.Audit.List(r.Context(), p.Actor, auditRequest(q, limit))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[auditJSON]{Items: each(pg.Entries, toAuditJSON), Next: cursorOf(pg.Next)})
}

func auditRequest(q url.Values, limit int) audit.ListRequest {
	return audit.ListRequest{Action: q.Get("action"), Kind: q.Get("kind"), From: q.Get("from"), To: q.Get("to"), ActorID: q.Get("actorId"),
		TargetID: q.Get("targetId"), Query: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")}
}

// auditCSV exports what the filters select (up to audit.MaxExport entries, newest first);
// names a spreadsheet would run as formulas are quoted.
func (a *API) auditCSV(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	entries, err := a.cfg.Audit.Export(r.Context(), p.Actor, auditRequest(r.URL.Query(), 0))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="activity.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"at", "actor", "action", "target_type", "target", "address", "details"})
	for _, e := range entries {
		details, _ := json.Marshal(e.Details)
		cw.Write([]string{e.At.UTC().Format(time.RFC3339), spreadsheetSafe(e.ActorName), e.Action, e.TargetType, spreadsheetSafe(e.TargetName),
			e.Address, spreadsheetSafe(string(details))})
	}
	cw.Flush()
	return cw.Error()
}
