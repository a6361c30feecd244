// Package reviews runs access review campaigns, the first article's "Review roles
// quarterly … Remove or deactivate accounts that are no longer needed" as a procedure: who
// shapes roles (roles.manage) starts a review over everyone, one role or one project and
// names reviewers; the review snapshots a checklist of people × access (each person's role,
// project memberships, team memberships and board invitations, as the starter sees them)
// and splits it among the reviewers; each reviewer decides keep, revoke or change (another
// role) on their lines; closing the review applies every revocation and change through
// the services that make those changes by hand (projects, teams, boards, users), each its
// own checked and audited write, and records what became of each line for the report.
//
// It owns the review rows; it never writes a membership or a role itself.
package reviews

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/boards"
	"gatehouse/backend/grants"
	"gatehouse/backend/projects"
	"gatehouse/backend/store"
	"gatehouse/backend/teams"
	"gatehouse/backend/users"
	"gatehouse/backend/write"
)

// Scopes of a review.
const (
	ScopeAll     = "all"
	ScopeRole    = "role"
	ScopeProject = "project"
)

// Kinds of checklist line.
const (
	KindRole    = "role"
	KindProject = "project"
	KindTeam    = "team"
	KindBoard   = "board"
	// KindGrant is an extra permission beyond the role (backend/grants): ThingID is the
	// grant, ThingName the permission's key, Detail its scope. (Memberships, invitations
	// and follows given as grants are the project, team or board lines themselves.)
	KindGrant = "grant"
)

// Decisions.
const (
	Keep   = "keep"
	Revoke = "revoke"
	Change = "change"
)

// Outcomes of closing.
const (
	Kept    = "kept"
	Applied = "applied"
	Failed  = "failed"
)

// DueAfter is how long after the last closed review (or the first account) the next one
// is due: a quarter.
const DueAfter = 90 * 24 * time.Hour

// Review is a review with its checklist lines (those the reader may see).
type Review struct {
	*store.AccessReview
	Reviewers []Named
	Lines     []*Line
}

// Named is a person by id and name.
type Named struct{ ID, Name string }

// Line is one checklist line, with the roles its reviewer may choose instead (role lines,
// for the reviewer only).
type Line struct {
	*store.AccessReviewItem
	RoleChoices []Named
}

// OutcomeText is what closing did with a line, in lang.
func (l *Line) OutcomeText(lang string) string {
	if l.OutcomeMessage == "" {
		return ""
	}
	var m map[string]string
	if json.Unmarshal([]byte(l.OutcomeMessage), &m) != nil {
		return l.OutcomeMessage
	}
	if t, ok := m[lang]; ok {
		return t
	}
	return m[apperr.English]
}

// sayAll keeps a message in every language the app speaks: a line's outcome is read
// later, by people who read other languages than the one who closed the review.
func sayAll(t apperr.Text) string {
	b, _ := json.Marshal(map[string]string{apperr.English: t.In(apperr.English), apperr.Portuguese: t.In(apperr.Portuguese)})
	return string(b)
}

// Service runs access reviews.
type Service struct {
	store    *store.Store
	authz    *authz.Authorizer
	write    *write.Path
	now      func() time.Time
	users    *users.Service
	projects *projects.Service
	teams    *teams.Service
	boards   *boards.Service
	grants   *grants.Service
}

// New returns the service; the others are the services revocations and changes go through.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time, u *users.Service, p *projects.Service, t *teams.Service, b *boards.Service, g *grants.Service) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now, users: u, projects: p, teams: t, boards: b, grants: g}
}

// manages decides running reviews: roles.manage, as the Roles page and the lint. Nobody
// who cannot shape roles judges others' access wholesale.
func manages(rd *authz.Reader, actor authz.Actor) error {
	return rd.Check(actor, authz.RolesManage, authz.Ref{})
}

// canReview reports whether id may be a reviewer named by actor: an active team member
// (not a client account) actor sees, whose role may see people (users.view).
func canReview(rd *authz.Reader, actor authz.Actor, id string) bool {
	roleID, active, ok := rd.UserRole(id)
	if !ok || !active {
		return false
	}
	if k, _ := rd.RoleKind(roleID); k != authz.KindInternal {
		return false
	}
	if rd.Check(actor, authz.View, authz.UserRef(id)) != nil {
		return false
	}
	return rd.Holds(authz.Actor{UserID: id}, authz.UsersView)
}

// Candidates are the people actor may name as reviewers, by name.
func (s *Service) Candidates(ctx context.Context, actor authz.Actor) ([]Named, error) {
	if err := s.authz.Read(func(rd *authz.Reader) error { return manages(rd, actor) }); err != nil {
		return nil, err
	}
	all, _, err := s.store.Users(ctx, store.UserFilter{Status: store.StatusActive, Sort: "name", Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	out := []Named{}
	s.authz.Read(func(rd *authz.Reader) error {
		for _, u := range all {
			if canReview(rd, actor, u.ID) {
				out = append(out, Named{u.ID, u.Name})
			}
		}
		return nil
	})
	return out, nil
}

// StartRequest starts a review.
type StartRequest struct {
	Scope     string
	ScopeID   string
	Reviewers []string
}

// Start snapshots the checklist and opens the review. Each line goes to the reviewer
// with the fewest lines so far among those who can see both the person and the thing
// (in the order they were named); a line none of them can see goes to the starter, who
// saw everything the checklist holds.
func (s *Service) Start(ctx context.Context, actor authz.Actor, req StartRequest) (*Review, error) {
	rv, err := s.start(ctx, actor, req)
	if err != nil {
		return nil, err
	}
	s.addChoices(ctx, actor, rv.Lines) // the starter may be a reviewer too
	return rv, nil
}

func (s *Service) start(ctx context.Context, actor authz.Actor, req StartRequest) (*Review, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Review, write.Effect, error) {
		if err := manages(&w.Reader, actor); err != nil {
			return nil, write.Effect{}, err
		}
		me, err := tx.User(ctx, actor.UserID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		r := &store.AccessReview{ID: uuid.NewString(), Scope: req.Scope, ScopeID: req.ScopeID, Status: store.ReviewOpen,
			StartedBy: me.ID, StartedByName: me.Name, StartedAt: s.now()}
		var project *store.Project
		switch req.Scope {
		case ScopeAll:
			r.ScopeID = ""
		case ScopeRole:
			name, _, ok := w.RoleName(req.ScopeID)
			if !ok {
				return nil, write.Effect{}, apperr.Field("scopeId", "Choose the role to review.")
			}
			r.ScopeName = name
		case ScopeProject:
			if req.ScopeID == "" || w.Check(actor, authz.View, authz.ProjectRef(req.ScopeID)) != nil {
				return nil, write.Effect{}, apperr.Field("scopeId", "Choose the project to review.")
			}
			if project, err = tx.Project(ctx, req.ScopeID); err != nil {
				return nil, write.Effect{}, apperr.Field("scopeId", "Choose the project to review.")
			}
			r.ScopeName = project.Name
		default:
			return nil, write.Effect{}, apperr.Field("scope", "Choose what to review: everyone, one role or one project.")
		}
		var reviewers []Named
		seen := map[string]bool{}
		for _, id := range req.Reviewers {
			if seen[id] {
				continue
			}
			seen[id] = true
			if !canReview(&w.Reader, actor, id) {
				return nil, write.Effect{}, apperr.Field("reviewers", "Each reviewer must be an active team member who may see people (users.view).")
			}
			u, err := tx.User(ctx, id)
			if err != nil {
				return nil, write.Effect{}, apperr.Field("reviewers", "Each reviewer must be an active team member who may see people (users.view).")
			}
			reviewers = append(reviewers, Named{u.ID, u.Name})
		}
		if len(reviewers) == 0 {
			return nil, write.Effect{}, apperr.Field("reviewers", "Choose at least one reviewer.")
		}
		items, err := s.snapshot(ctx, w, tx, actor, r, project)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if len(items) == 0 {
			return nil, write.Effect{}, apperr.Field("scope", "There is nothing to review there: nobody you can see has access through it.")
		}
		// Split: the fewest lines so far among the reviewers who see the person and the thing.
		load := map[string]int{}
		for i, it := range items {
			it.ID, it.ReviewID, it.Position = uuid.NewString(), r.ID, i+1
			best := -1
			for j, rv := range reviewers {
				if !sees(&w.Reader, authz.Actor{UserID: rv.ID}, it) {
					continue
				}
				if best < 0 || load[rv.ID] < load[reviewers[best].ID] {
					best = j
				}
			}
			if best < 0 {
				it.ReviewerID, it.ReviewerName = me.ID, me.Name
			} else {
				it.ReviewerID, it.ReviewerName = reviewers[best].ID, reviewers[best].Name
			}
			load[it.ReviewerID]++
		}
		if err := tx.CreateAccessReview(ctx, r, items); err != nil {
			return nil, write.Effect{}, err
		}
		r.Items = len(items)
		ids := make([]string, len(reviewers))
		for i, rv := range reviewers {
			ids[i] = rv.ID
		}
		out := &Review{AccessReview: r, Reviewers: reviewers}
		for _, it := range items {
			out.Lines = append(out.Lines, &Line{AccessReviewItem: it})
		}
		return out, write.Effect{Audit: []audit.Entry{{Action: "review.start", TargetType: "review", TargetID: r.ID, TargetName: reviewName(r),
			Details: map[string]any{"scope": r.Scope, "lines": len(items), "reviewers": ids}}}}, nil
	})
}

// reviewName is how the activity log names a review: its scope.
func reviewName(r *store.AccessReview) string {
	switch r.Scope {
	case ScopeRole:
		return "Role: " + r.ScopeName
	case ScopeProject:
		return "Project: " + r.ScopeName
	}
	return "Everyone"
}

// sees reports whether actor sees both the person and the thing of a line.
func sees(rd *authz.Reader, actor authz.Actor, it *store.AccessReviewItem) bool {
	if rd.Check(actor, authz.View, authz.UserRef(it.UserID)) != nil {
		return false
	}
	switch it.Kind {
	case KindProject:
		return rd.Check(actor, authz.View, authz.ProjectRef(it.ThingID)) == nil
	case KindTeam:
		return rd.Check(actor, authz.View, authz.TeamRef(it.ThingID)) == nil
	case KindBoard:
		return rd.Check(actor, authz.View, authz.BoardRef(it.ThingID)) == nil
	}
	return true
}

// snapshot reads the checklist: for each active person actor sees (in the scope), by
// name, their role (not in a project review), then the projects, teams and boards actor
// sees that they are on.
func (s *Service) snapshot(ctx context.Context, w *authz.Writer, tx *store.Store, actor authz.Actor, r *store.AccessReview, project *store.Project) ([]*store.AccessReviewItem, error) {
	people, _, err := tx.Users(ctx, store.UserFilter{Status: store.StatusActive, Sort: "name", Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	var projs []*store.Project
	var tms []*store.Team
	var bds []*store.Board
	if project != nil {
		projs = []*store.Project{project}
		all, err := tx.Teams(ctx)
		if err != nil {
			return nil, err
		}
		for _, t := range all {
			if slices.Contains(project.Teams, t.ID) {
				tms = append(tms, t)
			}
		}
	} else {
		if projs, _, err = tx.Projects(ctx, store.ProjectFilter{Limit: 1 << 30}); err != nil {
			return nil, err
		}
		if tms, err = tx.Teams(ctx); err != nil {
			return nil, err
		}
		if bds, err = tx.Boards(ctx); err != nil {
			return nil, err
		}
	}
	visible := func(t authz.Type, id string) bool {
		var ref authz.Ref
		switch t {
		case authz.Project:
			ref = authz.ProjectRef(id)
		case authz.Team:
			ref = authz.TeamRef(id)
		case authz.Board:
			ref = authz.BoardRef(id)
		}
		return w.Check(actor, authz.View, ref) == nil
	}
	projs = slices.DeleteFunc(projs, func(p *store.Project) bool { return !visible(authz.Project, p.ID) })
	tms = slices.DeleteFunc(tms, func(t *store.Team) bool { return !visible(authz.Team, t.ID) })
	bds = slices.DeleteFunc(bds, func(b *store.Board) bool { return !visible(authz.Board, b.ID) })

	var out []*store.AccessReviewItem
	for _, u := range people {
		if w.Check(actor, authz.View, authz.UserRef(u.ID)) != nil {
			continue
		}
		if r.Scope == ScopeRole && u.RoleID != r.ScopeID {
			continue
		}
		line := func(kind, id, name, detail string) {
			out = append(out, &store.AccessReviewItem{UserID: u.ID, UserName: u.Name, UserEmail: u.Email, Kind: kind,
				ThingID: id, ThingName: name, Detail: detail})
		}
		start := len(out)
		for _, p := range projs {
			switch {
			case slices.Contains(p.Members, u.ID):
				line(KindProject, p.ID, p.Name, "member")
			case slices.Contains(p.Clients, u.ID):
				line(KindProject, p.ID, p.Name, "client")
			}
		}
		for _, t := range tms {
			if slices.Contains(t.Members, u.ID) {
				line(KindTeam, t.ID, t.Name, "")
			}
		}
		for _, b := range bds {
			for _, g := range b.Access {
				if g.Type == "user" && g.ID == u.ID {
					line(KindBoard, b.ID, b.Name, g.Level)
				}
			}
		}
		if project != nil {
			continue // a project review is of that project's people only
		}
		// Extra permissions beyond the role: access a review of roles alone would miss.
		extra, err := tx.OpenUserGrants(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		for _, g := range extra {
			if g.Kind == store.GrantPermission {
				line(KindGrant, g.ID, g.Permission, g.Scope)
			}
		}
		// The role first: it is the access that decides the most.
		role := &store.AccessReviewItem{UserID: u.ID, UserName: u.Name, UserEmail: u.Email, Kind: KindRole, ThingID: u.RoleID, ThingName: u.RoleName}
		out = slices.Insert(out, start, role)
	}
	return out, nil
}

// List returns the reviews, newest first (roles.manage), but those of a project actor
// cannot see: its name is not theirs to read.
func (s *Service) List(ctx context.Context, actor authz.Actor) ([]*store.AccessReview, error) {
	if err := s.authz.Read(func(rd *authz.Reader) error { return manages(rd, actor) }); err != nil {
		return nil, err
	}
	all, err := s.store.AccessReviews(ctx)
	if err != nil {
		return nil, err
	}
	s.authz.Read(func(rd *authz.Reader) error {
		all = slices.DeleteFunc(all, func(r *store.AccessReview) bool { return !scopeSeen(rd, actor, r) })
		return nil
	})
	return all, nil
}

// scopeSeen reports whether actor sees what a review covers: a project review is of a
// project, whose name and people are for who sees it.
func scopeSeen(rd *authz.Reader, actor authz.Actor, r *store.AccessReview) bool {
	return r.Scope != ScopeProject || rd.Check(actor, authz.View, authz.ProjectRef(r.ScopeID)) == nil
}

var errNoReview = apperr.NotFoundf("There is no such access review, or it is not yours to see.")

// Get returns a review: to who may run reviews, the lines whose person and thing they see
// now (roles.manage is not sight: a role manager who sees only team members reads no
// client's line), with their own lines as a reviewer; else a reviewer's own lines (404 for
// anyone else, and for a project review of a project the reader cannot see).
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*Review, error) {
	r, err := s.store.AccessReview(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoReview
	}
	if err != nil {
		return nil, err
	}
	items, err := s.store.AccessReviewItems(ctx, id)
	if err != nil {
		return nil, err
	}
	var all bool
	out := &Review{AccessReview: r}
	s.authz.Read(func(rd *authz.Reader) error {
		all = manages(rd, actor) == nil && scopeSeen(rd, actor, r)
		byID := map[string]bool{}
		for _, it := range items {
			if !byID[it.ReviewerID] {
				byID[it.ReviewerID] = true
				if it.ReviewerID == actor.UserID || rd.Check(actor, authz.View, authz.UserRef(it.ReviewerID)) == nil {
					out.Reviewers = append(out.Reviewers, Named{it.ReviewerID, it.ReviewerName})
				}
			}
			if it.ReviewerID == actor.UserID || all && sees(rd, actor, it) {
				out.Lines = append(out.Lines, &Line{AccessReviewItem: it})
			}
		}
		return nil
	})
	if len(out.Lines) == 0 && !all {
		return nil, errNoReview
	}
	if r.Status == store.ReviewOpen {
		s.addChoices(ctx, actor, out.Lines)
	}
	return out, nil
}

// addChoices fills, on the actor's own undecided-or-not role lines, the roles they could
// give that person instead: the same decision as changing the role by hand.
func (s *Service) addChoices(ctx context.Context, actor authz.Actor, lines []*Line) {
	roles, err := s.store.Roles(ctx)
	if err != nil {
		return
	}
	s.authz.Read(func(rd *authz.Reader) error {
		for _, l := range lines {
			if l.Kind != KindRole || l.ReviewerID != actor.UserID {
				continue
			}
			l.RoleChoices = []Named{}
			for _, ro := range roles {
				if ro.ID != l.ThingID && rd.Check(actor, authz.UsersEdit, authz.UserRef(l.UserID), authz.Change{Role: ro.ID}) == nil {
					l.RoleChoices = append(l.RoleChoices, Named{ro.ID, ro.Name})
				}
			}
		}
		return nil
	})
}

// Mine returns the open reviews that have lines for actor, with only those lines.
func (s *Service) Mine(ctx context.Context, actor authz.Actor) ([]*Review, error) {
	all, err := s.store.AccessReviews(ctx)
	if err != nil {
		return nil, err
	}
	out := []*Review{}
	for _, r := range all {
		if r.Status != store.ReviewOpen {
			continue
		}
		items, err := s.store.AccessReviewItems(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		rv := &Review{AccessReview: r}
		for _, it := range items {
			if it.ReviewerID == actor.UserID {
				rv.Lines = append(rv.Lines, &Line{AccessReviewItem: it})
			}
		}
		if len(rv.Lines) > 0 {
			s.addChoices(ctx, actor, rv.Lines)
			out = append(out, rv)
		}
	}
	return out, nil
}

// Pending is how many lines of open reviews are actor's, and how many are undecided (the
// menu shows "My access review" while there are any).
func (s *Service) Pending(ctx context.Context, actor authz.Actor) (total, undecided int, err error) {
	return s.store.OpenReviewItemCounts(ctx, actor.UserID)
}

// DecideRequest is a reviewer's decision on one line.
type DecideRequest struct {
	Decision string
	RoleID   string // for change
	Note     string
}

// MaxNote is the longest note, in characters.
const MaxNote = 1000

// Decide saves a reviewer's decision on one of their lines of an open review.
func (s *Service) Decide(ctx context.Context, actor authz.Actor, reviewID, itemID string, req DecideRequest) (*Line, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Line, write.Effect, error) {
		r, err := tx.AccessReview(ctx, reviewID)
		if err != nil {
			return nil, write.Effect{}, errNoReview
		}
		it, err := tx.AccessReviewItem(ctx, itemID)
		if err != nil || it.ReviewID != reviewID {
			return nil, write.Effect{}, errNoReview
		}
		if it.ReviewerID != actor.UserID {
			if manages(&w.Reader, actor) == nil {
				return nil, write.Effect{}, apperr.New(apperr.Forbidden, "not_reviewer", "This line is for %s to decide.", it.ReviewerName)
			}
			return nil, write.Effect{}, errNoReview
		}
		if r.Status != store.ReviewOpen {
			return nil, write.Effect{}, apperr.New(apperr.Conflict, "review_closed", "This review is closed: its decisions can no longer change.")
		}
		note := strings.TrimSpace(req.Note)
		if len([]rune(note)) > MaxNote {
			return nil, write.Effect{}, apperr.Field("note", "Keep the note under %d characters.", MaxNote)
		}
		it.NewRoleID, it.NewRoleName = "", ""
		switch req.Decision {
		case Keep, Revoke:
		case Change:
			if it.Kind != KindRole {
				return nil, write.Effect{}, apperr.Field("decision", "Only a role can be changed; revoke or keep this access.")
			}
			name, _, ok := w.RoleName(req.RoleID)
			if !ok || req.RoleID == it.ThingID {
				return nil, write.Effect{}, apperr.Field("roleId", "Choose another role for %s.", it.UserName)
			}
			if w.Check(actor, authz.UsersEdit, authz.UserRef(it.UserID), authz.Change{Role: req.RoleID}) != nil {
				return nil, write.Effect{}, apperr.Field("roleId", "You may not give %s the role %s.", it.UserName, name)
			}
			it.NewRoleID, it.NewRoleName = req.RoleID, name
		default:
			return nil, write.Effect{}, apperr.Field("decision", "Choose keep, revoke or change.")
		}
		now := s.now()
		it.Decision, it.Note, it.DecidedAt = req.Decision, note, &now
		if err := tx.DecideAccessReviewItem(ctx, it); err != nil {
			return nil, write.Effect{}, err
		}
		details := map[string]any{"decision": it.Decision, "user": it.UserID, "kind": it.Kind, "thing": it.ThingName}
		if it.NewRoleID != "" {
			details["role"] = it.NewRoleID
		}
		return &Line{AccessReviewItem: it}, write.Effect{Audit: []audit.Entry{{Action: "review.decide", TargetType: "review", TargetID: r.ID,
			TargetName: reviewName(r), Details: details}}}, nil
	})
}

// Close applies the review's revocations and changes, in checklist order, each through
// the service that makes it by hand, as the closer (the same checks, audited there), and
// records on each line what became of it; then it closes the review. A line that cannot
// be applied (the person was deleted, is no longer on it, the closer may not) is recorded
// as failed with the reason, and the rest go on. Only the starter closes; with lines
// undecided it is refused unless keepUndecided, which keeps them as they are.
func (s *Service) Close(ctx context.Context, actor authz.Actor, id string, keepUndecided bool) (*Review, error) {
	// First the decision to close, changing nothing (the close itself is decided again,
	// under the lock, when it is written below).
	if err := s.authz.Read(func(rd *authz.Reader) error { return manages(rd, actor) }); err != nil {
		return nil, err
	}
	r, err := s.store.AccessReview(ctx, id)
	if err != nil {
		return nil, errNoReview
	}
	switch n := r.Items - r.Decided; {
	case r.StartedBy != actor.UserID:
		return nil, apperr.New(apperr.Forbidden, "not_starter", "Only %s, who started this review, may close it.", r.StartedByName)
	case r.Status != store.ReviewOpen:
		return nil, apperr.New(apperr.Conflict, "review_closed", "This review is closed already.")
	case n > 0 && !keepUndecided:
		return nil, apperr.New(apperr.Conflict, "undecided", "Some lines are still undecided (%d). Wait for the reviewers, or close and keep the undecided as they are.", n)
	}
	items, err := s.store.AccessReviewItems(ctx, id)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, it := range items {
		if it.Outcome != "" { // a close cut short before: that line is done
			counts[it.Outcome]++
			continue
		}
		outcome, msg := Kept, apperr.Text{}
		if it.Decision == Revoke || it.Decision == Change {
			outcome, msg = Applied, apperr.Textf("Done.")
			if err := s.apply(ctx, actor, it); err != nil {
				outcome, msg = Failed, apperr.TextOf(err)
				if !isRefusal(err) {
					return nil, err
				}
			}
		}
		message := ""
		if !msg.IsZero() {
			message = sayAll(msg)
		}
		if _, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
			return struct{}{}, write.Effect{}, tx.SetAccessReviewItemOutcome(ctx, it.ID, outcome, message, s.now())
		}); err != nil {
			return nil, err
		}
		counts[outcome]++
	}
	_, err = write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		r, err := tx.AccessReview(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if r.Status != store.ReviewOpen {
			return struct{}{}, write.Effect{}, apperr.New(apperr.Conflict, "review_closed", "This review is closed already.")
		}
		me, err := tx.User(ctx, actor.UserID)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.CloseAccessReview(ctx, id, me.Name, s.now()); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "review.close", TargetType: "review", TargetID: id, TargetName: reviewName(r),
			Details: map[string]any{"applied": counts[Applied], "failed": counts[Failed], "kept": counts[Kept]}}}}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// isRefusal reports whether err is a refusal said in words (not found, forbidden, a
// conflict, invalid) rather than a failure of the machine, which stops the close.
func isRefusal(err error) bool {
	_, ok := apperr.As(err)
	return ok
}

// apply makes one line's revocation or change through its service, as actor.
func (s *Service) apply(ctx context.Context, actor authz.Actor, it *store.AccessReviewItem) error {
	switch it.Kind {
	case KindRole:
		var roleID string
		var active, ok bool
		s.authz.Read(func(rd *authz.Reader) error { roleID, active, ok = rd.UserRole(it.UserID); return nil })
		switch {
		case !ok:
			return apperr.New(apperr.NotFound, "gone", "%s's account no longer exists.", it.UserName)
		case roleID != it.ThingID:
			return apperr.New(apperr.Conflict, "role_moved", "%s's role changed since the review started: nothing was done.", it.UserName)
		}
		if it.Decision == Revoke {
			if !active {
				return apperr.New(apperr.Conflict, "already_deactivated", "%s was deactivated already.", it.UserName)
			}
			_, err := s.users.Deactivate(ctx, actor, it.UserID, users.Plan{})
			return err
		}
		role := it.NewRoleID
		_, err := s.users.Update(ctx, actor, it.UserID, users.UpdateRequest{RoleID: &role})
		return err
	case KindProject:
		_, err := s.projects.RemovePerson(ctx, actor, it.ThingID, it.UserID)
		return err
	case KindTeam:
		_, err := s.teams.RemoveMember(ctx, actor, it.ThingID, it.UserID)
		return err
	case KindBoard:
		_, err := s.boards.RemoveInvitation(ctx, actor, it.ThingID, it.UserID)
		return err
	case KindGrant:
		_, err := s.grants.Revoke(ctx, actor, it.ThingID)
		return err
	}
	return apperr.New(apperr.Invalid, "unknown_line", "Gatehouse does not know how to apply this line.")
}
