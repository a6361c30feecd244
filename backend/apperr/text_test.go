package apperr

import (
	"errors"
	"testing"
	"time"
)

// A message keeps its English for logs and is said in another language on demand, its
// Text arguments with it; what has no translation stays English.
func TestMessagesInALanguage(t *testing.T) {
	e := Field("language", "Choose %s among: %s.", Textf("a language"), "en, pt-BR")
	if e.Message != "Choose a language among: en, pt-BR." || e.Error() != "language: Choose a language among: en, pt-BR." {
		t.Errorf("English: %q / %q", e.Message, e.Error())
	}
	if got := e.In(Portuguese); got != "Escolha um idioma entre: en, pt-BR." {
		t.Errorf("Portuguese: %q", got)
	}
	if got := e.In("fr"); got != e.Message {
		t.Errorf("a language not spoken: %q", got)
	}
	if got := New(Conflict, "x", "Not in any catalog %d.", 3).In(Portuguese); got != "Not in any catalog 3." {
		t.Errorf("no translation: %q", got)
	}
	if got := (&Error{Message: "Made by hand."}).In(Portuguese); got != "Made by hand." {
		t.Errorf("made by hand: %q", got)
	}
	// %% and a list of texts.
	line := Field("lines", "Line %d's tax rate is in basis points (2000 is 20%%), from 0 to 10000.", 2)
	if line.Message != "Line 2's tax rate is in basis points (2000 is 20%), from 0 to 10000." ||
		line.In(Portuguese) != "A alíquota de imposto da linha 2 é em pontos-base (2000 é 20%), de 0 a 10000." {
		t.Errorf("%%: %q / %q", line.Message, line.In(Portuguese))
	}
	list := Texts{Textf("View projects"), Textf("Create tasks")}
	if list.In(English) != "View projects, Create tasks" || list.In(Portuguese) != "Ver projetos, Criar tarefas" {
		t.Errorf("texts: %q / %q", list.In(English), list.In(Portuguese))
	}
	// An error's text inside another message.
	inner := Field("name", "Enter a full name.")
	outer := Problem("name", "You may not give the role %s: %s", "Staff", TextOf(inner))
	if outer.Message != "You may not give the role Staff: Enter a full name." ||
		outer.In(Portuguese) != "Você não pode atribuir a função Staff: Informe o nome completo." {
		t.Errorf("nested: %q / %q", outer.Message, outer.In(Portuguese))
	}
	if got := TextOf(errors.New("disk on fire")).In(English); got != somethingWrong {
		t.Errorf("an unclassified error's text: %q", got)
	}
	th := Throttle(1500*time.Millisecond, "Too many wrong codes. Try again in %d seconds.", 2)
	if th.Kind != Throttled || th.Code != "throttled" || th.RetryAfter != 1500*time.Millisecond || th.In(Portuguese) != "Muitos códigos incorretos. Tente de novo em 2 segundos." {
		t.Errorf("throttle: %+v %q", th, th.In(Portuguese))
	}
	if f := New(Conflict, "name_taken", "A team with this name already exists.").OnField("name"); f.Field != "name" || f.Kind != Conflict {
		t.Errorf("on field: %+v", f)
	}
}

// A translation may put the arguments in another order with explicit indexes.
func TestTranslationsReorderArguments(t *testing.T) {
	catalogs["xx"] = map[string]string{"%s of %d": "%[2]d de %[1]s"}
	defer delete(catalogs, "xx")
	if got := Textf("%s of %d", "rows", 3).In("xx"); got != "3 de rows" {
		t.Errorf("reordered: %q", got)
	}
}

// Which language an Accept-Language header wants, among those spoken.
func TestWanted(t *testing.T) {
	for h, want := range map[string]string{
		"":                             "",
		"pt-BR":                        Portuguese,
		"pt":                           Portuguese,
		"pt-PT,en;q=0.5":               Portuguese,
		"en-US,en;q=0.9,pt-BR;q=0.8":   English,
		"fr-FR,pt-BR;q=0.7,en;q=0.3":   Portuguese,
		"de, fr":                       "",
		"en;q=0.2, pt;q=0.9":           Portuguese,
		"*":                            "",
		"not a header ;; q=x":          "",
		"pt-BR;q=0":                    "",
		"es-419, en-GB;q=0.8, pt;q=.7": English,
	} {
		if got := Wanted(h); got != want {
			t.Errorf("%q: %q, want %q", h, got, want)
		}
	}
}
