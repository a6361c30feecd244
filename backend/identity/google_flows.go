package identity

// This file is the one place a service imports net/http, on purpose: the desktop sign-in
// of RFC 8252 is itself a short-lived HTTP listener on 127.0.0.1 that receives the
// provider's redirect, and it belongs to the sign-in it serves, not to the API handler.

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"gatehouse/backend/apperr"
)

// ---- browser flow (serve) --------------------------------------------------------------

// NewFlowBinding returns a fresh value for the short-lived cookie that ties a browser
// sign-in (its callback and its outcome) to the browser that started it.
func NewFlowBinding() (string, error) { return randomString() }

// StartBrowser begins a sign-in whose provider returns to redirectURI (this server's
// /api/auth/google/callback), for the browser holding binding. It returns the provider URL
// to send the browser to.
func (g *Google) StartBrowser(ctx context.Context, redirectURI, binding, address string) (string, error) {
	_, authURL, err := g.begin(ctx, redirectURI, sha(binding), address)
	return authURL, err
}

// CallbackBrowser finishes a browser sign-in and returns a one-time code under which the
// page picks up the outcome (a session, or the reason there is none) with TakeResult.
// The session token itself never travels in a URL, and the code works only in the browser
// holding binding (the flow cookie), from which the callback came.
func (g *Google) CallbackBrowser(ctx context.Context, state, code, providerError, binding, address string) (string, error) {
	p, err := g.take(state, sha(binding))
	if err != nil {
		// No sign-in of this browser is waiting for it: nothing is kept (so junk
		// callbacks cost no memory); the page is told the state is not valid.
		return badStateResult, nil
	}
	r := flowResult{binding: sha(binding), address: networkClass(address)}
	r.session, r.err = g.finish(ctx, p, code, providerError)
	return g.storeResult(r)
}

// badStateResult is the result code of a callback that matched no sign-in in progress.
// It is not a random code, so it is never stored and always answers errBadState.
const badStateResult = "invalid-state"

// StoreFailure keeps err (a browser sign-in that could not even start) under a one-time
// code for the browser holding binding, so the page shows it the same way as any other
// outcome.
func (g *Google) StoreFailure(err error, binding, address string) (string, error) {
	return g.storeResult(flowResult{err: err, binding: sha(binding), address: networkClass(address)})
}

func (g *Google) storeResult(r flowResult) (string, error) {
	if r.err != nil && !isShown(r.err) {
		// An internal failure: logged here, shown as a generic message by the page.
		g.id.log.Error("google sign-in failed", "err", r.err)
	}
	key, err := randomString()
	if err != nil {
		return "", err
	}
	r.at = g.id.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweepLocked()
	if g.resultsBy[r.address] >= maxResultsPerAddress {
		g.dropOldestResultLocked(r.address)
	}
	if len(g.results) >= maxResults {
		g.dropOldestResultLocked(largest(g.resultsBy))
	}
	g.results[key] = &r
	g.resultsBy[r.address]++
	return key, nil
}

func (g *Google) dropOldestResultLocked(class string) {
	oldest, or := "", (*flowResult)(nil)
	for k, q := range g.results {
		if q.address == class && (or == nil || q.at.Before(or.at)) {
			oldest, or = k, q
		}
	}
	if or != nil {
		g.dropResultLocked(oldest, or)
	}
}

func isShown(err error) bool {
	_, ok := apperr.As(err)
	return ok
}

var errResultGone = apperr.New(apperr.Unauthenticated, "google_result_gone",
	"This Google sign-in has already been completed or has expired. Start again with “Sign in with Google”.")

// TakeResult returns (once) the outcome stored under a one-time code, to the browser
// holding the flow cookie it was stored for.
func (g *Google) TakeResult(code, binding string) (*Session, error) {
	if code == badStateResult {
		return nil, errBadState
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sweepLocked()
	r, ok := g.results[code]
	if !ok || subtle.ConstantTimeCompare(r.binding, sha(binding)) != 1 {
		// Someone else's result code (login CSRF) is as unknown as a spent one; it stays
		// for the browser it belongs to.
		return nil, errResultGone
	}
	g.dropResultLocked(code, r)
	return r.session, r.err
}

// ---- desktop flow (the window, RFC 8252) ------------------------------------------------

// desktopFlow is a sign-in of the window: a loopback listener on 127.0.0.1 with a random
// port that exists for this sign-in only, until one callback or FlowLifetime.
type desktopFlow struct {
	state   string
	expires time.Time
	srv     *http.Server
	once    sync.Once
	done    bool
	result  flowResult
}

// DesktopStart is a started window sign-in.
type DesktopStart struct {
	ID        string
	ExpiresAt time.Time
}

// maxDesktop bounds window sign-ins in progress (each holds a port).
const maxDesktop = 5

// StartDesktop begins a window sign-in: it opens a loopback listener, then the system
// browser (openBrowser) on the provider's page. The window polls DesktopResult.
func (g *Google) StartDesktop(ctx context.Context, openBrowser func(url string) error) (*DesktopStart, error) {
	if openBrowser == nil {
		return nil, apperr.NotFoundf("Signing in with Google this way is only available in the Gatehouse window.")
	}
	g.mu.Lock()
	n := len(g.desktop)
	g.mu.Unlock()
	if n >= maxDesktop {
		return nil, errTooMany
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("identity: loopback listener: %w", err)
	}
	redirectURI := "http://127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) + "/"
	state, authURL, err := g.begin(ctx, redirectURI, nil, "local window")
	if err != nil {
		ln.Close()
		return nil, err
	}
	id, err := randomString()
	if err != nil {
		ln.Close()
		return nil, err
	}
	f := &desktopFlow{state: state, expires: g.id.now().Add(FlowLifetime)}
	f.srv = &http.Server{Handler: g.loopbackHandler(id, f), ReadHeaderTimeout: 10 * time.Second}
	g.mu.Lock()
	g.desktop[id] = f
	g.mu.Unlock()
	go f.srv.Serve(ln)
	time.AfterFunc(FlowLifetime, func() {
		g.endDesktop(f, flowResult{err: apperr.New(apperr.Unauthenticated, "google_timeout",
			"The Google sign-in was not completed within five minutes. Start again with “Sign in with Google”.")})
	})
	// An outcome nobody came for is forgotten a little later.
	time.AfterFunc(FlowLifetime+resultLifetime, func() { g.forgetDesktop(id) })
	if err := openBrowser(authURL); err != nil {
		g.endDesktop(f, flowResult{})
		g.forgetDesktop(id)
		g.id.log.Error("google sign-in: cannot open the browser", "err", err)
		return nil, apperr.New(apperr.Unavailable, "browser_unavailable",
			"Gatehouse could not open your web browser for Google sign-in. Set a default browser, then try again.")
	}
	return &DesktopStart{ID: id, ExpiresAt: f.expires}, nil
}

// endDesktop records a window sign-in's outcome once and closes its listener.
func (g *Google) endDesktop(f *desktopFlow, r flowResult) {
	f.once.Do(func() {
		g.mu.Lock()
		f.done, f.result = true, r
		if p, ok := g.pending[f.state]; ok {
			g.dropPendingLocked(f.state, p)
		}
		g.mu.Unlock()
		// Shutdown lets the browser's one response finish, then the port is gone.
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			f.srv.Shutdown(ctx)
		}()
	})
}

func (g *Google) forgetDesktop(id string) {
	g.mu.Lock()
	delete(g.desktop, id)
	g.mu.Unlock()
}

func (g *Google) loopbackHandler(id string, f *desktopFlow) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != "/" || (!q.Has("state") && !q.Has("code") && !q.Has("error")) {
			http.NotFound(w, r)
			return
		}
		var res flowResult
		if q.Get("state") != f.state {
			res.err = errBadState // another flow's state, or none: this listener's one callback is spent
		} else if p, err := g.take(f.state, nil); err != nil {
			res.err = err
		} else {
			// Not the request's context: a browser that closes the tab early must not cut
			// the sign-in off half-way.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			res.session, res.err = g.finish(ctx, p, q.Get("code"), q.Get("error"))
			cancel()
		}
		if res.err != nil && !isShown(res.err) {
			g.id.log.Error("google sign-in failed", "err", res.err)
		}
		g.endDesktop(f, res)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		title, text := apperr.Textf("Signed in to Gatehouse"), apperr.Textf("You can close this tab and go back to the Gatehouse window.")
		if res.err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			title, text = apperr.Textf("Gatehouse could not sign you in"), apperr.Textf("%s Go back to the Gatehouse window to try again.", shownText(res.err))
		}
		lang := g.pageLanguage(r)
		fmt.Fprintf(w, `<!doctype html><html lang="%s"><meta charset="utf-8"><title>%s</title>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.4rem">%s</h1><p>%s</p></body>`, lang, html.EscapeString(title.In(lang)), html.EscapeString(title.In(lang)), html.EscapeString(text.In(lang)))
	})
}

func shownText(err error) apperr.Text {
	if e, ok := apperr.As(err); ok {
		return e.Text()
	}
	return apperr.Textf("Something went wrong inside Gatehouse; the details are in its log.")
}

// pageLanguage is the language of the page the system browser shows after a window's
// sign-in: Portuguese when the browser wants it, else the organisation's default (as
// the API answers a request without a session).
func (g *Google) pageLanguage(r *http.Request) string {
	if apperr.Wanted(r.Header.Get("Accept-Language")) == apperr.Portuguese {
		return apperr.Portuguese
	}
	if o, err := g.id.store.Organisation(r.Context()); err == nil && apperr.Speaks(o.Language) {
		return o.Language
	}
	return apperr.English
}

// ErrDesktopPending means the window sign-in has not come back from the browser yet.
var ErrDesktopPending = errors.New("identity: google sign-in still in progress")

var errNoDesktopFlow = apperr.NotFoundf("There is no Google sign-in in progress with this id. Start again with “Sign in with Google”.")

// DesktopResult returns a window sign-in's outcome once it has one (and forgets it), or
// ErrDesktopPending.
func (g *Google) DesktopResult(id string) (*Session, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f, ok := g.desktop[id]
	if !ok {
		return nil, errNoDesktopFlow
	}
	if !f.done {
		return nil, ErrDesktopPending
	}
	delete(g.desktop, id)
	return f.result.session, f.result.err
}

// CancelDesktop ends a window sign-in the person gave up on: its listener closes at once.
func (g *Google) CancelDesktop(id string) error {
	g.mu.Lock()
	f, ok := g.desktop[id]
	delete(g.desktop, id)
	g.mu.Unlock()
	if !ok {
		return errNoDesktopFlow
	}
	g.endDesktop(f, flowResult{err: errBadState})
	return nil
}
