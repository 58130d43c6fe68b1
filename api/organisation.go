package api

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"datalek/breach"
)

// The suppliers' records: the operator keeps them, staff read them.

func (s *Server) registerOrganisationRoutes(g *echo.Group) {
	g.GET("/organisations", s.handleOrganisationIndex)
	g.GET("/organisations/:name", s.handleOrganisationView)
	g.PUT("/organisations/:name", s.handleOrganisationUpdate)
}

// organisationName is the name in the path, which a client escapes ("Acme%20BV").
func organisationName(c echo.Context) string {
	name, err := url.PathUnescape(c.Param("name"))
	if err != nil {
		return c.Param("name")
	}
	return name
}

// handleOrganisationIndex serves GET /api/v1/organisations (admin, adviser,
// controller).
func (s *Server) handleOrganisationIndex(c echo.Context) error {
	orgs, err := s.Service.ListOrganisations(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(orgs))
}

// handleOrganisationView serves GET /api/v1/organisations/{name} (admin,
// adviser, controller).
func (s *Server) handleOrganisationView(c echo.Context) error {
	o, err := s.Service.FindOrganisation(c.Request().Context(), actor(c), organisationName(c))
	return respond(c, http.StatusOK, o, err)
}

// handleOrganisationUpdate serves PUT /api/v1/organisations/{name} (admin):
// creates or replaces the record.
func (s *Server) handleOrganisationUpdate(c echo.Context) error {
	o, err := decodeAndRun(c, func(req breach.OrganisationRequest) (*breach.Organisation, error) {
		return s.Service.PutOrganisation(c.Request().Context(), actor(c), organisationName(c), req)
	})
	return respond(c, http.StatusOK, o, err)
}
