// Package core assembles the backend for one data folder: it takes the folder's lock,
// opens the store, builds the authorization index and the services, and hands out the
// HTTP handler. The window, `serve` and the `admin` commands all start here.
package core

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/datadir"
	"gatehouse/backend/httpapi"
	"gatehouse/backend/identity"
	"gatehouse/backend/roles"
	"gatehouse/backend/store"
	"gatehouse/backend/users"
)

// Version is the application version shown in /api/status.
var Version = "0.1.0"

// Core is an opened data folder and the services over it.
type Core struct {
	Dir      string
	Store    *store.Store
	Authz    *authz.Authorizer
	Identity *identity.Service
	Users    *users.Service
	Roles    *roles.Service
	Audit    *audit.Service
	Log      *slog.Logger
	lock     *datadir.Lock
}

// Open takes dir (already resolved) for this process in the given mode and opens it.
func Open(ctx context.Context, dir, mode string, log *slog.Logger) (*Core, error) {
	lock, err := datadir.Acquire(dir, mode)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		lock.Release()
		return nil, err
	}
	c, err := Assemble(ctx, st, log, time.Now)
	if err != nil {
		st.Close()
		lock.Release()
		return nil, err
	}
	c.Dir, c.lock = dir, lock
	// Expired sessions are only removed when used; sweeping at start keeps the table small.
	if err := st.DeleteExpiredSessions(ctx, time.Now(), time.Now().Add(-identity.DefaultConfig.IdleTimeout)); err != nil {
		log.Warn("could not remove expired sessions", "err", err)
	}
	return c, nil
}

// Assemble builds the index and services over an open store; now is the clock (tests
// pass one they can move).
func Assemble(ctx context.Context, st *store.Store, log *slog.Logger, now func() time.Time) (*Core, error) {
	az, err := LoadAuthz(ctx, st)
	if err != nil {
		return nil, err
	}
	c := &Core{Store: st, Authz: az, Log: log}
	c.Identity = identity.New(st, az, identity.DefaultConfig, now, log)
	c.Users = users.New(st, az, now)
	c.Roles = roles.New(st, az, now)
	c.Audit = audit.New(st, az)
	return c, nil
}

// LoadAuthz builds the authorization index from the store.
func LoadAuthz(ctx context.Context, st *store.Store) (*authz.Authorizer, error) {
	roles, err := st.Roles(ctx)
	if err != nil {
		return nil, err
	}
	users, err := st.UserIndexRows(ctx)
	if err != nil {
		return nil, err
	}
	rd := make([]authz.RoleDef, len(roles))
	for i, r := range roles {
		rd[i] = RoleDef(r)
	}
	ud := make([]authz.UserDef, len(users))
	for i, u := range users {
		ud[i] = authz.UserDef{ID: u.ID, RoleID: u.RoleID, Active: u.Status == store.StatusActive}
	}
	return authz.New(rd, ud), nil
}

// RoleDef converts a stored role for the index.
func RoleDef(r *store.Role) authz.RoleDef {
	d := authz.RoleDef{ID: r.ID, Name: r.Name, Kind: authz.Kind(r.Kind), BuiltIn: r.BuiltIn}
	for _, g := range r.Grants {
		d.Grants = append(d.Grants, authz.Grant{Key: g.Key, Scope: authz.Scope(g.Scope)})
	}
	return d
}

// HandlerOptions says where the handler runs.
type HandlerOptions struct {
	InProcess    bool
	AllowedHosts []string
	Frontend     fs.FS
}

// Handler returns the API (and, in serve mode, the frontend) handler.
func (c *Core) Handler(o HandlerOptions) *httpapi.API {
	return httpapi.New(httpapi.Config{
		Identity: c.Identity, Users: c.Users, Roles: c.Roles, Audit: c.Audit, Authz: c.Authz, Log: c.Log, Version: Version,
		InProcess: o.InProcess, AllowedHosts: o.AllowedHosts, Frontend: o.Frontend,
	})
}

// Close releases everything.
func (c *Core) Close() error {
	err := c.Store.Close()
	if c.lock != nil {
		if lerr := c.lock.Release(); err == nil {
			err = lerr
		}
	}
	if err != nil {
		return fmt.Errorf("core: close: %w", err)
	}
	return nil
}
