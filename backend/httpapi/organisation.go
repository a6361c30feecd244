package httpapi

import (
	"io"
	"net/http"
	"strconv"

	"gatehouse/backend/apperr"
	"gatehouse/backend/identity"
	"gatehouse/backend/organisation"
)

// Settings → General, and the organisation's logo.

type organisationJSON struct {
	Name         string `json:"name"`
	Accent       string `json:"accent"`
	Timezone     string `json:"timezone"`
	Currency     string `json:"currency"`
	DateFormat   string `json:"dateFormat"`
	NumberFormat string `json:"numberFormat"`
	Language     string `json:"language"`
	// LogoURL is where the logo is served ("" without one); it changes with every logo.
	LogoURL string `json:"logoUrl"`
}

func toOrganisationJSON(o *organisation.Settings) organisationJSON {
	j := organisationJSON{Name: o.Name, Accent: o.Accent, Timezone: o.Timezone, Currency: o.Currency, DateFormat: o.DateFormat,
		NumberFormat: o.NumberFormat, Language: o.Language}
	if o.LogoType != "" {
		j.LogoURL = "/api/branding/logo?v=" + strconv.FormatInt(o.LogoVersion, 10)
	}
	return j
}

type generalSettingsJSON struct {
	organisationJSON
	Choices struct {
		Accents       []string `json:"accents"`
		DateFormats   []string `json:"dateFormats"`
		NumberFormats []string `json:"numberFormats"`
		Languages     []string `json:"languages"`
	} `json:"choices"`
}

func toGeneralSettings(o *organisation.Settings) generalSettingsJSON {
	j := generalSettingsJSON{organisationJSON: toOrganisationJSON(o)}
	j.Choices.Accents, j.Choices.DateFormats = organisation.Accents, organisation.DateFormats
	j.Choices.NumberFormats, j.Choices.Languages = organisation.NumberFormats, organisation.Languages
	return j
}

func (a *API) getGeneralSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	o, err := a.cfg.Organisation.Settings(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toGeneralSettings(o))
}

func (a *API) putGeneralSettings(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	var req struct {
		Name         *string `json:"name"`
		Accent       *string `json:"accent"`
		Timezone     *string `json:"timezone"`
		Currency     *string `json:"currency"`
		DateFormat   *string `json:"dateFormat"`
		NumberFormat *string `json:"numberFormat"`
		Language     *string `json:"language"`
	}
	if err := decode(r, &req); err != nil {
		return err
	}
	o, err := a.cfg.Organisation.Update(r.Context(), p.Actor, organisation.Request(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toGeneralSettings(o))
}

// putLogo takes the image as the request's body (raw: its bytes decide what it is).
func (a *API) putLogo(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, organisation.MaxLogoBytes+1))
	if err != nil {
		return apperr.Field("logo", "The logo is too large: at most 512 KB.")
	}
	o, err := a.cfg.Organisation.SetLogo(r.Context(), p.Actor, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toGeneralSettings(o))
}

func (a *API) deleteLogo(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	o, err := a.cfg.Organisation.DeleteLogo(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toGeneralSettings(o))
}

// getLogo serves the logo to anyone (the sign-in screen shows it).
func (a *API) getLogo(w http.ResponseWriter, r *http.Request, _ *identity.Principal) error {
	data, kind, err := a.cfg.Organisation.Logo(r.Context())
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return apperr.NotFoundf("There is no logo.")
	}
	h := w.Header()
	h.Set("Content-Type", kind)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Security-Policy", "default-src 'none'")
	_, err = w.Write(data)
	return err
}

func (a *API) getAbout(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	ab, err := a.cfg.Organisation.About(r.Context(), p.Actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"version": a.cfg.Version, "dataFolder": ab.DataFolder, "databaseBytes": ab.DatabaseBytes,
		"filesBytes": ab.FilesBytes, "schema": ab.Schema, "schemaKnown": ab.SchemaKnown})
}
