package breach

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Suppliers as records: an organisation that processes the controller's
// data, with its contracts, the controller's contact official for them
// (who receives every new report of the supplier, Bijlage 3 §2), its own
// contacts, its approved sub-processors (Bijlage 4) and what it processes.
// Tokens and reports name it.

// Organisation is a supplier (verwerker).
type Organisation struct {
	Name               string   `json:"name"`
	ContractReferences []string `json:"contract_references"`
	// ContactOfficial is the controller's contact official for the
	// supplier's contracts: every new report goes to them too.
	ContactOfficial *Contact  `json:"contact_official,omitempty"`
	Contacts        []Contact `json:"contacts"`
	SubProcessors   []string  `json:"sub_processors"` // Bijlage 4
	Activities      []string  `json:"activities"`     // the processing the supplier performs
	UpdatedAt       time.Time `json:"updated_at"`
	UpdatedBy       string    `json:"updated_by"`
}

// Contact is a person to reach.
type Contact struct {
	Name     string `json:"name"`
	Function string `json:"function,omitempty"`
	Email    string `json:"email,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// OrganisationRequest is what the operator sends for an organisation.
type OrganisationRequest struct {
	ContractReferences []string  `json:"contract_references"`
	ContactOfficial    *Contact  `json:"contact_official,omitempty"`
	Contacts           []Contact `json:"contacts"`
	SubProcessors      []string  `json:"sub_processors"`
	Activities         []string  `json:"activities"`
}

// maxListed bounds each list of an organisation.
const maxListed = 50

// contact checks a contact, naming its fields under field.
func contact(p *Problems, field string, c *Contact, emailRequired bool) {
	c.Name, c.Function, c.Email, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Function), strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone)
	line(p, field+".name", c.Name, maxShort, true)
	line(p, field+".function", c.Function, maxShort, false)
	line(p, field+".phone", c.Phone, maxShort, false)
	switch {
	case c.Email == "" && emailRequired:
		p.Add(field+".email", "is verplicht: elke nieuwe melding gaat ook naar dit adres")
	case c.Email != "" && !validEmail(c.Email):
		p.Add(field+".email", "is geen geldig e-mailadres")
	}
}

// listed checks a list of short texts.
func listed(p *Problems, field string, items []string) []string {
	if len(items) > maxListed {
		p.Add(field, "heeft meer dan %d regels", maxListed)
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = strings.TrimSpace(it)
		line(p, fmt.Sprintf("%s[%d]", field, i), out[i], maxShort, true)
	}
	return out
}

// PutOrganisation creates or replaces the record of the organisation named
// name. Errors: EFORBIDDEN, EINVALID.
func (s *Service) PutOrganisation(ctx context.Context, a Actor, name string, req OrganisationRequest) (*Organisation, error) {
	if err := requireRole(a, RoleAdmin); err != nil {
		return nil, err
	}
	var p Problems
	o := &Organisation{Name: strings.TrimSpace(name), UpdatedAt: s.now(), UpdatedBy: a.Label()}
	line(&p, "name", o.Name, maxShort, true)
	o.ContractReferences = listed(&p, "contract_references", req.ContractReferences)
	o.SubProcessors = listed(&p, "sub_processors", req.SubProcessors)
	o.Activities = listed(&p, "activities", req.Activities)
	if req.ContactOfficial != nil {
		c := *req.ContactOfficial
		contact(&p, "contact_official", &c, true)
		o.ContactOfficial = &c
	}
	if len(req.Contacts) > maxListed {
		p.Add("contacts", "heeft meer dan %d contactpersonen", maxListed)
	}
	o.Contacts = make([]Contact, len(req.Contacts))
	for i, c := range req.Contacts {
		contact(&p, fmt.Sprintf("contacts[%d]", i), &c, false)
		o.Contacts[i] = c
	}
	if err := p.Err("De verwerker is niet volledig of niet geldig."); err != nil {
		return nil, err
	}
	return o, s.Organisations.PutOrganisation(ctx, o)
}

// ListOrganisations returns every organisation: for the operator, who
// manages them, and for staff, who contact them. Errors: EFORBIDDEN.
func (s *Service) ListOrganisations(ctx context.Context, a Actor) ([]*Organisation, error) {
	if err := requireRole(a, RoleAdmin, RoleAdviser, RoleController); err != nil {
		return nil, err
	}
	return s.Organisations.ListOrganisations(ctx)
}

// FindOrganisation returns one organisation. Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) FindOrganisation(ctx context.Context, a Actor, name string) (*Organisation, error) {
	if err := requireRole(a, RoleAdmin, RoleAdviser, RoleController); err != nil {
		return nil, err
	}
	return s.Organisations.FindOrganisation(ctx, name)
}

// ensureOrganisation makes sure an organisation a token is issued for has
// a record: a new supplier starts as its name, for the operator to fill in.
func (s *Service) ensureOrganisation(ctx context.Context, a Actor, name string) error {
	_, err := s.Organisations.FindOrganisation(ctx, name)
	if ErrorCode(err) != ENOTFOUND {
		return err
	}
	return s.Organisations.PutOrganisation(ctx, &Organisation{Name: name, ContractReferences: []string{}, Contacts: []Contact{},
		SubProcessors: []string{}, Activities: []string{}, UpdatedAt: s.now(), UpdatedBy: a.Label()})
}
