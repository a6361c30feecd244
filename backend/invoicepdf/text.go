package invoicepdf

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// DejaVu Sans rather than fpdf's core fonts: those only know cp1252, so "Łódź" or a
// Cyrillic name could not be printed. About 1.4 MB added to the binary; fpdf embeds only
// the glyphs a PDF uses, so a PDF stays small. Licence: fonts/LICENSE (Bitstream Vera,
// free to embed and redistribute).
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// replacement is drawn in place of a character the fonts cannot draw.
const replacement = '\uFFFD'

// coverage is the set of BMP characters that both embedded fonts have a glyph for. It is
// derived from the embedded bytes and never changes, so it is computed once, on first
// use, rather than passed around.
var coverage = sync.OnceValues(func() (*[65536 / 64]uint64, error) {
	var set [65536 / 64]uint64
	regular, err := cmapBMP(fontRegular)
	if err != nil {
		return nil, err
	}
	bold, err := cmapBMP(fontBold)
	if err != nil {
		return nil, err
	}
	for i := range set {
		set[i] = regular[i] & bold[i]
	}
	return &set, nil
})

// drawable reports whether r can be printed as it is: the fonts have a glyph for it and
// it needs no right-to-left layout. fpdf's character widths stop at U+FFFF, so a
// character beyond (most emoji) is never drawable.
func drawable(set *[65536 / 64]uint64, r rune) bool {
	if r < 0 || r > 0xFFFF || set[r/64]&(1<<(r%64)) == 0 {
		return false
	}
	// Hebrew and Arabic would come out in the wrong order (and Arabic unjoined).
	p, _ := bidi.LookupRune(r)
	return p.Class() != bidi.R && p.Class() != bidi.AL
}

// clean prepares text from people for the PDF: NFC so that "ó" typed as "o" and a
// combining accent uses the font's "ó"; "\r\n", "\r" and tabs made plain; other control
// and format characters (zero-width joiners, bidi marks, variation selectors) dropped;
// line breaks kept only when multiline; and every character the fonts cannot draw
// replaced by U+FFFD. It calls missing for each character replaced.
func clean(set *[65536 / 64]uint64, s string, multiline bool, missing func(rune)) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r):
		case drawable(set, r):
			b.WriteRune(r)
		default:
			if missing != nil {
				missing(r)
			}
			b.WriteRune(replacement)
		}
	}
	return b.String()
}

// Unsupported lists, in order and once each, the characters of inv's text that Render
// draws as "�" because the embedded fonts have no glyph for them or they need
// right-to-left layout. Empty when the whole invoice prints as typed.
func Unsupported(inv Invoice) []rune {
	set, err := coverage()
	if err != nil {
		return nil
	}
	seen := map[rune]bool{}
	for _, s := range invoiceTexts(inv) {
		clean(set, s, true, func(r rune) { seen[r] = true })
	}
	out := make([]rune, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// invoiceTexts is every piece of text of inv that Render prints.
func invoiceTexts(inv Invoice) []string {
	texts := []string{inv.Number, inv.Notes}
	for _, p := range []Party{inv.From, inv.To} {
		texts = append(texts, p.Name, p.Email, p.Phone, p.Address)
	}
	for _, l := range inv.Lines {
		texts = append(texts, l.Description)
	}
	return texts
}

// cmapBMP reads which characters of the Basic Multilingual Plane a TrueType font maps
// to a glyph, from its Unicode BMP (format 4) cmap subtable. Written here rather than
// taken from golang.org/x/image because that module would pull newer x/text and x/sys
// into the whole application.
func cmapBMP(font []byte) (*[65536 / 64]uint64, error) {
	bad := errors.New("invoicepdf: embedded font: no usable cmap")
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(font) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(font[off:])), true
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(font) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(font[off:])), true
	}
	numTables, ok := u16(4)
	if !ok {
		return nil, bad
	}
	cmap := -1
	for i := 0; i < numTables; i++ {
		rec := 12 + 16*i
		if rec+16 <= len(font) && string(font[rec:rec+4]) == "cmap" {
			cmap, _ = u32(rec + 8)
		}
	}
	n, ok := u16(cmap + 2)
	if cmap < 0 || !ok {
		return nil, bad
	}
	sub := -1
	for i := 0; i < n; i++ {
		platform, _ := u16(cmap + 4 + 8*i)
		encoding, _ := u16(cmap + 6 + 8*i)
		off, _ := u32(cmap + 8 + 8*i)
		format, _ := u16(cmap + off)
		// Windows Unicode BMP (3,1) or Unicode BMP (0,3), in format 4.
		if format == 4 && ((platform == 3 && encoding == 1) || (platform == 0 && encoding == 3)) {
			sub = cmap + off
			break
		}
	}
	segX2, ok := u16(sub + 6)
	if sub < 0 || !ok {
		return nil, bad
	}
	ends, starts, deltas, rangeOffs := sub+14, sub+16+segX2, sub+16+2*segX2, sub+16+3*segX2
	var set [65536 / 64]uint64
	for s := 0; s < segX2; s += 2 {
		end, ok1 := u16(ends + s)
		start, ok2 := u16(starts + s)
		delta, ok3 := u16(deltas + s)
		rangeOff, ok4 := u16(rangeOffs + s)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, bad
		}
		for c := start; c <= end && c != 0xFFFF; c++ {
			glyph := 0
			if rangeOff == 0 {
				glyph = (c + delta) & 0xFFFF
			} else if g, ok := u16(rangeOffs + s + rangeOff + 2*(c-start)); ok && g != 0 {
				glyph = (g + delta) & 0xFFFF
			}
			if glyph != 0 {
				set[c/64] |= 1 << (c % 64)
			}
		}
	}
	return &set, nil
}
