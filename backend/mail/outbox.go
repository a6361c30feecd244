package mail

import (
	"context"
	"encoding/hex"
	"errors"
	"maps"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
)

// Kinds of mail.
const (
	KindWelcome      = "welcome"
	KindReset        = "reset"
	KindProjectAdded = "projectAdded"
	KindTaskAssigned = "taskAssigned"
	KindTaskReviewed = "taskReviewed"
	KindConfirmEmail = "confirmEmail"
	KindMentioned    = "mentioned"
	// KindInvoice is an invoice sent to a client, with its PDF: a document, not a
	// notification, so it goes whenever email is set up.
	KindInvoice = "invoice"
	// KindGrantEnding: extra access (backend/grants) ends in a few days.
	KindGrantEnding = "grantEnding"
	// KindReviewDue reminds the owner, once a quarter, that no access review was closed
	// in the last 90 days (backend/reviews): a duty, not a notification one turns off.
	KindReviewDue = "reviewDue"
	// SubjectReviewDue is its subject in the outbox's log.
	SubjectReviewDue   = "An access review is due"
	subjectMentioned   = "You were mentioned in a discussion"
	EmailLinkTTL       = 24 * time.Hour
	subjectConfirm     = "Confirm your new Gatehouse email"
	WelcomeLinkTTL     = 72 * time.Hour
	ResetLinkTTL       = 30 * time.Minute
	subjectWelcome     = "Welcome to Gatehouse"
	subjectReset       = "Reset your Gatehouse password"
	subjectProject     = "You were added to a project"
	subjectTask        = "A task was assigned to you"
	subjectTaskReview  = "A client reviewed your task"
	paramLink          = "link" // hex SHA-256 of the link token the mail carries
	paramWith          = "with" // what a welcome mail carries: link or password
	withPassword       = "password"
	withLink           = "link"
	notificationsLabel = "notification"
)

// Notifications are the notification mails, in the order people see them.
var Notifications = []struct{ Key, Label string }{
	{KindProjectAdded, "I am added to a project"},
	{KindTaskAssigned, "A task is assigned to me"},
	{KindTaskReviewed, "A client approves or requests changes on my task"},
	{KindMentioned, "Someone mentions me in a project discussion"},
}

// Prepared is a welcome or reset mail made ready before its write (sealing what it
// carries reads the keychain, which must not happen under the write lock); Write stores
// its link in the write's transaction, and Mail goes into the write's effect.
type Prepared struct {
	Mail *store.Mail
	Link *store.PasswordLink
	// Token is the link's token, for the one who asked when no mail is sent (an import
	// without email: the links are handed over by the admin).
	Token string
}

// Write stores the link (ending the person's earlier links) and cancels their earlier
// welcome and reset mails that were not sent yet, in tx.
func (p *Prepared) Write(ctx context.Context, tx *store.Store) error {
	if p.Link != nil && p.Mail == nil {
		return tx.CreatePasswordLink(ctx, p.Link)
	}
	if err := tx.CancelUserMails(ctx, p.Mail.ToUserID, "Replaced by a newer mail.", KindWelcome, KindReset, KindConfirmEmail); err != nil {
		return err
	}
	if p.Link != nil {
		return tx.CreatePasswordLink(ctx, p.Link)
	}
	return nil
}

// Recipient is who a welcome or reset mail goes to.
type Recipient struct{ ID, Name, Email string }

// PrepareWelcome makes the welcome mail of a new account: with password, the mail
// carries it (sealed until sent); otherwise a one-time set-password link valid 72 hours.
func (s *Service) PrepareWelcome(to Recipient, password string) (*Prepared, error) {
	if password != "" {
		return s.prepare(to, KindWelcome, subjectWelcome, map[string]string{paramWith: withPassword}, password, nil)
	}
	return s.prepareLink(to, KindWelcome, subjectWelcome, WelcomeLinkTTL)
}

// PrepareEmailConfirm makes the mail that confirms newEmail as the address of the
// account to, sent to newEmail itself, with a one-time link valid 24 hours.
func (s *Service) PrepareEmailConfirm(to Recipient, newEmail string) (*Prepared, error) {
	p, err := s.prepareLink(Recipient{ID: to.ID, Name: to.Name, Email: newEmail}, KindConfirmEmail, subjectConfirm, EmailLinkTTL)
	if err != nil {
		return nil, err
	}
	p.Link.Purpose, p.Link.NewEmail = "email", newEmail
	return p, nil
}

// PrepareReset makes a password reset mail with a one-time link valid 30 minutes.
func (s *Service) PrepareReset(to Recipient) (*Prepared, error) {
	return s.prepareLink(to, KindReset, subjectReset, ResetLinkTTL)
}

// PrepareLink makes a welcome link made at now without a mail to send (email is not set
// up): the returned Prepared's Mail is nil and Token is to be handed over.
func PrepareLink(to Recipient, now time.Time) (*Prepared, error) {
	token, hash, err := NewToken()
	if err != nil {
		return nil, err
	}
	return &Prepared{Token: token, Link: &store.PasswordLink{TokenHash: hash, UserID: to.ID, Purpose: KindWelcome, CreatedAt: now,
		ExpiresAt: now.Add(WelcomeLinkTTL)}}, nil
}

func (s *Service) prepareLink(to Recipient, kind, subject string, ttl time.Duration) (*Prepared, error) {
	token, hash, err := NewToken()
	if err != nil {
		return nil, err
	}
	now := s.now()
	link := &store.PasswordLink{TokenHash: hash, UserID: to.ID, Purpose: kind, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	p, err := s.prepare(to, kind, subject, map[string]string{paramWith: withLink, paramLink: hex.EncodeToString(hash)}, token, link)
	if p != nil {
		p.Token = token
	}
	return p, err
}

func (s *Service) prepare(to Recipient, kind, subject string, params map[string]string, secret string, link *store.PasswordLink) (*Prepared, error) {
	id := uuid.NewString()
	sealed, err := s.seal.Seal(id, secret)
	if err != nil {
		return nil, errKeychain(err)
	}
	return &Prepared{Link: link, Mail: &store.Mail{ID: id, Kind: kind, ToUserID: to.ID, To: to.Email, Subject: subject,
		Params: params, Secret: sealed, CreatedAt: s.now()}}, nil
}

// Notify makes a notification mail to userID about what params name, or nil when it is
// not to be sent: email is not set up, the owner turned this kind off, the person did,
// or they are the one who acted. It reads in tx (the write's transaction); what the mail
// names is decided again when it is sent.
func (s *Service) Notify(ctx context.Context, tx *store.Store, actor authz.Actor, kind, userID string, params map[string]string) (*store.Mail, error) {
	if userID == "" || userID == actor.UserID {
		return nil, nil
	}
	c, err := tx.EmailSettings(ctx)
	if err != nil {
		return nil, err
	}
	on := map[string]bool{KindProjectAdded: c.NotifyProject, KindTaskAssigned: c.NotifyAssigned, KindTaskReviewed: c.NotifyReviewed, KindMentioned: c.NotifyMentioned,
		KindInvoice: true}
	if !c.Configured() || !on[kind] {
		return nil, nil
	}
	if kind != KindInvoice {
		prefs, err := tx.NotificationPrefs(ctx, userID)
		if err != nil {
			return nil, err
		}
		if enabled, set := prefs[kind]; set && !enabled {
			return nil, nil
		}
	}
	u, err := tx.User(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if u.Status != store.StatusActive {
		return nil, nil
	}
	if params["actor"] == "" {
		params = maps.Clone(params)
		params["actor"] = "Someone"
		if a, err := tx.User(ctx, actor.UserID); err == nil {
			params["actor"] = a.Name
		}
	}
	subject := map[string]string{KindProjectAdded: subjectProject, KindTaskAssigned: subjectTask, KindTaskReviewed: subjectTaskReview, KindMentioned: subjectMentioned}[kind]
	if kind == KindInvoice {
		subject = "Invoice " + oneLine(params["number"]) + " from " + oneLine(params["issuer"])
	}
	return &store.Mail{ID: uuid.NewString(), Kind: kind, ToUserID: u.ID, To: u.Email, Subject: subject, Params: params, CreatedAt: s.now()}, nil
}

// Prefs is one person's notification mails.
type Prefs struct {
	Items []Pref
	// EmailConfigured: mail is sent at all.
	EmailConfigured bool
}

// Pref is one kind of notification mail for one person.
type Pref struct {
	Key, Label          string
	Enabled, OffByOwner bool
}

// MyPrefs returns the actor's notification mails.
func (s *Service) MyPrefs(ctx context.Context, actor authz.Actor) (*Prefs, error) {
	if actor.Viewer != "" {
		return nil, apperr.New(apperr.Forbidden, "view_as_own", "One's notification mails are one's own: they are not shown while viewing as someone else.")
	}
	c, err := s.store.EmailSettings(ctx)
	if err != nil {
		return nil, err
	}
	mine, err := s.store.NotificationPrefs(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	owner := map[string]bool{KindProjectAdded: c.NotifyProject, KindTaskAssigned: c.NotifyAssigned, KindTaskReviewed: c.NotifyReviewed, KindMentioned: c.NotifyMentioned}
	out := &Prefs{EmailConfigured: c.Configured()}
	for _, n := range Notifications {
		enabled, set := mine[n.Key]
		out.Items = append(out.Items, Pref{Key: n.Key, Label: n.Label, Enabled: enabled || !set, OffByOwner: !owner[n.Key]})
	}
	return out, nil
}

// SetMyPrefs turns the actor's notification mails on or off; nil entries stay.
func (s *Service) SetMyPrefs(ctx context.Context, actor authz.Actor, set map[string]*bool) (*Prefs, error) {
	err := s.store.RunInTx(ctx, func(tx *store.Store) error {
		for _, n := range Notifications {
			if v := set[n.Key]; v != nil {
				if err := tx.SetNotificationPref(ctx, actor.UserID, n.Key, *v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.MyPrefs(ctx, actor)
}

// emailShaped is anything that may be an address in a server's answer.
var emailShaped = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)

// HiddenRecipient stands in the email log for an address its reader may not see.
const HiddenRecipient = "someone you cannot see"

// LogPage is one page of the email log.
type LogPage struct {
	Mails []*store.Mail
	Next  string
	Total int
}

// Log returns the email log, newest first, to holders of settings.email.
func (s *Service) Log(ctx context.Context, actor authz.Actor, state string, limit int, cursor string) (*LogPage, error) {
	if err := s.authz.Check(actor, authz.SettingsEmail, authz.Ref{}); err != nil {
		return nil, err
	}
	switch state {
	case "", store.MailQueued, store.MailSent, store.MailFailed, store.MailCancelled:
	default:
		return nil, apperr.Field("state", "State is queued, sent, failed or cancelled.")
	}
	if limit == 0 {
		limit = 50
	}
	if limit < 1 || limit > 200 {
		return nil, apperr.Field("limit", "The limit is between 1 and 200.")
	}
	f := store.MailFilter{State: state, Limit: limit}
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n < 1 {
			return nil, apperr.Field("cursor", "The cursor is not valid for this list; start again from the first page.")
		}
		f.Before = n
	}
	mails, total, err := s.store.Mails(ctx, f)
	if err != nil {
		return nil, err
	}
	// The log names only people the reader may see (a settings.email holder may not
	// manage accounts, or not every kind).
	for _, m := range mails {
		s.mask(actor, m)
	}
	p := &LogPage{Mails: mails, Total: total}
	if len(mails) == limit {
		p.Next = strconv.FormatInt(mails[len(mails)-1].Seq, 10)
	}
	return p, nil
}

// Retry tries a queued or failed mail again now.
func (s *Service) Retry(ctx context.Context, actor authz.Actor, id string) (*store.Mail, error) {
	if err := s.authz.Check(actor, authz.SettingsEmail, authz.Ref{}); err != nil {
		return nil, err
	}
	if err := s.store.RetryMail(ctx, id, s.now()); err != nil {
		if errors.Is(err, store.ErrConflict) {
			if _, gerr := s.store.Mail(ctx, id); gerr != nil {
				return nil, apperr.NotFoundf("No such mail.")
			}
			return nil, apperr.New(apperr.Conflict, "mail_done", "This mail was sent or cancelled; it is not tried again.")
		}
		return nil, err
	}
	s.store.MailQueued()
	m, err := s.store.Mail(ctx, id)
	if err == nil {
		s.mask(actor, m)
	}
	return m, err
}

// mask hides the recipient of m from a reader who may not see them, in every field that
// could name them.
func (s *Service) mask(actor authz.Actor, m *store.Mail) {
	if s.authz.Check(actor, authz.View, authz.UserRef(m.ToUserID)) == nil {
		return
	}
	m.LastError = emailShaped.ReplaceAllString(m.LastError, HiddenRecipient)
	m.To = HiddenRecipient
}
