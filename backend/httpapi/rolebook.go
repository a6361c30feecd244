package httpapi

import (
	"encoding/csv"
	"net/http"
	"time"

	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/rolebook"
	"gatehouse/backend/roles"
)

// Role history and rollback, the role book and the access report (roles.manage).

type roleChangeJSON struct {
	Kind string `json:"kind"`
	Key  string `json:"key,omitempty"`
	From string `json:"from"`
	To   string `json:"to"`
	Text string `json:"text"`
}

type roleStateJSON struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Kind        authz.Kind    `json:"kind"`
	Permissions []authz.Grant `json:"permissions"`
	// AssignableRoleIDs: the roles its holders may give; null for a version written
	// before they were recorded.
	AssignableRoleIDs []string `json:"assignableRoleIds"`
}

type roleVersionJSON struct {
	Version    int              `json:"version"`
	State      roleStateJSON    `json:"state"`
	At         string           `json:"at"`
	ChangedBy  string           `json:"changedBy"`
	Note       string           `json:"note"`
	RolledBack int              `json:"rolledBack"`
	Changes    []roleChangeJSON `json:"changes"`
	Restore    []roleChangeJSON `json:"restore"`
}

func (a *API) roleChanges(r *http.Request, cs []roles.VersionChange) []roleChangeJSON {
	out := make([]roleChangeJSON, len(cs))
	for i, c := range cs {
		out[i] = roleChangeJSON{Kind: c.Kind, Key: c.Key, From: c.From, To: c.To, Text: a.say(r, c.Text)}
	}
	return out
}

func (a *API) roleHistory(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	vs, err := a.cfg.Roles.History(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	out := list[roleVersionJSON]{Items: make([]roleVersionJSON, len(vs))}
	for i, v := range vs {
		perms := v.State.Grants
		if perms == nil {
			perms = []authz.Grant{}
		}
		out.Items[i] = roleVersionJSON{Version: v.Version, At: v.At, ChangedBy: v.ChangedBy, Note: v.Note, RolledBack: v.RolledBack,
			State: roleStateJSON{Name: v.State.Name, Description: v.State.Description, Kind: v.State.Kind, Permissions: perms,
				AssignableRoleIDs: v.State.Assignable},
			Changes: a.roleChanges(r, v.Changes), Restore: a.roleChanges(r, v.Restore)}
	}
	return writeJSON(w, http.StatusOK, out)
}

type roleRollbackRequest struct {
	Version int `json:"version"`
	// ExpectVersion: the version of the rollback's what-if preview; refused (409
	// stale_preview) when access changed since.
	ExpectVersion string `json:"expectVersion"`
}

func (a *API) rollbackRole(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req roleRollbackRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	role, err := a.cfg.Roles.Rollback(r.Context(), p.Actor, r.PathValue("id"), req.Version, req.ExpectVersion)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.roleJSONs(p, role)[0])
}

func (a *API) bookLocation() *time.Location {
	if a.cfg.Organisation != nil {
		return a.cfg.Organisation.Location()
	}
	return time.UTC
}

func (a *API) roleBookMarkdown(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	book, err := a.cfg.RoleBook.Book(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="role-book.md"`)
	_, err = w.Write(book.Markdown(a.language(r), a.bookLocation()))
	return err
}

func (a *API) roleBookPDF(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	book, err := a.cfg.RoleBook.Book(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	pdf, err := book.PDF(a.language(r), a.bookLocation())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="role-book.pdf"`)
	_, err = w.Write(pdf)
	return err
}

func (a *API) accessReportCSV(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rows, err := a.cfg.RoleBook.Access(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="access-report.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"person", "email", "role", "type", "name", "path", "via", "how"})
	for _, row := range rows {
		cw.Write([]string{spreadsheetSafe(row.Person), spreadsheetSafe(row.Email), spreadsheetSafe(row.Role), row.Type, spreadsheetSafe(row.Thing),
			row.Path.Kind, spreadsheetSafe(row.Path.Name), spreadsheetSafe(a.say(r, rolebook.PathText(row.Path)))})
	}
	cw.Flush()
	return cw.Error()
}
