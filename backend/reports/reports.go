// Package reports is the dashboard (reports.dashboard): tasks by stage and by assignee,
// overdue, completed per week, per project and per team. It counts only tasks the viewer
// sees (each decided by the task predicate, as the task list does), and at scope team
// only those of the people of the teams the viewer leads (authz.ReportScope).
package reports

import (
	"cmp"
	"context"
	"slices"
	"time"

	"gatehouse/backend/authz"
	"gatehouse/backend/organisation"
	"gatehouse/backend/store"
)

// Weeks is how many weeks "completed per week" covers, this one included.
const Weeks = 12

// Service is the reports.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	org   *organisation.Service
	now   func() time.Time
}

// New returns the service.
func New(st *store.Store, az *authz.Authorizer, org *organisation.Service, now func() time.Time) *Service {
	return &Service{store: st, authz: az, org: org, now: now}
}

// Counts is a group's tasks: not done (open or in review), done, and overdue (not done,
// past their due date).
type Counts struct {
	Open, Review, Done, Overdue int
}

func (c *Counts) add(t *store.ReportTask, overdue bool) {
	switch t.StageKind {
	case "done":
		c.Done++
	case "review":
		c.Review++
	default:
		c.Open++
	}
	if overdue {
		c.Overdue++
	}
}

// Group is one project's, team's or person's counts.
type Group struct {
	ID, Name string
	Counts
}

// Stage is how many tasks stand in stages of one name and kind.
type Stage struct {
	Name, Kind string
	Count      int
}

// Week is how many tasks were completed in the week starting Start (a Monday).
type Week struct {
	Start string
	Count int
}

// Report is the dashboard.
type Report struct {
	Today    string
	Scope    string // "all" or "team"
	Total    Counts
	Stages   []Stage
	People   []Group // by assignee ("" for unassigned)
	Projects []Group
	Teams    []Group
	Weeks    []Week
}

// Tasks returns the dashboard of the tasks actor sees.
func (s *Service) Tasks(ctx context.Context, actor authz.Actor) (*Report, error) {
	scope, err := s.authz.ReportScope(actor)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ReportTasks(ctx)
	if err != nil {
		return nil, err
	}
	tasks, err := authz.Keep(s.authz, actor, authz.Task, all, func(t *store.ReportTask) string { return t.ID })
	if err != nil {
		return nil, err
	}
	if !scope.All {
		tasks = slices.DeleteFunc(tasks, func(t *store.ReportTask) bool { return !slices.Contains(scope.People, t.AssigneeID) })
	}
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return nil, err
	}
	if !scope.All {
		teams = slices.DeleteFunc(teams, func(t *store.Team) bool { return !slices.Contains(scope.Teams, t.ID) })
	}

	loc := s.org.Location()
	now := s.now().In(loc)
	today := now.Format(time.DateOnly)
	out := &Report{Today: today, Scope: "team"}
	if scope.All {
		out.Scope = "all"
	}
	// The weeks, Monday first, the oldest first.
	monday := now.AddDate(0, 0, -((int(now.Weekday()) + 6) % 7))
	week0 := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, loc)
	for i := Weeks - 1; i >= 0; i-- {
		out.Weeks = append(out.Weeks, Week{Start: week0.AddDate(0, 0, -7*i).Format(time.DateOnly)})
	}

	stages := map[[2]string]int{}
	people, projects, byTeam := map[string]*Group{}, map[string]*Group{}, map[string]*Group{}
	group := func(m map[string]*Group, id, name string) *Group {
		if g := m[id]; g != nil {
			return g
		}
		g := &Group{ID: id, Name: name}
		m[id] = g
		return g
	}
	for _, t := range tasks {
		overdue := t.StageKind != "done" && t.DueDate != "" && t.DueDate < today
		out.Total.add(t, overdue)
		stages[[2]string{t.StageName, t.StageKind}]++
		group(people, t.AssigneeID, t.AssigneeName).add(t, overdue)
		group(projects, t.ProjectID, t.ProjectName).add(t, overdue)
		for _, tm := range teams {
			if slices.Contains(tm.Members, t.AssigneeID) {
				group(byTeam, tm.ID, tm.Name).add(t, overdue)
			}
		}
		if t.StageKind == "done" && t.CompletedAt != "" {
			if at, err := time.Parse(time.RFC3339Nano, t.CompletedAt); err == nil {
				day := at.In(loc).Format(time.DateOnly)
				for i := len(out.Weeks) - 1; i >= 0; i-- {
					if day >= out.Weeks[i].Start {
						if i < len(out.Weeks)-1 || day <= today {
							out.Weeks[i].Count++
						}
						break
					}
				}
			}
		}
	}
	for k, n := range stages {
		out.Stages = append(out.Stages, Stage{Name: k[0], Kind: k[1], Count: n})
	}
	kindRank := map[string]int{"open": 0, "review": 1, "done": 2}
	slices.SortFunc(out.Stages, func(a, b Stage) int {
		return cmp.Or(cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]), cmp.Compare(a.Name, b.Name))
	})
	for _, tm := range teams { // every team in scope, even without tasks
		out.Teams = append(out.Teams, *group(byTeam, tm.ID, tm.Name))
	}
	out.People, out.Projects = sorted(people), sorted(projects)
	return out, nil
}

func sorted(m map[string]*Group) []Group {
	out := make([]Group, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Open+b.Review, a.Open+a.Review), cmp.Compare(a.Name, b.Name))
	})
	return out
}
