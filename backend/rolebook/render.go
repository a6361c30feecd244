package rolebook

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/invoicepdf"
	"gatehouse/backend/roles"
)

// The book's words, said in the reader's language.
func (b *Book) words(lang string, loc *time.Location) bookWords {
	return bookWords{
		title:     apperr.Textf("Role book").In(lang),
		generated: apperr.Textf("Generated on %s", b.Generated.In(loc).Format("2006-01-02 15:04")).In(lang),
		intro: apperr.Textf("What each role is for, what it allows, who holds it and what changed recently. " +
			"Only the people you may see are named.").In(lang),
		purpose:     apperr.Textf("Purpose").In(lang),
		noPurpose:   apperr.Textf("No description yet: say what this role is for in the role editor.").In(lang),
		perms:       apperr.Textf("Permissions").In(lang),
		noPerms:     apperr.Textf("No permissions.").In(lang),
		holders:     apperr.Textf("Held by").In(lang),
		noHolders:   apperr.Textf("Nobody holds this role.").In(lang),
		recent:      apperr.Textf("Recent changes").In(lang),
		noRecent:    apperr.Textf("No recorded changes (built-in roles never change).").In(lang),
		builtIn:     apperr.Textf("Built-in").In(lang),
		created:     apperr.Textf("Created").In(lang),
		firstKnown:  apperr.Textf("Earliest recorded state").In(lang),
		someone:     apperr.Textf("someone you cannot see").In(lang),
		nothingDiff: apperr.Textf("No change to name, description, kind or permissions").In(lang),
	}
}

type bookWords struct {
	title, generated, intro, purpose, noPurpose, perms, noPerms, holders, noHolders string
	recent, noRecent, builtIn, created, firstKnown, someone, nothingDiff            string
}

// kindLine is "Internal · Built-in" and the like.
func (r *Role) kindLine(lang string, w bookWords) string {
	s := roles.KindText(r.Kind).In(lang)
	s = strings.ToUpper(s[:1]) + s[1:]
	if r.BuiltIn {
		s += " · " + w.builtIn
	}
	return s
}

// givesLine says which roles its holders may give beyond their own ("" when none).
func (r *Role) givesLine(lang string) string {
	if len(r.Gives) == 0 {
		return ""
	}
	return apperr.Textf("Its holders may give the roles %s, without holding their permissions.", strings.Join(r.Gives, ", ")).In(lang)
}

func (r *Role) holderLine(lang string) string {
	names := strings.Join(r.Holders, ", ")
	if r.HiddenHolders > 0 {
		more := apperr.Textf("%d more you cannot see", r.HiddenHolders).In(lang)
		if names == "" {
			return more
		}
		return names + "; " + more
	}
	return names
}

// changeLines are a version's heading and its changes.
func (c *Change) heading(lang string, loc *time.Location, w bookWords) string {
	who := c.ChangedBy
	if who == "" {
		who = w.someone
	}
	head := apperr.Textf("Version %d, %s, by %s", c.Version, c.At.In(loc).Format("2006-01-02 15:04"), who).In(lang)
	if c.Note == "rollback" {
		head += " — " + apperr.Textf("rollback").In(lang)
	}
	return head
}

func (c *Change) lines(lang string, w bookWords) []string {
	if len(c.Changes) == 0 {
		if c.Note == "create" || c.Note == "clone" {
			return []string{w.created}
		}
		if c.Note != "rollback" && c.Version == 1 {
			return []string{w.firstKnown}
		}
		return []string{w.nothingDiff}
	}
	out := make([]string, len(c.Changes))
	for i, t := range c.Changes {
		out[i] = t.In(lang)
	}
	return out
}

// mdEscape keeps text from being read as Markdown.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "#", `\#`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`)
	return r.Replace(strings.Join(strings.Fields(s), " "))
}

// Markdown is the book as Markdown, in lang, with times in loc.
func (b *Book) Markdown(lang string, loc *time.Location) []byte {
	w := b.words(lang, loc)
	var out bytes.Buffer
	fmt.Fprintf(&out, "# %s\n\n%s\n\n%s\n", w.title, w.generated, w.intro)
	for i := range b.Roles {
		r := &b.Roles[i]
		fmt.Fprintf(&out, "\n## %s\n\n*%s*\n\n### %s\n\n", mdEscape(r.Name), r.kindLine(lang, w), w.purpose)
		if r.Description == "" {
			fmt.Fprintf(&out, "%s\n", w.noPurpose)
		} else {
			fmt.Fprintf(&out, "%s\n", mdEscape(r.Description))
		}
		fmt.Fprintf(&out, "\n### %s\n\n", w.perms)
		if len(r.Permissions) == 0 {
			fmt.Fprintf(&out, "%s\n", w.noPerms)
		}
		for _, p := range r.Permissions {
			fmt.Fprintf(&out, "- %s\n", mdEscape(p.In(lang)))
		}
		if g := r.givesLine(lang); g != "" {
			fmt.Fprintf(&out, "\n%s\n", mdEscape(g))
		}
		fmt.Fprintf(&out, "\n### %s\n\n", w.holders)
		if h := r.holderLine(lang); h == "" {
			fmt.Fprintf(&out, "%s\n", w.noHolders)
		} else {
			fmt.Fprintf(&out, "%s\n", mdEscape(h))
		}
		fmt.Fprintf(&out, "\n### %s\n\n", w.recent)
		if len(r.Recent) == 0 {
			fmt.Fprintf(&out, "%s\n", w.noRecent)
		}
		for j := range r.Recent {
			c := &r.Recent[j]
			fmt.Fprintf(&out, "- %s\n", mdEscape(c.heading(lang, loc, w)))
			for _, l := range c.lines(lang, w) {
				fmt.Fprintf(&out, "  - %s\n", mdEscape(l))
			}
		}
	}
	return out.Bytes()
}

// PDF is the book as an A4 PDF, in lang, with times in loc, drawn with the invoices'
// embedded fonts.
func (b *Book) PDF(lang string, loc *time.Location) ([]byte, error) {
	w := b.words(lang, loc)
	d, err := invoicepdf.NewDocument(w.title)
	if err != nil {
		return nil, err
	}
	d.Heading(w.title, 20)
	d.Muted(w.generated)
	d.Para(w.intro)
	for i := range b.Roles {
		r := &b.Roles[i]
		d.Space(4)
		d.Heading(r.Name, 15)
		d.Muted(r.kindLine(lang, w))
		d.Heading(w.purpose, 11)
		if r.Description == "" {
			d.Muted(w.noPurpose)
		} else {
			d.Para(r.Description)
		}
		d.Heading(w.perms, 11)
		if len(r.Permissions) == 0 {
			d.Muted(w.noPerms)
		}
		for _, p := range r.Permissions {
			d.Bullet(p.In(lang), 0)
		}
		if g := r.givesLine(lang); g != "" {
			d.Para(g)
		}
		d.Heading(w.holders, 11)
		if h := r.holderLine(lang); h == "" {
			d.Muted(w.noHolders)
		} else {
			d.Para(h)
		}
		d.Heading(w.recent, 11)
		if len(r.Recent) == 0 {
			d.Muted(w.noRecent)
		}
		for j := range r.Recent {
			c := &r.Recent[j]
			d.Bullet(c.heading(lang, loc, w), 0)
			for _, l := range c.lines(lang, w) {
				d.Bullet(l, 1)
			}
		}
	}
	return d.Bytes()
}
