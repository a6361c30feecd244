package identity

import (
	"context"
	"errors"
	"slices"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Identity is an external identity (a Google account) linked to a user.
type Identity = store.Identity

// Identities returns the external identities linked to a user: one's own, or another
// account's for whoever may see that account.
func (g *Google) Identities(ctx context.Context, actor authz.Actor, userID string) ([]*store.Identity, error) {
	// users.view on an account always covers one's own.
	if err := g.id.authz.Check(actor, authz.View, authz.UserRef(userID)); err != nil {
		return nil, err
	}
	return g.id.store.IdentitiesOfUser(ctx, userID)
}

// Unlink removes an identity from a user (users.edit on that account). The account stays;
// the next sign-in with that Google account is treated as a first one.
func (g *Google) Unlink(ctx context.Context, actor authz.Actor, userID, identityID string) error {
	_, err := write.Do(ctx, g.id.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.UsersEdit, authz.UserRef(userID)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		u, err := tx.User(ctx, userID)
		if errors.Is(err, store.ErrNotFound) {
			return struct{}{}, write.Effect{}, apperr.NotFoundf("No such user.")
		}
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		list, err := tx.IdentitiesOfUser(ctx, userID)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		i := slices.IndexFunc(list, func(x *store.Identity) bool { return x.ID == identityID })
		if i < 0 {
			return struct{}{}, write.Effect{}, apperr.NotFoundf("This user has no such linked identity.")
		}
		if err := tx.DeleteIdentity(ctx, u.ID, identityID); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{{Action: "identity.unlink", TargetType: "user", TargetID: u.ID,
			TargetName: u.Name, TargetKind: u.RoleKind, Details: map[string]any{"provider": list[i].Provider, "email": list[i].Email}}}}, nil
	})
	return err
}
