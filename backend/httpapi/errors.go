package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"gatehouse/backend/apperr"
)

// internalMessage answers what no service classified (the cause goes to the log).
var internalMessage = apperr.Textf("Something went wrong inside Gatehouse. The details are in its log.")

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	Field      string `json:"field,omitempty"`
	RetryAfter int    `json:"retryAfter,omitempty"`
}

// writeJSON answers with v as JSON. Its error is the connection's (the client went
// away): nothing more can be said to it.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// noContent answers 204.
func noContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// writeError answers an error made here rather than by a service, in r's language.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, status int, code string, message apperr.Text) {
	writeJSON(w, status, errorBody{errorDetail{Code: code, Message: a.say(r, message)}})
}

var kindStatus = map[apperr.Kind]int{
	apperr.Invalid:         http.StatusUnprocessableEntity,
	apperr.Malformed:       http.StatusBadRequest,
	apperr.Unauthenticated: http.StatusUnauthorized,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.NotFound:        http.StatusNotFound,
	apperr.Conflict:        http.StatusConflict,
	apperr.Throttled:       http.StatusTooManyRequests,
	apperr.Unavailable:     http.StatusServiceUnavailable,
	apperr.TooLarge:        http.StatusRequestEntityTooLarge,
}

// fail maps err to a response once: classified errors show their own safe message, in
// the reader's language; anything else is logged with its cause and answered with a
// generic 500.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	if _, ok := err.(*tooLarge); ok {
		a.writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", errBodyTooLarge)
		return
	}
	if e, ok := apperr.As(err); ok {
		if e.Kind == apperr.Unavailable {
			// A fault of the machine (a full disk, a read-only or damaged database): the
			// person reads what to do; the log keeps the cause.
			a.cfg.Log.Warn("api unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		d := errorDetail{Code: e.Code, Message: e.In(a.language(r)), Field: e.Field}
		if e.Kind == apperr.Throttled {
			secs := int((e.RetryAfter.Seconds()) + 0.999)
			if secs < 1 {
				secs = 1
			}
			d.RetryAfter = secs
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		writeJSON(w, kindStatus[e.Kind], errorBody{d})
		return
	}
	switch {
	case errors.Is(err, apperr.ErrNotFound):
		a.writeError(w, r, http.StatusNotFound, "not_found", apperr.Textf("Not found."))
	case errors.Is(err, apperr.ErrConflict):
		a.writeError(w, r, http.StatusConflict, "conflict", apperr.Textf("This conflicts with existing data."))
	case errors.Is(err, apperr.ErrGone):
		a.cfg.Log.Warn("api write refers to a deleted row", "method", r.Method, "path", r.URL.Path, "err", err)
		a.writeError(w, r, http.StatusConflict, "gone", apperr.Textf("Something this change refers to was deleted meanwhile. Reload and try again."))
	default:
		a.cfg.Log.Error("api error", "method", r.Method, "path", r.URL.Path, "err", err)
		a.writeError(w, r, http.StatusInternalServerError, "internal", internalMessage)
	}
}

var errBodyTooLarge = apperr.Textf("The request body is larger than 1 MiB.")

// decode reads a JSON body into v: 400 for anything unreadable (with the reason), 413
// past the size limit.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooBig):
			return &tooLarge{}
		case errors.Is(err, io.EOF):
			return apperr.New(apperr.Malformed, "malformed", "The request needs a JSON body.")
		case errors.As(err, &syntax):
			return apperr.New(apperr.Malformed, "malformed", "The request body is not valid JSON (at byte %d).", syntax.Offset)
		case errors.As(err, &typ):
			return wrongType(typ.Field, typ.Type.Kind().String()).OnField(typ.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return apperr.New(apperr.Malformed, "unknown_field", "Unknown field %q.", f).OnField(f)
		default:
			return apperr.New(apperr.Malformed, "malformed", "The request body is not valid JSON.")
		}
	}
	if dec.More() {
		return apperr.New(apperr.Malformed, "malformed", "The request body must hold one JSON value.")
	}
	return nil
}

type tooLarge struct{}

func (*tooLarge) Error() string { return "request body too large" }

// wrongType says that a JSON field holds a value of another type than its Go kind.
func wrongType(field, kind string) *apperr.Error {
	switch kind {
	case "string":
		return apperr.New(apperr.Malformed, "malformed", "Field %q must be a string.", field)
	case "bool":
		return apperr.New(apperr.Malformed, "malformed", "Field %q must be true or false.", field)
	case "slice":
		return apperr.New(apperr.Malformed, "malformed", "Field %q must be a list.", field)
	case "struct", "map":
		return apperr.New(apperr.Malformed, "malformed", "Field %q must be an object.", field)
	}
	return apperr.New(apperr.Malformed, "malformed", "Field %q must be a number.", field)
}

// queryInt reads a whole number of at least 1 from the query (0 when absent).
func queryInt(s, field string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, apperr.Field(field, "%s must be a whole number of at least 1.", field)
	}
	return n, nil
}

// queryBool reads true or false from the query (false when absent).
func queryBool(s, field string) (bool, error) {
	switch s {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, apperr.Field(field, "%s is true or false.", field)
}

// list is the envelope of every list answer: {"items": [...], "next": cursor or null}.
type list[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// page is a list with its total.
type page[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
	Total int     `json:"total"`
}

func cursorOf(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// each maps a slice (never nil: lists answer [] when empty).
func each[S, T any](in []S, f func(S) T) []T {
	out := make([]T, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}

// orEmpty is s, or an empty (not null) list.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// errorBody is err as an answer's body says it, for errors reported inside an answer (a
// background job's): classified errors with their own message in r's language, others
// logged and said generically.
func (a *API) errorBody(r *http.Request, err error) *errorBody {
	if e, ok := apperr.As(err); ok {
		return &errorBody{errorDetail{Code: e.Code, Message: e.In(a.language(r)), Field: e.Field}}
	}
	a.cfg.Log.Error("api job error", "method", r.Method, "path", r.URL.Path, "err", err)
	return &errorBody{errorDetail{Code: "internal", Message: a.say(r, internalMessage)}}
}
