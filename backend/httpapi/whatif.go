package httpapi

import (
	"context"
	"net/http"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/projects"
	"gatehouse/backend/roles"
	"gatehouse/backend/tasks"
	"gatehouse/backend/teams"
)

// What-if before saving: who would gain and who would lose what if a proposed change to
// access were saved, computed by the index's own decisions on a copy of it. The answer's
// version goes back with the save (expectVersion), which is refused if access changed.

type whatIfRoleJSON struct {
	ID          string        `json:"id"`
	Kind        *authz.Kind   `json:"kind"`
	Permissions []authz.Grant `json:"permissions"`
	// AssignableRoleIDs: the roles its holders may give (absent: as they are).
	AssignableRoleIDs *[]string `json:"assignableRoleIds"`
}

type whatIfUserJSON struct {
	ID     string `json:"id"`
	RoleID string `json:"roleId"`
}

type whatIfProjectJSON struct {
	ID      string    `json:"id"`
	Members *[]string `json:"members"`
	Teams   *[]string `json:"teams"`
	Clients *[]string `json:"clients"`
}

type whatIfTeamJSON struct {
	ID      string    `json:"id"`
	Members *[]string `json:"members"`
	Leaders *[]string `json:"leaders"`
}

type whatIfBoardJSON struct {
	ID         string            `json:"id"`
	Visibility *string           `json:"visibility"`
	Access     *[]invitationJSON `json:"access"`
}

type whatIfTaskJSON struct {
	ID            string  `json:"id"`
	ClientVisible *bool   `json:"clientVisible"`
	AssigneeID    *string `json:"assigneeId"`
	BoardID       *string `json:"boardId"`
	StageID       *string `json:"stageId"`
	// Follow or Unfollow: a follower added or removed instead (a user id).
	Follow   string `json:"follow"`
	Unfollow string `json:"unfollow"`
}

type whatIfRequest struct {
	Role    *whatIfRoleJSON    `json:"role"`
	User    *whatIfUserJSON    `json:"user"`
	Project *whatIfProjectJSON `json:"project"`
	Team    *whatIfTeamJSON    `json:"team"`
	Board   *whatIfBoardJSON   `json:"board"`
	Task    *whatIfTaskJSON    `json:"task"`
}

// proposal reads the one change a what-if request names.
func (a *API) proposal(req *whatIfRequest) (roles.Proposal, error) {
	n := 0
	for _, set := range []bool{req.Role != nil, req.User != nil, req.Project != nil, req.Team != nil, req.Board != nil, req.Task != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return roles.Proposal{}, apperr.Field("change", "Give one change to preview: a role's permissions, a person's role, a project's people, a team's members, a board's invitations or a task's visibility.")
	}
	switch {
	case req.Role != nil:
		if req.Role.ID == "" {
			return roles.Proposal{}, apperr.Field("role.id", "Say which role.")
		}
		p := roles.Proposal{RoleID: req.Role.ID, Kind: req.Role.Kind, Grants: req.Role.Permissions}
		if req.Role.AssignableRoleIDs != nil {
			p.Assignable = append([]string{}, *req.Role.AssignableRoleIDs...)
		}
		return p, nil
	case req.User != nil:
		if req.User.ID == "" || req.User.RoleID == "" {
			return roles.Proposal{}, apperr.Field("user.roleId", "Say whose role changes, and to which.")
		}
		return roles.Proposal{UserID: req.User.ID, ToRole: req.User.RoleID}, nil
	case req.Project != nil:
		pj := req.Project
		if pj.ID == "" {
			return roles.Proposal{}, apperr.Field("project.id", "Say which project.")
		}
		upd := projects.Request{Members: pj.Members, Teams: pj.Teams, Clients: pj.Clients}
		return roles.Proposal{Project: &authz.ProjectPeople{ID: pj.ID, Members: pj.Members, Teams: pj.Teams, Clients: pj.Clients},
			Validate: func(ctx context.Context) error { return a.cfg.Projects.CheckPeople(ctx, pj.ID, upd) }}, nil
	case req.Team != nil:
		tm := req.Team
		if tm.ID == "" {
			return roles.Proposal{}, apperr.Field("team.id", "Say which team.")
		}
		upd := teams.Request{Members: tm.Members, Leaders: tm.Leaders}
		return roles.Proposal{Team: &authz.TeamPeople{ID: tm.ID, Members: tm.Members, Leaders: tm.Leaders},
			Validate: func(ctx context.Context) error { return a.cfg.Teams.CheckMembers(ctx, tm.ID, upd) }}, nil
	case req.Board != nil:
		bd := req.Board
		if bd.ID == "" {
			return roles.Proposal{}, apperr.Field("board.id", "Say which board.")
		}
		upd := boardRequest{Visibility: bd.Visibility, Access: bd.Access}.request()
		return roles.Proposal{Board: &authz.BoardAccess{ID: bd.ID, Visibility: bd.Visibility, Access: upd.Access},
			Validate: func(ctx context.Context) error { return a.cfg.Boards.CheckAccess(ctx, bd.ID, upd) }}, nil
	}
	tk := req.Task
	if tk.ID == "" {
		return roles.Proposal{}, apperr.Field("task.id", "Say which task.")
	}
	sight := &authz.TaskSight{ID: tk.ID}
	switch {
	case tk.Follow != "" && tk.Unfollow != "":
		return roles.Proposal{}, apperr.Field("task.follow", "Preview one follower at a time.")
	case tk.Follow != "":
		sight.Follower, sight.Follow = tk.Follow, true
	case tk.Unfollow != "":
		sight.Follower = tk.Unfollow
	default:
		sight.Change = tasks.Request{ClientVisible: tk.ClientVisible, AssigneeID: tk.AssigneeID, BoardID: tk.BoardID, StageID: tk.StageID}.Change()
	}
	return roles.Proposal{Task: sight}, nil
}

type whatIfChangeJSON struct {
	UserID   string `json:"userId"`
	UserName string `json:"userName"`
	Type     string `json:"type"`
	ID       string `json:"id"`
	Name     string `json:"name"`
	Action   string `json:"action"`
	Gained   bool   `json:"gained"`
}

type whatIfJSON struct {
	Version   string             `json:"version"`
	Gained    int                `json:"gained"`
	Lost      int                `json:"lost"`
	People    int                `json:"people"`
	Truncated bool               `json:"truncated"`
	Changes   []whatIfChangeJSON `json:"changes"`
}

func (a *API) whatIf(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req whatIfRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	prop, err := a.proposal(&req)
	if err != nil {
		return err
	}
	pv, err := a.cfg.Roles.WhatIf(r.Context(), p.Actor, prop)
	if err != nil {
		return err
	}
	out := whatIfJSON{Version: pv.Version, Gained: pv.Gained, Lost: pv.Lost, People: pv.People, Truncated: pv.Truncated,
		Changes: make([]whatIfChangeJSON, 0, len(pv.Changes))}
	for _, c := range pv.Changes {
		t := c.Type.String()
		if c.Type == authz.System {
			t = "permission"
		}
		out.Changes = append(out.Changes, whatIfChangeJSON{UserID: c.UserID, UserName: c.UserName, Type: t, ID: c.ID,
			Name: c.Name, Action: c.Action, Gained: c.Gained})
	}
	return writeJSON(w, http.StatusOK, out)
}
