package store

import (
	"context"
	"fmt"
)

// RevenueRow is what one client company was invoiced and paid in one month ("YYYY-MM").
type RevenueRow struct {
	Month, CompanyID string
	Invoiced, Paid   int64
}

const revenueLedger = `SELECT substr(issue_date, 1, 7) AS m, company_id, total AS invoiced, 0 AS paid FROM invoices WHERE state = 'sent'
			UNION ALL
			SELECT substr(p.received_on, 1, 7), i.company_id, 0, p.amount FROM payments p JOIN invoices i ON i.id = p.invoice_id`

// OwedBefore returns what was owed when month ("YYYY-MM") began: everything sent invoices
// were issued for before it, less every payment received before it.
func (s *Store) OwedBefore(ctx context.Context, month string) (int64, error) {
	var n int64
	err := s.q.QueryRowContext(ctx, `SELECT COALESCE(SUM(invoiced), 0) - COALESCE(SUM(paid), 0) FROM (`+revenueLedger+`) AS ledger WHERE m < ?`, month).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: owed before %s: %w", month, err)
	}
	return n, nil
}

// Revenue returns, per month from..to (inclusive, "YYYY-MM") and company, what sent
// invoices were issued for and what payments came in (void invoices count for nothing).
func (s *Store) Revenue(ctx context.Context, from, to string) ([]RevenueRow, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT m, company_id, SUM(invoiced), SUM(paid) FROM (`+revenueLedger+`) AS ledger
		WHERE m BETWEEN ? AND ? GROUP BY m, company_id ORDER BY m, company_id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: revenue: %w", err)
	}
	defer rows.Close()
	out := []RevenueRow{}
	for rows.Next() {
		var r RevenueRow
		if err := rows.Scan(&r.Month, &r.CompanyID, &r.Invoiced, &r.Paid); err != nil {
			return nil, fmt.Errorf("store: revenue: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Outstanding returns, per company, what its sent invoices still owe.
func (s *Store) Outstanding(ctx context.Context) (map[string]int64, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT i.company_id, SUM(i.total - (SELECT COALESCE(SUM(amount), 0) FROM payments p WHERE p.invoice_id = i.id))
		FROM invoices i WHERE i.state = 'sent' GROUP BY i.company_id`)
	if err != nil {
		return nil, fmt.Errorf("store: outstanding: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("store: outstanding: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
