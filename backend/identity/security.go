package identity

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Policy is Settings → Security as it is in force: the minimum password length, how long
// sessions live, the sign-in throttle's thresholds, and the roles whose holders must use
// a second factor. The service keeps the current one in memory, loaded at start and
// replaced in the same critical section as the commit that changes it, so every request
// reads the policy as it is (in force on the very next request) without a query.
type Policy struct {
	MinPasswordLength    int
	IdleTimeout          time.Duration
	SessionLifetime      time.Duration
	AccountThreshold     int
	AccountWideThreshold int
	AddressThreshold     int
	// TwoFactorRoles are the ids of the roles whose holders must sign in with a second
	// factor, sorted.
	TwoFactorRoles []string
	// ActivityRetentionDays is how long the activity log keeps an entry (0: for ever).
	ActivityRetentionDays int
}

// RequiresTwoFactor reports whether holders of roleID must use a second factor.
func (p *Policy) RequiresTwoFactor(roleID string) bool {
	_, ok := slices.BinarySearch(p.TwoFactorRoles, roleID)
	return ok
}

// The limits of each setting, as people are told them.
const (
	MinPasswordLengthLow, MinPasswordLengthHigh       = 8, 64
	IdleTimeoutMinutesLow, IdleTimeoutMinutesHigh     = 5, 7 * 24 * 60
	SessionLifetimeHoursLow, SessionLifetimeHoursHigh = 1, 90 * 24
	ThrottleAccountLow, ThrottleAccountHigh           = 3, 50
	ThrottleAccountWideLow, ThrottleAccountWideHigh   = 3, 500
	ThrottleAddressLow, ThrottleAddressHigh           = 5, 1000
	// The activity log is kept for ever (0) or this many days: at least a month, so a
	// slip of the keyboard cannot empty it.
	ActivityRetentionDaysLow, ActivityRetentionDaysHigh = 30, 3650
)

func policyOf(c *store.SecuritySettings) *Policy {
	roles := slices.Clone(c.TwoFactorRoles)
	slices.Sort(roles)
	return &Policy{MinPasswordLength: c.MinPasswordLength, IdleTimeout: time.Duration(c.IdleTimeoutMinutes) * time.Minute,
		SessionLifetime: time.Duration(c.SessionLifetimeHours) * time.Hour, AccountThreshold: c.ThrottleAccount,
		AccountWideThreshold: c.ThrottleAccountWide, AddressThreshold: c.ThrottleAddress, TwoFactorRoles: roles,
		ActivityRetentionDays: c.ActivityRetentionDays}
}

// Policy returns the security policy in force. Before LoadPolicy it is the defaults of
// the service's Config, which are those of a new data folder.
func (s *Service) Policy() *Policy {
	if p := s.pol.Load(); p != nil {
		return p
	}
	return &Policy{MinPasswordLength: MinPasswordChars, IdleTimeout: s.cfg.IdleTimeout, SessionLifetime: s.cfg.AbsoluteLifetime,
		AccountThreshold: s.cfg.AccountThreshold, AccountWideThreshold: s.cfg.AccountWideThreshold,
		AddressThreshold: s.cfg.AddressThreshold, TwoFactorRoles: []string{}}
}

// MinPasswordLength is the policy's minimum password length (for the users service).
func (s *Service) MinPasswordLength() int { return s.Policy().MinPasswordLength }

// LoadPolicy reads the security policy from the store (at start).
func (s *Service) LoadPolicy(ctx context.Context) error {
	c, err := s.store.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	s.pol.Store(policyOf(c))
	return nil
}

// RoleOption is a role the two-factor requirement can name.
type RoleOption struct {
	ID, Name, Kind string
}

// SecuritySettings is Settings → Security as people see it, with the roles to choose from.
type SecuritySettings struct {
	store.SecuritySettings
	Roles []RoleOption
}

// SecuritySettings returns Settings → Security to holders of settings.security.
func (s *Service) SecuritySettings(ctx context.Context, actor authz.Actor) (*SecuritySettings, error) {
	if err := s.authz.Check(actor, authz.SettingsSecurity, authz.Ref{}); err != nil {
		return nil, err
	}
	c, err := s.store.SecuritySettings(ctx)
	if err != nil {
		return nil, err
	}
	return s.securityView(ctx, s.store, c)
}

func (s *Service) securityView(ctx context.Context, st *store.Store, c *store.SecuritySettings) (*SecuritySettings, error) {
	rs, err := st.Roles(ctx)
	if err != nil {
		return nil, err
	}
	out := &SecuritySettings{SecuritySettings: *c, Roles: make([]RoleOption, len(rs))}
	for i, r := range rs {
		out.Roles[i] = RoleOption{ID: r.ID, Name: r.Name, Kind: r.Kind}
	}
	return out, nil
}

// SecurityRequest changes Settings → Security; nil fields stay as they are.
type SecurityRequest struct {
	MinPasswordLength    *int
	IdleTimeoutMinutes   *int
	SessionLifetimeHours *int
	ThrottleAccount      *int
	ThrottleAccountWide  *int
	ThrottleAddress      *int
	TwoFactorRoles       *[]string
	// ActivityRetentionDays: 0 keeps the activity log for ever.
	ActivityRetentionDays *int
}

// Patch checks req and applies it to c. roleName names an existing role (false when
// there is none).
func (req *SecurityRequest) Patch(c *store.SecuritySettings, roleName func(id string) (string, bool)) error {
	for _, f := range []struct {
		field   string
		v       *int
		dst     *int
		low, hi int
		limits  apperr.Text // says low and hi
	}{
		{"minPasswordLength", req.MinPasswordLength, &c.MinPasswordLength, MinPasswordLengthLow, MinPasswordLengthHigh,
			apperr.Textf("The minimum password length is from %d to %d characters.", MinPasswordLengthLow, MinPasswordLengthHigh)},
		{"idleTimeoutMinutes", req.IdleTimeoutMinutes, &c.IdleTimeoutMinutes, IdleTimeoutMinutesLow, IdleTimeoutMinutesHigh,
			apperr.Textf("The idle timeout is from %d minutes to %d minutes (7 days).", IdleTimeoutMinutesLow, IdleTimeoutMinutesHigh)},
		{"sessionLifetimeHours", req.SessionLifetimeHours, &c.SessionLifetimeHours, SessionLifetimeHoursLow, SessionLifetimeHoursHigh,
			apperr.Textf("The session lifetime is from %d hour to %d hours (90 days).", SessionLifetimeHoursLow, SessionLifetimeHoursHigh)},
		{"throttleAccount", req.ThrottleAccount, &c.ThrottleAccount, ThrottleAccountLow, ThrottleAccountHigh,
			apperr.Textf("Failures allowed on one account from one address: from %d to %d.", ThrottleAccountLow, ThrottleAccountHigh)},
		{"throttleAccountWide", req.ThrottleAccountWide, &c.ThrottleAccountWide, ThrottleAccountWideLow, ThrottleAccountWideHigh,
			apperr.Textf("Failures allowed on one account from unfamiliar addresses: from %d to %d.", ThrottleAccountWideLow, ThrottleAccountWideHigh)},
		{"throttleAddress", req.ThrottleAddress, &c.ThrottleAddress, ThrottleAddressLow, ThrottleAddressHigh,
			apperr.Textf("Failures allowed from one address on any accounts: from %d to %d.", ThrottleAddressLow, ThrottleAddressHigh)},
	} {
		if f.v == nil {
			continue
		}
		if *f.v < f.low || *f.v > f.hi {
			return apperr.Field(f.field, "%s", f.limits)
		}
		*f.dst = *f.v
	}
	if d := req.ActivityRetentionDays; d != nil {
		if *d != 0 && (*d < ActivityRetentionDaysLow || *d > ActivityRetentionDaysHigh) {
			return apperr.Field("activityRetentionDays", "Keep the activity log for ever, or from %d to %d days.",
				ActivityRetentionDaysLow, ActivityRetentionDaysHigh)
		}
		c.ActivityRetentionDays = *d
	}
	if c.IdleTimeoutMinutes > c.SessionLifetimeHours*60 {
		field := "idleTimeoutMinutes"
		if req.IdleTimeoutMinutes == nil {
			field = "sessionLifetimeHours"
		}
		return apperr.Field(field, "The idle timeout (%d minutes) cannot be longer than the session lifetime (%d hours).",
			c.IdleTimeoutMinutes, c.SessionLifetimeHours)
	}
	if req.TwoFactorRoles != nil {
		roles := []string{}
		for _, id := range *req.TwoFactorRoles {
			if _, ok := roleName(id); !ok {
				return apperr.Field("twoFactorRoles", "There is no role %q any more: choose among the roles that exist.", id)
			}
			if !slices.Contains(roles, id) {
				roles = append(roles, id)
			}
		}
		slices.Sort(roles)
		c.TwoFactorRoles = roles
	}
	return nil
}

// weakens reports whether going from a to b makes sign-in easier to abuse: shorter
// passwords, longer sessions, more guesses allowed, a role freed from two-factor sign-in;
// or the activity log kept for less time, which erases the trail of what was done.
func weakens(a, b *store.SecuritySettings) bool {
	if shortens(a.ActivityRetentionDays, b.ActivityRetentionDays) {
		return true
	}
	if b.MinPasswordLength < a.MinPasswordLength || b.IdleTimeoutMinutes > a.IdleTimeoutMinutes ||
		b.SessionLifetimeHours > a.SessionLifetimeHours || b.ThrottleAccount > a.ThrottleAccount ||
		b.ThrottleAccountWide > a.ThrottleAccountWide || b.ThrottleAddress > a.ThrottleAddress {
		return true
	}
	for _, id := range a.TwoFactorRoles {
		if !slices.Contains(b.TwoFactorRoles, id) {
			return true
		}
	}
	return false
}

// shortens reports whether a retention of b days keeps less than one of a (0: for ever).
func shortens(a, b int) bool { return b != 0 && (a == 0 || b < a) }

// UpdateSecuritySettings changes Settings → Security (settings.security). A change that
// weakens a policy also needs every permission of the Admin role: it makes every account
// easier to take over, the Admins' included. The change is decided and written under the
// index lock, audited with each setting from → to, and in force on the next request.
func (s *Service) UpdateSecuritySettings(ctx context.Context, actor authz.Actor, req SecurityRequest) (*SecuritySettings, error) {
	if err := s.authz.Check(actor, authz.SettingsSecurity, authz.Ref{}); err != nil {
		return nil, err
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*SecuritySettings, write.Effect, error) {
		was, err := tx.SecuritySettings(ctx)
		if err != nil {
			return nil, write.Effect{}, err
		}
		rs, err := tx.Roles(ctx)
		if err != nil {
			return nil, write.Effect{}, err
		}
		names := map[string]string{}
		for _, r := range rs {
			names[r.ID] = r.Name
		}
		roleName := func(id string) (string, bool) { n, ok := names[id]; return n, ok }
		c := *was
		c.TwoFactorRoles = slices.Clone(was.TwoFactorRoles)
		if err := req.Patch(&c, roleName); err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Check(actor, authz.SettingsSecurity, authz.Ref{}, authz.Change{Trust: weakens(was, &c)}); err != nil {
			return nil, write.Effect{}, err
		}
		named := func(ids []string) string {
			out := make([]string, 0, len(ids))
			for _, id := range ids {
				out = append(out, names[id])
			}
			return strings.Join(out, ", ")
		}
		num := strconv.Itoa
		details := audit.Changes(
			audit.Change{Field: "minPasswordLength", From: num(was.MinPasswordLength), To: num(c.MinPasswordLength)},
			audit.Change{Field: "idleTimeoutMinutes", From: num(was.IdleTimeoutMinutes), To: num(c.IdleTimeoutMinutes)},
			audit.Change{Field: "sessionLifetimeHours", From: num(was.SessionLifetimeHours), To: num(c.SessionLifetimeHours)},
			audit.Change{Field: "throttleAccount", From: num(was.ThrottleAccount), To: num(c.ThrottleAccount)},
			audit.Change{Field: "throttleAccountWide", From: num(was.ThrottleAccountWide), To: num(c.ThrottleAccountWide)},
			audit.Change{Field: "throttleAddress", From: num(was.ThrottleAddress), To: num(c.ThrottleAddress)},
			// 0 is "for ever".
			audit.Change{Field: "activityRetentionDays", From: num(was.ActivityRetentionDays), To: num(c.ActivityRetentionDays)},
		)
		if !slices.Equal(was.TwoFactorRoles, c.TwoFactorRoles) {
			// Compared by id, so a change between two roles of one name is still recorded.
			details["twoFactorRoles"] = map[string]string{"from": named(was.TwoFactorRoles), "to": named(c.TwoFactorRoles)}
		}
		view, err := s.securityView(ctx, tx, &c)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if len(details) == 0 {
			return view, write.Effect{}, nil
		}
		if err := tx.UpdateSecuritySettings(ctx, &c, s.now()); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return nil, write.Effect{}, apperr.Field("twoFactorRoles", "A role you chose was deleted meanwhile: choose again.")
			}
			return nil, write.Effect{}, err
		}
		if shortens(was.ActivityRetentionDays, c.ActivityRetentionDays) {
			// What the shorter retention leaves out goes at once, in this transaction: the
			// entry recording the change is written after it, so it is never among them.
			n, err := tx.DeleteAuditBefore(ctx, audit.Cutoff(s.now(), c.ActivityRetentionDays))
			if err != nil {
				return nil, write.Effect{}, err
			}
			if n > 0 {
				details["entriesRemoved"] = n
			}
		}
		pol := policyOf(&c)
		// The new policy is in force from the commit on: the index's critical section
		// is still held, so no request decided after the commit sees the old one.
		return view, write.Effect{Audit: []audit.Entry{{Action: "settings.security", TargetType: "settings",
			TargetName: "Security", Details: details}}, Index: func(*authz.Writer) { s.pol.Store(pol) }}, nil
	})
}
