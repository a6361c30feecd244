package mail

import (
	"regexp"
	"slices"
	"testing"
)

var verbs = regexp.MustCompile(`%[a-z]`)

// Every mail text is in every language, with the same %-verbs in the same order.
func TestTextsInEveryLanguage(t *testing.T) {
	if got := Languages(); !slices.Equal(got, []string{"en", "pt-BR"}) {
		t.Fatalf("languages %v", got)
	}
	for lang, m := range texts {
		for key, en := range texts["en"] {
			s, ok := m[key]
			switch {
			case !ok:
				t.Errorf("%s: %s is missing", lang, key)
			case s == "":
				t.Errorf("%s: %s is empty", lang, key)
			case !slices.Equal(verbs.FindAllString(s, -1), verbs.FindAllString(en, -1)):
				t.Errorf("%s: %s has other verbs than English: %q", lang, key, s)
			}
		}
		for key := range m {
			if _, ok := texts["en"][key]; !ok {
				t.Errorf("%s: %s is not in English", lang, key)
			}
		}
	}
}
