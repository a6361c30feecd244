package httpapi

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gatehouse/backend/authz"
	"gatehouse/backend/identity"
	"gatehouse/backend/invoices"
)

// Invoices and payments.

type invoiceLineJSON struct {
	Description   string `json:"description"`
	QuantityMilli int64  `json:"quantityMilli"`
	UnitPrice     int64  `json:"unitPrice"`
	TaxRateBP     int    `json:"taxRateBP"`
}

type invoiceJSON struct {
	ID        string            `json:"id"`
	Number    string            `json:"number"`
	CompanyID string            `json:"companyId"`
	ProjectID string            `json:"projectId,omitempty"`
	Currency  string            `json:"currency"`
	Status    string            `json:"status"`
	IssueDate string            `json:"issueDate"`
	DueDate   string            `json:"dueDate"`
	Notes     string            `json:"notes"`
	Subtotal  int64             `json:"subtotal"`
	Tax       int64             `json:"tax"`
	Total     int64             `json:"total"`
	Paid      int64             `json:"paid"`
	Balance   int64             `json:"balance"`
	Lines     []invoiceLineJSON `json:"lines,omitempty"`
	CreatedAt time.Time         `json:"createdAt"`
	Actions   []string          `json:"actions"`
}

func (a *API) toInvoiceJSON(p *identity.Principal, inv *invoices.Invoice) invoiceJSON {
	sub, tax := invoices.Totals(inv.Lines)
	j := invoiceJSON{ID: inv.ID, Number: inv.Number, CompanyID: inv.CompanyID, ProjectID: inv.ProjectID, Currency: inv.Currency,
		Status: invoices.Status(inv, a.cfg.Invoices.Today()), IssueDate: inv.IssueDate, DueDate: inv.DueDate, Notes: inv.Notes,
		Subtotal: sub, Tax: tax, Total: inv.Total, Paid: inv.Paid, Balance: inv.Total - inv.Paid, CreatedAt: inv.CreatedAt,
		Actions: a.cfg.Authz.Allowed(p.Actor, authz.InvoiceRef(inv.ID), authz.InvoicesEdit, authz.InvoicesSend, authz.InvoicesDelete, authz.PaymentsView, authz.InvoicesPay)}
	// payments.record: not a catalog key, the act of invoices.edit on a sent invoice that
	// still owes (invoices.edit alone, above, is a draft's).
	if inv.Total > inv.Paid && a.cfg.Authz.Check(p.Actor, authz.InvoicesEdit, authz.InvoiceRef(inv.ID), authz.Change{Payment: true}) == nil {
		j.Actions = append(j.Actions, "payments.record")
	}
	if inv.Lines == nil { // a list: no lines, so no subtotal either
		j.Subtotal, j.Tax = 0, 0
	}
	for _, l := range inv.Lines {
		j.Lines = append(j.Lines, invoiceLineJSON(l))
	}
	return j
}

func (a *API) listInvoices(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	is, err := a.cfg.Invoices.List(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[invoiceJSON]{Items: each(is, func(i *invoices.Invoice) invoiceJSON { return a.toInvoiceJSON(p, i) })})
}

func (a *API) getInvoice(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	inv, err := a.cfg.Invoices.Get(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := a.cfg.Invoices.RecordView(r.Context(), p.Actor, inv.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.toInvoiceJSON(p, inv))
}

type invoiceRequest struct {
	CompanyID *string            `json:"companyId"`
	ProjectID *string            `json:"projectId"`
	DueDate   *string            `json:"dueDate"`
	Notes     *string            `json:"notes"`
	Lines     *[]invoiceLineJSON `json:"lines"`
}

func (q invoiceRequest) request() invoices.Request {
	r := invoices.Request{CompanyID: q.CompanyID, ProjectID: q.ProjectID, DueDate: q.DueDate, Notes: q.Notes}
	if q.Lines != nil {
		lines := make([]invoices.Line, len(*q.Lines))
		for i, l := range *q.Lines {
			lines[i] = invoices.Line(l)
		}
		r.Lines = &lines
	}
	return r
}

func (a *API) createInvoice(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req invoiceRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	inv, err := a.cfg.Invoices.Create(r.Context(), p.Actor, req.request())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a.toInvoiceJSON(p, inv))
}

func (a *API) updateInvoice(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req invoiceRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	inv, err := a.cfg.Invoices.Update(r.Context(), p.Actor, r.PathValue("id"), req.request())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.toInvoiceJSON(p, inv))
}

func (a *API) deleteInvoice(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	if err := a.cfg.Invoices.Delete(r.Context(), p.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return noContent(w)
}

func (a *API) sendInvoice(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	sent, err := a.cfg.Invoices.Send(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	names := []string{}
	for _, id := range sent.MailedTo {
		if u, err := a.cfg.Users.Get(r.Context(), p.Actor, id); err == nil {
			names = append(names, u.Name)
		} else {
			names = append(names, "a person at the company") // one the sender may not list
		}
	}
	return writeJSON(w, http.StatusOK, struct {
		invoiceJSON
		MailedTo []string `json:"mailedTo"`
	}{a.toInvoiceJSON(p, sent.Invoice), names})
}

func (a *API) voidInvoice(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	inv, err := a.cfg.Invoices.Void(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.toInvoiceJSON(p, inv))
}

type paymentJSON struct {
	ID         string    `json:"id"`
	Amount     int64     `json:"amount"`
	Method     string    `json:"method"`
	ReceivedOn string    `json:"receivedOn"`
	Reference  string    `json:"reference"`
	CreatedAt  time.Time `json:"createdAt"`
}

func toPaymentJSON(p *invoices.Payment) paymentJSON {
	return paymentJSON{ID: p.ID, Amount: p.Amount, Method: p.Method, ReceivedOn: p.ReceivedOn, Reference: p.Reference, CreatedAt: p.CreatedAt}
}

func (a *API) listPayments(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	ps, err := a.cfg.Invoices.Payments(r.Context(), p.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[paymentJSON]{Items: each(ps, toPaymentJSON)})
}

func (a *API) recordPayment(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Amount     int64  `json:"amount"`
		Method     string `json:"method"`
		ReceivedOn string `json:"receivedOn"`
		Reference  string `json:"reference"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	pay, err := a.cfg.Invoices.RecordPayment(r.Context(), p.Actor, r.PathValue("id"), req.Amount, req.Method, req.ReceivedOn, req.Reference)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toPaymentJSON(pay))
}

type revenueJSON struct {
	Currency string              `json:"currency"`
	From     string              `json:"from"`
	To       string              `json:"to"`
	Months   []revenueMonthJSON  `json:"months"`
	Clients  []revenueClientJSON `json:"clients"`
}

type revenueMonthJSON struct {
	Month       string `json:"month"`
	Invoiced    int64  `json:"invoiced"`
	Paid        int64  `json:"paid"`
	Outstanding int64  `json:"outstanding"`
}

type revenueClientJSON struct {
	CompanyID string `json:"companyId,omitempty"`
	Name      string `json:"name"`
	Invoiced  int64  `json:"invoiced"`
	Paid      int64  `json:"paid"`
	Balance   int64  `json:"balance"`
}

func (a *API) revenue(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rev, err := a.cfg.Invoices.Revenue(r.Context(), p.Actor, r.URL.Query().Get("from"), r.URL.Query().Get("to"))
	if err != nil {
		return err
	}
	cur, err := a.cfg.Costs.Currency(r.Context())
	if err != nil {
		return err
	}
	out := revenueJSON{Currency: cur, From: rev.From, To: rev.To, Months: []revenueMonthJSON{}, Clients: []revenueClientJSON{}}
	for _, m := range rev.Months {
		out.Months = append(out.Months, revenueMonthJSON(m))
	}
	for _, c := range rev.Clients {
		out.Clients = append(out.Clients, revenueClientJSON{CompanyID: c.CompanyID, Name: c.Name, Invoiced: c.Invoiced, Paid: c.Paid, Balance: c.Balance})
	}
	return writeJSON(w, http.StatusOK, out)
}

// revenueCSV exports the figures per month and client as CSV, amounts in minor units
// (cents) of the currency named in each row; text a spreadsheet would run as a formula is
// quoted with a leading apostrophe.
func (a *API) revenueCSV(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	rev, err := a.cfg.Invoices.Revenue(r.Context(), p.Actor, r.URL.Query().Get("from"), r.URL.Query().Get("to"))
	if err != nil {
		return err
	}
	cur, err := a.cfg.Costs.Currency(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="revenue-`+rev.From+`-to-`+rev.To+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"month", "client", "currency", "invoiced_minor_units", "paid_minor_units"})
	for _, row := range rev.Rows {
		cw.Write([]string{row.Month, spreadsheetSafe(row.Client), cur, strconv.FormatInt(row.Invoiced, 10), strconv.FormatInt(row.Paid, 10)})
	}
	cw.Flush()
	return cw.Error()
}

// spreadsheetSafe is s for a CSV cell: text a spreadsheet would run as a formula (it starts
// with =, +, -, @, a tab or a carriage return) gets a leading apostrophe.
func spreadsheetSafe(s string) string {
	if strings.ContainsAny(s[:min(1, len(s))], "=+-@\t\r") {
		return "'" + s
	}
	return s
}
