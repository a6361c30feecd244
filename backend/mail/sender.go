package mail

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// MailRetention is how long sent and cancelled mails stay in the email log.
const MailRetention = 90 * 24 * time.Hour

// Run sends the outbox until ctx ends: at start (mail queued before a restart or a crash
// goes out then, retries included), after every commit that queued mail, and when a retry is due. One
// sender runs per data folder. A mail is marked sent right after the server accepted it;
// only a crash in between could send one twice.
func (s *Service) Run(ctx context.Context) {
	if err := s.store.MailAllDue(ctx, s.now()); err != nil && ctx.Err() == nil {
		s.log.Warn("outbox", "err", err)
	}
	// What is done is kept a while for the log, then dropped.
	if err := s.store.PruneMail(ctx, s.now().Add(-MailRetention), s.now().Add(-7*24*time.Hour)); err != nil && ctx.Err() == nil {
		s.log.Warn("outbox", "err", err)
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.store.MailWakeups():
		case <-timer.C:
		}
		wait := time.Minute
		if next, err := s.SendDue(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.log.Warn("outbox", "err", err)
		} else if next != nil {
			wait = min(max(next.Sub(s.now()), 0), time.Minute)
		}
		timer.Reset(wait)
	}
}

// SendDue sends every mail that is due now and returns when the next one is due.
func (s *Service) SendDue(ctx context.Context) (*time.Time, error) {
	for {
		due, err := s.store.DueMails(ctx, s.now(), 20)
		if err != nil {
			return nil, err
		}
		if len(due) == 0 {
			return s.store.NextMailDue(ctx)
		}
		for _, m := range due {
			if err := s.sendOne(ctx, m); err != nil {
				return nil, err
			}
		}
	}
}

// sendOne tries one mail and records the outcome; it returns only database errors.
func (s *Service) sendOne(ctx context.Context, m *store.Mail) error {
	c, err := s.store.EmailSettings(ctx)
	if err != nil {
		return err
	}
	if !c.Configured() {
		return s.store.MailWaiting(ctx, m.ID, "Email is not set up (Settings → Email); the mail waits until it is.", s.now().Add(time.Minute))
	}
	msg, cancel, err := s.render(ctx, c, m)
	switch {
	case err != nil:
		return err
	case cancel != "":
		s.log.Info("mail cancelled", "id", m.ID, "kind", m.Kind)
		return s.store.MailCancelled(ctx, m.ID, cancel)
	}
	password, err := s.password(c)
	if err != nil {
		return s.store.MailWaiting(ctx, m.ID, "Cannot read the SMTP password: "+err.Error(), s.now().Add(s.opts.Backoff(1)))
	}
	if msg.to != m.To { // the account's address changed since: the log says where it went
		if err := s.store.SetMailRecipient(ctx, m.ID, msg.to); err != nil {
			return err
		}
	}
	reply, err := s.deliver(ctx, c, password, msg)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		o := failure(err)
		var next *time.Time
		if !o.permanent && m.Attempts+1 < s.opts.MaxAttempts {
			t := s.now().Add(s.opts.Backoff(m.Attempts + 1))
			next = &t
		}
		s.log.Info("mail not sent", "id", m.ID, "kind", m.Kind, "attempt", m.Attempts+1, "retry", next != nil)
		return s.store.MailAttemptFailed(ctx, m.ID, o.reason, next)
	}
	s.log.Info("mail sent", "id", m.ID, "kind", m.Kind, "reply", reply)
	return s.store.MailSent(ctx, m.ID, s.now())
}

// render writes the mail as it is sent now, or says why it must not be sent any more
// (cancel). A notification names only what its recipient may see now.
func (s *Service) render(ctx context.Context, c *store.EmailSettings, m *store.Mail) (msg *message, cancel string, err error) {
	u, err := s.store.User(ctx, m.ToUserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "The recipient's account was deleted.", nil
	}
	if err != nil {
		return nil, "", err
	}
	if u.Status != store.StatusActive {
		return nil, "The recipient's account is deactivated.", nil
	}
	lang := s.language(ctx, u.ID)
	msg = &message{to: u.Email, toName: u.Name, subject: subjectIn(lang, m)}
	if m.Kind == KindConfirmEmail {
		msg.to = m.To // the address being confirmed: that is the point of the mail
	}
	var b bytes.Buffer
	b.WriteString(tr(lang, "hello", oneLine(u.Name)))
	switch m.Kind {
	case KindWelcome, KindReset:
		secret, why, err := s.secretOf(ctx, m)
		if err != nil || why != "" {
			return nil, why, err
		}
		if m.Kind == KindWelcome {
			b.WriteString(tr(lang, "welcome"))
		} else {
			b.WriteString(tr(lang, "reset"))
		}
		s.signInText(&b, lang, c, u.Email, m, secret)
	case KindConfirmEmail:
		secret, why, err := s.secretOf(ctx, m)
		if err != nil || why != "" {
			return nil, why, err
		}
		b.WriteString(tr(lang, "confirm.asked", oneLine(u.Name), m.To))
		if url := s.appURL(c); url != "" {
			b.WriteString(tr(lang, "confirm.link", url+"/#/confirm-email?token="+secret))
			b.WriteString(tr(lang, "confirm.linkCode", secret))
		} else {
			b.WriteString(tr(lang, "confirm.code", secret))
		}
		b.WriteString(tr(lang, "confirm.notYou"))
	case KindProjectAdded:
		p, err := s.visible(ctx, u.ID, authz.ProjectRef(m.Params["projectId"]))
		if err != nil || p == "" {
			return nil, "The recipient can no longer see the project.", err
		}
		b.WriteString(tr(lang, "project.added", oneLine(m.Params["actor"]), oneLine(p)))
		s.openText(&b, lang, c)
	case KindTaskAssigned, KindTaskReviewed:
		t, err := s.visible(ctx, u.ID, authz.TaskRef(m.Params["taskId"]))
		if err != nil || t == "" {
			return nil, "The recipient can no longer see the task.", err
		}
		key := "task.assigned"
		if m.Kind == KindTaskReviewed {
			key = "task.approved"
			if m.Params["decision"] == "changes_requested" {
				key = "task.changes"
			}
		}
		b.WriteString(tr(lang, key, oneLine(m.Params["actor"]), oneLine(t)))
		s.openText(&b, lang, c)
	case KindGrantEnding:
		b.WriteString(tr(lang, "grant.ending", oneLine(m.Params["person"]), oneLine(m.Params["what"]), oneLine(m.Params["until"])))
		s.openText(&b, lang, c)
	case KindMentioned:
		th, err := s.visible(ctx, u.ID, authz.ThreadRef(m.Params["threadId"]))
		if err != nil || th == "" {
			return nil, "The recipient can no longer see the discussion.", err
		}
		// The message as it is now: an edit shows, a deletion stops the mail.
		msgRow, err := s.store.Message(ctx, m.Params["messageId"])
		if errors.Is(err, store.ErrNotFound) || (err == nil && msgRow.Deleted) {
			return nil, "The message was deleted.", nil
		}
		if err != nil {
			return nil, "", err
		}
		b.WriteString(tr(lang, "mentioned", oneLine(m.Params["actor"]), oneLine(th)))
		text := msgRow.Body
		if r := []rune(text); len(r) > 600 {
			text = string(r[:600]) + "…"
		}
		// Every line of it quoted, and nothing in it that could lay text out of its own
		// (messages refuse such characters; a mail never trusts that).
		for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || unicode.In(r, unicode.Zl, unicode.Zp) }) {
			line = strings.Map(func(r rune) rune {
				if breaksLayout(r) {
					return ' '
				}
				return r
			}, line)
			fmt.Fprintf(&b, "  > %s\n", line)
		}
		b.WriteString("\n")
		s.openText(&b, lang, c)
	case KindInvoice:
		number, err := s.visible(ctx, u.ID, authz.InvoiceRef(m.Params["invoiceId"]))
		if err != nil || number == "" {
			return nil, "The recipient can no longer see the invoice.", err
		}
		if s.invoicePDF == nil {
			return nil, "", errors.New("mail: invoices cannot be printed here")
		}
		name, pdf, err := s.invoicePDF(ctx, m.Params["invoiceId"])
		if err != nil {
			return nil, "", err
		}
		b.WriteString(tr(lang, "invoice.sent", oneLine(m.Params["issuer"]), oneLine(number)))
		b.WriteString(tr(lang, "invoice.seeIt"))
		s.openText(&b, lang, c)
		msg.attachments = append(msg.attachments, attachment{name: name, contentType: "application/pdf", data: pdf})
	case KindReviewDue:
		b.WriteString(tr(lang, "review.due"))
		s.openText(&b, lang, c)
	default:
		return nil, "Unknown kind of mail.", nil
	}
	if m.Kind != KindWelcome && m.Kind != KindReset && m.Kind != KindConfirmEmail && m.Kind != KindInvoice {
		b.WriteString(tr(lang, "notifications.off"))
	}
	msg.text = b.String()
	return msg, "", nil
}

// visible returns the name of what ref names when userID may see it now ("" when not).
func (s *Service) visible(ctx context.Context, userID string, ref authz.Ref) (string, error) {
	if err := s.authz.Check(s.authz.Actor(userID), authz.View, ref); err != nil {
		return "", nil
	}
	switch ref.Type {
	case authz.Project:
		p, err := s.store.Project(ctx, ref.ID)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return p.Name, nil
	case authz.Invoice:
		inv, err := s.store.Invoice(ctx, ref.ID)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return inv.Number, nil
	case authz.Thread:
		t, err := s.store.Thread(ctx, ref.ID)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return t.Title, nil
	default:
		t, err := s.store.Task(ctx, ref.ID)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return t.Title, nil
	}
}

// secretOf opens what a welcome or reset mail carries; a link that was used, replaced or
// expired cancels the mail.
func (s *Service) secretOf(ctx context.Context, m *store.Mail) (secret, cancel string, err error) {
	if m.Params[paramWith] == withLink {
		hash, _ := hex.DecodeString(m.Params[paramLink])
		l, err := s.store.PasswordLink(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			return "", "The link it carried no longer exists.", nil
		}
		if err != nil {
			return "", "", err
		}
		if ok, err := s.store.LinkValid(ctx, l, s.now()); err != nil {
			return "", "", err
		} else if !ok {
			return "", "The link it carried was used, replaced or expired, or the account changed since (email, role or password).", nil
		}
	}
	if m.Secret == nil {
		return "", "What it carried is gone.", nil
	}
	secret, err = s.seal.Open(m.ID, m.Secret)
	if err != nil {
		return "", "It cannot be sent from this computer: " + err.Error(), nil
	}
	return secret, "", nil
}

// SetPasswordLink is the link that opens the set-password page with token: the token
// rides in the fragment, which browsers never send to a server (nor keep in a Referer).
func SetPasswordLink(base, token string) string {
	return base + "/#/set-password?token=" + token
}

// LinkBase is where links in mails point: the address set in Settings → Email, else the
// address `gatehouse serve` answers at, else "" (the window: people type the code).
func (s *Service) LinkBase(ctx context.Context) string {
	c, err := s.store.EmailSettings(ctx)
	if err != nil {
		return ""
	}
	return s.appURL(c)
}

// AppURL is the address of Gatehouse named in Settings → Email ("" when none is): where
// people reach it from elsewhere (links in mails, the payment gateway's way back).
func (s *Service) AppURL(ctx context.Context) (string, error) {
	c, err := s.store.EmailSettings(ctx)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(c.AppURL, "/"), nil
}

func (s *Service) appURL(c *store.EmailSettings) string {
	if c.AppURL != "" {
		return c.AppURL
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.servedAt
}

func (s *Service) signInText(b *bytes.Buffer, lang string, c *store.EmailSettings, email string, m *store.Mail, secret string) {
	url := s.appURL(c)
	if m.Params[paramWith] == withPassword {
		if url != "" {
			b.WriteString(tr(lang, "signIn.at", url))
		} else {
			b.WriteString(tr(lang, "signIn.app"))
		}
		b.WriteString(tr(lang, "signIn.credentials", email, secret))
		return
	}
	ttl := tr(lang, "ttl.welcome")
	if m.Kind == KindReset {
		ttl = tr(lang, "ttl.reset")
	}
	if url != "" {
		b.WriteString(tr(lang, "link.choose", ttl, SetPasswordLink(url, secret)))
		b.WriteString(tr(lang, "link.then", url, email))
		b.WriteString(tr(lang, "link.code", secret))
		return
	}
	b.WriteString(tr(lang, "code.only", ttl, secret))
	b.WriteString(tr(lang, "code.then", email))
}

func (s *Service) openText(b *bytes.Buffer, lang string, c *store.EmailSettings) {
	if url := s.appURL(c); url != "" {
		b.WriteString(tr(lang, "open.url", url))
	} else {
		b.WriteString(tr(lang, "open.app"))
	}
}

// breaksLayout reports characters that can lay text out of its own in a mail: controls,
// line and paragraph separators, and bidirectional overrides and isolates.
func breaksLayout(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200E || r == 0x200F || r == 0x061C
}

// oneLine is a name or title as a mail quotes it: on one line (line breaks, separators,
// bidi overrides and other control characters become spaces) and at most 200 characters, so what people type
// can never write paragraphs of its own into a mail from the organisation.
func oneLine(s string) string {
	s = strings.Join(strings.FieldsFunc(s, breaksLayout), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
