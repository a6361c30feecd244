package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"gatehouse/backend/testkit"
)

func errMessage(r *testkit.Resp) string {
	e, _ := r.JSON()["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

// The server's messages are in the reader's language: a signed-in person's own choice,
// else the organisation's default; without a session, Portuguese when Accept-Language
// asks for it, else the organisation's default. Codes and fields stay as they are.
func TestMessagesInTheReadersLanguage(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	samID := env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	sam := env.SignInFresh("sam@acme.test", initialPW, ownPW)
	env.CreateUser(owner, "Ana Admin", "ana@acme.test", "admin", initialPW)
	ana := env.SignInFresh("ana@acme.test", initialPW, ownPW)
	if r := env.Do("PUT", "/api/me/language", sam, map[string]any{"language": "pt-BR"}); r.Status != 200 {
		t.Fatalf("Sam chooses Portuguese: %d %s", r.Status, r.Body)
	}
	if r := env.Do("PUT", "/api/me/language", ana, map[string]any{"language": "pt-BR"}); r.Status != 200 {
		t.Fatalf("Ana chooses Portuguese: %d %s", r.Status, r.Body)
	}
	type scenario struct {
		name            string
		method, path    string
		token           string
		headers         map[string]string
		body            any
		status          int
		code, field     string
		message         string
		notExpected     string // a sign of the other language
		messageInBodyAt string // "": error.message; else the answer's own field
	}
	badLanguage := map[string]any{"language": "fr"}
	projectName := map[string]any{"name": "Two\nlines"}
	// A wrong password for another address each time, so no throttle answers instead.
	n := 0
	wrongPassword := func() map[string]string {
		n++
		return map[string]string{"email": fmt.Sprintf("someone%d@acme.test", n), "password": "not the password"}
	}
	run := func(cases []scenario) {
		t.Helper()
		for _, c := range cases {
			r := env.DoWithHeaders(c.method, c.path, c.token, c.body, c.headers)
			got := errMessage(r)
			if c.messageInBodyAt != "" {
				got, _ = r.JSON()[c.messageInBodyAt].(string)
			}
			if r.Status != c.status || r.ErrCode() != c.code || r.ErrField() != c.field || got != c.message ||
				(c.notExpected != "" && strings.Contains(string(r.Body), c.notExpected)) {
				t.Errorf("%s: %d %s, want %d %s/%s %q", c.name, r.Status, r.Body, c.status, c.code, c.field, c.message)
			}
		}
	}
	run([]scenario{
		{name: "a field error to someone who chose Portuguese", method: "PUT", path: "/api/me/language", token: sam, body: badLanguage,
			status: 422, code: "invalid", field: "language", message: "Escolha um idioma entre: en, pt-BR."},
		{name: "the same to someone who reads the default, English", method: "PUT", path: "/api/me/language", token: owner, body: badLanguage,
			status: 422, code: "invalid", field: "language", message: "Choose a language among: en, pt-BR."},
		{name: "a field's name inside a message, in Portuguese", method: "POST", path: "/api/projects", token: ana, body: projectName,
			status: 422, code: "invalid", field: "name",
			message: "O campo “Nome do projeto” é uma só linha de texto: sem quebras de linha nem caracteres de controle, invisíveis ou de direção."},
		{name: "… and in English", method: "POST", path: "/api/projects", token: owner, body: projectName,
			status: 422, code: "invalid", field: "name",
			message: "The project name is one line of text: no line breaks, control, invisible or direction characters."},
		{name: "a refusal naming a permission by its label", method: "POST", path: "/api/roles", token: sam, body: map[string]any{"name": "X", "kind": "internal", "permissions": []any{}},
			status: 403, code: "forbidden", message: "A sua função não permite isto (roles.manage: Gerenciar funções)."},
		{name: "the Accept-Language of a signed-in person does not count", method: "PUT", path: "/api/me/language", token: owner, body: badLanguage,
			headers: map[string]string{"Accept-Language": "pt-BR"}, status: 422, code: "invalid", field: "language", message: "Choose a language among: en, pt-BR."},
		{name: "a sign-in refused, asked in Portuguese", method: "POST", path: "/api/sessions", body: wrongPassword(),
			headers: map[string]string{"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.8"}, status: 401, code: "invalid_credentials", message: "E-mail ou senha incorretos."},
		{name: "… in any Portuguese", method: "POST", path: "/api/sessions", body: wrongPassword(),
			headers: map[string]string{"Accept-Language": "pt"}, status: 401, code: "invalid_credentials", message: "E-mail ou senha incorretos."},
		{name: "… and without the header, in the organisation's default", method: "POST", path: "/api/sessions", body: wrongPassword(),
			status: 401, code: "invalid_credentials", message: "Email or password is wrong."},
		{name: "English preferred over Portuguese", method: "POST", path: "/api/sessions", body: wrongPassword(),
			headers: map[string]string{"Accept-Language": "en-GB,pt-BR;q=0.5"}, status: 401, code: "invalid_credentials", message: "Email or password is wrong."},
		{name: "an answer's note without a session", method: "POST", path: "/api/auth/forgot-password", body: map[string]string{"email": "nobody@acme.test"},
			headers: map[string]string{"Accept-Language": "pt-BR"}, status: 202, messageInBodyAt: "message",
			message: "Se alguma conta usa este endereço, um link de redefinição está a caminho. Ele funciona uma vez, dentro de 30 minutos."},
		{name: "an unreadable body", method: "PUT", path: "/api/me/language", token: sam, body: map[string]any{"language": 5},
			status: 400, code: "malformed", field: "language", message: "O campo \"language\" deve ser um texto (string)."},
		{name: "no such route", method: "GET", path: "/api/nowhere", headers: map[string]string{"Accept-Language": "pt-BR"},
			status: 404, code: "not_found", message: "Não há rota da API /api/nowhere."},
	})

	// Viewing as someone: the answer is read by the viewer, in the viewer's language.
	if r := env.Do("POST", "/api/view-as", ana, map[string]any{"userId": samID}); r.Status != 204 {
		t.Fatalf("Ana views as Sam: %d %s", r.Status, r.Body)
	}
	env.Do("PUT", "/api/me/language", sam, map[string]any{"language": "en"})
	run([]scenario{
		{name: "viewing as an English reader", method: "GET", path: "/api/projects/nope", token: ana, headers: map[string]string{"X-View-As": samID},
			status: 404, code: "not_found", message: "Projeto não encontrado."},
	})

	// The organisation's default is everyone's who has not chosen, on the next request.
	if r := env.Do("PUT", "/api/settings/general", owner, map[string]any{"language": "pt-BR"}); r.Status != 200 {
		t.Fatalf("default language: %d %s", r.Status, r.Body)
	}
	run([]scenario{
		{name: "the default, for someone without a choice", method: "PUT", path: "/api/me/language", token: owner, body: badLanguage,
			status: 422, code: "invalid", field: "language", message: "Escolha um idioma entre: en, pt-BR."},
		{name: "one's own English over the default", method: "PUT", path: "/api/me/language", token: sam, body: badLanguage,
			status: 422, code: "invalid", field: "language", message: "Choose a language among: en, pt-BR."},
		{name: "a sign-in without the header, in the default", method: "POST", path: "/api/sessions", body: wrongPassword(),
			status: 401, code: "invalid_credentials", message: "E-mail ou senha incorretos."},
		{name: "a browser's English does not hide the default", method: "POST", path: "/api/sessions", body: wrongPassword(),
			headers: map[string]string{"Accept-Language": "en-US,en;q=0.9"}, status: 401, code: "invalid_credentials", message: "E-mail ou senha incorretos."},
		{name: "an expired session, in the default", method: "GET", path: "/api/me", token: "not-a-session",
			status: 401, code: "session_expired", message: "A sua sessão terminou. Entre de novo."},
	})
}

// Why someone cannot do something (Access → Explain) is said in the asker's language.
func TestExplanationInTheReadersLanguage(t *testing.T) {
	env := testkit.Start(t)
	owner := env.Setup()
	samID := env.CreateUser(owner, "Sam Staff", "sam@acme.test", "staff", initialPW)
	p := env.Do("POST", "/api/projects", owner, map[string]any{"name": "Harbour"}).JSON()["id"].(string)
	ask := func() string {
		r := env.Do("GET", "/api/access/explain?userId="+samID+"&action=projects.view&resourceType=project&resourceId="+p, owner, nil)
		if r.Status != 200 || r.JSON()["allowed"] != false {
			t.Fatalf("explain: %d %s", r.Status, r.Body)
		}
		return r.JSON()["missing"].(string)
	}
	if got := ask(); got != "Not a member of this project nor of any of its teams, and the role Staff sees only assigned projects." {
		t.Errorf("in English: %q", got)
	}
	env.Do("PUT", "/api/me/language", owner, map[string]any{"language": "pt-BR"})
	if got := ask(); got != "Não é membro deste projeto nem de nenhuma das equipes dele, e a função Staff só vê os projetos atribuídos." {
		t.Errorf("in Portuguese: %q", got)
	}
}
