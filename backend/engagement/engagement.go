// Package engagement is client login history and engagement (activity.clients): for each
// client (portal) account the reader may see, its last sign-in, its sign-ins per week,
// the files it downloaded and the invoices it opened — counted from the audit log
// (session.create about the client, file.download and invoice.view by it), one SQL
// aggregate per measure — and its sign-in history. Who may read what is
// authz.ClientActivity's; a download or view counts only when the reader sees its file
// or invoice, or reads the whole client log anyway. It writes nothing: the files and
// invoices services record the downloads and views.
package engagement

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/organisation"
	"gatehouse/backend/store"
)

// Weeks is how many weeks of sign-ins a row shows, this one included.
const Weeks = 8

// Periods are the periods (in days, today included) the counts may cover.
var Periods = []int{7, 30, 90, 365}

// DefaultPeriod is the period when none is asked for.
const DefaultPeriod = 30

// Sorts are what the rows may be sorted by.
var Sorts = []string{"name", "company", "lastSignIn", "signIns", "weeklyAverage", "downloads", "invoiceViews"}

// Service reads client engagement.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	org   *organisation.Service
	now   func() time.Time
}

// New returns the service.
func New(st *store.Store, az *authz.Authorizer, org *organisation.Service, now func() time.Time) *Service {
	return &Service{store: st, authz: az, org: org, now: now}
}

// Request chooses the period and the order.
type Request struct {
	Days  int    // one of Periods (0: DefaultPeriod)
	Sort  string // one of Sorts ("": lastSignIn)
	Order string // "asc" or "desc" ("": names A to Z, figures and times the highest first)
}

// Last is the latest time something happened: when, from where (sign-ins), and to what
// (the file's or invoice's name as recorded).
type Last struct {
	At      time.Time
	Name    string
	Address string
}

// Row is one client account's engagement.
type Row struct {
	UserID, Name string
	Active       bool
	// CompanyID and Company are "" when the account has no company, or the reader does
	// not see it.
	CompanyID, Company string
	LastSignIn         *Last // ever; nil: never signed in
	SignIns            int   // in the period
	Weeks              []int // sign-ins in each of the last Weeks weeks, the oldest first
	WeeklyAverage      float64
	Downloads          int   // files downloaded in the period
	LastDownload       *Last // ever
	InvoiceViews       int   // invoices opened in the period (once per invoice and day)
	LastInvoiceView    *Last // ever
}

// Report is every row, with what the figures cover.
type Report struct {
	Today string   // YYYY-MM-DD, the organisation's
	From  string   // the period's first day
	Days  int      // the period's length
	Weeks []string // each week's Monday, the oldest first
	Rows  []Row
}

// Clients returns the engagement of every client account actor may read.
func (s *Service) Clients(ctx context.Context, actor authz.Actor, req Request) (*Report, error) {
	scope, err := s.authz.ClientActivity(actor)
	if err != nil {
		return nil, err
	}
	if req.Days == 0 {
		req.Days = DefaultPeriod
	}
	if !slices.Contains(Periods, req.Days) {
		return nil, apperr.Field("days", "The period is one of %s days.", joinInts(Periods))
	}
	if req.Sort == "" {
		req.Sort = "lastSignIn"
	}
	if !slices.Contains(Sorts, req.Sort) {
		return nil, apperr.Field("sort", "Sort by one of: %s.", strings.Join(Sorts, ", "))
	}
	if req.Order == "" {
		req.Order = "desc"
		if req.Sort == "name" || req.Sort == "company" {
			req.Order = "asc"
		}
	}
	if req.Order != "asc" && req.Order != "desc" {
		return nil, apperr.Field("order", "The order is asc or desc.")
	}

	loc := s.org.Location()
	now := s.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	since := today.AddDate(0, 0, 1-req.Days)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	out := &Report{Today: today.Format(time.DateOnly), From: since.Format(time.DateOnly), Days: req.Days, Rows: []Row{}}
	bounds := make([]time.Time, 0, Weeks+1)
	for i := Weeks - 1; i >= -1; i-- {
		// Midnight of each Monday in the organisation's zone (AddDate keeps the wall clock
		// across daylight saving).
		bounds = append(bounds, monday.AddDate(0, 0, -7*i))
		if i >= 0 {
			out.Weeks = append(out.Weeks, monday.AddDate(0, 0, -7*i).Format(time.DateOnly))
		}
	}

	if len(scope.Clients) == 0 {
		return out, nil
	}
	ids := make([]string, len(scope.Clients))
	companyOf := map[string]string{}
	for i, c := range scope.Clients {
		ids[i], companyOf[c.ID] = c.ID, c.CompanyID
	}
	people, err := s.store.People(ctx, ids)
	if err != nil {
		return nil, err
	}
	companies, err := s.store.Companies(ctx)
	if err != nil {
		return nil, err
	}
	companyName := map[string]string{}
	for _, c := range companies {
		companyName[c.ID] = c.Name
	}
	rows := map[string]*Row{}
	for _, p := range people {
		r := &Row{UserID: p.ID, Name: p.Name, Active: p.Active, CompanyID: companyOf[p.ID], Weeks: make([]int, Weeks)}
		r.Company = companyName[r.CompanyID]
		rows[p.ID] = r
	}

	signIns, err := s.store.SignInTallies(ctx, since)
	if err != nil {
		return nil, err
	}
	for _, t := range signIns {
		if r := rows[t.UserID]; r != nil {
			r.SignIns = t.Count
			r.LastSignIn = &Last{At: t.LastAt, Address: t.LastAddr}
		}
	}
	weekly, err := s.store.SignInsPerPeriod(ctx, bounds)
	if err != nil {
		return nil, err
	}
	for id, counts := range weekly {
		if r := rows[id]; r != nil {
			copy(r.Weeks, counts)
		}
	}
	for _, m := range []struct {
		action string
		t      authz.Type
		all    bool
		count  func(*Row) *int
		last   func(*Row) **Last
	}{
		{"file.download", authz.File, scope.WholeLog, func(r *Row) *int { return &r.Downloads }, func(r *Row) **Last { return &r.LastDownload }},
		{"invoice.view", authz.Invoice, scope.WholeLog && slices.Contains(scope.Holds, authz.InvoicesView.String()),
			func(r *Row) *int { return &r.InvoiceViews }, func(r *Row) **Last { return &r.LastInvoiceView }},
	} {
		tallies, err := s.store.ActionTallies(ctx, m.action, since)
		if err != nil {
			return nil, err
		}
		tallies = slices.DeleteFunc(tallies, func(t store.Tally) bool { return rows[t.UserID] == nil })
		if !m.all {
			// Only what the reader sees: one decision per distinct file or invoice.
			targets := make([]string, 0, len(tallies))
			for _, t := range tallies {
				targets = append(targets, t.TargetID)
			}
			slices.Sort(targets)
			seen, err := s.authz.Visible(actor, m.t, slices.Compact(targets))
			if err != nil {
				return nil, err
			}
			tallies = slices.DeleteFunc(tallies, func(t store.Tally) bool { _, ok := slices.BinarySearch(seen, t.TargetID); return !ok })
		}
		for _, t := range tallies {
			r := rows[t.UserID]
			*m.count(r) += t.Count
			if l := m.last(r); *l == nil || t.LastAt.After((*l).At) {
				*l = &Last{At: t.LastAt, Name: t.LastName}
			}
		}
	}

	for _, r := range rows {
		total := 0
		for _, n := range r.Weeks {
			total += n
		}
		r.WeeklyAverage = float64(total) / Weeks
		out.Rows = append(out.Rows, *r)
	}
	sortRows(out.Rows, req.Sort, req.Order == "desc")
	return out, nil
}

func lastAt(l *Last) time.Time {
	if l == nil {
		return time.Time{}
	}
	return l.At
}

// sortRows orders rows by key (ties by name, then id); a client who never signed in is
// the oldest sign-in.
func sortRows(rows []Row, key string, desc bool) {
	by := map[string]func(a, b *Row) int{
		"name":          func(a, b *Row) int { return 0 },
		"company":       func(a, b *Row) int { return cmp.Compare(strings.ToLower(a.Company), strings.ToLower(b.Company)) },
		"lastSignIn":    func(a, b *Row) int { return lastAt(a.LastSignIn).Compare(lastAt(b.LastSignIn)) },
		"signIns":       func(a, b *Row) int { return cmp.Compare(a.SignIns, b.SignIns) },
		"weeklyAverage": func(a, b *Row) int { return cmp.Compare(a.WeeklyAverage, b.WeeklyAverage) },
		"downloads":     func(a, b *Row) int { return cmp.Compare(a.Downloads, b.Downloads) },
		"invoiceViews":  func(a, b *Row) int { return cmp.Compare(a.InvoiceViews, b.InvoiceViews) },
	}[key]
	slices.SortStableFunc(rows, func(a, b Row) int {
		c := by(&a, &b)
		if c == 0 {
			c = cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.UserID, b.UserID))
		}
		if desc {
			return -c
		}
		return c
	})
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// SignIn is one entry of a client's sign-in history.
type SignIn struct {
	ID      int64
	At      time.Time
	Outcome string // "signedIn", "failed" or "refused"
	Address string
	// Method is how they signed in ("password", "google", "remembered"; "" when not
	// recorded); SecondFactor what second factor they gave ("totp", "recovery_code").
	Method, SecondFactor string
	// Step is where a failed sign-in failed ("password", "two_factor"); Reason why one
	// was refused, as recorded ("deactivated"…).
	Step, Reason string
}

// HistoryPage is a page of sign-in history, newest first; Next is the cursor of the
// following page ("" at the end).
type HistoryPage struct {
	Items []SignIn
	Next  string
}

// MaxHistoryPage is the largest page of sign-in history.
const MaxHistoryPage = 200

// SignIns returns client userID's sign-ins, failed and refused sign-ins (the login
// history), newest first, limit at a time after cursor.
func (s *Service) SignIns(ctx context.Context, actor authz.Actor, userID string, limit int, cursor string) (*HistoryPage, error) {
	if err := s.authz.Check(actor, authz.ActivityClients, authz.UserRef(userID)); err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = 50
	}
	if limit < 1 || limit > MaxHistoryPage {
		return nil, apperr.Field("limit", "The limit is between 1 and %d.", MaxHistoryPage)
	}
	var before int64
	if cursor != "" {
		id, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || id <= 0 {
			return nil, apperr.Field("cursor", "The cursor is not valid; start again from the first page.")
		}
		before = id
	}
	entries, err := s.store.SignInHistory(ctx, userID, before, limit+1)
	if err != nil {
		return nil, err
	}
	p := &HistoryPage{Items: []SignIn{}}
	for i, e := range entries {
		if i == limit {
			p.Next = strconv.FormatInt(entries[i-1].ID, 10)
			break
		}
		in := SignIn{ID: e.ID, At: e.At, Address: e.Address, Method: text(e.Details, "method"), SecondFactor: text(e.Details, "secondFactor"),
			Reason: text(e.Details, "reason")}
		switch e.Action {
		case "session.create":
			in.Outcome = "signedIn"
		case "session.fail":
			in.Outcome, in.Step = "failed", cmp.Or(text(e.Details, "step"), "password")
		default:
			in.Outcome = "refused"
		}
		p.Items = append(p.Items, in)
	}
	return p, nil
}

func text(d map[string]any, key string) string {
	s, _ := d[key].(string)
	return s
}
