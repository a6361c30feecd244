package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// InvoicingSettings is who issues the invoices, how to pay them without a gateway, and
// which gateway is connected ("" or "stripe").
type InvoicingSettings struct {
	IssuerName, IssuerEmail, IssuerPhone, IssuerAddress string
	PaymentInstructions, Gateway                        string
}

// InvoicingSettings reads the invoicing settings.
func (s *Store) InvoicingSettings(ctx context.Context) (*InvoicingSettings, error) {
	var c InvoicingSettings
	err := s.q.QueryRowContext(ctx, `SELECT issuer_name, issuer_email, issuer_phone, issuer_address, payment_instructions, gateway
		FROM invoicing_settings WHERE id = 1`).Scan(&c.IssuerName, &c.IssuerEmail, &c.IssuerPhone, &c.IssuerAddress, &c.PaymentInstructions, &c.Gateway)
	if err != nil {
		return nil, fmt.Errorf("store: invoicing settings: %w", err)
	}
	return &c, nil
}

// UpdateInvoicingSettings writes every field of c.
func (s *Store) UpdateInvoicingSettings(ctx context.Context, c *InvoicingSettings, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE invoicing_settings SET issuer_name = ?, issuer_email = ?, issuer_phone = ?, issuer_address = ?,
		payment_instructions = ?, gateway = ?, updated_at = ? WHERE id = 1`,
		c.IssuerName, c.IssuerEmail, c.IssuerPhone, c.IssuerAddress, c.PaymentInstructions, c.Gateway, formatTime(at))
	if err != nil {
		return fmt.Errorf("store: update invoicing settings: %w", err)
	}
	return nil
}

// CheckoutSession is a payment started at the gateway.
type CheckoutSession struct {
	ID, SessionID, InvoiceID, Currency, CreatedBy string
	Amount                                        int64
	CreatedAt                                     time.Time
	Counted                                       bool // its payment was counted (once)
}

// AddCheckoutSession records a payment started at the gateway.
func (s *Store) AddCheckoutSession(ctx context.Context, c *CheckoutSession) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO checkout_sessions (id, session_id, invoice_id, amount, currency, created_by, created_at)
		VALUES (?,?,?,?,?,?,?)`, c.ID, c.SessionID, c.InvoiceID, c.Amount, c.Currency, c.CreatedBy, formatTime(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: checkout session: %w", err)
	}
	return nil
}

// CheckoutSession returns the latest payment started under the gateway's session id
// (ErrNotFound when there is none).
func (s *Store) CheckoutSession(ctx context.Context, sessionID string) (*CheckoutSession, error) {
	var c CheckoutSession
	var created string
	err := s.q.QueryRowContext(ctx, `SELECT id, session_id, invoice_id, amount, currency, created_by, created_at, counted_at <> ''
		FROM checkout_sessions WHERE session_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`, sessionID).
		Scan(&c.ID, &c.SessionID, &c.InvoiceID, &c.Amount, &c.Currency, &c.CreatedBy, &created, &c.Counted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: checkout session: %w", err)
	}
	c.CreatedAt = parseTime(created)
	return &c, nil
}

// CountCheckoutSession marks the gateway's session sessionID counted, and reports whether
// this call did it (false: it was counted before — the webhook and the client's return
// both confirm a payment, and Stripe delivers events at least once).
func (s *Store) CountCheckoutSession(ctx context.Context, sessionID string, at time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE checkout_sessions SET counted_at = ? WHERE session_id = ? AND counted_at = ''`, formatTime(at), sessionID)
	if err != nil {
		return false, fmt.Errorf("store: count checkout session: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: count checkout session: %w", err)
	}
	return n > 0, nil
}
