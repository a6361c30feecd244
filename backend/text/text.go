// Package text holds the one rule for what people type into Gatehouse (names, titles,
// descriptions, messages, comments): text only. Control characters, invisible format
// characters (zero-width spaces, word joiners, byte-order marks), bidirectional marks,
// overrides and isolates, and line or paragraph separators are refused, because each can
// make text look like something it is not — a name that reads backwards, a message that
// looks empty, a file name whose extension is not what it shows, a mail paragraph that
// escapes its quote. The zero-width joiner and non-joiner stay allowed: emoji sequences
// and several scripts need them.
package text

import (
	"strings"
	"unicode"

	"gatehouse/backend/apperr"
)

// hidden reports a character refused in text; multi allows line breaks and tabs.
func hidden(r rune, multi bool) bool {
	switch {
	case multi && (r == '\n' || r == '\t'):
		return false
	case r == 0x200C || r == 0x200D: // zero-width non-joiner and joiner
		return false
	case r == '\r': // a Windows line end is a line end
		return !multi
	}
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// Line checks one line of text (a name, a title) for field; what names it in the error
// ("The project name holds …"), as a field's label names it: apperr.Textf("project name").
func Line(field string, what apperr.Text, s string) error { return check(field, what, s, false) }

// Lines checks text that may run over several lines (a description, a message).
func Lines(field string, what apperr.Text, s string) error { return check(field, what, s, true) }

func check(field string, what apperr.Text, s string, multi bool) error {
	if strings.ContainsFunc(s, func(r rune) bool { return hidden(r, multi) }) {
		if multi {
			return apperr.Field(field, "The %s holds characters that are not text: control, invisible or direction characters.", what)
		}
		return apperr.Field(field, "The %s is one line of text: no line breaks, control, invisible or direction characters.", what)
	}
	if strings.TrimSpace(s) != "" && !strings.ContainsFunc(s, visible) {
		return apperr.Field(field, "The %s shows nothing: write some text.", what)
	}
	return nil
}

func visible(r rune) bool { return !unicode.IsSpace(r) && r != 0x200C && r != 0x200D }
