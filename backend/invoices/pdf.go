package invoices

import (
	"context"
	"errors"

	"gatehouse/backend/authz"
	"gatehouse/backend/invoicepdf"
	"gatehouse/backend/store"
)

// PDF is an invoice the actor sees, printed: its file name and bytes.
func (s *Service) PDF(ctx context.Context, actor authz.Actor, id string) (name string, pdf []byte, err error) {
	if err := s.authz.Check(actor, authz.View, authz.InvoiceRef(id)); err != nil {
		return "", nil, err
	}
	return s.RenderPDF(ctx, id)
}

// RenderPDF prints invoice id as it is now, for whoever was allowed to see it (the outbox
// attaches it to the invoice's mail when that goes out).
func (s *Service) RenderPDF(ctx context.Context, id string) (name string, pdf []byte, err error) {
	inv, err := s.store.Invoice(ctx, id)
	if err != nil {
		return "", nil, err
	}
	set, err := s.store.InvoicingSettings(ctx)
	if err != nil {
		return "", nil, err
	}
	to := invoicepdf.Party{}
	if c, err := s.store.Company(ctx, inv.CompanyID); err == nil {
		to = invoicepdf.Party{Name: c.Name, Email: c.Email, Phone: c.Phone, Address: c.Address}
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", nil, err
	}
	org, err := s.store.Organisation(ctx)
	if err != nil {
		return "", nil, err
	}
	from := invoicepdf.Party(inv.Issuer) // as it was sent
	if inv.State == "draft" {
		from = invoicepdf.Party{Name: set.IssuerName, Email: set.IssuerEmail, Phone: set.IssuerPhone, Address: set.IssuerAddress}
		if from.Name == "" {
			from.Name = org.Name
		}
	}
	var logo invoicepdf.Logo
	if org.LogoType != "" {
		if logo.Data, logo.Type, err = s.store.OrganisationLogo(ctx); err != nil {
			return "", nil, err
		}
	}
	p := invoicepdf.Invoice{Number: inv.Number, State: Status(inv, s.Today()), IssueDate: inv.IssueDate, DueDate: inv.DueDate,
		Currency: inv.Currency, Notes: inv.Notes, Paid: inv.Paid, To: to, From: from, Logo: logo}
	for _, l := range inv.Lines {
		p.Lines = append(p.Lines, invoicepdf.Line(l))
	}
	if len(p.Lines) == 0 { // a draft not filled in yet prints as such
		p.Lines = []invoicepdf.Line{{Description: "(no lines yet)", QuantityMilli: 1000}}
	}
	out, err := invoicepdf.Render(p)
	if err != nil {
		return "", nil, err
	}
	name = "Invoice " + inv.Number + ".pdf"
	if inv.Number == "" {
		name = "Draft invoice.pdf"
	}
	return name, out, nil
}
