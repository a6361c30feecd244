// Package oidcprovider is a small but real OpenID Connect provider for tests: discovery,
// JWKS, an authorization endpoint (PKCE S256 required) and a token endpoint that signs
// RS256 ID tokens, on 127.0.0.1. It stands in for Google, so sign-in tests run offline
// against real HTTP, real JWTs and real signatures. Switches in Misbehave make it answer
// the ways a broken or hostile provider would.
//
// It is test support: never wire it into the application.
package oidcprovider

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Account is who signs in at the provider.
type Account struct {
	Subject       string // default: derived from Email
	Email         string
	Name          string
	EmailVerified bool
	HostedDomain  string // the hd claim (Google Workspace domain); empty: none
}

// Misbehave makes the provider issue ID tokens that a relying party must refuse.
type Misbehave struct {
	Issuer           string        // iss claim instead of the provider's own
	Audience         string        // aud claim instead of the client ID
	ExpiresIn        time.Duration // lifetime of the ID token (default one hour; negative: already expired)
	SignWithOtherKey bool          // a valid-looking signature by a key not in the JWKS
	AlgNone          bool          // an unsigned token with "alg": "none"
	Nonce            string        // nonce claim instead of the one asked for
	DropVerifier     bool          // the token endpoint acts as if code_verifier never arrived
}

// Server is the provider. Set ClientID and ClientSecret, then Start.
type Server struct {
	ClientID     string
	ClientSecret string
	// AutoApprove signs Next in at once (Go tests); otherwise /authorize shows a form where
	// a person (the browser test) types an email address and a name.
	AutoApprove bool
	Now         func() time.Time

	mu        sync.Mutex
	next      Account
	misbehave Misbehave
	key       *rsa.PrivateKey
	otherKey  *rsa.PrivateKey
	keyID     string
	codes     map[string]*grant
	srv       *http.Server
	url       string
	// Requests records what the relying party sent, for assertions.
	authorizeRequests []url.Values
	tokenRequests     []url.Values
	issued            []string // codes, access tokens and ID tokens handed out
}

type grant struct {
	clientID      string
	redirectURI   string
	challenge     string
	nonce         string
	account       Account
	issued        time.Time
	used          bool
	dropsVerifier bool
}

// Start listens on 127.0.0.1 (addr "" picks a free port) and serves until Close.
func (s *Server) Start(addr string) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var err error
	if s.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return err
	}
	if s.otherKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		return err
	}
	s.keyID = "test-key-1"
	s.codes = map[string]*grant{}
	if s.Now == nil {
		s.Now = time.Now
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.url = "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", s.discovery)
	mux.HandleFunc("GET /jwks", s.jwks)
	mux.HandleFunc("GET /authorize", s.authorize)
	mux.HandleFunc("POST /authorize", s.approve)
	mux.HandleFunc("POST /token", s.token)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return nil
}

// URL is the issuer.
func (s *Server) URL() string { return s.url }

// Close stops the provider.
func (s *Server) Close() error { return s.srv.Close() }

// SignInAs sets the account the next automatic sign-in uses.
func (s *Server) SignInAs(a Account) {
	s.mu.Lock()
	s.next = a
	s.mu.Unlock()
}

// SetMisbehave sets how the following ID tokens are broken (the zero value: not at all).
func (s *Server) SetMisbehave(m Misbehave) {
	s.mu.Lock()
	s.misbehave = m
	s.mu.Unlock()
}

// AuthorizeRequests returns the query of every authorization request so far.
func (s *Server) AuthorizeRequests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.authorizeRequests...)
}

// Issued returns every code, access token and ID token the provider handed out (for
// tests that look for them where they must not be).
func (s *Server) Issued() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// TokenRequests returns the form of every token request so far (client secrets removed).
func (s *Server) TokenRequests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.tokenRequests...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) discovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{
		"issuer":                                s.url,
		"authorization_endpoint":                s.url + "/authorize",
		"token_endpoint":                        s.url + "/token",
		"jwks_uri":                              s.url + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported":                      []string{"openid", "email", "profile"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":      []string{"S256"},
		"claims_supported":                      []string{"iss", "aud", "sub", "exp", "iat", "nonce", "email", "email_verified", "name", "hd"},
	})
}

func (s *Server) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &s.key.PublicKey, KeyID: s.keyID, Algorithm: "RS256", Use: "sig"}}})
}

// redirectError sends the browser back to the client with an OAuth error.
func redirectError(w http.ResponseWriter, r *http.Request, redirectURI, state, code string) {
	u, _ := url.Parse(redirectURI)
	q := u.Query()
	q.Set("error", code)
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// checkAuthorize validates an authorization request as a strict provider does.
func (s *Server) checkAuthorize(q url.Values) (errCode string, fatal bool) {
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("client_id") != s.ClientID:
		return "unauthorized_client", true
	case err != nil || !redirect.IsAbs():
		return "invalid_request", true
	case q.Get("response_type") != "code":
		return "unsupported_response_type", false
	case !strings.Contains(" "+q.Get("scope")+" ", " openid "):
		return "invalid_scope", false
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		return "invalid_request", false // PKCE with S256 is required here
	case q.Get("state") == "" || q.Get("nonce") == "":
		return "invalid_request", false
	}
	return "", false
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.authorizeRequests = append(s.authorizeRequests, q)
	s.mu.Unlock()
	if code, fatal := s.checkAuthorize(q); code != "" {
		if fatal {
			http.Error(w, "bad authorization request: "+code, http.StatusBadRequest)
			return
		}
		redirectError(w, r, q.Get("redirect_uri"), q.Get("state"), code)
		return
	}
	if s.AutoApprove {
		s.mu.Lock()
		a := s.next
		s.mu.Unlock()
		s.issueCode(w, r, q, a)
		return
	}
	var hidden strings.Builder
	for k, vs := range q {
		for _, v := range vs {
			fmt.Fprintf(&hidden, `<input type="hidden" name="%s" value="%s">`, html.EscapeString(k), html.EscapeString(v))
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><meta charset="utf-8"><title>Test sign-in provider</title>
<h1>Choose an account</h1><p>to continue to Gatehouse (test OpenID Connect provider)</p>
<form method="post" action="/authorize">%s
<label>Email <input name="login_email" type="email" required></label>
<label>Name <input name="login_name"></label>
<button type="submit">Continue</button></form>`, hidden.String())
}

// approve is the form's answer: the person typed who they are.
func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	q := r.PostForm
	if code, fatal := s.checkAuthorize(q); code != "" {
		if fatal {
			http.Error(w, "bad authorization request: "+code, http.StatusBadRequest)
			return
		}
		redirectError(w, r, q.Get("redirect_uri"), q.Get("state"), code)
		return
	}
	email := strings.TrimSpace(q.Get("login_email"))
	if email == "" {
		http.Error(w, "enter an email address", http.StatusBadRequest)
		return
	}
	s.issueCode(w, r, q, Account{Email: email, Name: strings.TrimSpace(q.Get("login_name")), EmailVerified: true})
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) issueCode(w http.ResponseWriter, r *http.Request, q url.Values, a Account) {
	if a.Subject == "" {
		h := sha256.Sum256([]byte(strings.ToLower(a.Email)))
		a.Subject = "1" + hex.EncodeToString(h[:10])
	}
	code := randomHex(16)
	s.mu.Lock()
	s.issued = append(s.issued, code)
	s.codes[code] = &grant{clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge"),
		nonce: q.Get("nonce"), account: a, issued: s.Now(), dropsVerifier: s.misbehave.DropVerifier}
	s.mu.Unlock()
	u, _ := url.Parse(q.Get("redirect_uri"))
	v := u.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func tokenError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, 400, "invalid_request", "unreadable form")
		return
	}
	f := r.PostForm
	clientID, secret, basic := r.BasicAuth()
	if basic {
		clientID, _ = url.QueryUnescape(clientID)
		secret, _ = url.QueryUnescape(secret)
	} else {
		clientID, secret = f.Get("client_id"), f.Get("client_secret")
	}
	logged := url.Values{}
	for k, v := range f {
		if k != "client_secret" {
			logged[k] = v
		}
	}
	s.mu.Lock()
	s.tokenRequests = append(s.tokenRequests, logged)
	g := s.codes[f.Get("code")]
	var reused bool
	if g != nil {
		reused = g.used
		g.used = true
	}
	m := s.misbehave
	s.mu.Unlock()

	switch {
	case clientID != s.ClientID || secret != s.ClientSecret:
		tokenError(w, 401, "invalid_client", "unknown client or wrong secret")
		return
	case f.Get("grant_type") != "authorization_code":
		tokenError(w, 400, "unsupported_grant_type", "only authorization_code")
		return
	case g == nil || reused:
		tokenError(w, 400, "invalid_grant", "unknown or already used code")
		return
	case g.clientID != clientID || g.redirectURI != f.Get("redirect_uri"):
		tokenError(w, 400, "invalid_grant", "code issued to another client or redirect URI")
		return
	case s.Now().Sub(g.issued) > time.Minute:
		tokenError(w, 400, "invalid_grant", "code expired")
		return
	}
	verifier := f.Get("code_verifier")
	if g.dropsVerifier {
		verifier = ""
	}
	sum := sha256.Sum256([]byte(verifier))
	if verifier == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		tokenError(w, 400, "invalid_grant", "PKCE verification failed")
		return
	}
	idToken, err := s.idToken(g, m)
	if err != nil {
		tokenError(w, 500, "server_error", err.Error())
		return
	}
	access := randomHex(16)
	s.mu.Lock()
	s.issued = append(s.issued, access, idToken)
	s.mu.Unlock()
	writeJSON(w, 200, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600, "id_token": idToken})
}

func (s *Server) idToken(g *grant, m Misbehave) (string, error) {
	now := s.Now()
	life := time.Hour
	if m.ExpiresIn != 0 {
		life = m.ExpiresIn
	}
	claims := map[string]any{
		"iss": s.url, "aud": g.clientID, "sub": g.account.Subject, "iat": now.Add(-time.Second).Unix(), "exp": now.Add(life).Unix(),
		"nonce": g.nonce, "email": g.account.Email, "email_verified": g.account.EmailVerified, "azp": g.clientID,
	}
	if g.account.Name != "" {
		claims["name"] = g.account.Name
	}
	if g.account.HostedDomain != "" {
		claims["hd"] = g.account.HostedDomain
	}
	if m.Issuer != "" {
		claims["iss"] = m.Issuer
	}
	if m.Audience != "" {
		claims["aud"], claims["azp"] = m.Audience, m.Audience
	}
	if m.Nonce != "" {
		claims["nonce"] = m.Nonce
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	if m.AlgNone {
		enc := base64.RawURLEncoding
		return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + ".", nil
	}
	key := s.key
	if m.SignWithOtherKey {
		key = s.otherKey // same kid, wrong key: the signature cannot verify
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", s.keyID))
	if err != nil {
		return "", err
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}
