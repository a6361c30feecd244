// Package grants gives one person something beyond their role, optionally until a date:
// one permission (with its scope), a role for a while, a project membership, a board
// invitation or a follow of a task. Giving is decided as the thing itself would be (no
// more than one's own role: a permission one does not hold, or a role one may not give,
// is refused), and every grant, revocation and expiry is audited. Expiry runs at start and
// every minute on the injected clock; each grant ends once (its row records the end), and
// a reminder mail goes to the person and the giver once, a few days before.
//
// A permission grant lives in the index (the person's view gets it); the others are
// written as the membership, invitation, follow or role itself, and the grant undoes
// exactly that when it ends.
package grants

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// RemindBefore is how long before its end a grant's reminder goes out.
const RemindBefore = 3 * 24 * time.Hour

// MailKind is the outbox kind of the reminder.
const MailKind = "grantEnding"

// Grant is a grant as the service returns it.
type Grant = store.UserGrant

// Service gives, lists, revokes and expires grants.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	write *write.Path
	now   func() time.Time
	loc   func() *time.Location
	log   *slog.Logger
}

// New returns a Service; loc is the organisation's time zone (for the reminder's date).
func New(st *store.Store, az *authz.Authorizer, now func() time.Time, loc func() *time.Location, log *slog.Logger) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now, loc: loc, log: log}
}

// GiveRequest is a new grant. Kind says which of the other fields it reads.
type GiveRequest struct {
	UserID     string
	Kind       string
	Permission string
	Scope      string
	RoleID     string
	TargetID   string // project, board or task
	Level      string // board: editor or member
	Until      *time.Time
	Note       string
}

var kinds = []string{store.GrantPermission, store.GrantRole, store.GrantProject, store.GrantBoard, store.GrantFollow}

func (r *GiveRequest) validate(now time.Time) error {
	r.UserID, r.Kind, r.Note = strings.TrimSpace(r.UserID), strings.TrimSpace(r.Kind), strings.TrimSpace(r.Note)
	if r.UserID == "" {
		return apperr.Field("userId", "Choose the person to give it to.")
	}
	if !slices.Contains(kinds, r.Kind) {
		return apperr.Field("kind", "Kind must be one of: %s.", strings.Join(kinds, ", "))
	}
	if r.Until != nil && !r.Until.After(now) {
		return apperr.Field("until", "The end must be in the future.")
	}
	if len([]rune(r.Note)) > 500 {
		return apperr.Field("note", "The note is too long (at most 500 characters).")
	}
	switch r.Kind {
	case store.GrantPermission:
		if r.Permission == "" {
			return apperr.Field("permission", "Choose a permission.")
		}
	case store.GrantRole:
		if r.RoleID == "" {
			return apperr.Field("roleId", "Choose a role.")
		}
		if r.Until == nil {
			return apperr.Field("until", "A role given for a while needs an end date; to change the role for good, edit the person.")
		}
	case store.GrantBoard:
		if r.Level != string(authz.LevelEditor) && r.Level != string(authz.LevelMember) {
			return apperr.Field("level", "Level must be %q or %q.", authz.LevelEditor, authz.LevelMember)
		}
		fallthrough
	default:
		if strings.TrimSpace(r.TargetID) == "" {
			return apperr.Field("targetId", "Choose what to give access to.")
		}
	}
	return nil
}

func (s *Service) nameOf(ctx context.Context, tx *store.Store, id string) string {
	if u, err := tx.User(ctx, id); err == nil {
		return u.Name
	}
	return ""
}

// Give gives a grant.
func (s *Service) Give(ctx context.Context, actor authz.Actor, req GiveRequest) (*Grant, error) {
	now := s.now()
	if err := req.validate(now); err != nil {
		return nil, err
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Grant, write.Effect, error) {
		if err := w.Check(actor, authz.View, authz.UserRef(req.UserID)); err != nil {
			return nil, write.Effect{}, err
		}
		u, err := tx.User(ctx, req.UserID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if u.Status != store.StatusActive {
			return nil, write.Effect{}, apperr.New(apperr.Conflict, "deactivated", "%s is deactivated: reactivate the account first.", u.Name)
		}
		g := &Grant{ID: uuid.NewString(), UserID: u.ID, Kind: req.Kind, Until: req.Until, Note: req.Note, GivenBy: actor.UserID,
			GivenByName: s.nameOf(ctx, tx, actor.UserID), CreatedAt: now}
		var index func(w *authz.Writer)
		switch req.Kind {
		case store.GrantPermission:
			gr := authz.Grant{Key: strings.TrimSpace(req.Permission), Scope: authz.Scope(strings.TrimSpace(req.Scope))}
			if err := w.CanGive(actor, u.ID, gr, req.Until); err != nil {
				return nil, write.Effect{}, err
			}
			p, _ := authz.Lookup(gr.Key)
			if gr.Scope == authz.ScopeNone && len(p.Scopes) == 1 {
				gr.Scope = p.Scopes[0]
			}
			g.Permission, g.Scope = gr.Key, string(gr.Scope)
			index = func(w *authz.Writer) { w.PutExtraGrant(u.ID, extraOf(g)) }
		case store.GrantRole:
			if err := w.Check(actor, authz.UsersEdit, authz.UserRef(u.ID), authz.Change{Role: req.RoleID}); err != nil {
				return nil, write.Effect{}, err
			}
			if req.RoleID == u.RoleID {
				return nil, write.Effect{}, apperr.Field("roleId", "%s already holds the role %s.", u.Name, u.RoleName)
			}
			// A team member stays a team member and a client a client: a portal account's
			// projects and company do not fit a team role, nor the reverse, for a while.
			if r, err := tx.Role(ctx, req.RoleID); err == nil && string(r.Kind) != u.RoleKind {
				return nil, write.Effect{}, apperr.Field("roleId", "A role for a while must be of the same kind as the role of %s (%s): a team role or a client role.", u.Name, u.RoleName)
			}
			open, err := tx.OpenUserGrants(ctx, u.ID)
			if err != nil {
				return nil, write.Effect{}, err
			}
			if slices.ContainsFunc(open, func(o *Grant) bool { return o.Kind == store.GrantRole }) {
				return nil, write.Effect{}, apperr.New(apperr.Conflict, "role_grant_open",
					"%s already holds a role for a while: end that grant first.", u.Name).OnField("roleId")
			}
			g.RoleID, g.PreviousRoleID = req.RoleID, u.RoleID
			if err := setRole(ctx, tx, u, req.RoleID, now); err != nil {
				return nil, write.Effect{}, err
			}
			index = func(w *authz.Writer) { w.PutUser(u.ID, req.RoleID, true) }
		case store.GrantProject:
			g.TargetID = req.TargetID
			if index, err = s.project(ctx, w, tx, &actor, u, g, true); err != nil {
				return nil, write.Effect{}, err
			}
		case store.GrantBoard:
			g.TargetID, g.Level = req.TargetID, req.Level
			if index, err = s.board(ctx, w, tx, &actor, u, g, true); err != nil {
				return nil, write.Effect{}, err
			}
		case store.GrantFollow:
			g.TargetID = req.TargetID
			if index, err = s.follow(ctx, w, tx, &actor, u, g, true); err != nil {
				return nil, write.Effect{}, err
			}
		}
		if err := tx.CreateUserGrant(ctx, g); err != nil {
			return nil, write.Effect{}, err
		}
		return g, write.Entry(entry("grant.create", g, u, s.describe(ctx, tx, g)), index), nil
	})
}

func extraOf(g *Grant) authz.ExtraGrant {
	return authz.ExtraGrant{ID: g.ID, Key: g.Permission, Scope: authz.Scope(g.Scope), By: g.GivenByName, Until: g.Until}
}

func setRole(ctx context.Context, tx *store.Store, u *store.User, roleID string, now time.Time) error {
	before := *u
	u.RoleID, u.UpdatedAt = roleID, now
	return tx.UpdateUserOnly(ctx, u, &before)
}

// project adds (on) or removes the person's membership of the grant's project: as a
// member, or a portal account as an attached client. actor nil: the grant's expiry,
// decided by nobody.
func (s *Service) project(ctx context.Context, w *authz.Writer, tx *store.Store, actor *authz.Actor, u *store.User, g *Grant, on bool) (func(*authz.Writer), error) {
	if actor != nil {
		if err := w.Check(*actor, authz.View, authz.ProjectRef(g.TargetID)); err != nil {
			return nil, targetErr(err)
		}
		if err := w.Check(*actor, authz.ProjectsMembers, authz.ProjectRef(g.TargetID)); err != nil {
			return nil, err
		}
	}
	p, err := tx.Project(ctx, g.TargetID)
	if errors.Is(err, store.ErrNotFound) && !on {
		return nil, nil // gone: nothing to undo
	}
	if err != nil {
		return nil, err
	}
	list := &p.Members
	if u.RoleKind == string(authz.KindClient) {
		list = &p.Clients
	}
	has := slices.Contains(*list, u.ID)
	switch {
	case on && has:
		return nil, apperr.Field("targetId", "%s is already on the project %s.", u.Name, p.Name)
	case !on && !has:
		return nil, nil
	case on:
		*list = append(slices.Clone(*list), u.ID)
	default:
		*list = slices.DeleteFunc(slices.Clone(*list), func(id string) bool { return id == u.ID })
	}
	p.UpdatedAt = s.now()
	if err := tx.UpdateProject(ctx, p); err != nil {
		return nil, err
	}
	return func(w *authz.Writer) { w.PutProject(p) }, nil
}

func (s *Service) board(ctx context.Context, w *authz.Writer, tx *store.Store, actor *authz.Actor, u *store.User, g *Grant, on bool) (func(*authz.Writer), error) {
	if actor != nil {
		if err := w.Check(*actor, authz.View, authz.BoardRef(g.TargetID)); err != nil {
			return nil, targetErr(err)
		}
		if err := w.Check(*actor, authz.TasksColumns, authz.BoardRef(g.TargetID), authz.Change{Visibility: true}); err != nil {
			return nil, err
		}
	}
	b, err := tx.Board(ctx, g.TargetID)
	if errors.Is(err, store.ErrNotFound) && !on {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(b.Access, func(a store.BoardGrant) bool { return a.Type == "user" && a.ID == u.ID })
	switch {
	case on && u.RoleKind == string(authz.KindClient):
		return nil, apperr.Field("userId", "Client (portal) accounts see no boards.")
	case on && b.Visibility != "invited":
		return nil, apperr.Field("targetId", "The board %s is open to every team member: there is nothing to invite to.", b.Name)
	case on && i >= 0:
		return nil, apperr.Field("targetId", "%s is already invited to the board %s.", u.Name, b.Name)
	case !on && (i < 0 || b.Access[i].Level != g.Level):
		return nil, nil // changed since: not the grant's any more
	case on:
		b.Access = append(slices.Clone(b.Access), store.BoardGrant{Type: "user", ID: u.ID, Level: g.Level})
	default:
		b.Access = slices.Delete(slices.Clone(b.Access), i, i+1)
	}
	if err := tx.UpdateBoard(ctx, b); err != nil {
		return nil, err
	}
	return func(w *authz.Writer) { w.PutBoard(b) }, nil
}

func (s *Service) follow(ctx context.Context, w *authz.Writer, tx *store.Store, actor *authz.Actor, u *store.User, g *Grant, on bool) (func(*authz.Writer), error) {
	if actor != nil {
		chg := authz.Change{}
		if on {
			chg.Follower = u.ID
		}
		if err := w.Check(*actor, authz.View, authz.TaskRef(g.TargetID)); err != nil {
			return nil, targetErr(err)
		}
		if err := w.Check(*actor, authz.TasksEdit, authz.TaskRef(g.TargetID), chg); err != nil {
			return nil, err
		}
	}
	t, err := tx.Task(ctx, g.TargetID)
	if errors.Is(err, store.ErrNotFound) && !on {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	has := slices.Contains(t.Followers, u.ID)
	switch {
	case on && has:
		return nil, apperr.Field("targetId", "%s already follows the task %s.", u.Name, t.Title)
	case !on && !has:
		return nil, nil
	case on:
		t.Followers = append(slices.Clone(t.Followers), u.ID)
	default:
		t.Followers = slices.DeleteFunc(slices.Clone(t.Followers), func(id string) bool { return id == u.ID })
	}
	if err := tx.SetTaskFollowers(ctx, t.ID, t.Followers); err != nil {
		return nil, err
	}
	return func(w *authz.Writer) { w.PutTask(t) }, nil
}

// targetErr names the target field for a thing the giver cannot see.
func targetErr(err error) error {
	if apperr.IsKind(err, apperr.NotFound) {
		return apperr.Field("targetId", "No such thing, or you cannot see it.")
	}
	return err
}

// describe says what a grant gives, in English words, for the audit log and the mail.
func (s *Service) describe(ctx context.Context, tx *store.Store, g *Grant) string {
	switch g.Kind {
	case store.GrantPermission:
		p, _ := authz.Lookup(g.Permission)
		d := fmt.Sprintf("%s (%s)", p.LabelText(), g.Permission)
		if g.Scope != "" {
			d += ", " + g.Scope
		}
		return d
	case store.GrantRole:
		if r, err := tx.Role(ctx, g.RoleID); err == nil {
			return "the role " + r.Name
		}
		return "a role"
	case store.GrantProject:
		if p, err := tx.Project(ctx, g.TargetID); err == nil {
			return "the project " + p.Name
		}
		return "a project"
	case store.GrantBoard:
		if b, err := tx.Board(ctx, g.TargetID); err == nil {
			return fmt.Sprintf("the board %s (%s)", b.Name, g.Level)
		}
		return "a board"
	case store.GrantFollow:
		if t, err := tx.Task(ctx, g.TargetID); err == nil {
			return "following the task " + t.Title
		}
		return "following a task"
	}
	return g.Kind
}

func entry(action string, g *Grant, u *store.User, what string) audit.Entry {
	d := map[string]any{"grant": g.ID, "kind": g.Kind, "what": what}
	if g.Until != nil {
		d["until"] = g.Until.UTC().Format(time.RFC3339)
	}
	if g.Note != "" && action == "grant.create" {
		d["note"] = g.Note
	}
	return audit.Entry{Action: action, TargetType: "user", TargetID: u.ID, TargetName: u.Name, Details: d}
}

// List returns the grants in force the actor may see: of one person (userID), or of
// everyone the actor sees ("").
func (s *Service) List(ctx context.Context, actor authz.Actor, userID string) ([]*Grant, error) {
	if userID != "" {
		if err := s.authz.Check(actor, authz.View, authz.UserRef(userID)); err != nil {
			return nil, err
		}
	} else if err := s.authz.Check(actor, authz.UsersView, authz.Ref{Type: authz.User}); err != nil {
		return nil, err
	}
	all, err := s.store.OpenUserGrants(ctx, userID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(g *Grant) bool { return s.authz.Check(actor, authz.View, authz.UserRef(g.UserID)) != nil }), nil
}

// MayRevoke reports whether actor may end grant g now.
func (s *Service) MayRevoke(actor authz.Actor, g *Grant) bool {
	err := s.authz.Read(func(r *authz.Reader) error { return s.revokeCheck(r, actor, g) })
	return err == nil
}

func (s *Service) revokeCheck(r *authz.Reader, actor authz.Actor, g *Grant) error {
	if err := r.Check(actor, authz.View, authz.UserRef(g.UserID)); err != nil {
		return err
	}
	switch g.Kind {
	case store.GrantProject:
		return r.Check(actor, authz.ProjectsMembers, authz.ProjectRef(g.TargetID))
	case store.GrantBoard:
		return r.Check(actor, authz.TasksColumns, authz.BoardRef(g.TargetID), authz.Change{Visibility: true})
	case store.GrantFollow:
		return r.Check(actor, authz.TasksEdit, authz.TaskRef(g.TargetID))
	case store.GrantRole:
		if err := r.Check(actor, authz.UsersEdit, authz.UserRef(g.UserID)); err != nil {
			return err
		}
		if cur, _, _ := r.UserRole(g.UserID); cur == g.RoleID {
			return r.Check(actor, authz.UsersEdit, authz.UserRef(g.UserID), authz.Change{Role: g.PreviousRoleID})
		}
		return nil
	}
	return r.Check(actor, authz.UsersEdit, authz.UserRef(g.UserID))
}

var errEnded = apperr.New(apperr.Conflict, "grant_ended", "This grant has already ended.")

// errHeld: ending a role for a while would leave no active Admin. Its expiry is held (the
// grant stays in force, tried again every minute) until someone else is an Admin.
var errHeld = apperr.New(apperr.Conflict, "last_admin",
	"This is the last active Admin: the Admin role given for a while cannot end until someone else is an Admin.")

// HeldAction is the activity log's entry for an expiry held back (once per grant).
const HeldAction = "grant.expire_held"

// Revoke ends a grant now.
func (s *Service) Revoke(ctx context.Context, actor authz.Actor, id string) (*Grant, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Grant, write.Effect, error) {
		g, err := tx.UserGrant(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, write.Effect{}, apperr.NotFoundf("No such grant.")
		}
		if err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Check(actor, authz.View, authz.UserRef(g.UserID)); err != nil {
			return nil, write.Effect{}, apperr.NotFoundf("No such grant.")
		}
		if g.EndedAt != nil {
			return nil, write.Effect{}, errEnded
		}
		if err := s.revokeCheck(&w.Reader, actor, g); err != nil {
			return nil, write.Effect{}, err
		}
		eff, err := s.end(ctx, w, tx, g, store.GrantRevoked, s.nameOf(ctx, tx, actor.UserID))
		return g, eff, err
	})
}

// end undoes what g gave and records its end (how: revoked or expired), in tx.
func (s *Service) end(ctx context.Context, w *authz.Writer, tx *store.Store, g *Grant, how, by string) (write.Effect, error) {
	now := s.now()
	u, err := tx.User(ctx, g.UserID)
	if err != nil {
		return write.Effect{}, err
	}
	what := s.describe(ctx, tx, g)
	var index func(*authz.Writer)
	details := map[string]any{}
	switch g.Kind {
	case store.GrantPermission:
		index = func(w *authz.Writer) { w.DeleteExtraGrant(u.ID, g.ID) }
	case store.GrantRole:
		// Back to the role they had, unless someone changed their role since (then that
		// change stands) or that role is gone.
		if _, err := tx.Role(ctx, g.PreviousRoleID); u.RoleID == g.RoleID && err == nil {
			if g.PreviousRoleID != authz.RoleAdmin && w.LastActiveAdmin(u.ID) {
				return write.Effect{}, errHeld
			}
			if err := setRole(ctx, tx, u, g.PreviousRoleID, now); err != nil {
				return write.Effect{}, err
			}
			active := u.Status == store.StatusActive
			index = func(w *authz.Writer) { w.PutUser(u.ID, g.PreviousRoleID, active) }
			details["role"] = map[string]string{"from": g.RoleID, "to": g.PreviousRoleID}
		} else {
			details["roleKept"] = true
		}
	case store.GrantProject:
		index, err = s.project(ctx, w, tx, nil, u, g, false)
	case store.GrantBoard:
		index, err = s.board(ctx, w, tx, nil, u, g, false)
	case store.GrantFollow:
		index, err = s.follow(ctx, w, tx, nil, u, g, false)
	}
	if err != nil {
		return write.Effect{}, err
	}
	if err := tx.EndUserGrant(ctx, g.ID, how, by, now); err != nil {
		return write.Effect{}, err
	}
	g.EndedAt, g.EndedHow, g.EndedByName = &now, how, by
	action := "grant.revoke"
	if how == store.GrantExpired {
		action = "grant.expire"
	}
	e := entry(action, g, u, what)
	for k, v := range details {
		e.Details[k] = v
	}
	return write.Entry(e, index), nil
}

// Tick ends the grants whose date has come, and sends the reminders that are due. Each
// grant is read again under the lock, so an end happens exactly once however many ticks
// (or starts) race for it.
func (s *Service) Tick(ctx context.Context) error {
	now := s.now()
	due, err := s.store.UserGrantsDue(ctx, now)
	if err != nil {
		return err
	}
	// One grant that cannot end does not keep the others from ending: its error is
	// reported after the rest were tried.
	var failed []error
	for _, d := range due {
		_, err := write.Do(ctx, s.write, authz.Actor{}, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
			g, err := tx.UserGrant(ctx, d.ID)
			if err != nil || g.EndedAt != nil {
				return struct{}{}, write.Effect{}, err
			}
			eff, err := s.end(ctx, w, tx, g, store.GrantExpired, "")
			return struct{}{}, eff, err
		})
		switch {
		case errors.Is(err, errHeld):
			if err := s.hold(ctx, d); err != nil {
				failed = append(failed, err)
			}
		case err != nil && !errors.Is(err, store.ErrNotFound):
			failed = append(failed, fmt.Errorf("grants: end %s: %w", d.ID, err))
		}
	}
	if err := errors.Join(failed...); err != nil {
		return err
	}
	remind, err := s.store.UserGrantsToRemind(ctx, now.Add(RemindBefore))
	if err != nil {
		return err
	}
	for _, d := range remind {
		_, err := write.Do(ctx, s.write, authz.Actor{}, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
			g, err := tx.UserGrant(ctx, d.ID)
			if err != nil || g.EndedAt != nil || g.RemindedAt != nil {
				return struct{}{}, write.Effect{}, err
			}
			if err := tx.MarkUserGrantReminded(ctx, g.ID, now); err != nil {
				return struct{}{}, write.Effect{}, err
			}
			mails, err := s.reminders(ctx, tx, g, now)
			return struct{}{}, write.Effect{Mail: mails}, err
		})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// hold records, once per grant, that its end was held back because it would leave no
// active Admin: the activity log says so (the lint keeps telling of it until it ends).
func (s *Service) hold(ctx context.Context, g *Grant) error {
	s.log.Warn("a role given for a while is past its end and kept: ending it would leave no active Admin", "grant", g.ID, "user", g.UserID)
	_, err := write.Do(ctx, s.write, authz.Actor{}, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		told, err := tx.Audit(ctx, store.AuditFilter{Action: HeldAction, TargetID: g.UserID, Limit: 1000})
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if slices.ContainsFunc(told, func(e *store.AuditEntry) bool { return e.Details["grant"] == g.ID }) {
			return struct{}{}, write.Effect{}, nil
		}
		u, err := tx.User(ctx, g.UserID)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		e := entry(HeldAction, g, u, s.describe(ctx, tx, g))
		e.Details["reason"] = "last_admin"
		return struct{}{}, write.Effect{Audit: []audit.Entry{e}}, nil
	})
	return err
}

// Held reports whether g is past its end and still in force because ending it would leave
// no active Admin (the lint tells of it).
func (s *Service) Held(g *Grant) bool {
	if g.EndedAt != nil || g.Until == nil || g.Until.After(s.now()) || g.Kind != store.GrantRole || g.PreviousRoleID == authz.RoleAdmin {
		return false
	}
	held := false
	_ = s.authz.Read(func(r *authz.Reader) error {
		cur, _, _ := r.UserRole(g.UserID)
		held = cur == g.RoleID && r.LastActiveAdmin(g.UserID)
		return nil
	})
	return held
}

// reminders are the mails telling the person, the giver and the owner that g ends soon
// (none when email is not set up).
func (s *Service) reminders(ctx context.Context, tx *store.Store, g *Grant, now time.Time) ([]*store.Mail, error) {
	c, err := tx.EmailSettings(ctx)
	if err != nil || !c.Configured() {
		return nil, err
	}
	holder, err := tx.User(ctx, g.UserID)
	if err != nil {
		return nil, err
	}
	loc := time.UTC
	if s.loc != nil {
		loc = s.loc()
	}
	params := map[string]string{"grantId": g.ID, "what": s.describe(ctx, tx, g), "person": holder.Name,
		"until": g.Until.In(loc).Format("2006-01-02 15:04")}
	// The person, the giver, and the owner (the earliest active Admin account), who keeps
	// the organisation's access in mind.
	to := []string{g.UserID, g.GivenBy}
	owners, _, err := tx.Users(ctx, store.UserFilter{RoleID: authz.RoleAdmin, Status: store.StatusActive, Sort: "createdAt", Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(owners) > 0 {
		to = append(to, owners[0].ID)
	}
	var out []*store.Mail
	for _, id := range to {
		if id == "" || slices.ContainsFunc(out, func(m *store.Mail) bool { return m.ToUserID == id }) {
			continue
		}
		u, err := tx.User(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Status != store.StatusActive {
			continue
		}
		out = append(out, &store.Mail{ID: uuid.NewString(), Kind: MailKind, ToUserID: u.ID, To: u.Email,
			Subject: "Extra access ends soon", Params: params, CreatedAt: now})
	}
	return out, nil
}

// Run ticks every minute until ctx ends (the first tick is the caller's, at start).
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("could not end or remind of grants", "err", err)
			}
		}
	}
}

// Shown is a grant as a reader sees it: with the names of the person, the role or the
// thing (when the reader may see it) and whether the reader may end it now.
type Shown struct {
	*Grant
	UserName         string
	RoleName         string
	PreviousRoleName string
	TargetName       string // "" when the reader cannot see the thing
	CanRevoke        bool
}

// Show names what g concerns, for actor.
func (s *Service) Show(ctx context.Context, actor authz.Actor, g *Grant) *Shown {
	out := &Shown{Grant: g, CanRevoke: g.EndedAt == nil && s.MayRevoke(actor, g)}
	if u, err := s.store.User(ctx, g.UserID); err == nil {
		out.UserName = u.Name
	}
	for _, r := range []struct {
		id  string
		dst *string
	}{{g.RoleID, &out.RoleName}, {g.PreviousRoleID, &out.PreviousRoleName}} {
		if r.id == "" {
			continue
		}
		if role, err := s.store.Role(ctx, r.id); err == nil {
			*r.dst = role.Name
		}
	}
	switch g.Kind {
	case store.GrantProject:
		if s.authz.Check(actor, authz.View, authz.ProjectRef(g.TargetID)) == nil {
			if p, err := s.store.Project(ctx, g.TargetID); err == nil {
				out.TargetName = p.Name
			}
		}
	case store.GrantBoard:
		if s.authz.Check(actor, authz.View, authz.BoardRef(g.TargetID)) == nil {
			if b, err := s.store.Board(ctx, g.TargetID); err == nil {
				out.TargetName = b.Name
			}
		}
	case store.GrantFollow:
		if s.authz.Check(actor, authz.View, authz.TaskRef(g.TargetID)) == nil {
			if t, err := s.store.Task(ctx, g.TargetID); err == nil {
				out.TargetName = t.Title
			}
		}
	}
	return out
}
