// Package organisation is Settings → General (settings.general): the organisation's name
// and logo — shown in the window's title, on the sign-in screen, in the portal, in mails
// and on invoices —, its accent colour, the time zone every date is shown and reckoned in
// (an invoice's "today"), the currency amounts are kept in, how dates and numbers are
// written, and the language people get until they choose their own.
//
// What it holds is no secret: anyone, signed in or not, may read it (the sign-in screen
// shows the name and the logo); changing it is settings.general's.
package organisation

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	_ "image/jpeg" // logos: JPEG and PNG are decoded
	"image/png"
	"io/fs"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // every IANA zone, also where the system has no zoneinfo (Windows)
	"unicode/utf8"

	"golang.org/x/text/currency"

	"gatehouse/backend/apperr"
	"gatehouse/backend/audit"
	"gatehouse/backend/authz"
	"gatehouse/backend/store"
	"gatehouse/backend/text"
	"gatehouse/backend/write"
)

// Settings is Settings → General.
type Settings = store.Organisation

// The choices offered (and the only ones taken).
var (
	// Accents are Mantine's colours the UI is drawn in.
	Accents = []string{"indigo", "blue", "cyan", "teal", "green", "lime", "yellow", "orange", "red", "pink", "grape", "violet", "dark"}
	// DateFormats: "locale" writes dates as the reader's language does.
	DateFormats = []string{"locale", "YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY"}
	// NumberFormats: "locale" writes numbers as the reader's language does.
	NumberFormats = []string{"locale", "1,234.56", "1.234,56", "1 234,56"}
	// Languages Gatehouse speaks.
	Languages = []string{"en", "pt-BR"}
)

// Limits of the name and the logo.
const (
	MaxName       = 100
	MaxLogoBytes  = 512 << 10
	MaxLogoSide   = 2048
	MaxLogoStored = 2 << 20 // as a PNG
)

// Service is Settings → General.
type Service struct {
	store *store.Store
	authz *authz.Authorizer
	write *write.Path
	now   func() time.Time

	mu       sync.Mutex
	loc      *time.Location
	lang     string // the default language, kept like loc: an error's answer to a stranger asks no query
	onChange []func(*Settings)
}

// New returns the service, with the time zone as the store has it.
func New(ctx context.Context, st *store.Store, az *authz.Authorizer, now func() time.Time) (*Service, error) {
	s := &Service{store: st, authz: az, write: &write.Path{Store: st, Authz: az, Now: now}, now: now, loc: time.UTC}
	o, err := st.Organisation(ctx)
	if err != nil {
		return nil, err
	}
	s.lang = o.Language
	if loc, err := time.LoadLocation(o.Timezone); err == nil {
		s.loc = loc
	}
	return s, nil
}

// OnChange calls f with the settings after every change (the window's title follows the
// name).
func (s *Service) OnChange(f func(*Settings)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onChange = append(s.onChange, f)
}

// Location is the organisation's time zone.
func (s *Service) Location() *time.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loc
}

// Today is the organisation's date now, YYYY-MM-DD.
func (s *Service) Today() string { return s.now().In(s.Location()).Format(time.DateOnly) }

// Public returns the settings to anyone (no secret is among them).
func (s *Service) Public(ctx context.Context) (*Settings, error) { return s.store.Organisation(ctx) }

// Settings returns the settings to a holder of settings.general (for the form).
func (s *Service) Settings(ctx context.Context, actor authz.Actor) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsGeneral, authz.Ref{}); err != nil {
		return nil, err
	}
	return s.store.Organisation(ctx)
}

// Request changes the settings; nil fields stay.
type Request struct {
	Name, Accent, Timezone, Currency, DateFormat, NumberFormat, Language *string
}

// oneOf refuses v unless allowed holds it; what names the choice with its article ("a
// colour").
func oneOf(field string, what apperr.Text, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return apperr.Field(field, "Choose %s among: %s.", what, strings.Join(allowed, ", "))
	}
	return nil
}

func (r Request) apply(o *Settings) error {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&o.Name, r.Name)
	set(&o.Accent, r.Accent)
	set(&o.Timezone, r.Timezone)
	set(&o.DateFormat, r.DateFormat)
	set(&o.NumberFormat, r.NumberFormat)
	set(&o.Language, r.Language)
	if r.Currency != nil {
		o.Currency = strings.ToUpper(strings.TrimSpace(*r.Currency))
	}
	if utf8.RuneCountInString(o.Name) > MaxName {
		return apperr.Field("name", "The name is too long: at most %d characters.", MaxName)
	}
	if err := text.Line("name", apperr.Textf("name"), o.Name); err != nil {
		return err
	}
	if _, err := time.LoadLocation(o.Timezone); err != nil || o.Timezone == "" || o.Timezone == "Local" {
		return apperr.Field("timezone", "Choose a time zone such as Europe/Lisbon or America/Sao_Paulo.")
	}
	if u, err := currency.ParseISO(o.Currency); err != nil || u.String() != o.Currency || o.Currency == "XXX" {
		return apperr.Field("currency", "Enter a currency as its three-letter ISO 4217 code, such as EUR, USD or BRL.")
	}
	for _, c := range []struct {
		field   string
		what    apperr.Text
		v       string
		allowed []string
	}{
		{"accent", apperr.Textf("a colour"), o.Accent, Accents},
		{"dateFormat", apperr.Textf("a date format"), o.DateFormat, DateFormats},
		{"numberFormat", apperr.Textf("a number format"), o.NumberFormat, NumberFormats},
		{"language", apperr.Textf("a language"), o.Language, Languages},
	} {
		if err := oneOf(c.field, c.what, c.v, c.allowed); err != nil {
			return err
		}
	}
	return nil
}

// Update changes the settings (settings.general). The currency changes only while no
// amount is kept in it (an invoice, a payment, a cost, a budget or an hour rate): the
// amounts are numbers of its minor units and would silently mean something else.
func (s *Service) Update(ctx context.Context, actor authz.Actor, r Request) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsGeneral, authz.Ref{}); err != nil {
		return nil, err
	}
	out, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Settings, write.Effect, error) {
		if err := w.Check(actor, authz.SettingsGeneral, authz.Ref{}); err != nil {
			return nil, write.Effect{}, err
		}
		o, err := tx.Organisation(ctx)
		if err != nil {
			return nil, write.Effect{}, err
		}
		old := *o
		if err := r.apply(o); err != nil {
			return nil, write.Effect{}, err
		}
		if o.Currency != old.Currency {
			held, err := tx.HoldsMoney(ctx)
			if err != nil {
				return nil, write.Effect{}, err
			}
			if held {
				return nil, write.Effect{}, apperr.Field("currency", "Amounts are already kept in %s (invoices, costs, budgets or hour rates), so the currency can no longer change.", old.Currency)
			}
		}
		if err := tx.UpdateOrganisation(ctx, o, s.now()); err != nil {
			return nil, write.Effect{}, err
		}
		changed := audit.Changes(
			audit.Change{Field: "name", From: old.Name, To: o.Name}, audit.Change{Field: "accent", From: old.Accent, To: o.Accent},
			audit.Change{Field: "timezone", From: old.Timezone, To: o.Timezone}, audit.Change{Field: "currency", From: old.Currency, To: o.Currency},
			audit.Change{Field: "dateFormat", From: old.DateFormat, To: o.DateFormat},
			audit.Change{Field: "numberFormat", From: old.NumberFormat, To: o.NumberFormat},
			audit.Change{Field: "language", From: old.Language, To: o.Language})
		return o, write.Effect{Audit: []audit.Entry{{Action: "settings.general", TargetType: "settings", TargetName: "General", Details: changed}}}, nil
	})
	if err != nil {
		return nil, err
	}
	s.changed(out)
	return out, nil
}

func (s *Service) changed(o *Settings) {
	s.mu.Lock()
	if loc, err := time.LoadLocation(o.Timezone); err == nil {
		s.loc = loc
	}
	s.lang = o.Language
	fs := slices.Clone(s.onChange)
	s.mu.Unlock()
	for _, f := range fs {
		f(o)
	}
}

// Logo returns the logo's bytes and type (nil without one).
func (s *Service) Logo(ctx context.Context) ([]byte, string, error) {
	return s.store.OrganisationLogo(ctx)
}

// SetLogo replaces the logo (settings.general): a PNG or JPEG of at most 512 KiB and
// MaxLogoSide pixels a side, judged by its bytes, not by what the request calls it. It is
// decoded whole and kept as a plain 8-bit PNG (no metadata, nothing a PDF writer or a
// browser could stumble on: a truncated file, 16-bit or interlaced PNGs, CMYK JPEGs).
func (s *Service) SetLogo(ctx context.Context, actor authz.Actor, data []byte) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsGeneral, authz.Ref{}); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, apperr.Field("logo", "Choose an image file for the logo.")
	}
	if len(data) > MaxLogoBytes {
		return nil, apperr.Field("logo", "The logo is too large: at most 512 KB.")
	}
	kind := http.DetectContentType(data)
	notImage := apperr.Field("logo", "The logo must be a PNG or JPEG image.")
	if kind != "image/png" && kind != "image/jpeg" {
		return nil, notImage
	}
	// The size first, from the header alone: a small file may claim a huge image.
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, notImage
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxLogoSide || cfg.Height > MaxLogoSide {
		return nil, apperr.Field("logo", "The logo is at most %d pixels wide and high.", MaxLogoSide)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, apperr.Field("logo", "The logo's file is damaged or incomplete: save it again as PNG or JPEG.")
	}
	flat := image.NewNRGBA(img.Bounds())
	draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Src)
	var out bytes.Buffer
	if err := png.Encode(&out, flat); err != nil {
		return nil, err
	}
	if out.Len() > MaxLogoStored {
		return nil, apperr.Field("logo", "The logo is too detailed to keep: use a smaller image.")
	}
	return s.writeLogo(ctx, actor, out.Bytes(), "image/png", "settings.logo")
}

// DeleteLogo removes the logo (settings.general).
func (s *Service) DeleteLogo(ctx context.Context, actor authz.Actor) (*Settings, error) {
	if err := s.authz.Check(actor, authz.SettingsGeneral, authz.Ref{}); err != nil {
		return nil, err
	}
	return s.writeLogo(ctx, actor, nil, "", "settings.logo_remove")
}

func (s *Service) writeLogo(ctx context.Context, actor authz.Actor, data []byte, kind, action string) (*Settings, error) {
	out, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (*Settings, write.Effect, error) {
		if err := w.Check(actor, authz.SettingsGeneral, authz.Ref{}); err != nil {
			return nil, write.Effect{}, err
		}
		if err := tx.SetOrganisationLogo(ctx, data, kind, s.now()); err != nil {
			return nil, write.Effect{}, err
		}
		o, err := tx.Organisation(ctx)
		if err != nil {
			return nil, write.Effect{}, err
		}
		return o, write.Effect{Audit: []audit.Entry{{Action: action, TargetType: "settings", TargetName: "Logo"}}}, nil
	})
	if err != nil {
		return nil, err
	}
	s.changed(out)
	return out, nil
}

// Language is the language userID reads Gatehouse in — their own choice, else the
// organisation's default — and their own choice ("" when they made none).
func (s *Service) Language(ctx context.Context, userID string) (effective, own string, err error) {
	own, err = s.store.UserLanguage(ctx, userID)
	if err != nil {
		return "", "", err
	}
	if slices.Contains(Languages, own) {
		return own, own, nil
	}
	return s.DefaultLanguage(), "", nil
}

// DefaultLanguage is the language of everyone who chose none (Settings → General).
func (s *Service) DefaultLanguage() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lang
}

// SetLanguage records the actor's own language ("" follows the organisation's): anyone's
// own choice, for themselves only.
func (s *Service) SetLanguage(ctx context.Context, actor authz.Actor, language string) error {
	language = strings.TrimSpace(language)
	if language != "" {
		if err := oneOf("language", apperr.Textf("a language"), language, Languages); err != nil {
			return err
		}
	}
	_, err := write.Do(ctx, s.write, actor, func(w *authz.Writer, tx *store.Store) (struct{}, write.Effect, error) {
		return struct{}{}, write.Effect{}, tx.SetUserLanguage(ctx, actor.UserID, language)
	})
	return err
}

// About is what Settings → About shows (settings.licence): where the data is, how large,
// and which schema it has.
type About struct {
	DataFolder                string
	DatabaseBytes, FilesBytes int64
	Schema, SchemaKnown       int64
}

// About returns the data folder's facts to a holder of settings.licence.
func (s *Service) About(ctx context.Context, actor authz.Actor) (*About, error) {
	if err := s.authz.Check(actor, authz.SettingsLicence, authz.Ref{}); err != nil {
		return nil, err
	}
	dir := s.store.Dir()
	a := &About{DataFolder: dir}
	var err error
	if a.DatabaseBytes, err = s.store.Size(ctx); err != nil {
		return nil, err
	}
	_ = filepath.WalkDir(filepath.Join(dir, "files"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				a.FilesBytes += info.Size()
			}
		}
		return nil
	})
	p, err := s.store.Migrator()
	if err != nil {
		return nil, err
	}
	if a.Schema, a.SchemaKnown, err = store.SchemaVersions(ctx, p); err != nil {
		return nil, err
	}
	return a, nil
}
