package identity

import (
	"context"
	"net"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
)

// GoogleIssuer is Google's OpenID Connect issuer, the default of Settings → Sign-in.
const GoogleIssuer = "https://accounts.google.com"

// SignInSettings is Settings → Sign-in as people see it: the client secret itself is
// never part of it, only whether one is stored.
type SignInSettings struct {
	GoogleClientID        string
	GoogleClientSecretSet bool
	GoogleIssuer          string
	HostedDomain          string
	AllowRegistrations    bool
	LinkByEmail           bool
	DefaultRoleID         string
}

// SignInSettingsRequest changes Settings → Sign-in; nil fields stay as they are. An
// empty GoogleClientSecret keeps the stored secret; an empty GoogleClientID turns Google
// sign-in off and removes the secret from the keychain.
type SignInSettingsRequest struct {
	GoogleClientID     *string
	GoogleClientSecret *string
	GoogleIssuer       *string
	HostedDomain       *string
	AllowRegistrations *bool
	LinkByEmail        *bool
	DefaultRoleID      *string
}

func settingsView(c *store.SignInSettings) *SignInSettings {
	return &SignInSettings{GoogleClientID: c.GoogleClientID, GoogleClientSecretSet: c.ClientSecretSet, GoogleIssuer: c.GoogleIssuer,
		HostedDomain: c.HostedDomain, AllowRegistrations: c.AllowRegistrations, LinkByEmail: c.LinkByEmail, DefaultRoleID: c.DefaultRoleID}
}

// errKeychain turns a secrets error into what a person can act on: 503 with advice when
// the keychain cannot be reached (never "missing"), the error itself otherwise.
func errKeychain(err error) error { return secrets.Explain(err) }

// Settings returns Settings → Sign-in to holders of settings.integrations.
func (g *Google) Settings(ctx context.Context, actor authz.Actor) (*SignInSettings, error) {
	if err := g.id.authz.Check(actor, authz.SettingsIntegrations, authz.Ref{}); err != nil {
		return nil, err
	}
	c, err := g.id.store.SignInSettings(ctx)
	if err != nil {
		return nil, err
	}
	return settingsView(c), nil
}

var domainName = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$`)

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) })
}

// checkIssuer accepts an https URL, or http on the loopback interface (a local test
// provider); the issuer is compared exactly with the provider's, so it is kept as typed.
func checkIssuer(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return GoogleIssuer, nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || hasControl(s) || len(s) > 500 {
		return "", apperr.Field("googleIssuer", "Enter the issuer as a URL, like %s.", GoogleIssuer)
	}
	switch u.Scheme {
	case "https":
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); (ip == nil || !ip.IsLoopback()) && host != "localhost" {
			return "", apperr.Field("googleIssuer", "The issuer must use https (plain http only on this computer, for tests).")
		}
	default:
		return "", apperr.Field("googleIssuer", "Enter the issuer as a URL, like %s.", GoogleIssuer)
	}
	return s, nil
}

// UpdateSettings changes Settings → Sign-in. The client secret goes to the keychain
// first; when the keychain is unavailable nothing is changed and the answer says so.
// Updates are one at a time, each on the settings as they are, so two concurrent changes
// of different fields both take effect.
func (g *Google) UpdateSettings(ctx context.Context, actor authz.Actor, req SignInSettingsRequest) (*SignInSettings, error) {
	if err := g.id.authz.Check(actor, authz.SettingsIntegrations, authz.Ref{}); err != nil {
		return nil, err
	}
	if req.GoogleClientID != nil || req.GoogleClientSecret != nil || req.GoogleIssuer != nil || req.LinkByEmail != nil {
		if err := g.id.authz.Check(actor, authz.SettingsIntegrations, authz.Ref{}, authz.Change{Trust: true}); err != nil {
			return nil, err
		}
	}
	g.settingsMu.Lock()
	defer g.settingsMu.Unlock()
	old, err := g.id.store.SignInSettings(ctx)
	if err != nil {
		return nil, err
	}
	c := *old
	changed := []string{}
	if req.GoogleClientID != nil {
		id := strings.TrimSpace(*req.GoogleClientID)
		if len(id) > 500 || strings.ContainsFunc(id, unicode.IsSpace) || hasControl(id) {
			return nil, apperr.Field("googleClientId", "The client ID is one word without spaces, like 1234-abc.apps.googleusercontent.com.")
		}
		if id != c.GoogleClientID {
			changed = append(changed, "googleClientId")
		}
		c.GoogleClientID = id
	}
	secret := ""
	if req.GoogleClientSecret != nil {
		secret = *req.GoogleClientSecret
		if len(secret) > 500 || strings.ContainsFunc(secret, unicode.IsSpace) || hasControl(secret) {
			// The message never repeats the value.
			return nil, apperr.Field("googleClientSecret", "The client secret is one word without spaces; paste it again from the Google Cloud console.")
		}
	}
	if req.GoogleIssuer != nil {
		iss, err := checkIssuer(*req.GoogleIssuer)
		if err != nil {
			return nil, err
		}
		if iss != c.GoogleIssuer {
			changed = append(changed, "googleIssuer")
		}
		c.GoogleIssuer = iss
	}
	if req.HostedDomain != nil {
		hd := strings.ToLower(strings.TrimSpace(*req.HostedDomain))
		if hd != "" && (len(hd) > 253 || !domainName.MatchString(hd)) {
			return nil, apperr.Field("hostedDomain", "Enter a domain name like example.com, or leave it empty to allow any Google account.")
		}
		if hd != c.HostedDomain {
			changed = append(changed, "hostedDomain")
		}
		c.HostedDomain = hd
	}
	if req.AllowRegistrations != nil && *req.AllowRegistrations != c.AllowRegistrations {
		c.AllowRegistrations = *req.AllowRegistrations
		changed = append(changed, "allowRegistrations")
	}
	if req.LinkByEmail != nil && *req.LinkByEmail != c.LinkByEmail {
		c.LinkByEmail = *req.LinkByEmail
		changed = append(changed, "linkByEmail")
	}
	if req.DefaultRoleID != nil && *req.DefaultRoleID != c.DefaultRoleID {
		// Whoever sets this role hands it to strangers: a client role they could give.
		id := strings.TrimSpace(*req.DefaultRoleID)
		if err := g.id.authz.Check(actor, authz.SettingsIntegrations, authz.RoleRef(id)); err != nil {
			return nil, err
		}
		c.DefaultRoleID = id
		changed = append(changed, "defaultRoleId")
	}
	switch {
	case c.GoogleClientID == "":
		// Off: the secret has no use any more.
		if c.ClientSecretSet || secret != "" {
			if err := g.secrets.Delete(g.clientSecretKey()); err != nil {
				return nil, errKeychain(err)
			}
			changed = append(changed, "googleClientSecret")
		}
		c.ClientSecretSet = false
	case secret != "":
		if err := g.secrets.Set(g.clientSecretKey(), secret); err != nil {
			return nil, errKeychain(err)
		}
		c.ClientSecretSet = true
		changed = append(changed, "googleClientSecret")
	case !c.ClientSecretSet:
		return nil, apperr.Field("googleClientSecret", "Enter the client secret that goes with this client ID.")
	}
	if len(changed) == 0 {
		return settingsView(old), nil
	}
	err = g.id.store.RunInTx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateSignInSettings(ctx, &c, g.id.now()); err != nil {
			return err
		}
		var actorName string
		if u, err := tx.User(ctx, actor.UserID); err == nil {
			actorName = u.Name
		}
		// Which fields changed, never their values (the secret above all).
		return audit.Append(ctx, tx, &store.AuditEntry{At: g.id.now(), ActorID: actor.UserID, ActorName: actorName,
			Action: "settings.sign_in", TargetType: "settings", TargetName: "Sign-in", Details: map[string]any{"changed": changed}})
	})
	if err != nil {
		return nil, err
	}
	g.forgetProvider()
	return settingsView(&c), nil
}
