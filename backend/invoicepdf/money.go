package invoicepdf

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Totals returns the invoice's subtotal (before tax), its tax, its total, and the tax
// at each rate (basis points → minor units). Only integers are used, with one rule:
//
//   - a line's amount is QuantityMilli × UnitPrice / 1000,
//   - its tax is that amount × TaxRateBP / 10000,
//
// each rounded on its own, half away from zero (0.5 cent → 1 cent, −0.5 → −1), and the
// invoice's figures are the sums of the lines' rounded figures, so the table and the
// totals always add up. An invoice with no lines has zero totals and an empty map.
// Totals returns zeros and a nil map for an invoice whose amounts Validate refuses.
func Totals(inv Invoice) (subtotal, tax, total int64, perRate map[int]int64) {
	b, err := computeTotals(inv)
	if err != nil {
		return 0, 0, 0, nil
	}
	perRate = make(map[int]int64, len(b.rates))
	for _, r := range b.rates {
		perRate[r.rateBP] = r.tax
	}
	return b.subtotal, b.tax, b.subtotal + b.tax, perRate
}

type lineAmounts struct{ amount, tax int64 }

type rateTotal struct {
	rateBP    int
	base, tax int64 // the lines' amounts at this rate, and their tax
}

type breakdown struct {
	lines         []lineAmounts
	subtotal, tax int64
	rates         []rateTotal // by rate, lowest first
}

func computeTotals(inv Invoice) (breakdown, error) {
	b := breakdown{lines: make([]lineAmounts, len(inv.Lines))}
	byRate := map[int]*rateTotal{}
	for i, l := range inv.Lines {
		if l.TaxRateBP < 0 || l.TaxRateBP > 10000 {
			return breakdown{}, fmt.Errorf("%w: line %d: tax rate %d bp is outside 0 to 10000", ErrInvalid, i+1, l.TaxRateBP)
		}
		amount, ok := mulDivRound(l.QuantityMilli, l.UnitPrice, 1000)
		if !ok {
			return breakdown{}, fmt.Errorf("%w: line %d: amount out of range", ErrInvalid, i+1)
		}
		tax, _ := mulDivRound(amount, int64(l.TaxRateBP), 10000) // |tax| ≤ |amount|
		b.lines[i] = lineAmounts{amount, tax}
		b.subtotal += amount
		b.tax += tax
		if b.subtotal > maxAmount || b.subtotal < -maxAmount || b.tax > maxAmount || b.tax < -maxAmount {
			return breakdown{}, fmt.Errorf("%w: total out of range", ErrInvalid)
		}
		r := byRate[l.TaxRateBP]
		if r == nil {
			r = &rateTotal{rateBP: l.TaxRateBP}
			byRate[l.TaxRateBP] = r
		}
		r.base += amount
		r.tax += tax
	}
	for _, r := range byRate {
		b.rates = append(b.rates, *r)
	}
	slices.SortFunc(b.rates, func(x, y rateTotal) int { return x.rateBP - y.rateBP })
	return b, nil
}

// mulDivRound returns a×b/d rounded half away from zero (d > 0), and false when the
// result is beyond ±maxAmount. big.Int because a×b alone may not fit in 64 bits.
func mulDivRound(a, b, d int64) (int64, bool) {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	q, r := new(big.Int).QuoRem(p, big.NewInt(d), new(big.Int)) // truncates toward zero
	if r.Abs(r).Lsh(r, 1).Cmp(big.NewInt(d)) >= 0 {
		q.Add(q, big.NewInt(int64(p.Sign())))
	}
	if !q.IsInt64() || q.Int64() > maxAmount || q.Int64() < -maxAmount {
		return 0, false
	}
	return q.Int64(), true
}

// currencyDecimals is the number of digits after the decimal point of the currency's
// minor unit (2 for EUR, 0 for JPY, 3 for KWD), from CLDR through x/text.
func currencyDecimals(code string) (int, error) {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return 0, fmt.Errorf("%w: currency %q is not an ISO 4217 code", ErrInvalid, code)
	}
	unit, err := currency.ParseISO(code)
	if err != nil {
		return 0, fmt.Errorf("%w: currency %q: %v", ErrInvalid, code, err)
	}
	scale, _ := currency.Standard.Rounding(unit)
	return scale, nil
}

// formatMinor writes an amount of minor units with the given number of decimals:
// formatMinor(-123456, 2) is "-1,234.56".
func formatMinor(amount int64, decimals int) string {
	neg := amount < 0
	u := uint64(amount) // two's complement, so that math.MinInt64 negates too
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	if len(digits) <= decimals {
		digits = strings.Repeat("0", decimals-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-decimals], digits[len(digits)-decimals:]
	s := groupThousands(whole)
	if decimals > 0 {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}

// formatMoney is formatMinor followed by the currency code: "1,234.56 EUR".
func formatMoney(amount int64, code string, decimals int) string {
	return formatMinor(amount, decimals) + " " + code
}

// formatQuantity writes thousandths without trailing zeros: 1500 is "1.5", 2000 is "2".
func formatQuantity(milli int64) string {
	return trimZeros(formatMinor(milli, 3))
}

// formatRate writes basis points as a percentage: 2000 is "20%", 550 is "5.5%".
func formatRate(bp int) string {
	return trimZeros(formatMinor(int64(bp), 2)) + "%"
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func groupThousands(digits string) string {
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
