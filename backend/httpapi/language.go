package httpapi

import (
	"context"
	"net/http"

	"gatehouse/backend/apperr"
)

// An answer's messages (errors, notes, warnings) are written in its reader's language:
// a signed-in person's own choice, else the organisation's default (as /api/me says it);
// without a session (signing in, setting up, setting a password from a link), the
// language the request's Accept-Language prefers when it is Portuguese, else the
// organisation's default, else English. The frontend sends its own language there, so
// an error on the sign-in screen is in the screen's language.

// reader is who reads the answer to a request: kept in its context by endpoint, filled in
// once the session is known, and asked at most once for the language.
type reader struct {
	userID string // the session's own user (never the one viewed as)
	lang   string // "" until asked
}

type readerKey struct{}

// withReader gives r a reader to fill in.
func withReader(r *http.Request) (*http.Request, *reader) {
	rd := &reader{}
	return r.WithContext(context.WithValue(r.Context(), readerKey{}, rd)), rd
}

// language is the language r's answer is written in.
func (a *API) language(r *http.Request) string {
	rd, _ := r.Context().Value(readerKey{}).(*reader)
	if rd != nil && rd.lang != "" {
		return rd.lang
	}
	lang := a.languageOf(r, rd)
	if rd != nil {
		rd.lang = lang
	}
	return lang
}

func (a *API) languageOf(r *http.Request, rd *reader) string {
	ctx := r.Context()
	if rd != nil && rd.userID != "" {
		if l, _, err := a.cfg.Organisation.Language(ctx, rd.userID); err == nil && apperr.Speaks(l) {
			return l
		}
	} else if apperr.Wanted(r.Header.Get("Accept-Language")) == apperr.Portuguese {
		// Only Portuguese is taken from the header: a browser asks for English by
		// default, which must not hide the organisation's default language.
		return apperr.Portuguese
	}
	if l := a.cfg.Organisation.DefaultLanguage(); apperr.Speaks(l) {
		return l
	}
	return apperr.English
}

// say is t in r's language.
func (a *API) say(r *http.Request, t apperr.Text) string { return t.In(a.language(r)) }

// sayAny is t in r's language, or "" when t says nothing (without asking for the
// language).
func (a *API) sayAny(r *http.Request, t apperr.Text) string {
	if t.IsZero() {
		return ""
	}
	return a.say(r, t)
}
