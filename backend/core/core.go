// Package core assembles the backend for one data folder: it takes the folder's lock,
// opens the store, builds the authorization index and the services, and hands out the
// HTTP handler. The window, `serve` and the `admin` commands all start here.
package core

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"gatehouse/backend/access"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/backup"
	"gatehouse/backend/blobs"
	"gatehouse/backend/boards"
	"gatehouse/backend/chat"
	"gatehouse/backend/companies"
	"gatehouse/backend/costs"
	"gatehouse/backend/datadir"
	"gatehouse/backend/discussions"
	"gatehouse/backend/engagement"
	"gatehouse/backend/files"
	"gatehouse/backend/grants"
	"gatehouse/backend/httpapi"
	"gatehouse/backend/identity"
	"gatehouse/backend/invoices"
	"gatehouse/backend/lint"
	"gatehouse/backend/mail"
	"gatehouse/backend/organisation"
	"gatehouse/backend/payments"
	"gatehouse/backend/projects"
	"gatehouse/backend/reports"
	"gatehouse/backend/reviews"
	"gatehouse/backend/rolebook"
	"gatehouse/backend/roles"
	"gatehouse/backend/secrets"
	"gatehouse/backend/store"
	"gatehouse/backend/tasks"
	"gatehouse/backend/teams"
	"gatehouse/backend/users"
)

// Version is the application version shown in /api/status.
var Version = "0.1.0"

// Core is an opened data folder and the services over it.
type Core struct {
	Dir         string
	Store       *store.Store
	Authz       *authz.Authorizer
	Identity    *identity.Service
	Users       *users.Service
	Roles       *roles.Service
	Audit       *audit.Service
	Projects    *projects.Service
	Teams       *teams.Service
	Boards      *boards.Service
	Tasks       *tasks.Service
	Access      *access.Service
	Mail        *mail.Service
	Files       *files.Service
	Discussions *discussions.Service
	Chat        *chat.Service
	Companies   *companies.Service
	Costs       *costs.Service
	Invoices    *invoices.Service
	Payments    *payments.Service
	// Organisation is Settings → General.
	Organisation *organisation.Service
	Reports      *reports.Service
	// Engagement is client login history and engagement (activity.clients).
	Engagement *engagement.Service
	// Lint is the permission lint (roles.manage).
	Lint     *lint.Service
	RoleBook *rolebook.Service
	Backups  *backup.Service
	// Reviews are access review campaigns (roles.manage starts and closes them).
	Reviews *reviews.Service
	// Grants are extra grants beyond a role; stopGrants ends their every-minute expiry.
	Grants     *grants.Service
	stopGrants context.CancelFunc
	grantsDone chan struct{}
	Log        *slog.Logger
	lock       *datadir.Lock
	now        func() time.Time
	stopMail   context.CancelFunc
	mailDone   chan struct{}
	stopPrune  context.CancelFunc
	pruneDone  chan struct{}
	// Google sign-in and remembered sessions, with the secret store they use.
	Google   *identity.Google
	Remember *identity.Remember
	Secrets  secrets.Store
}

// Options change how a data folder is opened.
type Options struct {
	// InsecureFileSecrets keeps secrets in a plain file in the data folder instead of the
	// system keychain (--insecure-file-secrets); the UI shows a warning.
	InsecureFileSecrets bool
	// Secrets, when set, is the secret store to use (tests); otherwise the system keychain.
	Secrets secrets.Store
	// Mail changes how mail is sent (tests: a test server's certificate, short backoff).
	Mail mail.Options
	// MaxUpload is the largest file upload in bytes (0: files.DefaultMaxUpload).
	MaxUpload int64
	// StripeAPIURL, when set, is where Stripe's API is asked (tests: stripe-mock).
	StripeAPIURL string
	// Database, when set, is a PostgreSQL database (postgres://…) to use instead of the
	// SQLite file in the data folder, which then keeps only file contents, keys and
	// backups (serve --db).
	Database string
}

// Open takes dir (already resolved) for this process in the given mode and opens it.
func Open(ctx context.Context, dir, mode string, log *slog.Logger, opts ...Options) (*Core, error) {
	lock, err := datadir.Acquire(dir, mode)
	if err != nil {
		return nil, err
	}
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	var st *store.Store
	if o.Database != "" {
		st, err = store.OpenPostgres(ctx, o.Database, dir)
	} else {
		st, err = store.Open(ctx, filepath.Join(dir, "gatehouse.db"))
	}
	if err != nil {
		lock.Release()
		return nil, err
	}
	if o.InsecureFileSecrets && o.Secrets == nil {
		o.Secrets = secrets.NewFile(filepath.Join(dir, secrets.FileName))
		log.Warn("secrets are kept in a plain file (--insecure-file-secrets)", "file", filepath.Join(dir, secrets.FileName))
	}
	c, err := Start(ctx, st, log, time.Now, o)
	if err != nil {
		st.Close()
		lock.Release()
		return nil, err
	}
	c.Dir, c.lock = dir, lock
	// Content a crash left without its row goes before anyone can upload.
	if n, err := c.Files.Sweep(ctx); err != nil {
		log.Warn("could not sweep unused file contents", "err", err)
	} else if n > 0 {
		log.Info("removed unused file contents", "count", n)
	}
	// Expired sessions are only removed when used; sweeping at start keeps the table small.
	now := time.Now() // Open is the application's own start: its clock is the wall clock
	pol := c.Identity.Policy()
	if err := st.DeleteExpiredSessions(ctx, now, now.Add(-pol.SessionLifetime), now.Add(-pol.IdleTimeout)); err != nil {
		log.Warn("could not remove expired sessions", "err", err)
	}
	return c, nil
}

// Assemble builds the index and services over an open store, and waits for the index;
// now is the clock (tests pass one they can move).
func Assemble(ctx context.Context, st *store.Store, log *slog.Logger, now func() time.Time, opts ...Options) (*Core, error) {
	c, err := Start(ctx, st, log, now, opts...)
	if err != nil {
		return nil, err
	}
	if err := c.Authz.Wait(ctx); err != nil {
		return nil, err
	}
	// What ended while Gatehouse was closed has ended when Assemble returns (the
	// background start does the same; each grant ends once whoever comes first).
	c.tickGrants(ctx)
	return c, nil
}

// Start builds the services over an open store while the index loads in the background:
// the window can show at once, and every decision waits until the index is complete.
func Start(ctx context.Context, st *store.Store, log *slog.Logger, now func() time.Time, opts ...Options) (*Core, error) {
	az := authz.Start(context.WithoutCancel(ctx), st)
	c := &Core{Store: st, Authz: az, Log: log, now: now}
	c.Identity = identity.New(st, az, identity.DefaultConfig, now, log)
	// Settings → Security is in force from the first request.
	if err := c.Identity.LoadPolicy(ctx); err != nil {
		return nil, err
	}
	c.Users = users.New(st, az, now)
	c.Users.SetPasswordPolicy(c.Identity.MinPasswordLength)
	c.Roles = roles.New(st, az, now)
	c.Audit = audit.New(st, az, now)
	c.Audit.SetRetention(func() int { return c.Identity.Policy().ActivityRetentionDays })
	c.Projects = projects.New(st, az, now)
	c.Teams = teams.New(st, az, now)
	c.Boards = boards.New(st, az, now)
	c.Tasks = tasks.New(st, az, now)
	c.Access = access.New(st, az, now)
	// File contents live in the data folder's files/, beside the database.
	b, err := blobs.Open(filepath.Join(st.Dir(), "files"))
	if err != nil {
		return nil, err
	}
	c.Files = files.New(st, az, b, now, log)
	c.Discussions = discussions.New(st, az, now)
	c.Chat = chat.New(st, az, now)
	c.Companies = companies.New(st, az, now)
	c.Costs = costs.New(st, az, now)
	org, err := organisation.New(ctx, st, az, now)
	if err != nil {
		return nil, err
	}
	c.Organisation = org
	c.Reports = reports.New(st, az, org, now)
	c.Engagement = engagement.New(st, az, org, now)
	c.Lint = lint.New(st, az, now)
	c.RoleBook = rolebook.New(st, az, c.Roles, now)
	c.Backups = backup.New(st, az, now, log, Version)
	c.Backups.Sweep()
	c.Grants = grants.New(st, az, now, org.Location, log)
	c.Lint.SetGrantEnder(c.Grants.MayRevoke)
	c.Reviews = reviews.New(st, az, now, c.Users, c.Projects, c.Teams, c.Boards, c.Grants)
	c.Lint.SetGrantHeld(c.Grants.Held)
	c.Audit.SetLocation(org.Location)
	c.Invoices = invoices.New(st, az, now)
	c.Invoices.SetOrganisation(org)
	if len(opts) > 0 && opts[0].MaxUpload > 0 {
		c.Files.MaxUpload = opts[0].MaxUpload
	}
	sweep := func() {
		if _, err := c.Files.Sweep(context.WithoutCancel(ctx)); err != nil {
			log.Warn("could not remove deleted files' contents", "err", err)
		}
	}
	c.Projects.AfterDelete(sweep)
	c.Tasks.AfterDelete(sweep)
	if err := c.assembleSignIn(ctx, opts); err != nil {
		return nil, err
	}
	// The outbox's sender: mail queued before a restart goes out now, new mail after
	// each commit that queues it.
	mailCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	c.stopMail = stop
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Mail.Run(mailCtx)
	}()
	c.mailDone = done
	// The activity log's retention (Settings → Security): what is past it goes now and
	// every hour after (a shorter setting removes it at once itself).
	c.prune(ctx)
	pruneCtx, stopPrune := context.WithCancel(context.WithoutCancel(ctx))
	c.stopPrune, c.pruneDone = stopPrune, make(chan struct{})
	go func() {
		defer close(c.pruneDone)
		// The daily backup (Settings → Backups) when one is due: at start, then hourly.
		c.Backups.RunDue(pruneCtx)
		// The quarter's access review reminder, once the index is loaded, then hourly.
		c.remind(pruneCtx)
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-pruneCtx.Done():
				return
			case <-t.C:
				c.prune(pruneCtx)
				c.Backups.RunDue(pruneCtx)
				c.remind(pruneCtx)
			}
		}
	}()
	// Grants end on time even if Gatehouse was closed on their date: once the index is
	// loaded, and every minute after.
	grantsCtx, stopGrants := context.WithCancel(context.WithoutCancel(ctx))
	c.stopGrants, c.grantsDone = stopGrants, make(chan struct{})
	go func() {
		defer close(c.grantsDone)
		if az.Wait(grantsCtx) != nil {
			return
		}
		c.tickGrants(grantsCtx)
		c.Grants.Run(grantsCtx)
	}()
	return c, nil
}

// tickGrants ends the grants whose date has come and sends the reminders due.
func (c *Core) tickGrants(ctx context.Context) {
	if err := c.Grants.Tick(ctx); err != nil && ctx.Err() == nil {
		c.Log.Warn("could not end or remind of grants", "err", err)
	}
}

// remind queues the quarter's access review reminder to the owner when one is due (once
// a quarter: backend/reviews records it with its mail).
func (c *Core) remind(ctx context.Context) {
	if err := c.Authz.Wait(ctx); err != nil {
		return
	}
	if sent, err := c.Reviews.Remind(ctx); err != nil {
		c.Log.Warn("could not queue the access review reminder", "err", err)
	} else if sent {
		c.Log.Info("queued the quarter's access review reminder")
	}
}

// prune removes the activity log's entries past its retention.
func (c *Core) prune(ctx context.Context) {
	if n, err := c.Audit.Prune(ctx); err != nil {
		c.Log.Warn("could not remove activity past its retention", "err", err)
	} else if n > 0 {
		c.Log.Info("removed activity past its retention", "entries", n)
	}
}

// LoadAuthz builds the authorization index from the store.
func LoadAuthz(ctx context.Context, st *store.Store) (*authz.Authorizer, error) {
	return authz.Load(ctx, st)
}

// HandlerOptions says where the handler runs.
type HandlerOptions struct {
	InProcess    bool
	AllowedHosts []string
	Frontend     fs.FS
	// OpenBrowser opens a URL in the system browser (the window's Google sign-in).
	OpenBrowser func(url string) error
}

// Handler returns the API (and, in serve mode, the frontend) handler.
func (c *Core) Handler(o HandlerOptions) *httpapi.API {
	return httpapi.New(httpapi.Config{
		Identity: c.Identity, Users: c.Users, Roles: c.Roles, Audit: c.Audit, Authz: c.Authz, Log: c.Log, Version: Version,
		Projects: c.Projects, Teams: c.Teams, Boards: c.Boards, Tasks: c.Tasks, Access: c.Access, Mail: c.Mail, Files: c.Files, Discussions: c.Discussions, Chat: c.Chat, Companies: c.Companies, Costs: c.Costs, Invoices: c.Invoices, Payments: c.Payments, Organisation: c.Organisation, Reports: c.Reports,
		Engagement: c.Engagement, Lint: c.Lint, RoleBook: c.RoleBook, Backups: c.Backups, Grants: c.Grants, Reviews: c.Reviews,
		InProcess: o.InProcess, AllowedHosts: o.AllowedHosts, Frontend: o.Frontend,
		Google: c.Google, Remember: c.Remember, OpenBrowser: o.OpenBrowser,
	})
}

// assembleSignIn builds Google sign-in and remembered sessions over the secret store:
// the system keychain unless opts say otherwise.
func (c *Core) assembleSignIn(ctx context.Context, opts []Options) error {
	c.Secrets = secrets.NewKeychain(secrets.Service, 0)
	if len(opts) > 0 && opts[0].Secrets != nil {
		c.Secrets = opts[0].Secrets
	}
	ns, err := c.Store.SecretNamespace(ctx)
	if err != nil {
		return err
	}
	c.Google = identity.NewGoogle(c.Identity, c.Secrets, ns)
	c.Remember = identity.NewRemember(c.Identity, c.Secrets, ns)
	var mo mail.Options
	if len(opts) > 0 {
		mo = opts[0].Mail
	}
	c.Mail = mail.New(c.Store, c.Authz, c.Secrets, ns, c.now, c.Log, mo)
	c.Identity.SetMail(c.Mail)
	c.Identity.SetSecrets(c.Secrets, ns)
	c.Users.SetMail(c.Mail)
	c.Projects.SetNotifier(c.Mail)
	c.Tasks.SetNotifier(c.Mail)
	c.Discussions.SetNotifier(c.Mail)
	c.Invoices.SetNotifier(c.Mail)
	c.Mail.SetInvoicePDF(c.Invoices.RenderPDF)
	c.Payments = payments.New(c.Store, c.Authz, c.Secrets, ns, c.now, c.Log)
	c.Payments.Today = c.Invoices.Today
	if len(opts) > 0 {
		c.Payments.APIURL = opts[0].StripeAPIURL
	}
	return nil
}

// Close releases everything.
func (c *Core) Close() error {
	if c.stopMail != nil {
		c.stopMail()
		<-c.mailDone
	}
	if c.stopGrants != nil {
		c.stopGrants()
		<-c.grantsDone
	}
	if c.stopPrune != nil {
		c.stopPrune()
		<-c.pruneDone
	}
	err := c.Store.Close()
	if c.lock != nil {
		if lerr := c.lock.Release(); err == nil {
			err = lerr
		}
	}
	if err != nil {
		return fmt.Errorf("core: close: %w", err)
	}
	return nil
}
