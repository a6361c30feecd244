package reviews

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"gatehouse/backend/apperr"
	"gatehouse/backend/authz"
	"gatehouse/backend/invoicepdf"
)

// Report returns the whole review for its report (roles.manage): who decided what, when,
// and what closing it applied.
func (s *Service) Report(ctx context.Context, actor authz.Actor, id string) (*Review, error) {
	if err := s.authz.Read(func(rd *authz.Reader) error { return manages(rd, actor) }); err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// ScopeText is what a review covers, in words.
func (r *Review) ScopeText() apperr.Text {
	switch r.Scope {
	case ScopeRole:
		return apperr.Textf("People with the role %s", r.ScopeName)
	case ScopeProject:
		return apperr.Textf("The project %s", r.ScopeName)
	}
	return apperr.Textf("Everyone")
}

// KindText is a line's kind of access in words.
func KindText(kind string) apperr.Text {
	switch kind {
	case KindRole:
		return apperr.Textf("Role")
	case KindProject:
		return apperr.Textf("Project")
	case KindTeam:
		return apperr.Textf("Team")
	case KindBoard:
		return apperr.Textf("Board")
	}
	return apperr.Textf("%s", kind)
}

// DecisionText is a decision in words.
func DecisionText(l *Line) apperr.Text {
	switch l.Decision {
	case Keep:
		return apperr.Textf("Keep")
	case Revoke:
		if l.Kind == KindRole {
			return apperr.Textf("Revoke (deactivate the account)")
		}
		return apperr.Textf("Revoke")
	case Change:
		return apperr.Textf("Change to %s", l.NewRoleName)
	}
	return apperr.Textf("Undecided")
}

// OutcomeWord is an outcome in words.
func OutcomeWord(outcome string) apperr.Text {
	switch outcome {
	case Kept:
		return apperr.Textf("Kept")
	case Applied:
		return apperr.Textf("Applied")
	case Failed:
		return apperr.Textf("Not applied")
	}
	return apperr.Textf("Not closed yet")
}

func stamp(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// spreadsheetSafe keeps a cell from being read as a formula.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsAny(s[:1], "=+-@\t\r") {
		return "'" + s
	}
	return s
}

// CSV is the report as CSV: one row per line, codes in the code columns and words in
// lang beside them, times in loc.
func (r *Review) CSV(lang string, loc *time.Location) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"line", "person", "email", "access", "name", "detail", "reviewer", "decision", "decisionText", "newRole", "note",
		"decidedAt", "outcome", "outcomeText", "appliedAt"})
	for _, l := range r.Lines {
		w.Write([]string{strconv.Itoa(l.Position), spreadsheetSafe(l.UserName), spreadsheetSafe(l.UserEmail), l.Kind,
			spreadsheetSafe(l.ThingName), l.Detail, spreadsheetSafe(l.ReviewerName), l.Decision, DecisionText(l).In(lang),
			spreadsheetSafe(l.NewRoleName), spreadsheetSafe(l.Note), stamp(l.DecidedAt, loc), l.Outcome,
			spreadsheetSafe(l.OutcomeText(lang)), stamp(l.AppliedAt, loc)})
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// PDF is the report as an A4 PDF, in lang, with times in loc.
func (r *Review) PDF(lang string, loc *time.Location) ([]byte, error) {
	title := apperr.Textf("Access review").In(lang)
	d, err := invoicepdf.NewDocument(title)
	if err != nil {
		return nil, err
	}
	d.Heading(title, 20)
	d.Muted(r.ScopeText().In(lang))
	d.Para(apperr.Textf("Started by %s on %s.", r.StartedByName, stamp(&r.StartedAt, loc)).In(lang))
	if r.ClosedAt != nil {
		d.Para(apperr.Textf("Closed by %s on %s.", r.ClosedByName, stamp(r.ClosedAt, loc)).In(lang))
	} else {
		d.Para(apperr.Textf("Still open: nothing has been applied yet.").In(lang))
	}
	d.Para(apperr.Textf("Lines decided: %d of %d.", r.Decided, r.Items).In(lang))
	person := ""
	for _, l := range r.Lines {
		if l.UserName+l.UserEmail != person {
			person = l.UserName + l.UserEmail
			d.Space(2)
			d.Heading(l.UserName+" <"+l.UserEmail+">", 12)
		}
		thing := KindText(l.Kind).In(lang) + ": " + l.ThingName
		if l.Detail != "" {
			thing += " (" + l.Detail + ")"
		}
		d.Bullet(thing, 0)
		decided := DecisionText(l).In(lang)
		if l.DecidedAt != nil {
			decided = apperr.Textf("%s — by %s on %s", DecisionText(l), l.ReviewerName, stamp(l.DecidedAt, loc)).In(lang)
		} else {
			decided = apperr.Textf("%s — reviewer: %s", DecisionText(l), l.ReviewerName).In(lang)
		}
		d.Bullet(decided, 1)
		if l.Note != "" {
			d.Bullet(apperr.Textf("Note: %s", l.Note).In(lang), 1)
		}
		if l.Outcome != "" {
			out := OutcomeWord(l.Outcome).In(lang)
			if m := l.OutcomeText(lang); m != "" {
				out += ": " + m
			}
			d.Bullet(out, 1)
		}
	}
	return d.Bytes()
}
