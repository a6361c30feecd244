package httpapi

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"gatehouse/backend/engagement"
	"gatehouse/backend/identity"
)

// Client login history and engagement (activity.clients).

type lastJSON struct {
	At      time.Time `json:"at"`
	Name    string    `json:"name,omitempty"`
	Address string    `json:"address,omitempty"`
}

func toLastJSON(l *engagement.Last) *lastJSON {
	if l == nil {
		return nil
	}
	return &lastJSON{At: l.At.UTC(), Name: l.Name, Address: l.Address}
}

type clientEngagementJSON struct {
	UserID          string    `json:"userId"`
	Name            string    `json:"name"`
	Active          bool      `json:"active"`
	CompanyID       string    `json:"companyId"`
	Company         string    `json:"company"`
	LastSignIn      *lastJSON `json:"lastSignIn"`
	SignIns         int       `json:"signIns"`
	Weeks           []int     `json:"weeks"`
	WeeklyAverage   float64   `json:"weeklyAverage"`
	Downloads       int       `json:"downloads"`
	LastDownload    *lastJSON `json:"lastDownload"`
	InvoiceViews    int       `json:"invoiceViews"`
	LastInvoiceView *lastJSON `json:"lastInvoiceView"`
}

type clientActivityJSON struct {
	Today string                 `json:"today"`
	From  string                 `json:"from"`
	Days  int                    `json:"days"`
	Weeks []string               `json:"weeks"`
	Items []clientEngagementJSON `json:"items"`
}

func engagementRequest(q url.Values) (engagement.Request, error) {
	days, err := queryInt(q.Get("days"), "days")
	return engagement.Request{Days: days, Sort: q.Get("sort"), Order: q.Get("order")}, err
}

func (a *API) clientActivity(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	req, err := engagementRequest(r.URL.Query())
	if err != nil {
		// Decided first: who may not read client activity learns nothing more.
		if _, cerr := a.cfg.Engagement.Clients(r.Context(), p.Actor, engagement.Request{}); cerr != nil {
			return cerr
		}
		return err
	}
	rep, err := a.cfg.Engagement.Clients(r.Context(), p.Actor, req)
	if err != nil {
		return err
	}
	out := clientActivityJSON{Today: rep.Today, From: rep.From, Days: rep.Days, Weeks: rep.Weeks, Items: make([]clientEngagementJSON, 0, len(rep.Rows))}
	for _, row := range rep.Rows {
		out.Items = append(out.Items, clientEngagementJSON{UserID: row.UserID, Name: row.Name, Active: row.Active, CompanyID: row.CompanyID,
			Company: row.Company, LastSignIn: toLastJSON(row.LastSignIn), SignIns: row.SignIns, Weeks: row.Weeks, WeeklyAverage: row.WeeklyAverage,
			Downloads: row.Downloads, LastDownload: toLastJSON(row.LastDownload), InvoiceViews: row.InvoiceViews,
			LastInvoiceView: toLastJSON(row.LastInvoiceView)})
	}
	return writeJSON(w, http.StatusOK, out)
}

// clientActivityCSV is the same rows, in the same order: one line per client, with each
// week's sign-ins in a column named by its Monday.
func (a *API) clientActivityCSV(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	req, err := engagementRequest(r.URL.Query())
	if err != nil {
		if _, cerr := a.cfg.Engagement.Clients(r.Context(), p.Actor, engagement.Request{}); cerr != nil {
			return cerr
		}
		return err
	}
	rep, err := a.cfg.Engagement.Clients(r.Context(), p.Actor, req)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="client-activity-`+rep.Today+`.csv"`)
	cw := csv.NewWriter(w)
	head := []string{"client", "company", "status", "last_sign_in", "last_sign_in_address", "sign_ins"}
	for _, wk := range rep.Weeks {
		head = append(head, "sign_ins_week_of_"+wk)
	}
	head = append(head, "sign_ins_weekly_average", "files_downloaded", "last_download", "last_download_file",
		"invoices_viewed", "last_invoice_view", "last_invoice_viewed")
	cw.Write(head)
	at := func(l *engagement.Last) string {
		if l == nil {
			return ""
		}
		return l.At.UTC().Format(time.RFC3339)
	}
	field := func(l *engagement.Last, f func(*engagement.Last) string) string {
		if l == nil {
			return ""
		}
		return spreadsheetSafe(f(l))
	}
	for _, row := range rep.Rows {
		status := "active"
		if !row.Active {
			status = "deactivated"
		}
		line := []string{spreadsheetSafe(row.Name), spreadsheetSafe(row.Company), status, at(row.LastSignIn),
			field(row.LastSignIn, func(l *engagement.Last) string { return l.Address }), strconv.Itoa(row.SignIns)}
		for _, n := range row.Weeks {
			line = append(line, strconv.Itoa(n))
		}
		line = append(line, fmt.Sprintf("%.2f", row.WeeklyAverage), strconv.Itoa(row.Downloads), at(row.LastDownload),
			field(row.LastDownload, func(l *engagement.Last) string { return l.Name }), strconv.Itoa(row.InvoiceViews), at(row.LastInvoiceView),
			field(row.LastInvoiceView, func(l *engagement.Last) string { return l.Name }))
		cw.Write(line)
	}
	cw.Flush()
	return cw.Error()
}

type signInJSON struct {
	ID           string    `json:"id"`
	At           time.Time `json:"at"`
	Outcome      string    `json:"outcome"`
	Address      string    `json:"address"`
	Method       string    `json:"method"`
	SecondFactor string    `json:"secondFactor"`
	Step         string    `json:"step"`
	Reason       string    `json:"reason"`
}

// clientSignIns is a client's login history, a page at a time.
func (a *API) clientSignIns(w http.ResponseWriter, r *http.Request, p *identity.Principal) error {
	limit, err := queryInt(r.URL.Query().Get("limit"), "limit")
	if err != nil {
		if _, cerr := a.cfg.Engagement.SignIns(r.Context(), p.Actor, r.PathValue("id"), 1, ""); cerr != nil {
			return cerr
		}
		return err
	}
	pg, err := a.cfg.Engagement.SignIns(r.Context(), p.Actor, r.PathValue("id"), limit, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[signInJSON]{Items: each(pg.Items, func(s engagement.SignIn) signInJSON {
		return signInJSON{ID: strconv.FormatInt(s.ID, 10), At: s.At.UTC(), Outcome: s.Outcome, Address: s.Address, Method: s.Method,
			SecondFactor: s.SecondFactor, Step: s.Step, Reason: s.Reason}
	}), Next: cursorOf(pg.Next)})
}
