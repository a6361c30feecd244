package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/companies"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
)

// Google is sign-in with Google (or any OpenID Connect provider at the configured
// issuer): Settings → Sign-in, the browser flow of `serve`, the loopback flow of the
// window (RFC 8252), and the identities linked to users.
//
// Every flow uses PKCE (S256), a state that is checked and used once, and a nonce that
// must come back in the ID token. go-oidc verifies the ID token's issuer, audience,
// expiry and signature; we check the nonce, email_verified and, when a domain is set,
// hd. Once linked, an account is found by issuer and subject, never by email alone.
type Google struct {
	id      *Service
	secrets secrets.Store
	ns      string // this data folder's keychain namespace
	client  *http.Client

	// settingsMu makes Settings → Sign-in updates one at a time (read, patch, write).
	settingsMu sync.Mutex

	mu        sync.Mutex
	pending   map[string]*pendingSignIn // by state
	results   map[string]*flowResult    // browser flow: one-time codes handed to the page
	desktop   map[string]*desktopFlow   // window flow: by flow id
	providers map[string]cachedProvider // discovery documents, by issuer
	// per client address class: how many pending sign-ins and results it holds
	pendingBy map[string]int
	resultsBy map[string]int
}

// FlowLifetime is how long a started sign-in may take (also the loopback listener's life).
const FlowLifetime = 5 * time.Minute

// resultLifetime is how long the page has to pick up a finished browser sign-in.
const resultLifetime = 2 * time.Minute

// Bounds on the sign-ins in progress and the outcomes waiting for their page, so that
// unauthenticated requests cannot fill memory. Each network (an IPv4 /24, an IPv6 /48)
// holds at most its own share: past it, that network's oldest entry makes room, so a
// flood only ever displaces its own network's sign-ins. At the global bound, the network
// holding the most gives up its oldest.
const (
	maxPending           = 5000
	maxPendingPerAddress = 60
	maxResults           = 5000
	maxResultsPerAddress = 60
)

type pendingSignIn struct {
	verifier    string // PKCE
	nonce       string
	redirectURI string
	binding     []byte // browser flow: SHA-256 of the value in the starting browser's cookie
	started     time.Time
	address     string
}

type flowResult struct {
	session *Session
	err     error
	at      time.Time
	// browser flow: SHA-256 of the starting browser's flow cookie; only that browser can
	// take the result, so a result code sent to someone else signs nobody in (login CSRF)
	binding []byte
	address string // address class that holds it
}

type cachedProvider struct {
	p  *oidc.Provider
	at time.Time
}

// NewGoogle returns the Google sign-in service over an identity service. secretNS tells
// this data folder's keychain entries apart (store.SecretNamespace).
func NewGoogle(id *Service, sec secrets.Store, secretNS string) *Google {
	return &Google{id: id, secrets: sec, ns: secretNS, client: &http.Client{Timeout: 15 * time.Second},
		pending: map[string]*pendingSignIn{}, results: map[string]*flowResult{}, desktop: map[string]*desktopFlow{},
		providers: map[string]cachedProvider{}, pendingBy: map[string]int{}, resultsBy: map[string]int{}}
}

func (g *Google) clientSecretKey() string { return g.ns + "/google-client-secret" }

// SecretsWarning is the secret store's warning for the UI ("" when secrets are in the
// keychain).
func (g *Google) SecretsWarning() apperr.Text { return g.secrets.Warning() }

// Configured reports whether Google sign-in is set up (for the sign-in screen). It reads
// the database only: the keychain is asked when someone actually signs in.
func (g *Google) Configured(ctx context.Context) (bool, error) {
	c, err := g.id.store.SignInSettings(ctx)
	if err != nil {
		return false, err
	}
	return c.GoogleClientID != "" && c.ClientSecretSet, nil
}

func randomString() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("identity: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func sha(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// Messages people see. None of them names a secret or an internal cause.
var (
	errNotConfigured = apperr.New(apperr.Conflict, "google_not_configured",
		"Sign-in with Google is not set up. An administrator can set it up in Settings → Sign-in.")
	errSecretMissing = apperr.New(apperr.Conflict, "google_secret_missing",
		"The Google client secret is not in the keychain any more. An administrator can enter it again in Settings → Sign-in.")
	errBadState = apperr.New(apperr.Unauthenticated, "google_state",
		"This Google sign-in is not valid any more: it was already used, it is more than five minutes old, or it was started in another browser. Start again with “Sign in with Google”.")
	errExchange = apperr.New(apperr.Unauthenticated, "google_exchange",
		"Google did not confirm this sign-in, so nobody was signed in. Start again with “Sign in with Google”.")
	errUnverifiedToken = apperr.New(apperr.Unauthenticated, "google_invalid_token",
		"Google's answer could not be verified, so nobody was signed in. Start again; if it keeps happening, an administrator should check Settings → Sign-in.")
	errEmailUnverified = apperr.New(apperr.Unauthenticated, "google_email_unverified",
		"Your Google account's email address is not verified. Verify it with Google, then sign in again.")
	errDeactivatedGoogle = apperr.New(apperr.Unauthenticated, "deactivated",
		"This account is deactivated. Ask an administrator to reactivate it.")
	errLinkingOff = apperr.New(apperr.Unauthenticated, "google_link_disabled",
		"A Gatehouse account with this email address exists, but it is not linked to this Google account and linking by email is turned off. Sign in with your password, or ask an administrator.")
	errAlreadyLinked = apperr.New(apperr.Unauthenticated, "google_other_identity",
		"The Gatehouse account with this email address is linked to a different Google account. Sign in with that one, or ask an administrator to unlink it.")
	errRegistrationsOff = apperr.New(apperr.Unauthenticated, "google_registrations_off",
		"There is no Gatehouse account for this Google account, and new registrations through Google are turned off. Ask an administrator to add you.")
	errTooMany = apperr.New(apperr.Throttled, "throttled",
		"Too many sign-ins are in progress. Try again in a few minutes.")
)

func errHostedDomain(domain string) error {
	return apperr.New(apperr.Unauthenticated, "google_hosted_domain", "Only Google accounts of %s can sign in here.", domain)
}

// config is everything one sign-in needs from the settings and the keychain.
type flowConfig struct {
	settings *store.SignInSettings
	oauth    *oauth2.Config
	provider *oidc.Provider
}

func (g *Google) httpContext(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, g.client)
}

func (g *Google) provider(ctx context.Context, issuer string) (*oidc.Provider, error) {
	g.mu.Lock()
	c, ok := g.providers[issuer]
	g.mu.Unlock()
	if ok && g.id.now().Sub(c.at) < time.Hour {
		return c.p, nil
	}
	p, err := oidc.NewProvider(g.httpContext(ctx), issuer)
	if err != nil {
		g.id.log.Warn("google sign-in: provider discovery failed", "issuer", issuer, "err", err)
		return nil, apperr.New(apperr.Unavailable, "google_unreachable",
			"Cannot reach the sign-in provider at %s. Check the internet connection (and the issuer in Settings → Sign-in), then try again.", issuer)
	}
	g.mu.Lock()
	g.providers[issuer] = cachedProvider{p: p, at: g.id.now()}
	g.mu.Unlock()
	return p, nil
}

func (g *Google) forgetProvider() {
	g.mu.Lock()
	clear(g.providers)
	g.mu.Unlock()
}

// load reads the settings and the client secret for a sign-in.
func (g *Google) load(ctx context.Context, redirectURI string) (*flowConfig, error) {
	c, err := g.id.store.SignInSettings(ctx)
	if err != nil {
		return nil, err
	}
	if c.GoogleClientID == "" || !c.ClientSecretSet {
		return nil, errNotConfigured
	}
	secret, err := g.secrets.Get(g.clientSecretKey())
	if errors.Is(err, secrets.ErrNotFound) {
		return nil, errSecretMissing
	}
	if err != nil {
		return nil, errKeychain(err)
	}
	p, err := g.provider(ctx, c.GoogleIssuer)
	if err != nil {
		return nil, err
	}
	return &flowConfig{settings: c, provider: p, oauth: &oauth2.Config{ClientID: c.GoogleClientID, ClientSecret: secret,
		Endpoint: p.Endpoint(), RedirectURL: redirectURI, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}}, nil
}

// begin registers a new sign-in and returns its state and the provider URL to open.
func (g *Google) begin(ctx context.Context, redirectURI string, binding []byte, address string) (string, string, error) {
	fc, err := g.load(ctx, redirectURI)
	if err != nil {
		return "", "", err
	}
	state, err := randomString()
	if err != nil {
		return "", "", err
	}
	nonce, err := randomString()
	if err != nil {
		return "", "", err
	}
	p := &pendingSignIn{verifier: oauth2.GenerateVerifier(), nonce: nonce, redirectURI: redirectURI, binding: binding,
		started: g.id.now(), address: address}
	class := networkClass(address)
	g.mu.Lock()
	g.sweepLocked()
	if g.pendingBy[class] >= maxPendingPerAddress {
		g.dropOldestPendingLocked(class)
	}
	if len(g.pending) >= maxPending {
		g.dropOldestPendingLocked(largest(g.pendingBy))
	}
	g.pending[state] = p
	g.pendingBy[class]++
	g.mu.Unlock()
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(p.verifier), oidc.Nonce(nonce),
		oauth2.SetAuthURLParam("prompt", "select_account")}
	if fc.settings.HostedDomain != "" {
		// A hint for Google's account chooser; the hd claim is what we check.
		opts = append(opts, oauth2.SetAuthURLParam("hd", fc.settings.HostedDomain))
	}
	return state, fc.oauth.AuthCodeURL(state, opts...), nil
}

// sweepLocked drops sign-ins and results past their lifetime.
func (g *Google) sweepLocked() {
	now := g.id.now()
	for k, p := range g.pending {
		if now.Sub(p.started) > FlowLifetime {
			g.dropPendingLocked(k, p)
		}
	}
	for k, r := range g.results {
		if now.Sub(r.at) > resultLifetime {
			g.dropResultLocked(k, r)
		}
	}
}

func (g *Google) dropPendingLocked(state string, p *pendingSignIn) {
	delete(g.pending, state)
	decrement(g.pendingBy, networkClass(p.address))
}

func (g *Google) dropOldestPendingLocked(class string) {
	oldest, op := "", (*pendingSignIn)(nil)
	for k, q := range g.pending {
		if networkClass(q.address) == class && (op == nil || q.started.Before(op.started)) {
			oldest, op = k, q
		}
	}
	if op != nil {
		g.dropPendingLocked(oldest, op)
	}
}

// largest is the key with the highest count.
func largest(m map[string]int) string {
	best, n := "", -1
	for k, c := range m {
		if c > n {
			best, n = k, c
		}
	}
	return best
}

func (g *Google) dropResultLocked(code string, r *flowResult) {
	delete(g.results, code)
	decrement(g.resultsBy, r.address)
}

func decrement(m map[string]int, k string) {
	if m[k] <= 1 {
		delete(m, k)
	} else {
		m[k]--
	}
}

// take removes and returns the sign-in with state (each state works once), checking the
// browser binding when the flow has one.
func (g *Google) take(state string, binding []byte) (*pendingSignIn, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweepLocked()
	p, ok := g.pending[state]
	if !ok || state == "" {
		return nil, errBadState
	}
	if p.binding != nil && subtle.ConstantTimeCompare(p.binding, binding) != 1 {
		// Someone else's callback URL opened in this browser (login CSRF): refuse, and
		// leave the real sign-in to its own browser.
		return nil, errBadState
	}
	g.dropPendingLocked(state, p)
	return p, nil
}

// googleClaims are the ID token claims we use besides those go-oidc checks.
type googleClaims struct {
	Email         string `json:"email"`
	EmailVerified any    `json:"email_verified"` // a bool, or "true" from some providers
	Name          string `json:"name"`
	HostedDomain  string `json:"hd"`
}

func (c googleClaims) verified() bool {
	switch v := c.EmailVerified.(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return false
}

// failure is a refused sign-in: what the person sees, and what the audit log records.
type failure struct {
	err    error
	reason string
	user   *store.User // the account concerned, when there is one
	email  string
}

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func refuse(err error, reason string) *failure { return &failure{err: err, reason: reason} }

// finish completes a sign-in after the provider returned to redirectURI: the code is
// exchanged (with the PKCE verifier), the ID token verified, and the account found,
// linked or created. Every refusal is audited and creates nothing.
func (g *Google) finish(ctx context.Context, p *pendingSignIn, code, providerError string) (*Session, error) {
	s, err := g.complete(ctx, p, code, providerError)
	if err != nil {
		var f *failure
		if !errors.As(err, &f) {
			return nil, err
		}
		e := &store.AuditEntry{At: g.id.now(), Action: "session.fail", TargetType: "user", TargetName: "(unknown account)",
			Address: p.address, Details: map[string]any{"method": "google", "reason": f.reason}}
		if f.email != "" {
			e.Details["email"] = f.email
		}
		if f.user != nil {
			e.Action, e.ActorID, e.ActorName = "session.refused", f.user.ID, f.user.Name
			e.TargetID, e.TargetName, e.TargetKind = f.user.ID, f.user.Name, f.user.RoleKind
		}
		if aerr := audit.Append(ctx, g.id.store, e); aerr != nil {
			g.id.log.Error("audit refused google sign-in", "err", aerr)
		}
		return nil, f.err
	}
	return s, nil
}

func (g *Google) complete(ctx context.Context, p *pendingSignIn, code, providerError string) (*Session, error) {
	if providerError != "" {
		refused := apperr.New(apperr.Unauthenticated, "google_refused", "Google sign-in was cancelled or refused, so nobody was signed in.")
		if providerError != "access_denied" {
			refused = apperr.New(apperr.Unauthenticated, "google_refused",
				"Google could not complete the sign-in, so nobody was signed in. Start again with “Sign in with Google”.")
		}
		if len(providerError) > 64 { // it comes from the query string: keep the log tidy
			providerError = providerError[:64]
		}
		return nil, refuse(refused, "provider: "+providerError)
	}
	if code == "" {
		return nil, refuse(errExchange, "no code")
	}
	fc, err := g.load(ctx, p.redirectURI)
	if err != nil {
		return nil, err
	}
	hctx := g.httpContext(ctx)
	tok, err := fc.oauth.Exchange(hctx, code, oauth2.VerifierOption(p.verifier))
	if err != nil {
		// The provider's answer may quote the request; log only its error code.
		reason := "exchange failed"
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode != "" {
			reason += ": " + re.ErrorCode
		}
		g.id.log.Warn("google sign-in: code exchange failed", "reason", reason)
		return nil, refuse(errExchange, reason)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, refuse(errUnverifiedToken, "no id_token")
	}
	verifier := fc.provider.VerifierContext(hctx, &oidc.Config{ClientID: fc.settings.GoogleClientID, Now: g.id.now})
	idt, err := verifier.Verify(hctx, raw)
	if err != nil {
		g.id.log.Warn("google sign-in: ID token rejected", "err", err)
		return nil, refuse(errUnverifiedToken, "id token: "+verifyReason(err))
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.nonce)) != 1 {
		return nil, refuse(errUnverifiedToken, "id token: nonce mismatch")
	}
	var claims googleClaims
	if err := idt.Claims(&claims); err != nil {
		return nil, refuse(errUnverifiedToken, "id token: unreadable claims")
	}
	if !claims.verified() {
		return nil, &failure{err: errEmailUnverified, reason: "email not verified", email: claims.Email}
	}
	if hd := fc.settings.HostedDomain; hd != "" && !strings.EqualFold(claims.HostedDomain, hd) {
		return nil, &failure{err: errHostedDomain(hd), reason: "hosted domain mismatch", email: claims.Email}
	}
	return g.signIn(ctx, fc.settings, idt.Issuer, idt.Subject, claims, p.address)
}

// verifyReason names what go-oidc refused, without the token.
func verifyReason(err error) string {
	var expired *oidc.TokenExpiredError
	switch msg := err.Error(); {
	case errors.As(err, &expired):
		return "expired"
	case strings.Contains(msg, "issued by a different provider"):
		return "wrong issuer"
	case strings.Contains(msg, "expected audience"):
		return "wrong audience"
	case strings.Contains(msg, "signature") || strings.Contains(msg, "malformed jwt") || strings.Contains(msg, "unsupported"):
		return "bad signature"
	}
	return "invalid"
}

// signIn finds, links or creates the account for a verified Google identity and opens a
// session, all in one transaction.
func (g *Google) signIn(ctx context.Context, cfg *store.SignInSettings, issuer, subject string, claims googleClaims, address string) (*Session, error) {
	st := g.id.store
	now := g.id.now()
	ident, err := st.IdentityBySubject(ctx, issuer, subject)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if ident != nil {
		u, err := st.User(ctx, ident.UserID)
		if err != nil {
			return nil, err
		}
		if u.Status != store.StatusActive {
			return nil, &failure{err: errDeactivatedGoogle, reason: "deactivated", user: u}
		}
		return g.open(ctx, u, address, func(tx *store.Store) error { return tx.TouchIdentity(ctx, ident.ID, now) })
	}

	email, err := CheckEmail("email", claims.Email)
	if err != nil {
		return nil, refuse(apperr.New(apperr.Unauthenticated, "google_email",
			"Google did not give a usable email address for this account, so Gatehouse cannot sign it in."), "unusable email")
	}
	u, err := st.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	newIdentity := &store.Identity{ID: uuid.NewString(), Provider: "google", Issuer: issuer, Subject: subject, Email: email, CreatedAt: now}
	if u != nil {
		switch {
		case u.Status != store.StatusActive:
			return nil, &failure{err: errDeactivatedGoogle, reason: "deactivated", user: u}
		case !cfg.LinkByEmail:
			return nil, &failure{err: errLinkingOff, reason: "linking by email is off", user: u}
		}
		newIdentity.UserID, newIdentity.LinkedVia = u.ID, "email"
		return g.open(ctx, u, address, func(tx *store.Store) error {
			if err := tx.CreateIdentity(ctx, newIdentity); err != nil {
				if errors.Is(err, store.ErrConflict) {
					return &failure{err: errAlreadyLinked, reason: "account linked to another identity", user: u}
				}
				return err
			}
			return audit.Append(ctx, tx, &store.AuditEntry{At: now, ActorID: u.ID, ActorName: u.Name, Action: "identity.link",
				TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind, Address: address,
				Details: map[string]any{"provider": "google", "email": email, "via": "email"}})
		})
	}

	if !cfg.AllowRegistrations {
		return nil, &failure{err: errRegistrationsOff, reason: "registrations off", email: email}
	}
	return g.register(ctx, cfg, newIdentity, claims, address)
}

// register creates a user with the configured client role for a new Google identity.
func (g *Google) register(ctx context.Context, cfg *store.SignInSettings, ident *store.Identity, claims googleClaims, address string) (*Session, error) {
	now := g.id.now()
	name, err := CheckName("name", claims.Name)
	if err != nil {
		name = ident.Email[:strings.LastIndex(ident.Email, "@")]
	}
	u := &store.User{ID: uuid.NewString(), Name: name, Email: ident.Email, Status: store.StatusActive, CreatedAt: now, UpdatedAt: now}
	// No password: the account signs in with Google until an administrator sets one.
	ident.UserID, ident.LinkedVia = u.ID, "registration"
	var session *Session
	var place func(*authz.Writer)
	err = g.id.authz.Update(func(w *authz.Writer) error {
		// The role as it is now, under the lock: strangers never get a team role, so if the
		// chosen one was made a team role (or deleted) since, they get the built-in Client.
		roleID := cfg.DefaultRoleID
		if k, ok := w.RoleKind(roleID); !ok || k != authz.KindClient {
			g.id.log.Warn("google sign-in: the role for new users is not a client role; using Client", "roleId", roleID)
			roleID = authz.RoleClient
		}
		role, err := g.id.store.Role(ctx, roleID)
		if err != nil {
			return err
		}
		u.RoleID, u.RoleName, u.RoleKind = role.ID, role.Name, role.Kind
		session, err = g.open(ctx, u, address, func(tx *store.Store) error {
			if err := tx.CreateUser(ctx, u); err != nil {
				if errors.Is(err, store.ErrConflict) {
					// Someone took the email between our lookup and now: start again.
					return refuse(errExchange, "email taken meanwhile")
				}
				return err
			}
			if err := tx.CreateIdentity(ctx, ident); err != nil {
				return err
			}
			// A portal account belongs to a client company: a new one, named after them.
			if place, err = companies.Place(ctx, w, tx, authz.Actor{UserID: u.ID}, u, "", now); err != nil {
				return err
			}
			return audit.Append(ctx, tx, &store.AuditEntry{At: now, ActorID: u.ID, ActorName: name, Action: "user.create",
				TargetType: "user", TargetID: u.ID, TargetName: name, TargetKind: u.RoleKind, Address: address,
				Details: map[string]any{"email": u.Email, "role": u.RoleName, "via": "google"}})
		})
		if err != nil {
			return err
		}
		w.PutUser(u.ID, u.RoleID, true)
		place(w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return session, nil
}

// open runs before (linking, creating, touching the identity) and opens a session for u,
// in one transaction.
func (g *Google) open(ctx context.Context, u *store.User, address string, before func(tx *store.Store) error) (*Session, error) {
	now := g.id.now()
	var token string
	err := g.id.store.RunInTx(ctx, func(tx *store.Store) error {
		if err := before(tx); err != nil {
			return err
		}
		var err error
		if token, err = openSession(ctx, tx, u.ID, now, g.id.Policy().SessionLifetime, store.MethodGoogle); err != nil {
			return err
		}
		if err := tx.TouchUserSignIn(ctx, u.ID, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &store.AuditEntry{At: now, ActorID: u.ID, ActorName: u.Name, Action: "session.create",
			TargetType: "user", TargetID: u.ID, TargetName: u.Name, TargetKind: u.RoleKind, Address: address,
			Details: map[string]any{"method": "google"}})
	})
	if err != nil {
		return nil, err
	}
	out, err := g.id.store.User(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return &Session{Token: token, User: out}, nil
}
