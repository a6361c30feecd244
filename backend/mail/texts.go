package mail

import (
	"context"
	"fmt"
	"slices"

	"gatehouse/backend/store"
)

// The mails' words in each language Gatehouse speaks (the UI's are in the frontend's
// locales). A mail is written in its recipient's language when it goes out: their own
// choice, else the organisation's default. texts_test.go fails when a key is missing in a
// language or its %-verbs differ.
var texts = map[string]map[string]string{
	"en": {
		"hello":               "Hello %s,\n\n",
		"welcome":             "An account was made for you in Gatehouse, where your team shares its projects and tasks.\n\n",
		"reset":               "Someone asked to reset your Gatehouse password. If it was not you, ignore this mail: your password stays as it is.\n\n",
		"confirm.asked":       "Someone signed in as %s in Gatehouse asked to make %s the email of that account.\n\n",
		"confirm.link":        "If it was you, confirm it here (the link works once, within 24 hours):\n\n  %s\n\n",
		"confirm.linkCode":    "If the link does not open, choose My account → Change my email → “I have a code” and enter: %s\n\n",
		"confirm.code":        "If it was you, open the Gatehouse app, go to My account → Change my email → “I have a code” and enter this code (it works once, within 24 hours):\n\n  %s\n\n",
		"confirm.notYou":      "If it was not you, ignore this mail: nothing changes.\n",
		"project.added":       "%s added you to the project “%s”.\n\n",
		"task.assigned":       "%s assigned the task “%s” to you.\n\n",
		"task.approved":       "%s approved the task “%s”.\n\n",
		"task.changes":        "%s requested changes on the task “%s”.\n\n",
		"mentioned":           "%s mentioned you in the discussion “%s”:\n\n",
		"invoice.sent":        "%s sent you the invoice %s. It is attached to this mail as a PDF.\n\n",
		"invoice.seeIt":       "You can also see it, and what is still owed on it, in Gatehouse.\n\n",
		"notifications.off":   "You can turn these mails off under My account → Email notifications.\n",
		"signIn.at":           "Sign in at %s\n",
		"signIn.app":          "Open the Gatehouse app on your computer and sign in\n",
		"signIn.credentials":  "  with the email: %s\n  and the password: %s\n\nYou will choose your own password when you first sign in.\n",
		"ttl.welcome":         "72 hours",
		"ttl.reset":           "30 minutes",
		"link.choose":         "Choose your password here (the link works once, within %s):\n\n  %s\n\n",
		"link.then":           "Then sign in at %s with the email %s.\n\n",
		"link.code":           "If the link does not open, choose “I have a code from an email” on the sign-in screen and enter: %s\n",
		"code.only":           "Open the Gatehouse app on your computer, choose “I have a code from an email” on the sign-in screen and enter this code (it works once, within %s):\n\n  %s\n\n",
		"code.then":           "Then sign in with the email %s and the password you chose.\n",
		"open.url":            "Open Gatehouse: %s\n\n",
		"open.app":            "Open the Gatehouse app to see it.\n\n",
		"subject.welcome":     "Welcome to Gatehouse",
		"subject.reset":       "Reset your Gatehouse password",
		"subject.confirm":     "Confirm your new Gatehouse email",
		"subject.project":     "You were added to a project",
		"subject.task":        "A task was assigned to you",
		"subject.taskReview":  "A client reviewed your task",
		"subject.mentioned":   "You were mentioned in a discussion",
		"subject.invoice":     "Invoice %s from %s",
		"subject.reviewDue":   "An access review is due",
		"review.due":          "No access review was closed in the last 90 days. Reviewing who has which role and access once a quarter keeps everyone at the access they need and nothing more.\n\nStart one under Access reviews: choose everyone, a role or a project, and who reviews it.\n\n",
		"subject.grantEnding": "Extra access ends soon",
		"grant.ending":        "The extra access given to %s in Gatehouse (%s) ends on %s. If it is still needed, whoever manages the account can give it again.\n\n",
	},
	"pt-BR": {
		"hello":               "Olá, %s,\n\n",
		"welcome":             "Uma conta foi criada para você no Gatehouse, onde sua equipe compartilha projetos e tarefas.\n\n",
		"reset":               "Alguém pediu para redefinir sua senha do Gatehouse. Se não foi você, ignore este e-mail: sua senha continua a mesma.\n\n",
		"confirm.asked":       "Alguém conectado como %s no Gatehouse pediu para tornar %s o e-mail dessa conta.\n\n",
		"confirm.link":        "Se foi você, confirme aqui (o link funciona uma vez, em até 24 horas):\n\n  %s\n\n",
		"confirm.linkCode":    "Se o link não abrir, escolha Minha conta → Alterar meu e-mail → “Tenho um código” e digite: %s\n\n",
		"confirm.code":        "Se foi você, abra o aplicativo Gatehouse, vá em Minha conta → Alterar meu e-mail → “Tenho um código” e digite este código (funciona uma vez, em até 24 horas):\n\n  %s\n\n",
		"confirm.notYou":      "Se não foi você, ignore este e-mail: nada muda.\n",
		"project.added":       "%s adicionou você ao projeto “%s”.\n\n",
		"task.assigned":       "%s atribuiu a tarefa “%s” a você.\n\n",
		"task.approved":       "%s aprovou a tarefa “%s”.\n\n",
		"task.changes":        "%s pediu alterações na tarefa “%s”.\n\n",
		"mentioned":           "%s mencionou você na discussão “%s”:\n\n",
		"invoice.sent":        "%s enviou a você a fatura %s. Ela está anexada a este e-mail em PDF.\n\n",
		"invoice.seeIt":       "Você também pode vê-la, e o que ainda falta pagar, no Gatehouse.\n\n",
		"notifications.off":   "Você pode desativar estes e-mails em Minha conta → Notificações por e-mail.\n",
		"signIn.at":           "Entre em %s\n",
		"signIn.app":          "Abra o aplicativo Gatehouse no seu computador e entre\n",
		"signIn.credentials":  "  com o e-mail: %s\n  e a senha: %s\n\nVocê escolherá sua própria senha ao entrar pela primeira vez.\n",
		"ttl.welcome":         "72 horas",
		"ttl.reset":           "30 minutos",
		"link.choose":         "Escolha sua senha aqui (o link funciona uma vez, em até %s):\n\n  %s\n\n",
		"link.then":           "Depois entre em %s com o e-mail %s.\n\n",
		"link.code":           "Se o link não abrir, escolha “Tenho um código de um e-mail” na tela de entrada e digite: %s\n",
		"code.only":           "Abra o aplicativo Gatehouse no seu computador, escolha “Tenho um código de um e-mail” na tela de entrada e digite este código (funciona uma vez, em até %s):\n\n  %s\n\n",
		"code.then":           "Depois entre com o e-mail %s e a senha que você escolheu.\n",
		"open.url":            "Abra o Gatehouse: %s\n\n",
		"open.app":            "Abra o aplicativo Gatehouse para ver.\n\n",
		"subject.welcome":     "Boas-vindas ao Gatehouse",
		"subject.reset":       "Redefina sua senha do Gatehouse",
		"subject.confirm":     "Confirme seu novo e-mail do Gatehouse",
		"subject.project":     "Você foi adicionado a um projeto",
		"subject.task":        "Uma tarefa foi atribuída a você",
		"subject.taskReview":  "Um cliente revisou sua tarefa",
		"subject.mentioned":   "Você foi mencionado em uma discussão",
		"subject.invoice":     "Fatura %s de %s",
		"subject.reviewDue":   "Uma revisão de acessos está pendente",
		"review.due":          "Nenhuma revisão de acessos foi concluída nos últimos 90 dias. Revisar a cada trimestre quem tem qual função e acesso mantém cada pessoa só com o acesso de que precisa.\n\nInicie uma em Revisões de acesso: escolha todos, uma função ou um projeto, e quem vai revisar.\n\n",
		"subject.grantEnding": "Um acesso extra termina em breve",
		"grant.ending":        "O acesso extra concedido a %s no Gatehouse (%s) termina em %s. Se ainda for necessário, quem administra a conta pode concedê-lo de novo.\n\n",
	},
}

// tr is the text key in lang (English when lang has none), with args.
func tr(lang, key string, args ...any) string {
	t, ok := texts[lang][key]
	if !ok {
		t = texts["en"][key]
	}
	if len(args) == 0 {
		return t
	}
	return fmt.Sprintf(t, args...)
}

// language is the language userID reads Gatehouse in: their own choice, else the
// organisation's default, else English.
func (s *Service) language(ctx context.Context, userID string) string {
	if l, err := s.store.UserLanguage(ctx, userID); err == nil && texts[l] != nil {
		return l
	}
	if o, err := s.store.Organisation(ctx); err == nil && texts[o.Language] != nil {
		return o.Language
	}
	return "en"
}

// subjectIn is the subject of m in lang (the outbox's log keeps the English one).
func subjectIn(lang string, m *store.Mail) string {
	key := map[string]string{KindWelcome: "subject.welcome", KindReset: "subject.reset", KindConfirmEmail: "subject.confirm",
		KindProjectAdded: "subject.project", KindTaskAssigned: "subject.task", KindTaskReviewed: "subject.taskReview",
		KindMentioned: "subject.mentioned", KindInvoice: "subject.invoice", KindGrantEnding: "subject.grantEnding", KindReviewDue: "subject.reviewDue"}[m.Kind]
	switch {
	case key == "":
		return m.Subject
	case m.Kind == KindInvoice:
		return tr(lang, key, oneLine(m.Params["number"]), oneLine(m.Params["issuer"]))
	}
	return tr(lang, key)
}

// Languages lists the languages mails are written in.
func Languages() []string {
	out := make([]string, 0, len(texts))
	for l := range texts {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}
