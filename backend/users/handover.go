package users

import (
	"context"
	"slices"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/mail"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Mails an administrator sends someone: the welcome mail again, and a reset link.

// ResendInvitation queues the welcome mail again, with a new link (earlier links stop
// working), for someone who has not signed in yet. It returns the mail's id.
func (s *Service) ResendInvitation(ctx context.Context, actor authz.Actor, id string) (string, error) {
	return s.mailLink(ctx, actor, id, mail.KindWelcome)
}

// SendResetEmail queues a password reset mail with a 30-minute link; the current
// password keeps working until the link is used.
func (s *Service) SendResetEmail(ctx context.Context, actor authz.Actor, id string) (string, error) {
	return s.mailLink(ctx, actor, id, mail.KindReset)
}

func (s *Service) mailLink(ctx context.Context, actor authz.Actor, id, kind string) (string, error) {
	if err := s.authz.Check(actor, authz.UsersEdit, authz.UserRef(id), authz.Change{Password: true}); err != nil {
		return "", err
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return "", hidden(err)
	}
	if err := mailable(u, kind); err != nil {
		return "", err
	}
	if ok, err := s.emailConfigured(ctx); err != nil {
		return "", err
	} else if !ok {
		return "", errEmailNotConfigured
	}
	to := mail.Recipient{ID: u.ID, Name: u.Name, Email: u.Email}
	var p *mail.Prepared
	if kind == mail.KindWelcome {
		p, err = s.mail.PrepareWelcome(to, "")
	} else {
		p, err = s.mail.PrepareReset(to)
	}
	if err != nil {
		return "", err
	}
	action := map[string]string{mail.KindWelcome: "user.invitation_resent", mail.KindReset: "user.reset_mail"}[kind]
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (string, write.Effect, error) {
		if err := w.Check(actor, authz.UsersEdit, authz.UserRef(id), authz.Change{Password: true}); err != nil {
			return "", write.Effect{}, err
		}
		u, err := tx.User(ctx, id)
		if err != nil {
			return "", write.Effect{}, hidden(err)
		}
		if err := mailable(u, kind); err != nil {
			return "", write.Effect{}, err
		}
		if err := p.Write(ctx, tx); err != nil {
			return "", write.Effect{}, err
		}
		return p.Mail.ID, write.Effect{Audit: []audit.Entry{entry(action, u, nil)}, Mail: []*store.Mail{p.Mail}}, nil
	})
}

func mailable(u *store.User, kind string) error {
	if u.Status != store.StatusActive {
		return apperr.New(apperr.Conflict, "deactivated", "%s is deactivated: reactivate the account first.", u.Name)
	}
	if kind == mail.KindWelcome && u.LastSignInAt != nil {
		return apperr.New(apperr.Conflict, "already_signed_in", "%s has signed in already; send a reset email instead.", u.Name)
	}
	return nil
}

// Handing over a leaver's work.

// HandoverProject is a leaver's open tasks in one project.
type HandoverProject struct {
	ProjectID, ProjectName string
	OpenTasks              int
	tasks                  []string
	// Candidates are the active people who could be given every one of those tasks.
	Candidates []string
}

// Handover is what someone leaves behind, as the asker may hand it over.
type Handover struct {
	// OpenTasks are the open tasks the asker may reassign; HiddenOpenTasks the others.
	OpenTasks, HiddenOpenTasks int
	Comments                   int
	Projects                   []*HandoverProject
	// Candidates could take every open task the asker may reassign.
	Candidates []string
}

// Plan says who takes a leaver's open tasks: per project, else ReassignTo, else nobody
// (they stay assigned on deactivation; on deletion they become unassigned).
type Plan struct {
	ReassignTo string
	ByProject  map[string]string
}

func (p Plan) target(projectID string) string {
	if to := p.ByProject[projectID]; to != "" {
		return to
	}
	return p.ReassignTo
}

func (p Plan) empty() bool { return p.ReassignTo == "" && len(p.ByProject) == 0 }

// assignable is the decision that actor may give task to someone (to: "" — unassign).
func assignable(rd interface {
	Check(authz.Actor, authz.Action, authz.Ref, ...authz.Change) error
}, actor authz.Actor, task, to string) bool {
	c := authz.TaskChange{Assign: true, AssigneeID: to}
	return rd.Check(actor, authz.TasksAssign, authz.TaskRef(task), authz.Change{Task: &c}) == nil
}

// Handover returns what the account id leaves behind, for whoever may deactivate or
// delete it.
func (s *Service) Handover(ctx context.Context, actor authz.Actor, id string) (*Handover, error) {
	if err := s.authz.Check(actor, authz.View, authz.UserRef(id)); err != nil {
		return nil, err
	}
	if s.authz.Check(actor, authz.UsersDeactivate, authz.UserRef(id), authz.Change{Deactivate: true}) != nil &&
		s.authz.Check(actor, authz.UsersDelete, authz.UserRef(id)) != nil {
		return nil, apperr.New(apperr.Forbidden, "forbidden", "You may neither deactivate nor delete this account.")
	}
	open, err := s.store.OpenTasksAssignedTo(ctx, id)
	if err != nil {
		return nil, err
	}
	h := &Handover{Projects: []*HandoverProject{}, Candidates: []string{}}
	if h.Comments, err = s.store.CountCommentsBy(ctx, id); err != nil {
		return nil, err
	}
	people, err := s.authz.InternalPeople(actor, false)
	if err != nil {
		people = nil // a client asker (never a user manager today) gets no candidates
	}
	people = slices.DeleteFunc(people, func(p string) bool { return p == id })
	var cur *HandoverProject
	for _, t := range open {
		if !assignable(s.authz, actor, t.ID, "") {
			h.HiddenOpenTasks++
			continue
		}
		h.OpenTasks++
		if cur == nil || cur.ProjectID != t.ProjectID {
			cur = &HandoverProject{ProjectID: t.ProjectID, ProjectName: t.ProjectName}
			h.Projects = append(h.Projects, cur)
		}
		cur.OpenTasks++
		cur.tasks = append(cur.tasks, t.ID)
	}
	takesAll := func(p string, tasks []string) bool {
		for _, t := range tasks {
			if !assignable(s.authz, actor, t, p) {
				return false
			}
		}
		return true
	}
	var all []string
	for _, hp := range h.Projects {
		hp.Candidates = []string{}
		for _, p := range people {
			if takesAll(p, hp.tasks) {
				hp.Candidates = append(hp.Candidates, p)
			}
		}
		all = append(all, hp.tasks...)
	}
	if len(all) > 0 {
		for _, p := range people {
			if takesAll(p, all) {
				h.Candidates = append(h.Candidates, p)
			}
		}
	}
	return h, nil
}

// handOver reassigns the leaver's open tasks by plan, in the leaver's deactivation or
// deletion: every reassignment is decided as the assignment it is, and one refused
// reassignment refuses the whole change.
func (s *Service) handOver(ctx context.Context, w *authz.Writer, tx *store.Store, actor authz.Actor, u *store.User, plan Plan, eff *write.Effect) error {
	if plan.empty() {
		return nil
	}
	for p, to := range plan.ByProject {
		if to == u.ID || p == "" {
			return apperr.Field("byProject", "Choose someone else than %s for their tasks.", u.Name)
		}
	}
	if plan.ReassignTo == u.ID {
		return apperr.Field("reassignTo", "Choose someone else than %s for their tasks.", u.Name)
	}
	open, err := tx.OpenTasksAssignedTo(ctx, u.ID)
	if err != nil {
		return err
	}
	var moved []*store.Task
	counts := map[string]int{}
	for _, ot := range open {
		to := plan.target(ot.ProjectID)
		// Tasks the actor may not reassign stay as they are (Handover counted them as
		// hidden): a plan never reaches, nor names, what its maker cannot touch.
		if to == "" || !assignable(w, actor, ot.ID, "") {
			continue
		}
		if !assignable(w, actor, ot.ID, to) {
			field := "reassignTo"
			if plan.ByProject[ot.ProjectID] != "" {
				field = "byProject"
			}
			return apperr.Field(field, "That person cannot take over every open task in “%s”: choose someone who can see and be assigned them.", ot.ProjectName)
		}
		t, err := tx.Task(ctx, ot.ID)
		if err != nil {
			return err
		}
		t.AssigneeID, t.UpdatedAt = to, s.now()
		if err := tx.UpdateTask(ctx, t); err != nil {
			return err
		}
		moved = append(moved, t)
		counts[to]++
		if err := s.write.Notify(ctx, tx, actor, eff, mail.KindTaskAssigned, map[string]string{"taskId": t.ID}, to); err != nil {
			return err
		}
	}
	if len(moved) == 0 {
		return nil
	}
	eff.Audit = append(eff.Audit, entry("user.handover", u, map[string]any{"tasks": len(moved), "to": counts}))
	index := eff.Index
	eff.Index = func(w *authz.Writer) {
		for _, t := range moved {
			w.PutTask(t)
		}
		if index != nil {
			index(w)
		}
	}
	return nil
}
