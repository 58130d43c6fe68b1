package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"datalek/breach"
)

// The operator's hold on mail that was set aside: sending it again.

func (s *Server) registerMailRoutes(g *echo.Group) {
	g.POST("/mail/dead/resend", s.handleDeadMailResendSince)
	g.POST("/mail/dead/:seq/resend", s.handleDeadMailResend)
}

// handleDeadMailResend serves POST /api/v1/mail/dead/{seq}/resend (admin):
// the dead mail numbered seq goes back in the queue.
func (s *Server) handleDeadMailResend(c echo.Context) error {
	seq, err := strconv.ParseUint(c.Param("seq"), 10, 64)
	if err != nil || seq == 0 {
		return breach.Errorf(breach.ENOTFOUND, "Er is geen onbestelbare mail met nummer %q.", c.Param("seq"))
	}
	resent, err := s.Service.ResendDeadMail(c.Request().Context(), actor(c), seq)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, resent)
}

// handleDeadMailResendSince serves POST /api/v1/mail/dead/resend (admin):
// every dead mail, or every one set aside since the body's "since", goes
// back in the queue. The body is optional.
func (s *Server) handleDeadMailResendSince(c echo.Context) error {
	var req breach.ResendRequest
	if r := c.Request(); r.ContentLength != 0 || r.Header.Get(echo.HeaderContentType) != "" {
		if err := decodeBody(c, &req); err != nil {
			return err
		}
	}
	resent, err := s.Service.ResendDeadMailSince(c.Request().Context(), actor(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, resent)
}
