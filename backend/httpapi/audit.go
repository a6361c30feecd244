package httpapi

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"gatehouse/backend/audit"
	"gatehouse/backend/identity"
)

// The audit log.

type signInGroupJSON struct {
	Count     int       `json:"count"`
	FirstAt   time.Time `json:"firstAt"`
	Addresses []string  `json:"addresses"`
}

type auditJSON struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	Action     string    `json:"action"`
	Kind       string    `json:"kind"`
	ActorID    string    `json:"actorId"`
	ActorName  string    `json:"actorName"`
	TargetType string    `json:"targetType"`
	TargetID   string    `json:"targetId"`
	TargetName string    `json:"targetName"`
	Address    string    `json:"address,omitempty"`
	// Details' keys depend on the action; people and things in them are {type, id, name}.
	Details map[string]any   `json:"details"`
	Group   *signInGroupJSON `json:"group,omitempty"`
}

func toAuditJSON(e *audit.LogEntry) auditJSON {
	d := e.Details
	if d == nil {
		d = map[string]any{}
	}
	def, _ := audit.Lookup(e.Action)
	out := auditJSON{ID: strconv.FormatInt(e.ID, 10), At: e.At.UTC(), Action: e.Action, Kind: def.Kind, ActorID: e.ActorID,
		ActorName: e.ActorName, TargetType: e.TargetType, TargetID: e.TargetID, TargetName: e.TargetName, Address: e.Address, Details: d}
	if g := e.Group; g != nil {
		out.Group = &signInGroupJSON{Count: g.Count, FirstAt: g.FirstAt.UTC(), Addresses: g.Addresses}
	}
	return out
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
		TargetID: q.Get("targetId"), Query: q.Get("q"), Target: q.Get("target"), Limit: limit, Cursor: q.Get("cursor")}
}

type auditActionJSON struct {
	Action string `json:"action"`
	Kind   string `json:"kind"`
}

type auditCatalogJSON struct {
	Kinds   []string          `json:"kinds"`
	Actions []auditActionJSON `json:"actions"`
}

// auditActions is the catalog of actions, for the Activity page's kind and action
// pickers (their words are the UI's).
func (a *API) auditActions(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	defs, err := a.cfg.Audit.Catalog(p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, auditCatalogJSON{Kinds: audit.Kinds,
		Actions: each(defs, func(d audit.ActionDef) auditActionJSON { return auditActionJSON{Action: d.Action, Kind: d.Kind} })})
}

// auditPeople is whom the Activity page's actor filter offers.
func (a *API) auditPeople(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	people, err := a.cfg.Audit.People(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[personJSON]{Items: each(people, func(u audit.Person) personJSON {
		return personJSON{ID: u.ID, Name: u.Name, Kind: u.Kind, Active: u.Active}
	})})
}

// auditCSV exports what the filters select (up to audit.MaxExport entries, newest first),
// in English words beside the codes, with names as the list gives them; names a
// spreadsheet would run as formulas are quoted.
func (a *API) auditCSV(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	entries, err := a.cfg.Audit.Export(r.Context(), p.Actor, auditRequest(r.URL.Query(), 0))
	if err != nil {
		return err
	}
	words, err := audit.LoadWords("en")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="activity.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"at", "actor", "action", "code", "target_type", "target", "address", "details"})
	for _, e := range entries {
		action, details := words.Text(e)
		cw.Write([]string{e.At.UTC().Format(time.RFC3339), spreadsheetSafe(e.ActorName), action, e.Action, e.TargetType,
			spreadsheetSafe(e.TargetName), e.Address, spreadsheetSafe(details)})
	}
	cw.Flush()
	return cw.Error()
}
