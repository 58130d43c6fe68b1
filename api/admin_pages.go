package api

// The operator's pages (UI.md "Beheer", issue 11): organisations, accounts
// and API tokens. No breach content.

// AdminHome is where an operator lands after signing in.
const AdminHome = "/beheer/accounts"

// registerAdminRoutes adds the operator's pages; p has a signed-in person.
func (s *Server) registerAdminRoutes(p pageRoutes) {}
