package authz

import "gatehouse/backend/store"

// UserDef is a user for building a test index.
type UserDef struct {
	ID     string
	RoleID string
	Active bool
}

// newWith returns an Authorizer holding roles and users.
func newWith(roles []RoleDef, users []UserDef) *Authorizer {
	a := New()
	a.Update(func(w *Writer) error {
		for _, r := range roles {
			w.putRole(r.ID, r.Name, r.Kind, r.BuiltIn, r.Grants, r.Assignable)
		}
		for _, u := range users {
			w.PutUser(u.ID, u.RoleID, u.Active)
		}
		return nil
	})
	return a
}

// principal is who a board invitation names, in the tests' models.
type principal struct{ typ, id string }

func boardRow(id string, invited bool, access map[principal]Level, stages map[string]string) *store.Board {
	b := &store.Board{ID: id, Name: id, Visibility: "all"}
	if invited {
		b.Visibility = "invited"
	}
	for p, l := range access {
		b.Access = append(b.Access, store.BoardGrant{Type: p.typ, ID: p.id, Level: string(l)})
	}
	for sid, kind := range stages {
		b.Stages = append(b.Stages, store.Stage{ID: sid, Name: sid, Kind: kind})
	}
	return b
}
