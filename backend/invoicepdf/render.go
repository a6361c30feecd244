package invoicepdf

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/go-pdf/fpdf"
)

// A4 portrait, in millimetres.
const (
	pageW, pageH     = 210.0, 297.0
	marginX, marginT = 15.0, 15.0
	marginB          = 20.0 // room for the footer
	contentW         = pageW - 2*marginX
	cellMargin       = 1.5
	family           = "dejavu"
)

type rgb struct{ r, g, b int }

var (
	colText   = rgb{33, 37, 41}
	colMuted  = rgb{108, 117, 125}
	colAccent = rgb{30, 58, 138}
	colFill   = rgb{241, 243, 245}
	colRule   = rgb{206, 212, 218}
)

// The table's columns; the description takes what the others leave.
var columns = []struct {
	title string
	width float64
	align string
}{
	{"Description", contentW - 20 - 30 - 16 - 32, "L"},
	{"Qty", 20, "R"},
	{"Unit price", 30, "R"},
	{"Tax", 16, "R"},
	{"Amount", 32, "R"},
}

// Render returns the PDF of inv: A4 pages with the issuer, the client, the dates, the
// lines (the table's header repeated on each page it continues on), the totals per tax
// rate, what was paid and the balance due, the notes, and "Page N of M" at the foot of
// each page; "DRAFT" or "VOID" is printed across every page of a draft or void invoice.
// It refuses, wrapping ErrInvalid, an invoice that Validate refuses.
func Render(inv Invoice) ([]byte, error) {
	if err := Validate(inv); err != nil {
		return nil, err
	}
	set, err := coverage()
	if err != nil {
		return nil, err
	}
	r := &renderer{inv: cleanInvoice(set, inv), meta: inv}
	r.decimals, _ = currencyDecimals(inv.Currency)
	r.totals, _ = computeTotals(inv)

	// Two passes: the first only counts the pages, so that the second can print "of N"
	// as a number it measures. fpdf's page-count alias is measured as the alias text and
	// would also replace that text wherever a person typed it in the invoice.
	first, err := r.draw()
	if err != nil {
		return nil, err
	}
	r.pages = first.PageNo()
	pdf, err := r.draw()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("invoicepdf: write: %w", err)
	}
	return buf.Bytes(), nil
}

// cleanInvoice is inv with every text passed through clean; names and other one-line
// fields lose their line breaks.
func cleanInvoice(set *[65536 / 64]uint64, inv Invoice) Invoice {
	one := func(s string) string { return strings.TrimSpace(clean(set, s, false, nil)) }
	many := func(s string) string { return strings.TrimSpace(clean(set, s, true, nil)) }
	party := func(p Party) Party {
		return Party{Name: one(p.Name), Email: one(p.Email), Phone: one(p.Phone), Address: many(p.Address)}
	}
	out := inv
	out.Number = one(inv.Number)
	out.From, out.To = party(inv.From), party(inv.To)
	out.Notes = many(inv.Notes)
	out.Lines = make([]Line, len(inv.Lines))
	for i, l := range inv.Lines {
		l.Description = many(l.Description)
		out.Lines[i] = l
	}
	return out
}

type renderer struct {
	inv      Invoice // cleaned: every character drawable
	meta     Invoice // as given, for the document's properties, which take any Unicode
	decimals int
	totals   breakdown
	pages    int // 0 in the counting pass
	pdf      *fpdf.Fpdf
}

func (r *renderer) draw() (*fpdf.Fpdf, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	r.pdf = pdf
	pdf.SetMargins(marginX, marginT, marginX)
	pdf.SetAutoPageBreak(true, marginB)
	pdf.SetCellMargin(cellMargin)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	pdf.SetTitle(oneLine(r.title(r.meta)), true)
	pdf.SetAuthor(oneLine(r.meta.From.Name), true)
	pdf.SetSubject(oneLine("For "+r.meta.To.Name), true)
	pdf.SetCreator("Gatehouse", true)
	pdf.SetHeaderFunc(r.pageHeader)
	pdf.SetFooterFunc(r.pageFooter)

	pdf.AddPage()
	r.top()
	r.table()
	r.summary()
	r.notes()
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("invoicepdf: draw: %w", err)
	}
	return pdf, nil
}

func (r *renderer) title(inv Invoice) string {
	if inv.State == StateDraft {
		return "Draft invoice"
	}
	return "Invoice " + inv.Number
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (r *renderer) font(style string, size float64, c rgb) {
	r.pdf.SetFont(family, style, size)
	r.pdf.SetTextColor(c.r, c.g, c.b)
}

// cell draws one line of text in a box w wide at (x, y), in a font down to 60% smaller
// if the text would not fit (a very large amount), and clipped past that; it never
// wraps.
func (r *renderer) cell(x, y, w, h float64, s, align string) {
	size, _ := r.pdf.GetFontSize()
	defer r.pdf.SetFontSize(size)
	for fit := size; fit > size*0.6 && r.pdf.GetStringWidth(s) > w-2*cellMargin; {
		fit -= 0.5
		r.pdf.SetFontSize(fit)
	}
	r.clipped(x, y, w, h, s, align)
}

// clipped draws one line of text in a box w wide at (x, y), cut short with "…" if it
// would not fit: for the running header and footer, where a long name must not run into
// the page number.
func (r *renderer) clipped(x, y, w, h float64, s, align string) {
	if r.pdf.GetStringWidth(s) > w-2*cellMargin {
		runes := []rune(s)
		for len(runes) > 0 && r.pdf.GetStringWidth(string(runes)+"…") > w-2*cellMargin {
			runes = runes[:len(runes)-1]
		}
		s = strings.TrimSpace(string(runes)) + "…"
	}
	r.pdf.SetXY(x, y)
	r.pdf.CellFormat(w, h, s, "", 0, align, false, 0, "")
}

// wrap splits text into the lines it takes in a box w wide in the current font; an empty
// text is one empty line.
func (r *renderer) wrap(text string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		split := r.pdf.SplitText(para, w)
		if len(split) == 0 {
			split = []string{""}
		}
		lines = append(lines, split...)
	}
	return lines
}

// block draws text wrapped in a box w wide from (x, y), one line every lh, and returns
// the y below it. An empty text takes no room.
func (r *renderer) block(x, y, w, lh float64, text string) float64 {
	if text == "" {
		return y
	}
	for _, line := range r.wrap(text, w) {
		r.pdf.SetXY(x, y)
		r.pdf.CellFormat(w, lh, line, "", 0, "L", false, 0, "")
		y = r.pdf.GetY() + lh
	}
	return y
}

func (r *renderer) rule(y float64, c rgb, width float64) {
	r.pdf.SetDrawColor(c.r, c.g, c.b)
	r.pdf.SetLineWidth(width)
	r.pdf.Line(marginX, y, pageW-marginX, y)
}

// pageHeader runs at the top of every page: the watermark first, so that everything
// else is drawn over it, then on the pages after the first a reminder of whose invoice
// it is.
func (r *renderer) pageHeader() {
	pdf := r.pdf
	if mark := map[string]string{StateDraft: "DRAFT", StateVoid: "VOID"}[r.inv.State]; mark != "" {
		const size = 110.0
		r.font("B", size, rgb{236, 238, 241})
		if r.inv.State == StateVoid {
			pdf.SetTextColor(248, 215, 218)
		}
		cx, cy := pageW/2, pageH/2
		pdf.TransformBegin()
		pdf.TransformRotate(40, cx, cy)
		pdf.Text(cx-pdf.GetStringWidth(mark)/2, cy+size*25.4/72*0.36, mark)
		pdf.TransformEnd()
	}
	if pdf.PageNo() > 1 {
		r.font("", 8, colMuted)
		r.clipped(marginX, marginT, contentW/2, 5, r.inv.From.Name, "L")
		r.clipped(pageW/2, marginT, contentW/2, 5, r.title(r.inv)+" (continued)", "R")
		r.rule(marginT+6, colRule, 0.2)
		pdf.SetY(marginT + 10)
	}
}

func (r *renderer) pageFooter() {
	y := pageH - 13
	r.rule(y, colRule, 0.2)
	r.font("", 8, colMuted)
	left := r.title(r.inv)
	if r.inv.From.Name != "" {
		left += " · " + r.inv.From.Name
	}
	r.clipped(marginX, y+1.5, contentW*0.7, 5, left, "L")
	r.cell(marginX+contentW*0.7, y+1.5, contentW*0.3, 5, fmt.Sprintf("Page %d of %d", r.pdf.PageNo(), r.pages), "R")
}

// top draws the first page's head: the issuer and the title with the dates, then the
// client and the balance due.
func (r *renderer) top() {
	inv := r.inv
	const leftW, rightW = 105.0, 70.0
	rightX := pageW - marginX - rightW

	y := marginT
	yl := y
	if kind := map[string]string{"image/png": "PNG", "image/jpeg": "JPG"}[r.meta.Logo.Type]; kind != "" && len(r.meta.Logo.Data) > 0 {
		// At most 14 mm high and half the issuer's column wide, its proportions kept.
		opt := fpdf.ImageOptions{ImageType: kind, ReadDpi: false}
		info := r.pdf.RegisterImageOptionsReader("logo", opt, bytes.NewReader(r.meta.Logo.Data))
		if info != nil && info.Width() > 0 && info.Height() > 0 {
			h := 14.0
			w := h * info.Width() / info.Height()
			if w > leftW/2 {
				w, h = leftW/2, leftW/2*info.Height()/info.Width()
			}
			r.pdf.ImageOptions("logo", marginX, y, w, h, false, opt, 0, "")
			yl += h + 3
		}
	}
	r.font("B", 14, colText)
	yl = r.block(marginX, yl, leftW, 6.5, inv.From.Name)
	r.font("", 9, colMuted)
	yl = r.block(marginX, yl+0.5, leftW, 4.4, partyDetails(inv.From))

	r.font("B", 24, colAccent)
	r.cell(rightX, y, rightW, 11, "Invoice", "R")
	number := inv.Number
	if inv.State == StateDraft {
		number = "Draft"
	}
	r.font("B", 11, colText)
	r.cell(rightX, y+11, rightW, 6, number, "R")
	yr := y + 19
	for _, row := range [][2]string{
		{"Issue date", orDash(inv.IssueDate)},
		{"Due date", orDash(inv.DueDate)},
		{"Status", stateLabel(inv.State)},
	} {
		r.font("", 9, colMuted)
		r.cell(rightX, yr, rightW-28, 5, row[0], "R")
		r.font("", 9, colText)
		r.cell(rightX+rightW-28, yr, 28, 5, row[1], "R")
		yr += 5
	}

	y = math.Max(yl, yr) + 6
	r.rule(y, colAccent, 0.5)
	y += 6

	r.font("B", 8, colMuted)
	r.cell(marginX, y, leftW, 4.5, "BILL TO", "L")
	r.font("B", 11, colText)
	yl = r.block(marginX, y+5, leftW, 5.2, inv.To.Name)
	r.font("", 9, colMuted)
	yl = r.block(marginX, yl+0.5, leftW, 4.4, partyDetails(inv.To))

	const boxH = 22.0
	r.pdf.SetFillColor(colFill.r, colFill.g, colFill.b)
	r.pdf.Rect(rightX, y, rightW, boxH, "F")
	r.font("", 9, colMuted)
	r.cell(rightX+2, y+2.5, rightW-4, 5, "Balance due", "R")
	r.font("B", 16, colText)
	r.cell(rightX+2, y+8, rightW-4, 8, formatMoney(r.balance(), inv.Currency, r.decimals), "R")
	if inv.DueDate != "" {
		r.font("", 8, colMuted)
		r.cell(rightX+2, y+16, rightW-4, 4.5, "Due "+inv.DueDate, "R")
	}
	r.pdf.SetY(math.Max(yl, y+boxH) + 8)
}

func (r *renderer) balance() int64 { return r.totals.subtotal + r.totals.tax - r.inv.Paid }

// partyDetails is the lines under a party's name: the address, then email and phone.
func partyDetails(p Party) string {
	var lines []string
	for _, s := range []string{p.Address, p.Email, p.Phone} {
		if s != "" {
			lines = append(lines, s)
		}
	}
	return strings.Join(lines, "\n")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func stateLabel(state string) string {
	return map[string]string{
		StateDraft: "Draft", StateSent: "Sent", StatePartlyPaid: "Partly paid",
		StatePaid: "Paid", StateOverdue: "Overdue", StateVoid: "Void",
	}[state]
}

const (
	rowLine = 4.6 // one line of a row's description
	rowPad  = 1.8 // above and below a row's text
	headH   = 8.0
)

// room reports whether h more millimetres fit on the page above the footer.
func (r *renderer) room(h float64) bool {
	return r.pdf.GetY()+h <= pageH-marginB+0.01
}

func (r *renderer) tableHeader() {
	pdf := r.pdf
	y := pdf.GetY()
	pdf.SetFillColor(colFill.r, colFill.g, colFill.b)
	pdf.Rect(marginX, y, contentW, headH, "F")
	x := marginX
	for _, c := range columns {
		r.font("B", 8.5, colText)
		r.cell(x, y+1.5, c.width, 5, c.title, c.align)
		x += c.width
	}
	pdf.SetY(y + headH)
}

// table draws the lines. A row whose description does not fit in what is left of the
// page goes on to the next one, after the table's header again.
func (r *renderer) table() {
	pdf := r.pdf
	r.tableHeader()
	for i, l := range r.inv.Lines {
		r.font("", 9, colText)
		lines := r.wrap(l.Description, columns[0].width)
		numbers := []string{
			formatQuantity(l.QuantityMilli),
			formatMinor(l.UnitPrice, r.decimals),
			formatRate(l.TaxRateBP),
			formatMinor(r.totals.lines[i].amount, r.decimals),
		}
		for first := true; len(lines) > 0; first = false {
			if !r.room(2*rowPad + rowLine) {
				pdf.AddPage()
				r.tableHeader()
			}
			fit := int((pageH - marginB + 0.01 - pdf.GetY() - 2*rowPad) / rowLine)
			chunk := lines[:min(fit, len(lines))]
			lines = lines[len(chunk):]
			y := pdf.GetY()
			for j, s := range chunk {
				r.font("", 9, colText)
				r.cell(marginX, y+rowPad+float64(j)*rowLine, columns[0].width, rowLine, s, "L")
			}
			if first {
				x := marginX + columns[0].width
				for k, s := range numbers {
					r.font("", 9, colText)
					r.cell(x, y+rowPad, columns[k+1].width, rowLine, s, columns[k+1].align)
					x += columns[k+1].width
				}
			}
			y += 2*rowPad + float64(len(chunk))*rowLine
			r.rule(y, colRule, 0.2)
			pdf.SetY(y)
		}
	}
}

// summary draws the totals under the table, right-aligned, all on one page.
func (r *renderer) summary() {
	pdf := r.pdf
	t, cur, dec := r.totals, r.inv.Currency, r.decimals
	const rowH, labelW, valueW = 6.0, 62.0, 42.0
	x := pageW - marginX - labelW - valueW
	h := 4 + rowH*float64(len(t.rates)+5) + 2
	if !r.room(h) {
		pdf.AddPage()
	}
	y := pdf.GetY() + 4
	row := func(label, value string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		r.font(style, 9.5, colText)
		if !bold {
			pdf.SetTextColor(colMuted.r, colMuted.g, colMuted.b)
		}
		r.cell(x, y, labelW, rowH, label, "L")
		r.font(style, 9.5, colText)
		r.cell(x+labelW, y, valueW, rowH, value, "R")
		y += rowH
	}
	row("Subtotal", formatMoney(t.subtotal, cur, dec), false)
	for _, rt := range t.rates {
		row(fmt.Sprintf("Tax %s on %s", formatRate(rt.rateBP), formatMinor(rt.base, dec)), formatMoney(rt.tax, cur, dec), false)
	}
	pdf.SetDrawColor(colText.r, colText.g, colText.b)
	pdf.SetLineWidth(0.3)
	pdf.Line(x, y+0.5, pageW-marginX, y+0.5)
	y += 1
	row("Total", formatMoney(t.subtotal+t.tax, cur, dec), true)
	row("Paid", formatMoney(r.inv.Paid, cur, dec), false)
	pdf.SetFillColor(colFill.r, colFill.g, colFill.b)
	pdf.Rect(x, y, labelW+valueW, rowH+1, "F")
	y += 0.5
	row("Balance due", formatMoney(r.balance(), cur, dec), true)
	pdf.SetY(y + 2)
}

// notes draws the notes at the bottom; long notes go on over the next pages.
func (r *renderer) notes() {
	if r.inv.Notes == "" {
		return
	}
	pdf := r.pdf
	pdf.SetY(pdf.GetY() + 6)
	if !r.room(5 + 3*4.4) { // the title and its first lines together
		pdf.AddPage()
	}
	r.font("B", 9, colText)
	r.cell(marginX, pdf.GetY(), contentW, 5, "Notes", "L")
	pdf.SetY(pdf.GetY() + 5)
	r.font("", 9, colMuted)
	for _, line := range r.wrap(r.inv.Notes, contentW) {
		if !r.room(4.4) {
			pdf.AddPage()
			r.font("", 9, colMuted)
		}
		r.cell(marginX, pdf.GetY(), contentW, 4.4, line, "L")
		pdf.SetY(pdf.GetY() + 4.4)
	}
}
