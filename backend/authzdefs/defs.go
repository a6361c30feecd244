// Package authzdefs converts stored rows into what the authorization index keeps, so the
// loader at start and the services after each write describe things the same way.
package authzdefs

import (
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Role converts a stored role.
func Role(r *store.Role) authz.RoleDef {
	d := authz.RoleDef{ID: r.ID, Name: r.Name, Kind: authz.Kind(r.Kind), BuiltIn: r.BuiltIn}
	for _, g := range r.Grants {
		d.Grants = append(d.Grants, authz.Grant{Key: g.Key, Scope: authz.Scope(g.Scope)})
	}
	return d
}

// Project converts a stored project.
func Project(p *store.Project) authz.ProjectDef {
	return authz.ProjectDef{ID: p.ID, Name: p.Name, Active: p.Status == "active", Members: p.Members, Teams: p.Teams, Clients: p.Clients}
}

// Team converts a stored team.
func Team(t *store.Team) authz.TeamDef {
	return authz.TeamDef{ID: t.ID, Name: t.Name, Members: t.Members, Leaders: t.Leaders}
}

// Board converts a stored board.
func Board(b *store.Board) authz.BoardDef {
	d := authz.BoardDef{ID: b.ID, Name: b.Name, Invited: b.Visibility == "invited", Access: map[authz.Principal]authz.Level{},
		Stages: map[string]string{}}
	for _, g := range b.Access {
		d.Access[authz.Principal{Type: g.Type, ID: g.ID}] = authz.Level(g.Level)
	}
	for _, st := range b.Stages {
		d.Stages[st.ID] = st.Kind
	}
	return d
}

// Type converts a stored task type.
func Type(t *store.TaskType) authz.TypeDef {
	d := authz.TypeDef{ID: t.ID, Name: t.Name, Access: map[authz.Principal]authz.TypeRight{}}
	for _, g := range t.Access {
		d.Access[authz.Principal{Type: g.Type, ID: g.ID}] = authz.TypeRight{Create: g.Create, Assign: g.Assign}
	}
	return d
}

// Task converts a stored task.
func Task(t *store.Task) authz.TaskDef {
	return authz.TaskDef{ID: t.ID, Seq: t.Seq, ProjectID: t.ProjectID, BoardID: t.BoardID, StageID: t.StageID, AssigneeID: t.AssigneeID,
		ClientVisible: t.ClientVisible, TypeID: t.TypeID, Followers: t.Followers}
}

// LoadWork fills the index with everything of wi.
func LoadWork(w *authz.Writer, wi *store.WorkIndex) {
	for _, t := range wi.Teams {
		w.SetTeam(Team(t))
	}
	for _, p := range wi.Projects {
		w.SetProject(Project(p))
	}
	for _, b := range wi.Boards {
		w.SetBoard(Board(b))
	}
	for _, t := range wi.Types {
		w.SetTaskType(Type(t))
	}
	for _, t := range wi.Tasks {
		w.SetTask(Task(t))
	}
	for uid, r := range wi.Rules {
		w.SetTaskRules(uid, r.ReceiveFromOthers, r.OpenForOthers)
	}
}
