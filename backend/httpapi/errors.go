package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"gatehouse/backend/apperr"
	"gatehouse/backend/store"
)

const internalMessage = "Something went wrong inside Gatehouse. The details are in its log."

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	Field      string `json:"field,omitempty"`
	RetryAfter int    `json:"retryAfter,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message, field string) {
	writeJSON(w, status, errorBody{errorDetail{Code: code, Message: message, Field: field}})
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
}

// fail maps err to a response once: classified errors show their own safe message;
// anything else is logged with its cause and answered with a generic 500.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := apperr.As(err); ok {
		d := errorDetail{Code: e.Code, Message: e.Message, Field: e.Field}
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
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", "Not found.", "")
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, "conflict", "This conflicts with existing data.", "")
	case errors.Is(err, store.ErrGone):
		a.cfg.Log.Warn("api write refers to a deleted row", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusConflict, "gone", "Something this change refers to was deleted meanwhile. Reload and try again.", "")
	default:
		a.cfg.Log.Error("api error", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", internalMessage, "")
	}
}

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
			return &apperr.Error{Kind: apperr.Malformed, Code: "malformed", Field: typ.Field,
				Message: fmt.Sprintf("Field %q must be %s.", typ.Field, jsonKind(typ.Type.Kind().String()))}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return &apperr.Error{Kind: apperr.Malformed, Code: "unknown_field", Field: f, Message: fmt.Sprintf("Unknown field %q.", f)}
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

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return "a number"
}

// decodeOrFail decodes and answers the error itself; it reports whether to go on.
func (a *API) decodeOrFail(w http.ResponseWriter, r *http.Request, v any) bool {
	err := decode(r, v)
	if err == nil {
		return true
	}
	if _, ok := err.(*tooLarge); ok {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", "The request body is larger than 1 MiB.", "")
		return false
	}
	a.fail(w, r, err)
	return false
}
