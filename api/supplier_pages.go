package api

// The pages of a supplier's staff (UI.md, issue 11): filing a report, their
// organisation's reports, completing one, a development, answering a
// question. Only their own organisation's, as the API allows.

// SupplierHome is where a supplier's staff land after signing in.
const SupplierHome = "/meldingen"

// registerSupplierRoutes adds the supplier's pages; p has a signed-in person.
func (s *Server) registerSupplierRoutes(p pageRoutes) {}
