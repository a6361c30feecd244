package apperr

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"golang.org/x/text/language"
)

// The languages Gatehouse speaks: English, in which every message is written in the
// code, and Brazilian Portuguese, whose catalog is pt-BR.json.
const (
	English    = "en"
	Portuguese = "pt-BR"
)

//go:embed pt-BR.json
var ptBR []byte

// catalogs maps each language but English to its translations: an English format as the
// code writes it → the same message in that language, with the same %-verbs (in another
// order only with explicit argument indexes, like %[2]s).
var catalogs = map[string]map[string]string{Portuguese: mustCatalog(ptBR)}

func mustCatalog(b []byte) map[string]string {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		panic("apperr: a message catalog is not a JSON object of strings: " + err.Error())
	}
	return m
}

// Catalog returns a copy of lang's translations (nil for English and for languages
// Gatehouse does not speak), for the test that holds them to the code.
func Catalog(lang string) map[string]string {
	if c, ok := catalogs[lang]; ok {
		return maps.Clone(c)
	}
	return nil
}

// Speaks reports whether lang is a language messages are said in.
func Speaks(lang string) bool {
	_, ok := catalogs[lang]
	return ok || lang == English
}

// Wanted is the language an Accept-Language header wants most among those Gatehouse
// speaks ("" when it names none of them). Any Portuguese is Brazilian Portuguese, the one
// spoken here.
func Wanted(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return ""
	}
	for _, t := range tags { // most wanted first
		switch base, _ := t.Base(); base.String() {
		case "pt":
			return Portuguese
		case "en":
			return English
		}
	}
	return ""
}

// Text is words for a person: an English format and its arguments, said in a language
// when it is shown. An argument that is itself a Text (or Texts) is said in the same
// language; any other is formatted as it is (names, numbers, ids).
type Text struct {
	format string
	args   []any
}

// Textf returns the text format says with args. The format is a string literal in the
// code (catalog_test.go finds it there); a phrase that fills in another message — a
// field's name, say — is a Text too, so that it is translated with it.
func Textf(format string, args ...any) Text { return Text{format: format, args: args} }

// In says t in lang: its translation when lang has one, else English.
func (t Text) In(lang string) string {
	format := t.format
	if tr, ok := catalogs[lang][format]; ok {
		format = tr
	}
	args := t.args
	if hasText(args) {
		args = make([]any, len(t.args))
		for i, a := range t.args {
			switch x := a.(type) {
			case Text:
				args[i] = x.In(lang)
			case Texts:
				args[i] = x.In(lang)
			default:
				args[i] = a
			}
		}
	}
	return fmt.Sprintf(format, args...)
}

// String is t in English.
func (t Text) String() string { return t.In(English) }

func hasText(args []any) bool {
	for _, a := range args {
		switch a.(type) {
		case Text, Texts:
			return true
		}
	}
	return false
}

// Texts is a list of texts, said one after another with commas.
type Texts []Text

// In says the texts in lang, joined by ", ".
func (ts Texts) In(lang string) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(lang)
	}
	return strings.Join(out, ", ")
}

// String is ts in English.
func (ts Texts) String() string { return ts.In(English) }

// IsZero reports whether t says nothing (the zero Text).
func (t Text) IsZero() bool { return t.format == "" }
