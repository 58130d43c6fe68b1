package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"datalek/breach"
)

func (s *Server) registerTokenRoutes(g *echo.Group) {
	g.POST("/tokens", s.handleTokenCreate)
	g.GET("/tokens", s.handleTokenIndex)
	g.DELETE("/tokens/:id", s.handleTokenDelete)
}

// tokenCreated is the only response that ever holds a token's secret.
type tokenCreated struct {
	*breach.Token
	Secret string `json:"token"`
}

// handleTokenCreate serves POST /api/v1/tokens (admin).
func (s *Server) handleTokenCreate(c echo.Context) error {
	var req breach.TokenRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	t, secret, err := s.Service.CreateToken(c.Request().Context(), actor(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, tokenCreated{Token: t, Secret: secret})
}

// handleTokenIndex serves GET /api/v1/tokens (admin): every token, without
// secrets.
func (s *Server) handleTokenIndex(c echo.Context) error {
	tokens, err := s.Service.ListTokens(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(tokens))
}

// handleTokenDelete serves DELETE /api/v1/tokens/{id} (admin): revoke.
func (s *Server) handleTokenDelete(c echo.Context) error {
	if err := s.Service.RevokeToken(c.Request().Context(), actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
