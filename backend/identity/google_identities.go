package identity

import (
	"context"
	"errors"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
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
	if err := g.id.authz.Check(actor, authz.UsersEdit, authz.UserRef(userID)); err != nil {
		return err
	}
	u, err := g.id.store.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFoundf("No such user.")
	}
	if err != nil {
		return err
	}
	var ident *store.Identity
	list, err := g.id.store.IdentitiesOfUser(ctx, userID)
	if err != nil {
		return err
	}
	for _, i := range list {
		if i.ID == identityID {
			ident = i
		}
	}
	if ident == nil {
		return apperr.NotFoundf("This user has no such linked identity.")
	}
	// Under the index lock, like every account change: the check holds until the commit.
	return g.id.authz.Update(func(w *authz.Writer) error {
		if err := w.Check(actor, authz.UsersEdit, authz.UserRef(userID)); err != nil {
			return err
		}
		return g.unlinkTx(ctx, actor, u, ident)
	})
}

func (g *Google) unlinkTx(ctx context.Context, actor authz.Actor, u *store.User, ident *store.Identity) error {
	return g.id.store.RunInTx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteIdentity(ctx, u.ID, ident.ID); err != nil {
			return err
		}
		var actorName string
		if a, err := tx.User(ctx, actor.UserID); err == nil {
			actorName = a.Name
		}
		return tx.AppendAudit(ctx, &store.AuditEntry{At: g.id.now(), ActorID: actor.UserID, ActorName: actorName,
			Action: "identity.unlink", TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind,
			Details: map[string]any{"provider": ident.Provider, "email": ident.Email}})
	})
}
