package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"datalek/breach"
)

// People's accounts, which the operator (admin) invites, blocks, unblocks,
// resets and invites again; the people themselves sign in on the pages.

func (s *Server) registerAccountRoutes(g *echo.Group) {
	g.POST("/accounts", s.handleAccountCreate)
	g.GET("/accounts", s.handleAccountIndex)
	g.GET("/accounts/:id", s.handleAccountView)
	g.POST("/accounts/:id/block", s.handleAccountChange(breach.ChangeBlock))
	g.POST("/accounts/:id/unblock", s.handleAccountChange(breach.ChangeUnblock))
	g.POST("/accounts/:id/reset-second-factor", s.handleAccountChange(breach.ChangeResetSecondFactor))
	g.POST("/accounts/:id/reinvite", s.handleAccountReinvite)
	g.GET("/accounts/:id/events", s.handleAccountEvents)
}

// accountInvited is the only response that holds an invitation link: the
// link is mailed to the person too, and shown this once.
type accountInvited struct {
	*breach.Account
	// InvitationURL is the link's path under the service's public URL
	// (DATALEK_BASE_URL), which this server is not told; the mail holds the
	// whole link.
	InvitationURL string `json:"invitation_url"`
}

// handleAccountCreate serves POST /api/v1/accounts (admin): invite a person.
func (s *Server) handleAccountCreate(c echo.Context) error {
	var req breach.AccountRequest
	if err := decodeBody(c, &req); err != nil {
		return err
	}
	acc, link, err := s.Service.InviteAccount(c.Request().Context(), actor(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, accountInvited{Account: acc, InvitationURL: link})
}

// handleAccountIndex serves GET /api/v1/accounts (admin): every account,
// without secrets.
func (s *Server) handleAccountIndex(c echo.Context) error {
	accounts, err := s.Service.ListAccounts(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(accounts))
}

// handleAccountView serves GET /api/v1/accounts/{id} (admin).
func (s *Server) handleAccountView(c echo.Context) error {
	acc, err := s.Service.FindAccount(c.Request().Context(), actor(c), c.Param("id"))
	return respond(c, http.StatusOK, acc, err)
}

// handleAccountChange serves POST /api/v1/accounts/{id}/block, /unblock and
// /reset-second-factor (admin).
func (s *Server) handleAccountChange(change breach.AccountChange) echo.HandlerFunc {
	return func(c echo.Context) error {
		acc, err := s.Service.ChangeAccount(c.Request().Context(), actor(c), c.Param("id"), change)
		return respond(c, http.StatusOK, acc, err)
	}
}

// handleAccountReinvite serves POST /api/v1/accounts/{id}/reinvite (admin):
// a new invitation link, mailed and shown this once; the old one stops
// working.
func (s *Server) handleAccountReinvite(c echo.Context) error {
	acc, link, err := s.Service.ReinviteAccount(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, accountInvited{Account: acc, InvitationURL: link})
}

// handleAccountEvents serves GET /api/v1/accounts/{id}/events (admin): the
// account's trail, oldest first; 404 for an account that does not exist
// (an empty id would otherwise be every account's trail).
func (s *Server) handleAccountEvents(c echo.Context) error {
	ctx, a, id := c.Request().Context(), actor(c), c.Param("id")
	if _, err := s.Service.FindAccount(ctx, a, id); err != nil {
		return err
	}
	events, err := s.Service.AccountEvents(ctx, a, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemsOf(events))
}
