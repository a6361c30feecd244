package authz

import (
	"slices"
	"sort"
)

// ReportView is what of the reports an actor may read (reports.dashboard): everything they
// see (All), or — at scope team — the tasks of the people of the teams they lead, and
// those teams. Reports count only tasks the actor sees (the task predicate, applied to
// each); this narrows them further, never widens them.
type ReportView struct {
	All    bool
	Teams  []string // at scope team: the teams the actor leads
	People []string // at scope team: the actor and the members of those teams
}

// ReportScope returns actor's ReportView (403 without reports.dashboard). Viewed as
// someone, it is what both may read.
func (a *Authorizer) ReportScope(actor Actor) (ReportView, error) {
	var out ReportView
	err := a.Read(func(rd *Reader) error {
		view, err := rd.reportScope(Actor{UserID: actor.UserID})
		if err != nil || actor.Viewer == "" || actor.Viewer == actor.UserID {
			out = view
			return err
		}
		mine, err := rd.reportScope(Actor{UserID: actor.Viewer})
		if err != nil {
			return err
		}
		switch {
		case view.All && mine.All:
			out = ReportView{All: true}
		case view.All:
			out = mine
		case mine.All:
			out = view
		default:
			for _, t := range view.Teams {
				if slices.Contains(mine.Teams, t) {
					out.Teams = append(out.Teams, t)
				}
			}
			for _, u := range view.People {
				if slices.Contains(mine.People, u) {
					out.People = append(out.People, u)
				}
			}
		}
		return nil
	})
	return out, err
}

func (rd *Reader) reportScope(actor Actor) (ReportView, error) {
	var v view
	if err := rd.viewOf(actor, &v); err != nil {
		return ReportView{}, err
	}
	if !v.has(ReportsDashboard) {
		return ReportView{}, forbidden(ReportsDashboard)
	}
	if v.scope(ReportsDashboard) == ScopeAll {
		return ReportView{All: true}, nil
	}
	people := map[string]bool{rd.x.users[v.uh].id: true}
	var teams []string
	v.u.leads.each(func(th handle) {
		if t := rd.x.teams[th]; t.alive {
			teams = append(teams, t.id)
			for _, uh := range t.members {
				people[rd.x.users[uh].id] = true
			}
		}
	})
	out := ReportView{Teams: teams}
	for u := range people {
		out.People = append(out.People, u)
	}
	sort.Strings(out.People)
	sort.Strings(out.Teams)
	return out, nil
}
