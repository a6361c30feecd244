package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// InvoiceLine is one line of an invoice.
type InvoiceLine struct {
	Description   string
	QuantityMilli int64 // 1500: one and a half
	UnitPrice     int64 // minor units
	TaxRateBP     int   // basis points: 2000 is 20 %
}

// Invoice is an invoice with its lines and what was paid on it.
type Invoice struct {
	ID, Number, CompanyID, ProjectID, Currency, State string
	IssueDate, DueDate, Notes, CreatedBy              string
	Total, Paid                                       int64
	CreatedAt, UpdatedAt                              time.Time
	SentAt, VoidedAt                                  *time.Time
	Lines                                             []InvoiceLine
	// Issuer is who issued a sent invoice, as the invoice details were when it was sent
	// (empty on a draft, which prints the details as they are).
	Issuer Issuer
}

// Issuer is who issues an invoice.
type Issuer struct {
	Name, Email, Phone, Address string
}

// Payment is money received on an invoice.
type Payment struct {
	ID, InvoiceID, Method, ReceivedOn, Reference, GatewayRef, CreatedBy string
	Amount                                                              int64
	CreatedAt                                                           time.Time
}

func optTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := parseTime(s)
	return &t
}

func fmtOpt(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}

// CreateInvoice inserts an invoice with its lines.
func (s *Store) CreateInvoice(ctx context.Context, inv *Invoice) error {
	var number, project any
	if inv.Number != "" {
		number = inv.Number
	}
	if inv.ProjectID != "" {
		project = inv.ProjectID
	}
	if err := s.execOne(ctx, "invoice", `INSERT INTO invoices (id, number, company_id, project_id, currency, state, issue_date, due_date,
		notes, total, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		inv.ID, number, inv.CompanyID, project, inv.Currency, inv.State, inv.IssueDate, inv.DueDate, inv.Notes, inv.Total,
		inv.CreatedBy, formatTime(inv.CreatedAt), formatTime(inv.UpdatedAt)); err != nil {
		return err
	}
	return s.setInvoiceLines(ctx, inv)
}

// UpdateInvoice writes an invoice's fields and replaces its lines.
func (s *Store) UpdateInvoice(ctx context.Context, inv *Invoice) error {
	var number, project any
	if inv.Number != "" {
		number = inv.Number
	}
	if inv.ProjectID != "" {
		project = inv.ProjectID
	}
	res, err := s.q.ExecContext(ctx, `UPDATE invoices SET number = ?, company_id = ?, project_id = ?, currency = ?, state = ?,
		issue_date = ?, due_date = ?, notes = ?, total = ?, updated_at = ?, sent_at = ?, voided_at = ?,
		issuer_name = ?, issuer_email = ?, issuer_phone = ?, issuer_address = ? WHERE id = ?`,
		number, inv.CompanyID, project, inv.Currency, inv.State, inv.IssueDate, inv.DueDate, inv.Notes, inv.Total,
		formatTime(inv.UpdatedAt), fmtOpt(inv.SentAt), fmtOpt(inv.VoidedAt),
		inv.Issuer.Name, inv.Issuer.Email, inv.Issuer.Phone, inv.Issuer.Address, inv.ID)
	if err != nil {
		return fmt.Errorf("store: update invoice: %w", err)
	}
	if err := affectedOne(res, "update invoice"); err != nil {
		return err
	}
	return s.setInvoiceLines(ctx, inv)
}

func (s *Store) setInvoiceLines(ctx context.Context, inv *Invoice) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM invoice_lines WHERE invoice_id = ?`, inv.ID); err != nil {
		return fmt.Errorf("store: invoice lines: %w", err)
	}
	for i, l := range inv.Lines {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO invoice_lines (invoice_id, position, description, quantity_milli, unit_price, tax_rate_bp)
			VALUES (?,?,?,?,?,?)`, inv.ID, i, l.Description, l.QuantityMilli, l.UnitPrice, l.TaxRateBP); err != nil {
			return fmt.Errorf("store: invoice lines: %w", err)
		}
	}
	return nil
}

const invoiceColumns = `i.id, COALESCE(i.number, ''), i.company_id, COALESCE(i.project_id, ''), i.currency, i.state, i.issue_date, i.due_date,
	i.notes, i.total, i.created_by, i.created_at, i.updated_at, i.sent_at, i.voided_at,
	i.issuer_name, i.issuer_email, i.issuer_phone, i.issuer_address,
	(SELECT COALESCE(SUM(amount), 0) FROM payments p WHERE p.invoice_id = i.id)`

func scanInvoice(sc interface{ Scan(...any) error }) (*Invoice, error) {
	var inv Invoice
	var created, updated, sent, voided string
	if err := sc.Scan(&inv.ID, &inv.Number, &inv.CompanyID, &inv.ProjectID, &inv.Currency, &inv.State, &inv.IssueDate, &inv.DueDate,
		&inv.Notes, &inv.Total, &inv.CreatedBy, &created, &updated, &sent, &voided,
		&inv.Issuer.Name, &inv.Issuer.Email, &inv.Issuer.Phone, &inv.Issuer.Address, &inv.Paid); err != nil {
		return nil, err
	}
	inv.CreatedAt, inv.UpdatedAt, inv.SentAt, inv.VoidedAt = parseTime(created), parseTime(updated), optTime(sent), optTime(voided)
	return &inv, nil
}

// Invoice returns one invoice with its lines.
func (s *Store) Invoice(ctx context.Context, id string) (*Invoice, error) {
	inv, err := scanInvoice(s.q.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices i WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: invoice %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: invoice: %w", err)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT description, quantity_milli, unit_price, tax_rate_bp FROM invoice_lines
		WHERE invoice_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("store: invoice lines: %w", err)
	}
	defer rows.Close()
	inv.Lines = []InvoiceLine{}
	for rows.Next() {
		var l InvoiceLine
		if err := rows.Scan(&l.Description, &l.QuantityMilli, &l.UnitPrice, &l.TaxRateBP); err != nil {
			return nil, fmt.Errorf("store: invoice lines: %w", err)
		}
		inv.Lines = append(inv.Lines, l)
	}
	return inv, rows.Err()
}

// Invoices returns every invoice (without lines), the newest first.
func (s *Store) Invoices(ctx context.Context) ([]*Invoice, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+invoiceColumns+` FROM invoices i ORDER BY i.created_at DESC, i.id`)
	if err != nil {
		return nil, fmt.Errorf("store: invoices: %w", err)
	}
	defer rows.Close()
	out := []*Invoice{}
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			return nil, fmt.Errorf("store: invoices: %w", err)
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// NextInvoiceNumber takes the next number of year (1, 2, … without gaps: inside the
// transaction that sends the invoice).
func (s *Store) NextInvoiceNumber(ctx context.Context, year int) (int64, error) {
	var n int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO invoice_numbers (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = invoice_numbers.last + 1 RETURNING last`, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: invoice number: %w", err)
	}
	return n, nil
}

// DeleteInvoice removes an invoice (a draft: nothing refers to it).
func (s *Store) DeleteInvoice(ctx context.Context, id string) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM invoices WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete invoice: %w", err)
	}
	return affectedOne(res, "delete invoice")
}

// AddPayment records a payment. A gateway reference already recorded is ErrConflict (a
// gateway's confirmation counts once).
func (s *Store) AddPayment(ctx context.Context, p *Payment) error {
	var ref any
	if p.GatewayRef != "" {
		ref = p.GatewayRef
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO payments (id, invoice_id, amount, method, received_on, reference, gateway_ref, created_by, created_at)
		VALUES (?,?,?,?,?,?,?,?,?)`, p.ID, p.InvoiceID, p.Amount, p.Method, p.ReceivedOn, p.Reference, ref, p.CreatedBy, formatTime(p.CreatedAt))
	if isUniqueViolation(err) {
		return fmt.Errorf("store: payment %s: %w", p.GatewayRef, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: payment: %w", err)
	}
	return nil
}

// Payments returns an invoice's payments, oldest first.
func (s *Store) Payments(ctx context.Context, invoiceID string) ([]*Payment, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, invoice_id, amount, method, received_on, reference, COALESCE(gateway_ref, ''), created_by, created_at
		FROM payments WHERE invoice_id = ? ORDER BY created_at, id`, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("store: payments: %w", err)
	}
	defer rows.Close()
	out := []*Payment{}
	for rows.Next() {
		var p Payment
		var created string
		if err := rows.Scan(&p.ID, &p.InvoiceID, &p.Amount, &p.Method, &p.ReceivedOn, &p.Reference, &p.GatewayRef, &p.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("store: payments: %w", err)
		}
		p.CreatedAt = parseTime(created)
		out = append(out, &p)
	}
	return out, rows.Err()
}
