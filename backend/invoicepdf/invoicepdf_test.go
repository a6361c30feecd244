package invoicepdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	pngenc "image/png"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestTotals(t *testing.T) {
	cases := []struct {
		name                 string
		lines                []Line
		subtotal, tax, total int64
		perRate              map[int]int64
	}{
		{name: "no lines", perRate: map[int]int64{}},
		{
			name:     "one line, whole quantity",
			lines:    []Line{{QuantityMilli: 2000, UnitPrice: 5000, TaxRateBP: 2000}},
			subtotal: 10000, tax: 2000, total: 12000,
			perRate: map[int]int64{2000: 2000},
		},
		{
			name: "mixed rates, fractional quantities",
			lines: []Line{
				{QuantityMilli: 1500, UnitPrice: 8000, TaxRateBP: 2000}, // 120.00, tax 24.00
				{QuantityMilli: 250, UnitPrice: 1999, TaxRateBP: 550},   // 4.9975 → 5.00 (500), tax 27.5 → 28
				{QuantityMilli: 3000, UnitPrice: 1000, TaxRateBP: 0},    // 30.00, no tax
				{QuantityMilli: 1000, UnitPrice: 333, TaxRateBP: 2000},  // 3.33, tax 66.6 → 67
			},
			subtotal: 12000 + 500 + 3000 + 333, tax: 2400 + 28 + 0 + 67, total: 15833 + 2495,
			perRate: map[int]int64{2000: 2467, 550: 28, 0: 0},
		},
		{
			name: "half rounds away from zero, per line",
			lines: []Line{
				{QuantityMilli: 500, UnitPrice: 1, TaxRateBP: 0},     // 0.5 → 1
				{QuantityMilli: 500, UnitPrice: 1, TaxRateBP: 0},     // again 1: per line, not 1 on the sum
				{QuantityMilli: 1000, UnitPrice: 5, TaxRateBP: 1000}, // 5, tax 0.5 → 1
				{QuantityMilli: 1000, UnitPrice: 4, TaxRateBP: 1000}, // 4, tax 0.4 → 0
				{QuantityMilli: 499, UnitPrice: 1, TaxRateBP: 0},     // 0.499 → 0
			},
			subtotal: 1 + 1 + 5 + 4, tax: 1, total: 12,
			perRate: map[int]int64{0: 0, 1000: 1},
		},
		{
			name: "a credit line rounds away from zero too",
			lines: []Line{
				{QuantityMilli: -500, UnitPrice: 1, TaxRateBP: 0},     // -0.5 → -1
				{QuantityMilli: -1000, UnitPrice: 5, TaxRateBP: 1000}, // -5, tax -0.5 → -1
				{QuantityMilli: 1000, UnitPrice: 10000, TaxRateBP: 1000},
			},
			subtotal: -1 - 5 + 10000, tax: -1 + 1000, total: 9994 + 999,
			perRate: map[int]int64{0: 0, 1000: 999},
		},
		{
			// 10^15 × 10000 is past 2^63 before the division by 10000.
			name:     "a product beyond 64 bits before the division",
			lines:    []Line{{QuantityMilli: 1000, UnitPrice: maxAmount, TaxRateBP: 10000}},
			subtotal: maxAmount, tax: maxAmount, total: 2 * maxAmount,
			perRate: map[int]int64{10000: maxAmount},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub, tax, total, perRate := Totals(Invoice{Lines: c.lines})
			if sub != c.subtotal || tax != c.tax || total != c.total {
				t.Errorf("Totals = %d, %d, %d; want %d, %d, %d", sub, tax, total, c.subtotal, c.tax, c.total)
			}
			if !maps.Equal(perRate, c.perRate) {
				t.Errorf("per rate = %v; want %v", perRate, c.perRate)
			}
			if total != sub+tax {
				t.Errorf("total %d is not subtotal %d + tax %d", total, sub, tax)
			}
		})
	}
}

func TestTotalsOutOfRange(t *testing.T) {
	for _, l := range []Line{
		{QuantityMilli: 1 << 62, UnitPrice: 1 << 62, TaxRateBP: 0},
		{QuantityMilli: 1000, UnitPrice: maxAmount + 1},
		{QuantityMilli: 1000, UnitPrice: 1, TaxRateBP: 10001},
		{QuantityMilli: 1000, UnitPrice: 1, TaxRateBP: -1},
	} {
		inv := sample(1)
		inv.Lines = []Line{l}
		if sub, tax, total, perRate := Totals(inv); sub != 0 || tax != 0 || total != 0 || perRate != nil {
			t.Errorf("%+v: Totals = %d, %d, %d, %v; want zeros and nil", l, sub, tax, total, perRate)
		}
		if _, err := Render(inv); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: Render error = %v; want ErrInvalid", l, err)
		}
	}
	// Many lines each in range can still add up past the bound.
	inv := sample(1)
	inv.Lines = slices.Repeat([]Line{{QuantityMilli: 1000, UnitPrice: maxAmount}}, 2)
	if err := Validate(inv); !errors.Is(err, ErrInvalid) {
		t.Errorf("sum past the bound: Validate = %v; want ErrInvalid", err)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Invoice)
		ok     bool
	}{
		{"sample", func(*Invoice) {}, true},
		{"draft without number or dates", func(i *Invoice) { i.State, i.Number, i.IssueDate, i.DueDate = StateDraft, "", "", "" }, true},
		{"sent without number", func(i *Invoice) { i.Number = " " }, false},
		{"unknown state", func(i *Invoice) { i.State = "cancelled" }, false},
		{"no lines", func(i *Invoice) { i.Lines = nil }, false},
		{"lower-case currency", func(i *Invoice) { i.Currency = "eur" }, false},
		{"unknown currency", func(i *Invoice) { i.Currency = "ABC" }, false},
		{"no currency", func(i *Invoice) { i.Currency = "" }, false},
		{"date not ISO", func(i *Invoice) { i.DueDate = "30/12/2026" }, false},
		{"paid out of range", func(i *Invoice) { i.Paid = maxAmount + 1 }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := sample(3)
			c.change(&inv)
			err := Validate(inv)
			if c.ok && err != nil {
				t.Fatalf("Validate = %v; want nil", err)
			}
			if !c.ok && !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v; want ErrInvalid", err)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	cases := []struct{ got, want string }{
		{formatMoney(123456, "EUR", 2), "1,234.56 EUR"},
		{formatMoney(-5, "EUR", 2), "-0.05 EUR"},
		{formatMoney(0, "EUR", 2), "0.00 EUR"},
		{formatMoney(1234567, "JPY", 0), "1,234,567 JPY"},
		{formatMoney(1234, "KWD", 3), "1.234 KWD"},
		{formatMinor(-9223372036854775808, 2), "-92,233,720,368,547,758.08"},
		{formatQuantity(1500), "1.5"},
		{formatQuantity(2000), "2"},
		{formatQuantity(1), "0.001"},
		{formatQuantity(-1250), "-1.25"},
		{formatQuantity(1234567000), "1,234,567"},
		{formatRate(2000), "20%"},
		{formatRate(550), "5.5%"},
		{formatRate(725), "7.25%"},
		{formatRate(0), "0%"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	for code, want := range map[string]int{"EUR": 2, "USD": 2, "JPY": 0, "KWD": 3, "CHF": 2} {
		if got, err := currencyDecimals(code); err != nil || got != want {
			t.Errorf("currencyDecimals(%s) = %d, %v; want %d", code, got, err, want)
		}
	}
}

func TestClean(t *testing.T) {
	set, err := coverage()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in, want string
		missing  string
	}{
		{"Łódź Ærøskøbing Straße", "Łódź Ærøskøbing Straße", ""},
		{"Москва Αθήνα €£", "Москва Αθήνα €£", ""},
		{"Lo\u0301dz", "Lódz", ""}, // decomposed accent composed (NFC)
		{"東京 Ltd", "�� Ltd", "東京"},
		{"Thanks 😀!", "Thanks �!", "😀"},
		{"שלום", "����", "שלום"},
		{"a\tb\r\nc\x00d\u200be", "a b\ncde", ""},
		{"\ue000", "�", "\ue000"},
	}
	for _, c := range cases {
		var missing []rune
		got := clean(set, c.in, true, func(r rune) { missing = append(missing, r) })
		if got != c.want || string(missing) != c.missing {
			t.Errorf("clean(%q) = %q, missing %q; want %q, missing %q", c.in, got, string(missing), c.want, c.missing)
		}
	}
	if got := clean(set, "two\nlines", false, nil); got != "two lines" {
		t.Errorf("one-line clean = %q", got)
	}
	if !drawable(set, replacement) {
		t.Error("the fonts cannot draw the replacement character")
	}

	inv := sample(2)
	inv.To.Name = "東京 Trading 😀"
	inv.Lines[1].Description = "Tokyo 東京"
	if got := string(Unsupported(inv)); got != "京東😀" {
		t.Errorf("Unsupported = %q", got)
	}
	if got := Unsupported(sample(2)); len(got) != 0 {
		t.Errorf("Unsupported(sample) = %q; want none", string(got))
	}
}

// sample is a sent invoice of n lines with text from several scripts.
func sample(n int) Invoice {
	inv := Invoice{
		Number: "INV-2026-0042", State: StateSent,
		IssueDate: "2026-11-30", DueDate: "2026-12-30", Currency: "EUR",
		From: Party{Name: "Gatehouse Studio Ltd", Email: "billing@gatehouse.example", Phone: "+44 20 7946 0000",
			Address: "12 Harbour Street\nLondon E1 6AN\nUnited Kingdom"},
		To: Party{Name: "Zakład Łódź Sp. z o.o.", Email: "księgowość@lodz.example",
			Address: "ul. Piotrkowska 104\n90-001 Łódź\nPolska"},
		Notes: "Payment by bank transfer to IBAN GB33 BUKB 2020 1555 5555 55 within 30 days.\nThank you — Дякуємо!",
		Paid:  10000,
	}
	for i := range n {
		l := Line{QuantityMilli: 1000 * int64(i%4+1), UnitPrice: 12500 + int64(i)*100, TaxRateBP: 2000}
		switch i % 3 {
		case 0:
			l.Description = fmt.Sprintf("Design work, week %d", i+1)
		case 1:
			l.Description = fmt.Sprintf("Consulting on the access model for the client portal, including the review of roles, permissions and the audit trail (item %d)", i+1)
			l.QuantityMilli = 2500
			l.TaxRateBP = 550
		case 2:
			l.Description = fmt.Sprintf("Hosting — Straße & Ærø data centre (item %d)", i+1)
			l.TaxRateBP = 0
		}
		inv.Lines = append(inv.Lines, l)
	}
	return inv
}

func TestRenderIsPDF(t *testing.T) {
	for _, n := range []int{1, 60} {
		pdf, err := Render(sample(n))
		if err != nil {
			t.Fatalf("%d lines: %v", n, err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) {
			t.Errorf("%d lines: starts with %q", n, pdf[:min(8, len(pdf))])
		}
		if !bytes.HasSuffix(bytes.TrimRight(pdf, "\r\n"), []byte("%%EOF")) {
			t.Errorf("%d lines: no %%%%EOF trailer", n)
		}
		if pages := pageObjects(pdf); n == 1 && pages != 1 || n == 60 && pages < 3 {
			t.Errorf("%d lines on %d pages", n, pages)
		}
	}
}

// pageObjects counts the page objects, which fpdf writes uncompressed (only the pages'
// content streams are compressed).
func pageObjects(pdf []byte) int {
	return len(regexp.MustCompile(`/Type /Page\b`).FindAll(pdf, -1))
}

// pdftotext is poppler's, which scripts/setup.sh installs (poppler-utils).
// text keeps the layout, with a form feed between pages; raw is every character in the
// order drawn with no white space at all, for the watermark, whose letters the layout
// puts on different lines.
func pdfText(t *testing.T, pdf []byte) (text, raw string, pages int) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing: scripts/setup.sh installs poppler-utils")
		}
		t.Skip("pdftotext is missing: run scripts/setup.sh (poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	rawOut, err := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext -raw: %v: %s", err, rawOut)
	}
	info, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v: %s", err, info)
	}
	if strings.Contains(string(info), "Syntax Error") {
		t.Errorf("pdfinfo finds errors:\n%s", info)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(string(info))
	if m == nil {
		t.Fatalf("pdfinfo gives no page count:\n%s", info)
	}
	pages, _ = strconv.Atoi(m[1])
	if objects := pageObjects(pdf); objects != pages {
		t.Errorf("pdfinfo counts %d pages, the file has %d page objects", pages, objects)
	}
	// Columns are far apart in the layout: one space between words is enough to compare.
	text = regexp.MustCompile(`[ \t]+`).ReplaceAllString(string(out), " ")
	return text, strings.Join(strings.Fields(string(rawOut)), ""), pages
}

func TestRenderText(t *testing.T) {
	inv := sample(3)
	sub, _, total, perRate := Totals(inv)
	pdf, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	text, raw, pages := pdfText(t, pdf)
	if pages != 1 {
		t.Errorf("%d pages; want 1", pages)
	}
	for _, want := range []string{
		"Invoice", "INV-2026-0042", "Gatehouse Studio Ltd", "Zakład Łódź Sp. z o.o.", "90-001 Łódź",
		"księgowość@lodz.example", "2026-11-30", "2026-12-30", "Design work, week 1",
		"Hosting — Straße & Ærø data centre (item 3)", "Дякуємо!",
		"Subtotal", formatMoney(sub, "EUR", 2), "Total", formatMoney(total, "EUR", 2),
		"Tax 20% on 125.00", formatMoney(perRate[2000], "EUR", 2),
		"Tax 5.5% on 315.00", formatMoney(perRate[550], "EUR", 2),
		"Tax 0% on 381.00", "Paid", "100.00 EUR", "Balance due", formatMoney(total-10000, "EUR", 2),
		"Design work, week 1 1 125.00 20% 125.00",
		"Page 1 of 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if strings.Contains(raw, "DRAFT") || strings.Contains(raw, "VOID") {
		t.Error("a sent invoice is marked DRAFT")
	}
	if t.Failed() {
		t.Logf("text:\n%s", text)
	}
}

func TestRenderManyLines(t *testing.T) {
	inv := sample(60)
	pdf, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	text, _, pages := pdfText(t, pdf)
	// Golden: 15 rows fit under the first page's head, 21 on each next page, and the
	// totals and notes follow the last 3 on page 4. A change of layout changes this.
	if pages != 4 {
		t.Fatalf("60 lines on %d pages; want 4", pages)
	}
	for p := 1; p <= pages; p++ {
		if want := fmt.Sprintf("Page %d of %d", p, pages); !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	pageTexts := strings.Split(text, "\f")
	for p := range pages {
		if !strings.Contains(pageTexts[p], "Description") {
			t.Errorf("page %d has no table header", p+1)
		}
	}
	for _, want := range []string{"Design work, week 1", "(item 59)", "Hosting — Straße & Ærø data centre (item 60)", "Balance due", "Invoice INV-2026-0042 (continued)"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	_, _, total, _ := Totals(inv)
	if want := formatMoney(total-inv.Paid, "EUR", 2); !strings.Contains(pageTexts[pages-1], want) {
		t.Errorf("last page lacks the balance %q", want)
	}
}

func TestRenderRowLongerThanAPage(t *testing.T) {
	inv := sample(2)
	var paras []string
	for i := range 150 {
		paras = append(paras, fmt.Sprintf("Paragraph %d of the statement of work.", i+1))
	}
	inv.Lines[0].Description = strings.Join(paras, "\n")
	pdf, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	text, _, pages := pdfText(t, pdf)
	if pages != 4 { // 150 lines of 4.6 mm: about 38 on the first page, 52 on the next
		t.Errorf("%d pages; want 4", pages)
	}
	pageTexts := strings.Split(text, "\f")
	for p := range pages {
		if !strings.Contains(pageTexts[p], "Description Qty Unit price Tax Amount") {
			t.Errorf("page %d has no table header", p+1)
		}
	}
	for _, want := range []string{"Paragraph 1 of the statement of work. 1 125.00 20% 125.00", "Paragraph 150 of", "Consulting on"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if strings.Count(text, "125.00 20% 125.00") != 1 {
		t.Error("the row's figures are printed more than once")
	}
}

func TestRenderStatesAndScripts(t *testing.T) {
	inv := sample(2)
	inv.State, inv.Number = StateDraft, ""
	inv.Currency = "JPY"
	inv.To.Name = "東京商事 😀 Łódź"
	inv.Lines[0].Description = "A description with a very long word " + strings.Repeat("x", 300)
	pdf, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	text, raw, _ := pdfText(t, pdf)
	for _, want := range []string{"Draft", "Draft invoice", "���� � Łódź", "JPY", "xxxxxxxx"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if !strings.Contains(raw, "DRAFT") {
		t.Error("no DRAFT across the page")
	}
	if strings.Contains(text, "INV-") {
		t.Error("a draft shows a number")
	}

	inv = sample(1)
	inv.State = StateVoid
	pdf, err = Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	if text, raw, _ := pdfText(t, pdf); !strings.Contains(raw, "VOID") || !strings.Contains(text, "INV-2026-0042") {
		t.Errorf("void invoice text:\n%s", text)
	}
}

// TestRenderPNG writes the pages as PNG files for a person to look at, when asked:
// INVOICEPDF_PNG=/some/dir go test -run PNG ./backend/invoicepdf/
func TestRenderPNG(t *testing.T) {
	dir := os.Getenv("INVOICEPDF_PNG")
	if dir == "" {
		t.Skip("set INVOICEPDF_PNG to a folder to get the pages as PNG")
	}
	one, many, long := sample(3), sample(60), sample(2)
	one.To.Name += " 東京"
	many.State = StateDraft
	long.State, long.Currency = StateVoid, "JPY"
	long.From.Name = strings.Repeat("A very long company name ", 6)
	long.Lines[0].Description = strings.Repeat("Paragraph of the statement of work.\n", 150)
	for name, inv := range map[string]Invoice{"one": one, "many": many, "long": long} {
		pdf, err := Render(inv)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("pdftoppm", "-png", "-r", "80", path, filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v: %s", err, out)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	inv := sample(60)
	for b.Loop() {
		if _, err := Render(inv); err != nil {
			b.Fatal(err)
		}
	}
}

// A logo is drawn as an image; without one, the PDF has none.
func TestRenderLogo(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 60, 20))
	for x := range 60 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{R: 200, G: uint8(x * 4), B: 40, A: 255})
		}
	}
	var png bytes.Buffer
	if err := pngenc.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	inv := sample(2)
	plain, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	inv.Logo = Logo{Data: png.Bytes(), Type: "image/png"}
	withLogo, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain, []byte("/Subtype /Image")) || !bytes.Contains(withLogo, []byte("/Subtype /Image")) {
		t.Errorf("an image in the plain PDF: %v; in the one with a logo: %v",
			bytes.Contains(plain, []byte("/Subtype /Image")), bytes.Contains(withLogo, []byte("/Subtype /Image")))
	}
}
