package invoicepdf

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
)

// Document is a plain A4 document of headings, paragraphs and bullets, drawn with the
// same embedded DejaVu fonts and the same care for characters they cannot draw as an
// invoice (other printed documents, such as the role book, use it).
type Document struct {
	pdf *fpdf.Fpdf
	set *[65536 / 64]uint64
}

// NewDocument starts a document titled title, with "title · page N" at each page's foot.
func NewDocument(title string) (*Document, error) {
	set, err := coverage()
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	d := &Document{pdf: pdf, set: set}
	pdf.SetMargins(marginX, marginT, marginX)
	pdf.SetAutoPageBreak(true, marginB)
	pdf.SetCellMargin(0)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	pdf.SetTitle(oneLine(title), true)
	pdf.SetCreator("Gatehouse", true)
	foot := d.one(title)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-marginB + 6)
		pdf.SetFont(family, "", 8)
		pdf.SetTextColor(colMuted.r, colMuted.g, colMuted.b)
		pdf.CellFormat(0, 5, fmt.Sprintf("%s · %d", foot, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	return d, nil
}

func (d *Document) one(s string) string  { return strings.TrimSpace(clean(d.set, s, false, nil)) }
func (d *Document) many(s string) string { return strings.TrimSpace(clean(d.set, s, true, nil)) }

func (d *Document) write(style string, size float64, c rgb, indent float64, s string) {
	d.pdf.SetFont(family, style, size)
	d.pdf.SetTextColor(c.r, c.g, c.b)
	d.pdf.SetX(marginX + indent)
	d.pdf.MultiCell(pageW-2*marginX-indent, size*0.5, s, "", "L", false)
}

// Heading is a bold line of the given size, with a little room above.
func (d *Document) Heading(s string, size float64) {
	d.pdf.Ln(size * 0.2)
	d.write("B", size, colText, 0, d.one(s))
}

// Para is a paragraph (line breaks kept).
func (d *Document) Para(s string) { d.write("", 10, colText, 0, d.many(s)) }

// Muted is a paragraph in grey.
func (d *Document) Muted(s string) { d.write("", 9, colMuted, 0, d.many(s)) }

// Bullet is an item of a list, at a nesting level (0 or more).
func (d *Document) Bullet(s string, level int) {
	indent := 4 + 5*float64(level)
	d.write("", 10, colText, indent, "• "+d.one(s))
}

// Space is vertical room, in millimetres.
func (d *Document) Space(mm float64) { d.pdf.Ln(mm) }

// Bytes ends the document and returns the PDF.
func (d *Document) Bytes() ([]byte, error) {
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("invoicepdf: document: %w", err)
	}
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("invoicepdf: document: %w", err)
	}
	return buf.Bytes(), nil
}
