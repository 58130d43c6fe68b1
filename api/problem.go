package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"datalek/breach"
)

// problem is an RFC 9457 problem document. Titles and details are in Dutch:
// they are read by people.
type problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   []breach.FieldError `json:"errors,omitempty"`
}

// statusOf is the one place where domain error codes become HTTP statuses.
var statusOf = map[string]int{
	breach.EINVALID:      http.StatusUnprocessableEntity,
	breach.ENOTFOUND:     http.StatusNotFound,
	breach.ECONFLICT:     http.StatusConflict,
	breach.EUNAUTHORIZED: http.StatusUnauthorized,
	breach.EFORBIDDEN:    http.StatusForbidden,
}

var titles = map[int]string{
	http.StatusBadRequest:            "Ongeldig verzoek",
	http.StatusUnauthorized:          "Niet aangemeld",
	http.StatusForbidden:             "Geen toegang",
	http.StatusNotFound:              "Niet gevonden",
	http.StatusMethodNotAllowed:      "Methode niet toegestaan",
	http.StatusConflict:              "In strijd met de huidige toestand",
	http.StatusRequestEntityTooLarge: "Verzoek te groot",
	http.StatusUnsupportedMediaType:  "Inhoudstype niet ondersteund",
	http.StatusUnprocessableEntity:   "Ongeldige invoer",
	http.StatusTooManyRequests:       "Te veel verzoeken",
	http.StatusServiceUnavailable:    "Dienst niet beschikbaar",
	http.StatusInternalServerError:   "Interne fout",
}

// requestError is an error about the HTTP request itself (its syntax, size or
// media type) rather than about the domain.
type requestError struct {
	status int
	detail string
	fields []breach.FieldError
}

func (e *requestError) Error() string { return e.detail }

func badRequest(detail string, fields ...breach.FieldError) error {
	return &requestError{status: http.StatusBadRequest, detail: detail, fields: fields}
}

// handleError writes every error as problem+json. Internal errors are logged
// with the request ID and shown without internals.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := problem{Type: "about:blank", Instance: c.Request().URL.Path}
	var (
		de *breach.Error
		re *requestError
		he *echo.HTTPError
	)
	switch {
	case errors.As(err, &de) && statusOf[de.Code] != 0:
		p.Type, p.Status, p.Detail, p.Errors = "urn:datalek:problem:"+de.Code, statusOf[de.Code], de.Message, de.Fields
	case errors.As(err, &re):
		p.Status, p.Detail, p.Errors = re.status, re.detail, re.fields
	case errors.As(err, &he) && he.Code < 500:
		p.Status = he.Code
		p.Detail = httpDetails[he.Code]
	default:
		p.Status = http.StatusInternalServerError
		p.Detail = "Er ging iets mis bij het verwerken van dit verzoek. Vermeld bij contact het request-ID " +
			c.Response().Header().Get(echo.HeaderXRequestID) + "."
		s.Logger.Error("request failed", "err", err, "method", c.Request().Method, "route", c.Path(),
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	}
	if p.Title = titles[p.Status]; p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if p.Status == http.StatusUnauthorized {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="datalek"`)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	if err := jsonEncode(c.Response(), p); err != nil {
		s.Logger.Warn("write problem", slog.Any("err", err))
	}
}

// httpDetails explains the errors echo itself raises.
var httpDetails = map[int]string{
	http.StatusNotFound:              "Deze URL bestaat niet.",
	http.StatusMethodNotAllowed:      "Deze methode is niet toegestaan op deze URL.",
	http.StatusRequestEntityTooLarge: "De inhoud van het verzoek is groter dan toegestaan.",
	http.StatusUnauthorized:          "Geen geldig token.",
}
