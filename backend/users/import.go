package users

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/companies"
	"gatehouse/backend/identity"
	"gatehouse/backend/mail"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Bulk import from CSV: a dry run reports every row's problems before anything is
// written; the import itself is one transaction (all rows or none), runs in the
// background with its progress readable, and queues the welcome mails with it. Imported
// people choose their own password through a one-time link: mailed when email is set up,
// otherwise handed to the importer once. (No password is hashed, which is what lets a
// thousand rows import in about a second.)

// ImportTemplate is the CSV the import reads, with an example row.
const ImportTemplate = "name,email,role,projects,teams\r\nAda Lovelace,ada@example.com,Staff,Website redesign;Mobile app,Design\r\n"

// MaxImportRows bounds one import.
const MaxImportRows = 5000

// ImportRow is one row of the CSV as read, with what is wrong with it.
type ImportRow struct {
	Line                int
	Name, Email, Role   string
	Projects, Teams     []string
	Errors              []apperr.FieldError
	roleID              string
	projectIDs, teamIDs []string
	client              bool
}

// ImportReport is a dry run's answer.
type ImportReport struct {
	Rows           []*ImportRow
	Valid, Invalid int
}

func (r *ImportRow) fail(field, format string, args ...any) {
	r.Errors = append(r.Errors, apperr.Problem(field, format, args...))
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// parseImport reads the CSV: a header row naming at least name, email and role (in any
// order, any case), then one person per row.
func parseImport(text string) ([]*ImportRow, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\ufeff")))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, apperr.Field("csv", "The file is empty: start from the template (name,email,role,projects,teams).")
	}
	if err != nil {
		return nil, apperr.Field("csv", "The file is not valid CSV: %v.", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup && h != "" {
			return nil, apperr.Field("csv", "The header names the column %q twice.", h)
		}
		col[h] = i
	}
	for _, need := range []string{"name", "email", "role"} {
		if _, ok := col[need]; !ok {
			return nil, apperr.Field("csv", "The first row must name the columns: name, email, role (and optionally projects, teams); %q is missing.", need)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []*ImportRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, apperr.Field("csv", "Line %d is not valid CSV: %v.", line, err)
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		if len(rows) == MaxImportRows {
			return nil, apperr.Field("csv", "At most %d people per import: split the file.", MaxImportRows)
		}
		rows = append(rows, &ImportRow{Line: line, Name: get(rec, "name"), Email: get(rec, "email"), Role: get(rec, "role"),
			Projects: splitList(get(rec, "projects")), Teams: splitList(get(rec, "teams"))})
	}
	if len(rows) == 0 {
		return nil, apperr.Field("csv", "The file has a header but no people.")
	}
	return rows, nil
}

// checker decides rows: through rd (the Authorizer for a dry run, the Writer under the
// lock for the import), reading from st.
type checker interface {
	Check(authz.Actor, authz.Action, authz.Ref, ...authz.Change) error
}

func (s *Service) checkRows(ctx context.Context, rd checker, st *store.Store, actor authz.Actor, rows []*ImportRow) (*ImportReport, error) {
	roles, err := st.Roles(ctx)
	if err != nil {
		return nil, err
	}
	projects, err := st.ProjectIDsByName(ctx)
	if err != nil {
		return nil, err
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	rep := &ImportReport{Rows: rows}
	for _, row := range rows {
		row.Errors, row.projectIDs, row.teamIDs = nil, nil, nil
		if n, err := identity.CheckName("name", row.Name); err != nil {
			row.fail("name", "%s", apperr.TextOf(err))
		} else {
			row.Name = n
		}
		if e, err := identity.CheckEmail("email", row.Email); err != nil {
			row.fail("email", "%s", apperr.TextOf(err))
		} else {
			row.Email = e
			key := store.EmailKey(e)
			if first, dup := seen[key]; dup {
				row.fail("email", "The same email is on line %d.", first)
			} else {
				seen[key] = row.Line
				if other, err := st.UserByEmail(ctx, key); err == nil {
					// Said of accounts the importer may not see too (as one create would
					// refuse it), but without naming what they are.
					if rd.Check(actor, authz.View, authz.UserRef(other.ID)) == nil {
						row.fail("email", "%s already has this email address.", other.Name)
					} else {
						row.fail("email", "This email address cannot be used for a new account.")
					}
				} else if !errors.Is(err, store.ErrNotFound) {
					return nil, err
				}
			}
		}
		row.roleID = ""
		for _, r := range roles {
			if strings.EqualFold(r.Name, row.Role) || r.ID == row.Role {
				row.roleID, row.Role, row.client = r.ID, r.Name, r.Kind == string(authz.KindClient)
			}
		}
		switch {
		case row.Role == "":
			row.fail("role", "Name a role.")
		case row.roleID == "":
			row.fail("role", "No role is called %q.", row.Role)
		default:
			if err := rd.Check(actor, authz.UsersCreate, authz.Ref{Type: authz.User}, authz.Change{Role: row.roleID}); err != nil {
				row.fail("role", "You may not give the role %s: %s", row.Role, apperr.TextOf(err))
			}
		}
		for _, name := range row.Projects {
			ids := projects[strings.ToLower(name)]
			visible := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return rd.Check(actor, authz.View, authz.ProjectRef(id)) != nil })
			switch {
			case len(visible) == 0:
				row.fail("projects", "No project is called %q.", name)
			case len(visible) > 1:
				row.fail("projects", "Several projects are called %q: add this person to one of them by hand.", name)
			case rd.Check(actor, authz.ProjectsMembers, authz.ProjectRef(visible[0])) != nil:
				row.fail("projects", "You may not add people to the project %q.", name)
			default:
				row.projectIDs = append(row.projectIDs, visible[0])
			}
		}
		for _, name := range row.Teams {
			id := ""
			for _, t := range teams {
				if strings.EqualFold(t.Name, name) {
					id = t.ID
				}
			}
			switch {
			case id == "" || rd.Check(actor, authz.View, authz.TeamRef(id)) != nil:
				row.fail("teams", "No team is called %q.", name)
			case row.client:
				row.fail("teams", "Teams are of team members: %s is a client (portal) role.", row.Role)
			case rd.Check(actor, authz.TeamsManage, authz.TeamRef(id)) != nil:
				row.fail("teams", "You may not add people to the team %q.", name)
			default:
				row.teamIDs = append(row.teamIDs, id)
			}
		}
		if row.Errors == nil {
			row.Errors = []apperr.FieldError{}
			rep.Valid++
		} else {
			rep.Invalid++
		}
	}
	return rep, nil
}

// CheckImport is the dry run: every row's problems, nothing written.
func (s *Service) CheckImport(ctx context.Context, actor authz.Actor, text string) (*ImportReport, error) {
	if err := s.authz.Holds(actor, authz.UsersCreate); err != nil {
		return nil, err
	}
	rows, err := parseImport(text)
	if err != nil {
		return nil, err
	}
	return s.checkRows(ctx, s.authz, s.store, actor, rows)
}

// ImportLink is a new person's one-time set-password link, for the importer to hand over
// when no mail carries it.
type ImportLink struct{ Name, Email, Token string }

// ImportJob is an import running in the background.
type ImportJob struct {
	ID      string
	owner   string
	Total   int
	done    atomic.Int64
	mu      sync.Mutex
	State   string // running, done, failed
	Err     error
	Report  *ImportReport
	Welcome int
	// Links are handed over once (the first read of a finished job takes them).
	Links []ImportLink
	ended time.Time
}

// maxRunningImports bounds the imports running at once (one per person besides).
const maxRunningImports = 2

func (j *ImportJob) running() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.State == "running"
}

// Done is how many rows are written so far.
func (j *ImportJob) Done() int { return int(j.done.Load()) }

type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*ImportJob
}

// Import checks the rows and starts the import in the background; the job says how it
// goes (ImportStatus). sendWelcome (nil: when email is set up) queues welcome mails.
func (s *Service) Import(ctx context.Context, actor authz.Actor, text string, sendWelcome *bool) (*ImportJob, error) {
	rep, err := s.CheckImport(ctx, actor, text)
	if err != nil {
		return nil, err
	}
	if rep.Invalid > 0 {
		return nil, apperr.New(apperr.Invalid, "import_invalid",
			"%d of %d rows have problems: check the file and fix them first; nothing was imported.", rep.Invalid, len(rep.Rows)).OnField("csv")
	}
	configured, err := s.emailConfigured(ctx)
	if err != nil {
		return nil, err
	}
	if sendWelcome != nil && *sendWelcome && !configured {
		return nil, apperr.New(apperr.Conflict, "email_not_configured",
			"Email is not set up (Settings → Email), so no welcome mails can be sent.").OnField("sendWelcome")
	}
	send := configured && (sendWelcome == nil || *sendWelcome)
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	j := &ImportJob{ID: hex.EncodeToString(b), owner: actor.UserID, Total: len(rep.Rows), State: "running"}
	s.jobs.mu.Lock()
	if s.jobs.jobs == nil {
		s.jobs.jobs = map[string]*ImportJob{}
	}
	running, mine := 0, false
	for id, old := range s.jobs.jobs { // finished jobs are kept ten minutes
		if !old.ended.IsZero() && time.Since(old.ended) > 10*time.Minute {
			delete(s.jobs.jobs, id)
		}
		if old.running() {
			running++
			mine = mine || old.owner == actor.UserID
		}
	}
	if mine || running >= maxRunningImports {
		s.jobs.mu.Unlock()
		return nil, apperr.New(apperr.Conflict, "import_running", "An import is running already; wait for it to finish.")
	}
	s.jobs.jobs[j.ID] = j
	s.jobs.mu.Unlock()
	go func() {
		err := s.runImport(context.WithoutCancel(ctx), actor, text, send, j)
		j.mu.Lock()
		defer j.mu.Unlock()
		j.ended = time.Now()
		if err != nil {
			j.State, j.Err, j.Links = "failed", err, nil
			return
		}
		j.State = "done"
	}()
	return j, nil
}

// ImportStatus returns the actor's import job; the links of a finished import are in
// the first answer only.
func (s *Service) ImportStatus(actor authz.Actor, id string) (*ImportJob, error) {
	s.jobs.mu.Lock()
	j := s.jobs.jobs[id]
	s.jobs.mu.Unlock()
	// Only its importer, as themselves (not someone viewing as them: reading takes the
	// links), while they may still create accounts.
	if j == nil || j.owner != actor.UserID || actor.Viewer != "" || s.authz.Holds(actor, authz.UsersCreate) != nil {
		return nil, apperr.NotFoundf("No such import.")
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	snap := &ImportJob{ID: j.ID, Total: j.Total, State: j.State, Err: j.Err, Report: j.Report, Welcome: j.Welcome, Links: j.Links}
	snap.done.Store(j.done.Load())
	if j.State != "running" {
		j.Links = nil
	}
	return snap, nil
}

func (s *Service) runImport(ctx context.Context, actor authz.Actor, text string, send bool, j *ImportJob) error {
	rows, err := parseImport(text)
	if err != nil {
		return err
	}
	// Links and mails are made before the lock (sealing reads the keychain); the rows
	// are decided again under it.
	ids := make([]string, len(rows))
	prepared := make([]*mail.Prepared, len(rows))
	for i, row := range rows {
		ids[i] = uuid.NewString()
		to := mail.Recipient{ID: ids[i], Name: row.Name, Email: row.Email}
		switch {
		case send:
			prepared[i], err = s.mail.PrepareWelcome(to, "")
		default:
			prepared[i], err = mail.PrepareLink(to, s.now())
		}
		if err != nil {
			return err
		}
	}
	now := s.now()
	links, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) ([]ImportLink, write.Effect, error) {
		rep, err := s.checkRows(ctx, w, tx, actor, rows)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if rep.Invalid > 0 {
			j.mu.Lock()
			j.Report = rep
			j.mu.Unlock()
			return nil, write.Effect{}, apperr.New(apperr.Invalid, "import_invalid",
				"Something changed since the check: %d rows have problems now; nothing was imported.", rep.Invalid).OnField("csv")
		}
		var eff write.Effect
		var users []*User
		var links []ImportLink
		var places []func(*authz.Writer)
		projects := map[string]*store.Project{}
		teams := map[string]*store.Team{}
		for i, row := range rows {
			u := &User{ID: ids[i], Name: row.Name, Email: row.Email, RoleID: row.roleID, RoleName: row.Role,
				RoleKind: map[bool]string{true: string(authz.KindClient), false: string(authz.KindInternal)}[row.client],
				Status:   store.StatusActive, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateUser(ctx, u); err != nil {
				return nil, write.Effect{}, emailTaken(err)
			}
			if row.client { // each in a company of their own, as on the Users page
				place, err := companies.Place(ctx, w, tx, actor, u, "", now)
				if err != nil {
					return nil, write.Effect{}, err
				}
				places = append(places, place)
			}
			users = append(users, u)
			if err := prepared[i].Write(ctx, tx); err != nil {
				return nil, write.Effect{}, err
			}
			if prepared[i].Mail != nil {
				eff.Mail = append(eff.Mail, prepared[i].Mail)
			} else {
				links = append(links, ImportLink{Name: u.Name, Email: u.Email, Token: prepared[i].Token})
			}
			for _, pid := range row.projectIDs {
				p := projects[pid]
				if p == nil {
					if p, err = tx.Project(ctx, pid); err != nil {
						return nil, write.Effect{}, err
					}
					projects[pid] = p
				}
				if row.client {
					p.Clients = append(p.Clients, u.ID)
				} else {
					p.Members = append(p.Members, u.ID)
				}
			}
			for _, tid := range row.teamIDs {
				t := teams[tid]
				if t == nil {
					if t, err = tx.Team(ctx, tid); err != nil {
						return nil, write.Effect{}, err
					}
					teams[tid] = t
				}
				t.Members = append(t.Members, u.ID)
			}
			eff.Audit = append(eff.Audit, entry("user.create", u, map[string]any{"email": u.Email, "role": u.RoleName, "import": true,
				"welcomeMail": prepared[i].Mail != nil, "projects": row.projectIDs, "teams": row.teamIDs}))
			j.done.Add(1)
		}
		for _, p := range projects {
			p.UpdatedAt = now
			if err := tx.UpdateProject(ctx, p); err != nil {
				return nil, write.Effect{}, err
			}
		}
		for _, t := range teams {
			if err := tx.UpdateTeam(ctx, t); err != nil {
				return nil, write.Effect{}, err
			}
		}
		eff.Index = func(w *authz.Writer) {
			for _, u := range users {
				w.PutUser(u.ID, u.RoleID, true)
			}
			for _, place := range places {
				place(w)
			}
			for _, p := range projects {
				w.PutProject(p)
			}
			for _, t := range teams {
				w.PutTeam(t)
			}
		}
		return links, eff, nil
	})
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.Links = links
	if send {
		j.Welcome = len(rows)
	}
	return nil
}
