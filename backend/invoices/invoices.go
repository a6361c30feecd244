// Package invoices keeps invoices to client companies and the payments received on them,
// in integer minor units of the organisation's currency. A draft is edited freely and has
// no number; sending it gives it the next number of its year in the same transaction (no
// gaps, even across a crash); a sent invoice takes payments — never more than it is owed,
// however many arrive at once — or is voided. Who sees and does what is backend/authz's
// (the invoice resource).
package invoices

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/organisation"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// Limits: a unit price of at most ten million in the currency's units and a quantity of
// at most a million keep every product within int64, with room for 200 lines.
const (
	MaxLines         = 200
	MaxUnitPrice     = 1_000_000_000
	MaxQuantityMilli = 1_000_000_000
	MaxDescription   = 300
	MaxNotes         = 2000
	DefaultTermDays  = 30
)

// Service is the invoices service.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	write *write.Path
	now   func() time.Time
	org   *organisation.Service
}

// SetNotifier makes the service mail sent invoices.
func (s *Service) SetNotifier(n write.Notifier) { s.write.Notifier = n }

// New returns a Service.
func New(st *store.Store, az *authz.Authorizer, now func() time.Time) *Service {
	return &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now}
}

type (
	Invoice = store.Invoice
	Line    = store.InvoiceLine
	Payment = store.Payment
)

// Status is what an invoice is now: draft, sent, partly_paid, paid, overdue (sent, not
// fully paid, past its due date) or void.
func Status(inv *Invoice, today string) string {
	switch {
	case inv.State != "sent":
		return inv.State
	case inv.Paid >= inv.Total:
		return "paid"
	case inv.DueDate != "" && inv.DueDate < today:
		return "overdue"
	case inv.Paid > 0:
		return "partly_paid"
	}
	return "sent"
}

// roundDiv is n/d rounded half away from zero (d > 0).
func roundDiv(n, d int64) int64 {
	if n < 0 {
		return -roundDiv(-n, d)
	}
	return (n + d/2) / d
}

// Totals adds up an invoice: each line's amount is quantity × unit price, rounded to the
// minor unit; its tax is the amount × rate, rounded; the total is their sum.
func Totals(lines []Line) (subtotal, tax int64) {
	for _, l := range lines {
		amount := roundDiv(l.QuantityMilli*l.UnitPrice, 1000)
		subtotal += amount
		tax += roundDiv(amount*int64(l.TaxRateBP), 10_000)
	}
	return subtotal, tax
}

// Request makes or changes a draft; nil fields stay.
type Request struct {
	CompanyID, ProjectID, DueDate, Notes *string
	Lines                                *[]Line
}

func checkDate(field, s string) error {
	if s == "" {
		return nil
	}
	if t, err := time.Parse("2006-01-02", s); err != nil || t.Year() < 2000 || t.Year() > 2200 {
		return apperr.Field(field, "Enter the date as YYYY-MM-DD.")
	}
	return nil
}

func (r Request) apply(inv *Invoice) error {
	if r.CompanyID != nil {
		inv.CompanyID = strings.TrimSpace(*r.CompanyID)
	}
	if r.ProjectID != nil {
		inv.ProjectID = strings.TrimSpace(*r.ProjectID)
	}
	if r.DueDate != nil {
		inv.DueDate = strings.TrimSpace(*r.DueDate)
	}
	if r.Notes != nil {
		inv.Notes = strings.TrimSpace(*r.Notes)
	}
	if r.Lines != nil {
		inv.Lines = *r.Lines
	}
	switch {
	case inv.CompanyID == "":
		return apperr.Field("companyId", "Choose the client company the invoice is for.")
	case len(inv.Lines) > MaxLines:
		return apperr.Field("lines", "At most %d lines.", MaxLines)
	case utf8.RuneCountInString(inv.Notes) > MaxNotes:
		return apperr.Field("notes", "The notes are too long: at most %d characters.", MaxNotes)
	}
	if err := checkDate("dueDate", inv.DueDate); err != nil {
		return err
	}
	if err := text.Lines("notes", apperr.Textf("notes"), inv.Notes); err != nil {
		return err
	}
	for i := range inv.Lines {
		l := &inv.Lines[i]
		l.Description = strings.TrimSpace(l.Description)
		field := fmt.Sprintf("lines[%d]", i)
		switch {
		case l.Description == "":
			return apperr.Field(field+".description", "Say what line %d is for.", i+1)
		case utf8.RuneCountInString(l.Description) > MaxDescription:
			return apperr.Field(field+".description", "Line %d's description is too long: at most %d characters.", i+1, MaxDescription)
		case l.QuantityMilli <= 0 || l.QuantityMilli > MaxQuantityMilli:
			return apperr.Field(field+".quantityMilli", "Line %d's quantity is in thousandths (1000 is one), from 1 to %d.", i+1, int64(MaxQuantityMilli))
		case l.UnitPrice < 0 || l.UnitPrice > MaxUnitPrice:
			return apperr.Field(field+".unitPrice", "Line %d's unit price is in cents, from 0 to %d.", i+1, int64(MaxUnitPrice))
		case l.TaxRateBP < 0 || l.TaxRateBP > 10_000:
			return apperr.Field(field+".taxRateBP", "Line %d's tax rate is in basis points (2000 is 20%%), from 0 to 10000.", i+1)
		}
		if err := text.Line(field+".description", apperr.Textf("description"), l.Description); err != nil {
			return err
		}
	}
	sub, tax := Totals(inv.Lines)
	inv.Total = sub + tax
	return nil
}

// List returns the invoices the actor sees, the newest first.
func (s *Service) List(ctx context.Context, actor authz.Actor) ([]*Invoice, error) {
	if err := s.authz.Check(actor, authz.View, authz.Ref{Type: authz.Invoice}); err != nil {
		return nil, err
	}
	all, err := s.store.Invoices(ctx)
	if err != nil {
		return nil, err
	}
	return authz.Keep(s.authz, actor, authz.Invoice, all, func(i *Invoice) string { return i.ID })
}

// Get returns an invoice the actor sees, with its lines.
func (s *Service) Get(ctx context.Context, actor authz.Actor, id string) (*Invoice, error) {
	if err := s.authz.Check(actor, authz.View, authz.InvoiceRef(id)); err != nil {
		return nil, err
	}
	return s.store.Invoice(ctx, id)
}

// RecordView records that a client (portal) account opens invoice id — its page or its
// PDF — for client engagement (invoice.view): once per client, invoice and day in the
// organisation's time zone, since the portal reads an open invoice again as it refreshes.
// The team's reading is not recorded, nor anything read while viewing as someone.
func (s *Service) RecordView(ctx context.Context, actor authz.Actor, id string) error {
	if actor.Viewer != "" || !s.authz.IsClient(actor) {
		return nil
	}
	now := s.localNow()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	// Most reads are of an invoice already recorded today: they take no write lock.
	if seen, err := s.store.Recorded(ctx, "invoice.view", actor.UserID, id, day); err != nil || seen {
		return err
	}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.View, authz.InvoiceRef(id)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		// Decided again under the lock: two reads at once record one view.
		if seen, err := tx.Recorded(ctx, "invoice.view", actor.UserID, id, day); err != nil || seen {
			return struct{}{}, write.Effect{}, err
		}
		inv, err := tx.Invoice(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Effect{Audit: []audit.Entry{entry("invoice.view", inv, nil)}}, nil
	})
	return err
}

// Today is the date invoices are dated and judged overdue by.
func (s *Service) Today() string { return s.localNow().Format("2006-01-02") }

// localNow is now in the organisation's time zone (UTC until it is known).
func (s *Service) localNow() time.Time {
	if s.org == nil {
		return s.now().UTC()
	}
	return s.now().In(s.org.Location())
}

// SetOrganisation gives the service the organisation: its time zone (an invoice's date,
// "overdue"), and its name and logo for invoices that name no issuer of their own.
func (s *Service) SetOrganisation(o *organisation.Service) { s.org = o }

func (s *Service) checkRefs(w *authz.Writer, actor authz.Actor, inv *Invoice) error {
	if w.Check(actor, authz.View, authz.CompanyRef(inv.CompanyID)) != nil {
		return apperr.Field("companyId", "No such client company.")
	}
	if inv.ProjectID != "" && w.Check(actor, authz.View, authz.ProjectRef(inv.ProjectID)) != nil {
		return apperr.Field("projectId", "No such project.")
	}
	return nil
}

// Create makes a draft invoice.
func (s *Service) Create(ctx context.Context, actor authz.Actor, r Request) (*Invoice, error) {
	// Refused before the input is judged: who may not make invoices learns nothing of it.
	if err := s.authz.Check(actor, authz.InvoicesCreate, authz.Ref{Type: authz.Invoice}); err != nil {
		return nil, err
	}
	now := s.now()
	inv := &Invoice{ID: uuid.NewString(), State: "draft", Lines: []Line{}, CreatedBy: actor.UserID, CreatedAt: now, UpdatedAt: now}
	if err := r.apply(inv); err != nil {
		return nil, err
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Invoice, write.Effect, error) {
		if err := w.Check(actor, authz.InvoicesCreate, authz.Ref{Type: authz.Invoice}); err != nil {
			return nil, write.Effect{}, err
		}
		if err := s.checkRefs(w, actor, inv); err != nil {
			return nil, write.Effect{}, err
		}
		cur, err := tx.Currency(ctx)
		if err != nil {
			return nil, write.Effect{}, err
		}
		inv.Currency = cur
		if err := tx.CreateInvoice(ctx, inv); err != nil {
			return nil, write.Effect{}, err
		}
		return inv, write.Entry(entry("invoice.create", inv, map[string]any{"total": inv.Total}), func(w *authz.Writer) { w.PutInvoice(inv) }), nil
	})
}

func entry(action string, inv *Invoice, details map[string]any) audit.Entry {
	return audit.Entry{Action: action, TargetType: "invoice", TargetID: inv.ID, TargetName: inv.Number, Details: details,
		Needs: authz.InvoicesView.String(), ClientRelated: true}
}

// Update changes a draft.
func (s *Service) Update(ctx context.Context, actor authz.Actor, id string, r Request) (*Invoice, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Invoice, write.Effect, error) {
		if err := w.Check(actor, authz.InvoicesEdit, authz.InvoiceRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		inv, err := tx.Invoice(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if err := r.apply(inv); err != nil {
			return nil, write.Effect{}, err
		}
		if err := s.checkRefs(w, actor, inv); err != nil {
			return nil, write.Effect{}, err
		}
		inv.UpdatedAt = s.now()
		if err := tx.UpdateInvoice(ctx, inv); err != nil {
			return nil, write.Effect{}, err
		}
		return inv, write.Entry(entry("invoice.update", inv, map[string]any{"total": inv.Total}), func(w *authz.Writer) { w.PutInvoice(inv) }), nil
	})
}

// Delete removes a draft.
func (s *Service) Delete(ctx context.Context, actor authz.Actor, id string) error {
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		if err := w.Check(actor, authz.InvoicesDelete, authz.InvoiceRef(id)); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		inv, err := tx.Invoice(ctx, id)
		if err != nil {
			return struct{}{}, write.Effect{}, err
		}
		if err := tx.DeleteInvoice(ctx, id); err != nil {
			return struct{}{}, write.Effect{}, err
		}
		return struct{}{}, write.Entry(entry("invoice.delete", inv, nil), func(w *authz.Writer) { w.DeleteInvoice(id) }), nil
	})
	return err
}

// Sent is an invoice just sent, and the people it is mailed to (user ids; none when email
// is not set up or no one at the company sees invoices).
type Sent struct {
	Invoice  *Invoice
	MailedTo []string
}

// KindInvoiceMail is the outbox kind of an invoice's mail.
const KindInvoiceMail = "invoice"

// Send issues a draft: it takes the next number of the year, today's date, and a due date
// (the one set, or DefaultTermDays on), and is mailed with its PDF to the company's
// people. A draft without lines, or before the organisation's name is set, is not sent.
func (s *Service) Send(ctx context.Context, actor authz.Actor, id string) (*Sent, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Sent, write.Effect, error) {
		if err := w.Check(actor, authz.InvoicesSend, authz.InvoiceRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		inv, err := tx.Invoice(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		switch {
		case inv.State != "draft":
			return nil, write.Effect{}, apperr.New(apperr.Conflict, "not_draft", "This invoice was sent already (%s).", inv.Number)
		case len(inv.Lines) == 0:
			return nil, write.Effect{}, apperr.Field("lines", "Add at least one line before sending the invoice.")
		}
		set, err := tx.InvoicingSettings(ctx)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if set.IssuerName == "" { // the organisation's name (Settings → General), when it has one
			org, err := tx.Organisation(ctx)
			if err != nil {
				return nil, write.Effect{}, err
			}
			set.IssuerName = org.Name
		}
		if set.IssuerName == "" {
			return nil, write.Effect{}, apperr.Field("issuerName", "Enter your organisation's name under Invoicing → Invoice details first: it is printed on every invoice.")
		}
		now, local := s.now(), s.localNow()
		n, err := tx.NextInvoiceNumber(ctx, local.Year())
		if err != nil {
			return nil, write.Effect{}, err
		}
		inv.Number = fmt.Sprintf("%d-%04d", local.Year(), n)
		inv.State, inv.IssueDate, inv.SentAt, inv.UpdatedAt = "sent", local.Format("2006-01-02"), &now, now
		// Issued as the details are now: a later change of them never rewrites it.
		inv.Issuer = store.Issuer{Name: set.IssuerName, Email: set.IssuerEmail, Phone: set.IssuerPhone, Address: set.IssuerAddress}
		if inv.DueDate == "" || inv.DueDate < inv.IssueDate {
			inv.DueDate = local.AddDate(0, 0, DefaultTermDays).Format("2006-01-02")
		}
		if err := tx.UpdateInvoice(ctx, inv); err != nil {
			return nil, write.Effect{}, err
		}
		eff := write.Entry(entry("invoice.send", inv, map[string]any{"total": inv.Total, "due": inv.DueDate}),
			func(w *authz.Writer) { w.PutInvoice(inv) })
		// Mailed, with its PDF, to the company's portal people who see invoices; each mail
		// is decided again (and the PDF printed) when it goes out.
		c, err := tx.Company(ctx, inv.CompanyID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		var to []string
		for _, id := range c.People {
			if w.Holds(authz.Actor{UserID: id}, authz.InvoicesView) {
				to = append(to, id)
			}
		}
		params := map[string]string{"invoiceId": inv.ID, "number": inv.Number, "issuer": set.IssuerName}
		if err := s.write.Notify(ctx, tx, actor, &eff, KindInvoiceMail, params, to...); err != nil {
			return nil, write.Effect{}, err
		}
		sent := &Sent{Invoice: inv, MailedTo: []string{}}
		for _, m := range eff.Mail {
			sent.MailedTo = append(sent.MailedTo, m.ToUserID)
		}
		return sent, eff, nil
	})
}

// Void cancels a sent invoice without payments; its number stays taken.
func (s *Service) Void(ctx context.Context, actor authz.Actor, id string) (*Invoice, error) {
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Invoice, write.Effect, error) {
		if err := w.Check(actor, authz.InvoicesSend, authz.InvoiceRef(id)); err != nil {
			return nil, write.Effect{}, err
		}
		inv, err := tx.Invoice(ctx, id)
		if err != nil {
			return nil, write.Effect{}, err
		}
		switch {
		case inv.State != "sent":
			return nil, write.Effect{}, apperr.New(apperr.Conflict, "not_sent", "Only a sent invoice is voided (a draft is deleted).")
		case inv.Paid > 0:
			return nil, write.Effect{}, apperr.New(apperr.Conflict, "has_payments", "Payments were received on this invoice: it cannot be voided.")
		}
		now := s.now()
		inv.State, inv.VoidedAt, inv.UpdatedAt = "void", &now, now
		if err := tx.UpdateInvoice(ctx, inv); err != nil {
			return nil, write.Effect{}, err
		}
		return inv, write.Entry(entry("invoice.void", inv, nil), func(w *authz.Writer) { w.PutInvoice(inv) }), nil
	})
}

// Methods a payment may be recorded with by hand.
var manualMethods = map[string]bool{"bank_transfer": true, "cash": true, "card": true, "other": true}

// RecordPayment records money received on a sent invoice: never more than is still owed.
// Payments are decided one at a time under the write lock, so two arriving together
// cannot both take the same balance.
func (s *Service) RecordPayment(ctx context.Context, actor authz.Actor, invoiceID string, amount int64, method, receivedOn, reference string) (*Payment, error) {
	reference = strings.TrimSpace(reference)
	switch {
	case !manualMethods[method]:
		return nil, apperr.Field("method", "The method is bank_transfer, cash, card or other.")
	case amount <= 0:
		return nil, apperr.Field("amount", "Enter the amount received, in cents.")
	case utf8.RuneCountInString(reference) > 200:
		return nil, apperr.Field("reference", "The reference is too long: at most 200 characters.")
	}
	if err := text.Line("reference", apperr.Textf("reference"), reference); err != nil {
		return nil, err
	}
	if receivedOn == "" {
		receivedOn = s.Today()
	} else if err := checkDate("receivedOn", receivedOn); err != nil {
		return nil, err
	}
	return write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Payment, write.Effect, error) {
		if err := w.Check(actor, authz.InvoicesEdit, authz.InvoiceRef(invoiceID), authz.Change{Payment: true}); err != nil {
			return nil, write.Effect{}, err
		}
		inv, err := tx.Invoice(ctx, invoiceID)
		if err != nil {
			return nil, write.Effect{}, err
		}
		if owed := inv.Total - inv.Paid; amount > owed {
			return nil, write.Effect{}, apperr.Field("amount", "That is more than is owed: %d cents remain.", max(owed, 0))
		}
		p := &Payment{ID: uuid.NewString(), InvoiceID: invoiceID, Amount: amount, Method: method, ReceivedOn: receivedOn, Reference: reference,
			CreatedBy: actor.UserID, CreatedAt: s.now()}
		if err := tx.AddPayment(ctx, p); err != nil {
			return nil, write.Effect{}, err
		}
		return p, write.Effect{Audit: []audit.Entry{entry("invoice.payment", inv, map[string]any{"amount": amount, "method": method})}}, nil
	})
}

// Payments returns an invoice's payments (payments.view).
func (s *Service) Payments(ctx context.Context, actor authz.Actor, invoiceID string) ([]*Payment, error) {
	if err := s.authz.Check(actor, authz.PaymentsView, authz.InvoiceRef(invoiceID)); err != nil {
		return nil, err
	}
	return s.store.Payments(ctx, invoiceID)
}

// Revenue is invoiced, paid and outstanding money by month and by client company.
type Revenue struct {
	From, To string
	Months   []MonthTotal
	Clients  []ClientTotal
	// Rows are the figures per month and client, for export.
	Rows []RevenueRow
}

// RevenueRow is one client's figures in one month.
type RevenueRow struct {
	Month, Client  string
	Invoiced, Paid int64
}

// MonthTotal is one month's figures: invoiced (sent invoices issued in it), paid (payments
// received in it) and outstanding (what was owed when it ended).
type MonthTotal struct {
	Month                       string
	Invoiced, Paid, Outstanding int64
}

// ClientTotal is one client company's figures over the period, and what it owes now.
type ClientTotal struct {
	CompanyID, Name         string
	Invoiced, Paid, Balance int64
}

// Revenue returns the figures of months from..to ("YYYY-MM"; both empty: the last twelve
// months) to a holder of revenue.view. A company the actor may not see is named only as
// such.
func (s *Service) Revenue(ctx context.Context, actor authz.Actor, from, to string) (*Revenue, error) {
	if err := s.authz.Check(actor, authz.RevenueView, authz.Ref{}); err != nil {
		return nil, err
	}
	if from == "" && to == "" {
		now := s.localNow()
		from, to = now.AddDate(0, -11, 0).Format("2006-01"), now.Format("2006-01")
	}
	for _, f := range []struct{ field, v string }{{"from", from}, {"to", to}} {
		if _, err := time.Parse("2006-01", f.v); err != nil {
			return nil, apperr.Field(f.field, "Give the month as YYYY-MM.")
		}
	}
	if to < from {
		return nil, apperr.Field("to", "The period ends before it starts.")
	}
	if f, _ := time.Parse("2006-01", from); f.AddDate(10, 0, 0).Format("2006-01") <= to {
		return nil, apperr.Field("to", "Ask for at most ten years at a time.")
	}
	rows, err := s.store.Revenue(ctx, from, to)
	if err != nil {
		return nil, err
	}
	owed, err := s.store.Outstanding(ctx)
	if err != nil {
		return nil, err
	}
	out := &Revenue{From: from, To: to, Months: []MonthTotal{}, Clients: []ClientTotal{}}
	for m := from; m <= to; {
		out.Months = append(out.Months, MonthTotal{Month: m})
		t, _ := time.Parse("2006-01", m)
		m = t.AddDate(0, 1, 0).Format("2006-01")
	}
	byClient := map[string]*ClientTotal{}
	client := func(id string) *ClientTotal {
		if c := byClient[id]; c != nil {
			return c
		}
		c := &ClientTotal{CompanyID: id, Name: "A client company"}
		if s.authz.Check(actor, authz.View, authz.CompanyRef(id)) == nil {
			if co, err := s.store.Company(ctx, id); err == nil {
				c.Name = co.Name
			}
		} else {
			c.CompanyID = ""
		}
		byClient[id] = c
		return c
	}
	for _, r := range rows {
		for i := range out.Months {
			if out.Months[i].Month == r.Month {
				out.Months[i].Invoiced += r.Invoiced
				out.Months[i].Paid += r.Paid
			}
		}
		c := client(r.CompanyID)
		c.Invoiced += r.Invoiced
		c.Paid += r.Paid
		out.Rows = append(out.Rows, RevenueRow{Month: r.Month, Client: c.Name, Invoiced: r.Invoiced, Paid: r.Paid})
	}
	for id, n := range owed {
		client(id).Balance = n
	}
	owedBefore, err := s.store.OwedBefore(ctx, from)
	if err != nil {
		return nil, err
	}
	for i := range out.Months {
		owedBefore += out.Months[i].Invoiced - out.Months[i].Paid
		out.Months[i].Outstanding = owedBefore
	}
	for _, id := range slices.Sorted(maps.Keys(byClient)) {
		out.Clients = append(out.Clients, *byClient[id])
	}
	slices.SortStableFunc(out.Clients, func(a, b ClientTotal) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, nil
}
