// Package invoicepdf renders one invoice to the bytes of a PDF file.
//
// It owns the invoice's printed form: the layout, the money and quantity formats, the
// line and tax arithmetic (Totals) and the fonts, which are embedded in the binary so a
// PDF never depends on files of the machine it is made on. It knows nothing of the store,
// of who may see an invoice or of HTTP: the invoices service fills an Invoice and hands
// the bytes on.
//
// Text is drawn with DejaVu Sans (see fonts/LICENSE), which covers Latin, Greek, Cyrillic
// and many symbols. A character it has no glyph for (Chinese, Japanese, emoji…) or that
// would need right-to-left layout (Hebrew, Arabic), which fpdf cannot do, is drawn as
// U+FFFD "�" instead of being dropped or drawn wrongly; Unsupported lists those
// characters so the caller can tell the person before the PDF goes out.
package invoicepdf

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Party is the issuer (From) or the client (To) of an invoice.
type Party struct {
	Name, Email, Phone string
	Address            string // may have several lines, separated by "\n"
}

// Line is one row of the invoice's table.
type Line struct {
	Description   string // may be long or have several lines; it wraps
	QuantityMilli int64  // thousandths: 1500 is 1.5
	UnitPrice     int64  // minor units of the invoice's currency
	TaxRateBP     int    // basis points: 2000 is 20%, 550 is 5.5%
}

// Invoice is everything printed on the PDF.
type Invoice struct {
	Number string // may be empty while the invoice is a draft
	State  string // draft, sent, partly_paid, paid, overdue or void

	IssueDate, DueDate string // YYYY-MM-DD, or empty while not known (a draft)

	// Currency is an ISO 4217 code; every amount is in its minor units (cents for EUR,
	// yen for JPY, which has none).
	Currency string

	From, To Party
	// Logo is the issuer's logo, drawn above its name (none when Data is empty).
	Logo  Logo
	Lines []Line
	Notes string
	Paid  int64 // received so far, in minor units
}

// Logo is an image: PNG or JPEG bytes.
type Logo struct {
	Data []byte
	Type string // "image/png" or "image/jpeg"
}

// The states an invoice can be in; draft and void are printed across each page.
const (
	StateDraft      = "draft"
	StateSent       = "sent"
	StatePartlyPaid = "partly_paid"
	StatePaid       = "paid"
	StateOverdue    = "overdue"
	StateVoid       = "void"
)

// ErrInvalid is wrapped by every error of Validate and Render that comes from the
// invoice itself rather than from PDF generation.
var ErrInvalid = errors.New("invoicepdf: invalid invoice")

// maxAmount bounds every amount (a line, a tax, a total, what was paid) so that no sum
// or difference of them can overflow an int64: 10^15 minor units is 10 trillion euros.
const maxAmount = 1_000_000_000_000_000

// Validate reports, wrapping ErrInvalid, why Render would refuse inv.
func Validate(inv Invoice) error {
	switch inv.State {
	case StateDraft, StateSent, StatePartlyPaid, StatePaid, StateOverdue, StateVoid:
	default:
		return fmt.Errorf("%w: unknown state %q", ErrInvalid, inv.State)
	}
	if inv.State != StateDraft && strings.TrimSpace(inv.Number) == "" {
		return fmt.Errorf("%w: only a draft may have no number", ErrInvalid)
	}
	if _, err := currencyDecimals(inv.Currency); err != nil {
		return err
	}
	for _, d := range []struct{ name, value string }{{"issue date", inv.IssueDate}, {"due date", inv.DueDate}} {
		if d.value == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.value); err != nil {
			return fmt.Errorf("%w: %s %q is not YYYY-MM-DD", ErrInvalid, d.name, d.value)
		}
	}
	if len(inv.Lines) == 0 {
		return fmt.Errorf("%w: no lines", ErrInvalid)
	}
	if inv.Paid > maxAmount || inv.Paid < -maxAmount {
		return fmt.Errorf("%w: paid amount %d is out of range", ErrInvalid, inv.Paid)
	}
	_, err := computeTotals(inv)
	return err
}
