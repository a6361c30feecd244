package authz

import (
	"gatehouse/backend/apperr"
	"gatehouse/backend/store"
)

// Invoices to client companies. The team sees them with invoices.view (at scope all); a
// client sees their own company's invoices once sent (scope own), never a draft. Changing
// one is for drafts only; a sent invoice takes payments, or is voided.

type invoiceRec struct {
	company handle
	state   string // draft, sent, void
	alive   bool
}

func (r invoiceRec) live() bool { return r.alive }

func (x *index) invoice(id string) (*invoiceRec, handle) { return liveRec(&x.invIDs, x.invoices, id) }

// PutInvoice adds or replaces an invoice.
func (w *Writer) PutInvoice(inv *store.Invoice) {
	x := w.x
	h := handleOf(&x.invIDs, &x.invoices, inv.ID, func() invoiceRec { return invoiceRec{} })
	x.invoices[h] = invoiceRec{company: x.companyHandle(inv.CompanyID), state: inv.State, alive: true}
}

// DeleteInvoice forgets an invoice.
func (w *Writer) DeleteInvoice(id string) {
	if r, _ := w.x.invoice(id); r != nil {
		r.alive = false
	}
}

var (
	hiddenInvoice = apperr.NotFoundf("No such invoice.")
	notDraft      = apperr.New(apperr.Conflict, "not_draft", "This invoice was sent: it cannot be changed or deleted any more (void it instead).")
)

// seesInvoice is who sees an invoice.
func (rd *Reader) seesInvoice(v *view, r *invoiceRec, y *why) bool {
	switch {
	case !r.alive:
		return false
	case !v.has(InvoicesView):
		return y.miss("The role %s does not hold invoices.view.", v.r.name)
	case v.client && r.state == "draft":
		return y.miss("A draft invoice is the team's until it is sent.")
	case v.client && (v.u.company == none || v.u.company != r.company):
		return y.miss("The invoice is another company's.")
	case !v.client && v.scope(InvoicesView) != ScopeAll:
		return y.miss("The role %s sees only its own invoices (a client's scope).", v.r.name)
	}
	return v.also == nil || rd.seesInvoice(v.also, r, nil)
}

func (rd *Reader) decideInvoice(v *view, a Action, id string, c *Change, y *why) error {
	if id == "" { // the invoices: listing them, making one
		switch a {
		case View:
			if !v.has(InvoicesView) {
				return forbidden(InvoicesView)
			}
			return nil
		case InvoicesCreate, InvoicesEdit: // making one; the invoice details (issuer, how to pay)
			if v.client || !v.has(a) || (v.also != nil && !v.also.has(a)) {
				return forbidden(a)
			}
			return nil
		}
		return notApplicable(a, Invoice)
	}
	r, _ := rd.x.invoice(id)
	if r == nil || !rd.seesInvoice(v, r, y) {
		return hiddenInvoice
	}
	team := func(a Action) error {
		if v.client || !v.has(a) {
			return forbidden(a)
		}
		if v.also != nil && !v.also.has(a) {
			return forbidden(a)
		}
		return nil
	}
	switch a {
	case View:
		return nil
	case InvoicesEdit: // a draft's lines and dates; with Payment, recording money received on a sent one
		if err := team(a); err != nil {
			return err
		}
		if c.Payment {
			if r.state != "sent" {
				return apperr.New(apperr.Conflict, "not_sent", "Payments are recorded on sent invoices only.")
			}
			return nil
		}
		if r.state != "draft" {
			return notDraft
		}
		return nil
	case InvoicesDelete:
		if err := team(a); err != nil {
			return err
		}
		if r.state != "draft" {
			return notDraft
		}
		return nil
	case InvoicesSend: // sending a draft (it takes its number), voiding a sent one
		if err := team(a); err != nil {
			return err
		}
		if r.state == "void" {
			return apperr.New(apperr.Conflict, "void", "This invoice is void.")
		}
		return nil
	case PaymentsView:
		return team(a)
	case InvoicesPay: // a client paying their own company's open invoice
		if !v.client || !v.has(a) {
			return forbidden(a)
		}
		if r.state != "sent" {
			return apperr.New(apperr.Conflict, "not_open", "This invoice is not open for payment.")
		}
		return nil
	}
	return notApplicable(a, Invoice)
}
