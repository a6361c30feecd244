// Package mail sends Gatehouse's email: Settings → Email (the SMTP password in the
// keychain), the outbox (a mail is queued in the transaction of the change that causes it
// and sent after the commit by one sender that retries with backoff and survives
// restarts), one-time set-password links, and the notification mails people can switch
// off. Mails are rendered when they are sent, so they name only what the recipient may
// see at that moment. SMTP is github.com/wneessen/go-mail.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"

	gomail "github.com/wneessen/go-mail"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
	"gatehouse/backend/write"
)

// Options change how mail is sent (tests).
type Options struct {
	// RootCAs, when set, are the certificate authorities trusted for the SMTP server's
	// certificate instead of the system's (a test server's self-signed certificate).
	RootCAs *x509.CertPool
	// Backoff is the wait before attempt n+1 after n failed attempts (default: 30 s,
	// doubling, at most an hour).
	Backoff func(failed int) time.Duration
	// MaxAttempts is how many times a mail is tried before it fails for good (default 10).
	MaxAttempts int
	// Timeout bounds one SMTP conversation (default 30 s).
	Timeout time.Duration
}

func (o *Options) defaults() {
	if o.Backoff == nil {
		o.Backoff = func(failed int) time.Duration {
			d := 30 * time.Second << min(failed-1, 7)
			return min(d, time.Hour)
		}
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 10
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
}

// Service is Settings → Email, the outbox and its sender.
type Service struct {
	store   *store.Store
	authz   *authz.Authorizer
	write   *write.Path
	secrets secrets.Store
	ns      string
	seal    *secrets.Sealer
	opts    Options
	now     func() time.Time
	log     *slog.Logger

	// invoicePDF prints an invoice for its mail (set by SetInvoicePDF).
	invoicePDF func(ctx context.Context, invoiceID string) (name string, pdf []byte, err error)

	mu sync.Mutex
	// servedAt is where `gatehouse serve` answers: the sign-in address in mails when
	// Settings → Email names none.
	servedAt string
}

// New returns the mail service of one data folder; ns is its keychain namespace.
func New(st *store.Store, az *authz.Authorizer, sec secrets.Store, ns string, now func() time.Time, log *slog.Logger, opts Options) *Service {
	opts.defaults()
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, secrets: sec, ns: ns,
		seal: secrets.NewSealer(sec, ns+"/outbox-key", "outbox key"), opts: opts, now: now, log: log}
}

// SetInvoicePDF gives the service what prints an invoice, to attach to its mail when the
// mail goes out (the invoice as it is then).
func (s *Service) SetInvoicePDF(f func(ctx context.Context, invoiceID string) (string, []byte, error)) {
	s.invoicePDF = f
}

// ServedAt tells the service where `gatehouse serve` answers (the sign-in address in mails
// when Settings → Email names none).
func (s *Service) ServedAt(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.servedAt = strings.TrimRight(url, "/")
}

func (s *Service) passwordKey() string { return s.ns + "/smtp-password" }

// Settings is Settings → Email as people see it: the password itself is never part of it.
type Settings struct {
	store.EmailSettings
	Configured     bool
	Warning        apperr.Text
	SecretsWarning apperr.Text
}

var insecureWarning = apperr.Textf("Mail is sent without encryption: SMTP passwords, sign-in links and passwords in welcome mails can be read on the network. Use STARTTLS or TLS unless the server is on this computer.")

func (s *Service) view(c *store.EmailSettings) *Settings {
	v := &Settings{EmailSettings: *c, Configured: c.Configured(), SecretsWarning: s.secrets.Warning()}
	if c.Security == "none" && c.Host != "" {
		v.Warning = insecureWarning
	}
	return v
}

// Settings returns Settings → Email to holders of settings.email.
func (s *Service) Settings(ctx context.Context, actor authz.Actor) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsEmail, authz.Ref{}); err != nil {
		return nil, err
	}
	c, err := s.store.EmailSettings(ctx)
	if err != nil {
		return nil, err
	}
	return s.view(c), nil
}

// Configured reports whether mail is sent (a server and a sender are set).
func (s *Service) Configured(ctx context.Context) (bool, error) {
	c, err := s.store.EmailSettings(ctx)
	if err != nil {
		return false, err
	}
	return c.Configured(), nil
}

// SettingsRequest changes Settings → Email; nil fields stay as they are. An empty
// Password keeps the stored one; ClearPassword removes it.
type SettingsRequest struct {
	Host, Security, Username, Password, FromName, FromAddress, AppURL *string
	Port                                                              *int
	ClearPassword                                                     bool
	NotifyProject, NotifyAssigned, NotifyReviewed, NotifyMentioned    *bool
}

func hasControl(s string) bool { return strings.ContainsFunc(s, unicode.IsControl) }

var hostName = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

// checkHost accepts a host name or an IP address.
func checkHost(raw string) (string, error) {
	h := strings.TrimSpace(raw)
	if h == "" {
		return "", nil
	}
	if ip := net.ParseIP(strings.Trim(h, "[]")); ip != nil {
		return ip.String(), nil
	}
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if len(h) > 253 || !hostName.MatchString(h) {
		return "", apperr.Field("host", "Enter the SMTP server's name, like smtp.example.com (no scheme, no port).")
	}
	return h, nil
}

// CheckAppURL accepts an http(s) address without a query, and drops a trailing slash.
func checkAppURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" ||
		u.Fragment != "" || hasControl(s) || len(s) > 500 {
		return "", apperr.Field("appUrl", "Enter the address people open Gatehouse at, like http://office-server:8787.")
	}
	return strings.TrimRight(s, "/"), nil
}

// rerouted reports whether going from a to b (by req) changes where mail and password
// links go: the server, its security and account, the sender, the address in links.
// That takes Trust; the sender's name and the notifications do not.
func rerouted(a, b *store.EmailSettings, req SettingsRequest) bool {
	return a.Host != b.Host || a.Port != b.Port || a.Security != b.Security || a.Username != b.Username ||
		a.FromAddress != b.FromAddress || a.AppURL != b.AppURL || (req.Password != nil && *req.Password != "") || req.ClearPassword
}

// CheckSender accepts one plain address (no display name: that is the sender name).
func checkSender(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || len(s) > 254 || hasControl(s) {
		return "", apperr.Field("fromAddress", "Enter one email address, like gatehouse@example.com.")
	}
	return s, nil
}

// apply checks req and applies it to c; it returns the changed field names.
func (req *SettingsRequest) apply(c *store.EmailSettings) ([]string, error) {
	var changed []string
	set := func(field string, dst *string, v string) {
		if *dst != v {
			changed = append(changed, field)
			*dst = v
		}
	}
	if req.Host != nil {
		h, err := checkHost(*req.Host)
		if err != nil {
			return nil, err
		}
		set("host", &c.Host, h)
	}
	if req.Port != nil {
		if *req.Port < 1 || *req.Port > 65535 {
			return nil, apperr.Field("port", "The port is a number from 1 to 65535 (usually 587 for STARTTLS, 465 for TLS).")
		}
		if *req.Port != c.Port {
			changed = append(changed, "port")
			c.Port = *req.Port
		}
	}
	if req.Security != nil {
		switch *req.Security {
		case "starttls", "tls", "none":
		default:
			return nil, apperr.Field("security", "Security is starttls, tls or none.")
		}
		set("security", &c.Security, *req.Security)
	}
	if req.Username != nil {
		u := strings.TrimSpace(*req.Username)
		if len(u) > 256 || hasControl(u) {
			return nil, apperr.Field("username", "The user name is at most 256 characters, on one line.")
		}
		set("username", &c.Username, u)
	}
	if req.FromName != nil {
		n := strings.TrimSpace(*req.FromName)
		if len([]rune(n)) > 100 || hasControl(n) {
			return nil, apperr.Field("fromName", "The sender name is at most 100 characters, on one line.")
		}
		set("fromName", &c.FromName, n)
	}
	if req.FromAddress != nil {
		a, err := checkSender(*req.FromAddress)
		if err != nil {
			return nil, err
		}
		set("fromAddress", &c.FromAddress, a)
	}
	if req.AppURL != nil {
		u, err := checkAppURL(*req.AppURL)
		if err != nil {
			return nil, err
		}
		set("appUrl", &c.AppURL, u)
	}
	for _, b := range []struct {
		name string
		dst  *bool
		v    *bool
	}{{"notifications.projectAdded", &c.NotifyProject, req.NotifyProject}, {"notifications.taskAssigned", &c.NotifyAssigned, req.NotifyAssigned},
		{"notifications.taskReviewed", &c.NotifyReviewed, req.NotifyReviewed}, {"notifications.mentioned", &c.NotifyMentioned, req.NotifyMentioned}} {
		if b.v != nil && *b.v != *b.dst {
			changed = append(changed, b.name)
			*b.dst = *b.v
		}
	}
	if c.Host != "" && c.FromAddress == "" {
		return nil, apperr.Field("fromAddress", "Enter the address mail is sent from.")
	}
	if req.Password != nil && (len(*req.Password) > 512 || hasControl(*req.Password)) {
		// The message never repeats the value.
		return nil, apperr.Field("password", "The SMTP password is at most 512 characters, on one line.")
	}
	return changed, nil
}

// errKeychain turns a secrets error into what a person can act on: 503 with advice when
// the keychain cannot be reached.
func errKeychain(err error) error { return secrets.Explain(err) }

// UpdateSettings changes Settings → Email. The password goes to the keychain first; when
// the keychain cannot be reached nothing changes and the answer says so.
func (s *Service) UpdateSettings(ctx context.Context, actor authz.Actor, req SettingsRequest) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsEmail, authz.Ref{}); err != nil {
		return nil, err
	}
	// Validate before touching the keychain: a bad field changes nothing anywhere.
	current, err := s.store.EmailSettings(ctx)
	if err != nil {
		return nil, err
	}
	probe := *current
	if _, err := req.apply(&probe); err != nil {
		return nil, err
	}
	newPassword := req.Password != nil && *req.Password != ""
	if err := s.authz.Check(actor, authz.SettingsEmail, authz.Ref{}, authz.Change{Trust: rerouted(current, &probe, req)}); err != nil {
		return nil, err
	}
	// The stored password never follows the mail to another server or account: a
	// change of server, port, security or user name drops it unless a new one comes along.
	if !newPassword && probe.PasswordSet && (probe.Host != current.Host || probe.Port != current.Port ||
		probe.Security != current.Security || probe.Username != current.Username) {
		req.ClearPassword = true
	}
	if newPassword {
		if err := s.secrets.Set(s.passwordKey(), *req.Password); err != nil {
			return nil, errKeychain(err)
		}
	} else if req.ClearPassword {
		if err := s.secrets.Delete(s.passwordKey()); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return nil, errKeychain(err)
		}
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Settings, write.Effect, error) {
		c, err := tx.EmailSettings(ctx)
		if err != nil {
			return nil, write.Effect{}, err
		}
		was := *c
		changed, err := req.apply(c)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if err := w.Check(actor, authz.SettingsEmail, authz.Ref{}, authz.Change{Trust: rerouted(&was, c, req)}); err != nil {
			return nil, write.Effect{}, err
		}
		switch {
		case newPassword:
			c.PasswordSet = true
			changed = append(changed, "password")
		case req.ClearPassword && c.PasswordSet:
			c.PasswordSet = false
			changed = append(changed, "password removed")
		}
		if err := tx.UpdateEmailSettings(ctx, c, s.now()); err != nil {
			return nil, write.Effect{}, err
		}
		var eff write.Effect
		if len(changed) > 0 {
			details := map[string]any{"changed": changed}
			// Where mail and links go, before and after (never the password).
			for _, f := range []struct{ name, old, new string }{{"host", was.Host, c.Host}, {"fromAddress", was.FromAddress, c.FromAddress},
				{"appUrl", was.AppURL, c.AppURL}} {
				if f.old != f.new {
					details[f.name] = []string{f.old, f.new}
				}
			}
			eff.Audit = []audit.Entry{{Action: "settings.email", TargetType: "settings", TargetName: "Email", Details: details}}
		}
		return s.view(c), eff, nil
	})
}

// TestResult is what the SMTP server answered to a test mail.
type TestResult struct {
	OK    bool
	Reply string
}

// Test sends a mail now, not through the outbox, with the saved settings, to to (the
// asker's own address when empty), and reports the server's answer.
func (s *Service) Test(ctx context.Context, actor authz.Actor, to string) (*TestResult, error) {
	if err := s.authz.Check(actor, authz.SettingsEmail, authz.Ref{}); err != nil {
		return nil, err
	}
	c, err := s.store.EmailSettings(ctx)
	if err != nil {
		return nil, err
	}
	if !c.Configured() {
		return nil, apperr.New(apperr.Conflict, "email_not_configured", "Save an SMTP server and a sender address first.")
	}
	me, err := s.store.User(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	to = strings.TrimSpace(to)
	if to == "" {
		to = me.Email
	} else if a, err := mail.ParseAddress(to); err != nil || a.Address != to || hasControl(to) || len(to) > 254 {
		return nil, apperr.Field("to", "Enter one email address.")
	}
	password, err := s.password(c)
	if err != nil {
		return nil, errKeychain(err)
	}
	m := &message{to: to, toName: me.Name, subject: "Gatehouse test email",
		text: "This is a test email from Gatehouse.\n\nIf you can read it, Settings → Email works: welcome mails, password resets and notifications will reach people.\n"}
	reply, err := s.deliver(ctx, c, password, m)
	if err != nil {
		return &TestResult{OK: false, Reply: failure(err).reason}, nil
	}
	return &TestResult{OK: true, Reply: reply}, nil
}

// password reads the SMTP password from the keychain ("" when none is stored).
func (s *Service) password(c *store.EmailSettings) (string, error) {
	if !c.PasswordSet {
		return "", nil
	}
	pw, err := s.secrets.Get(s.passwordKey())
	if errors.Is(err, secrets.ErrNotFound) {
		return "", errors.New("the SMTP password is not in this computer's keychain: enter it again in Settings → Email")
	}
	return pw, err
}

// message is a rendered mail.
type message struct {
	to, toName, subject, text string
	attachments               []attachment
}

// attachment is a file a mail carries.
type attachment struct {
	name, contentType string
	data              []byte
}

// deliver sends m over SMTP with the settings c and returns the server's answer.
func (s *Service) deliver(ctx context.Context, c *store.EmailSettings, password string, m *message) (string, error) {
	msg := gomail.NewMsg()
	// net/mail quotes display names properly (a name may hold quotes or a backslash).
	if _, err := mail.ParseAddress(m.to); err != nil {
		return "", permanentError{"the recipient's address is not valid"}
	}
	msg.FromMailAddress(&mail.Address{Name: s.fromName(ctx, c), Address: c.FromAddress})
	msg.AddToMailAddress(&mail.Address{Name: m.toName, Address: m.to})
	msg.Subject(m.subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.text)
	for _, a := range m.attachments {
		if err := msg.AttachReader(a.name, bytes.NewReader(a.data), gomail.WithFileContentType(gomail.ContentType(a.contentType))); err != nil {
			return "", err
		}
	}
	msg.SetDate()
	msg.SetMessageID()
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(s.opts.Timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: c.Host, RootCAs: s.opts.RootCAs, MinVersion: tls.VersionTLS12})}
	switch c.Security {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(c.Username), gomail.WithPassword(password))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	// A mail the server accepted is sent, even when what follows (RSET, QUIT) fails: trying
	// it again would deliver it twice.
	if err := client.DialAndSendWithContext(ctx, msg); err != nil && !msg.IsDelivered() {
		return "", err
	}
	return msg.ServerResponse(), nil
}

// fromName is the sender's name: Settings → Email's, else the organisation's, else
// "Gatehouse".
func (s *Service) fromName(ctx context.Context, c *store.EmailSettings) string {
	if c.FromName != "" {
		return c.FromName
	}
	if o, err := s.store.Organisation(ctx); err == nil && o.Name != "" {
		return o.Name
	}
	return "Gatehouse"
}

// outcome is a failed delivery as the log shows it: the server's answer or why it could
// not be reached, and whether trying again may help.
type outcome struct {
	reason    string
	permanent bool
}

// permanentError is a failure that no retry can mend.
type permanentError struct{ reason string }

func (e permanentError) Error() string { return e.reason }

// recipients is go-mail's suffix naming the addresses a send error concerns: the log
// says what the server answered, never to whom (the recipient column does, to those who
// may see them).
var recipients = regexp.MustCompile(`,?\s*affected recipient\(s\):?[^,]*`)

func failure(err error) outcome {
	var se *gomail.SendError
	var pe permanentError
	reason := err.Error()
	permanent := errors.As(err, &pe)
	if errors.As(err, &se) {
		if code := se.ErrorCode(); code >= 500 && code < 600 {
			permanent = true
		}
		reason = recipients.ReplaceAllString(se.Error(), "")
		if code := se.ErrorCode(); code != 0 {
			head := fmt.Sprintf("the server answered %d", code)
			if esc := se.EnhancedStatusCode(); esc != "" {
				head += " " + esc
			}
			reason = head + ": " + reason
		}
	}
	if len(reason) > 500 {
		reason = reason[:500] + "…"
	}
	return outcome{reason: reason, permanent: permanent}
}
