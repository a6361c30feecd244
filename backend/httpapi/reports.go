package httpapi

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"gatehouse/backend/identity"
	"gatehouse/backend/reports"
)

// The dashboard's reports.

type countsJSON struct {
	Open    int `json:"open"`
	Review  int `json:"review"`
	Done    int `json:"done"`
	Overdue int `json:"overdue"`
}

type reportGroupJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	countsJSON
}

type taskReportJSON struct {
	Today    string            `json:"today"`
	Scope    string            `json:"scope"`
	Total    countsJSON        `json:"total"`
	Stages   []map[string]any  `json:"stages"`
	People   []reportGroupJSON `json:"people"`
	Projects []reportGroupJSON `json:"projects"`
	Teams    []reportGroupJSON `json:"teams"`
	Weeks    []map[string]any  `json:"weeks"`
}

func groupsJSON(gs []reports.Group) []reportGroupJSON {
	out := make([]reportGroupJSON, 0, len(gs))
	for _, g := range gs {
		out = append(out, reportGroupJSON{ID: g.ID, Name: g.Name, countsJSON: countsJSON(g.Counts)})
	}
	return out
}

func (a *API) taskReport(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rep, err := a.cfg.Reports.Tasks(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	out := taskReportJSON{Today: rep.Today, Scope: rep.Scope, Total: countsJSON(rep.Total), Stages: []map[string]any{}, Weeks: []map[string]any{},
		People: groupsJSON(rep.People), Projects: groupsJSON(rep.Projects), Teams: groupsJSON(rep.Teams)}
	for _, s := range rep.Stages {
		out.Stages = append(out.Stages, map[string]any{"name": s.Name, "kind": s.Kind, "count": s.Count})
	}
	for _, wk := range rep.Weeks {
		out.Weeks = append(out.Weeks, map[string]any{"start": wk.Start, "count": wk.Count})
	}
	return writeJSON(w, http.StatusOK, out)
}

// taskReportCSV is the same figures as rows: section, name, open, in review, done, overdue.
func (a *API) taskReportCSV(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rep, err := a.cfg.Reports.Tasks(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="tasks-report-`+rep.Today+`.csv"`)
	cw := csv.NewWriter(w)
	row := func(section, name string, c reports.Counts) {
		cw.Write([]string{section, spreadsheetSafe(name), strconv.Itoa(c.Open), strconv.Itoa(c.Review), strconv.Itoa(c.Done), strconv.Itoa(c.Overdue)})
	}
	cw.Write([]string{"section", "name", "open", "in_review", "done", "overdue"})
	row("total", "", rep.Total)
	for _, g := range rep.Projects {
		row("project", g.Name, g.Counts)
	}
	for _, g := range rep.Teams {
		row("team", g.Name, g.Counts)
	}
	for _, g := range rep.People {
		name := g.Name
		if g.ID == "" {
			name = "(unassigned)"
		}
		row("assignee", name, g.Counts)
	}
	for _, s := range rep.Stages {
		cw.Write([]string{"stage", spreadsheetSafe(s.Name), s.Kind, strconv.Itoa(s.Count), "", ""})
	}
	for _, wk := range rep.Weeks {
		cw.Write([]string{"completed_week", wk.Start, "", "", strconv.Itoa(wk.Count), ""})
	}
	cw.Flush()
	return cw.Error()
}
