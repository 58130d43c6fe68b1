package api

// The web pages of people who sign in (UI.md): server-rendered Dutch pages
// from templates embedded in the binary, without inline script, under a
// strict Content-Security-Policy. This file holds the page frame and
// signing in; the pages call the same use cases as the JSON API.

import (
	"bytes"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"image/png"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/pquerna/otp"
	"golang.org/x/time/rate"

	"datalek/breach"
)

//go:embed web
var webFS embed.FS

// SessionCookie is the name of the session cookie.
const SessionCookie = "datalek_sessie"

// pageHeaders are sent with every page: no script but the service's own,
// no framing, no referrer leaving the service.
var pageHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
	"Referrer-Policy":         "no-referrer",
}

var pageTemplates = map[string]*template.Template{}

// styleSheet is the pages' one style sheet: every web/*.css, in name order,
// read once; each part of the pages keeps its own file.
var styleSheet = func() []byte {
	names, _ := fs.Glob(webFS, "web/*.css")
	var css []byte
	for _, name := range names {
		part, _ := webFS.ReadFile(name)
		css = append(css, part...)
	}
	return css
}()

// appScript is the pages' one script: live countdowns, the live severity
// and copy buttons. Every page works without it.
var appScript, _ = webFS.ReadFile("web/app.js")

// init parses every page of web/ in the frame of web/layout.html; a page is
// rendered by its file's name.
func init() {
	files, _ := fs.Glob(webFS, "web/*.html")
	for _, file := range files {
		name := strings.TrimSuffix(path.Base(file), ".html")
		if name != "layout" {
			pageTemplates[name] = template.Must(template.New(name).Funcs(pageFuncs).ParseFS(webFS, "web/layout.html", file))
		}
	}
}

// page is what a template shows.
type page struct {
	Title       string
	Actor       string
	Error       string
	Form        map[string]string
	FieldErrors map[string]string
	Secret      string
	QR          template.URL // a data: URI the service made itself
	Recovery    []string
	SSOLabel    string // offers "Aanmelden met <SSOLabel>" when set

	Staff  bool        // the person is the adviser or the controller: the staff's navigation
	Role   breach.Role // the person's, for the navigation of the supplier's staff and the operator
	Closed bool        // the invitation cannot be used (any more): no form
	Notice string      // what a form just stored
	Data   any         // what the page is about
	// Active is the form that was posted; only it shows Values and errors.
	Active string
	Values url.Values
	Now    string // the service's clock (RFC 3339), which live countdowns count from
	// Prefill is what a form starts with when it was not posted: the
	// latest assessment, say, for the next.
	Prefill map[string]url.Values
	// Problems list a posted form's errors above it, each linking to its
	// field.
	Problems []formProblem
}

// values are what form shows: what was typed when it was posted, else
// what it was filled in with before.
func (p page) values(form string) url.Values {
	if p.Active == form {
		return p.Values
	}
	return p.Prefill[form]
}

// V is the value of field name of form.
func (p page) V(form, name string) string { return p.values(form).Get(name) }

// Has reports whether value is chosen in field name of form.
func (p page) Has(form, name, value string) bool {
	return slices.Contains(p.values(form)[name], value)
}

// E is the error of field name of form, when that form was posted.
func (p page) E(form, name string) string {
	if p.Active != form {
		return ""
	}
	return p.FieldErrors[name]
}

// signInLimiter limits sign-in attempts per client address: a guesser who
// spreads over many accounts meets it, as one account's lock-out does not.
type signInLimiter struct {
	mu      sync.Mutex
	clients map[string]*rate.Limiter
}

func (l *signInLimiter) allow(client string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := clientKey(client)
	if len(l.clients) >= 10000 { // forget those at rest (a fresh limiter is the same), rather than grow
		for k, lim := range l.clients {
			if lim.TokensAt(now) >= float64(lim.Burst()) {
				delete(l.clients, k)
			}
		}
		if len(l.clients) >= 10000 { // all busy: an attack from many addresses; start over
			l.clients = map[string]*rate.Limiter{}
		}
	}
	lim, ok := l.clients[key]
	if !ok {
		lim = rate.NewLimiter(rate.Every(6*time.Second), 10) // 10 at once, then 10 a minute
		l.clients[key] = lim
	}
	return lim.AllowN(now, 1) // on the service's clock, as everything else
}

// clientKey is the client an address belongs to: an IPv4 address, or the
// /64 block of an IPv6 one, which one host draws its addresses from.
func clientKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String()
}

// registerPageRoutes adds the pages. Cross-origin form posts are refused
// (net/http's CrossOriginProtection reads Sec-Fetch-Site and Origin).
func (s *Server) registerPageRoutes(e *echo.Echo) {
	s.signIns = &signInLimiter{clients: map[string]*rate.Limiter{}}
	s.sentForms.seen = map[string]time.Time{}
	// Route middleware, not a group's: a group's would answer every path
	// and method, and take echo's 405 from the API.
	mw := []echo.MiddlewareFunc{echo.WrapMiddleware(http.NewCrossOriginProtection().Handler), func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			for k, v := range pageHeaders {
				c.Response().Header().Set(k, v)
			}
			return next(c)
		}
	}}
	g := pageRoutes{e, mw}
	g.GET("/static/style.css", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "max-age=3600")
		return c.Blob(http.StatusOK, "text/css; charset=utf-8", styleSheet)
	})
	g.GET("/", s.pageHome)
	g.GET("/aanmelden", func(c echo.Context) error {
		return s.render(c, http.StatusOK, "signin", page{Title: "Aanmelden", SSOLabel: s.ssoLabel()})
	})
	g.POST("/aanmelden", s.pageSignIn)
	g.GET("/aanmelden/code", func(c echo.Context) error {
		return s.render(c, http.StatusOK, "code", page{Title: "Tweede factor"})
	})
	g.POST("/aanmelden/code", s.pageCode)
	g.GET("/aanmelden/tweede-factor", s.pageEnrol)
	g.GET(breach.InvitationPath+":link", func(c echo.Context) error {
		p := page{Title: "Welkom bij de datalekdienst"}
		if err := s.Service.CheckInvitation(c.Request().Context(), c.Param("link")); err != nil {
			return s.pageError(c, err, "invitation", page{Title: "Uitnodiging niet geldig", Closed: true})
		}
		return s.render(c, http.StatusOK, "invitation", p)
	})
	g.POST(breach.InvitationPath+":link", s.pageAcceptInvitation)
	g.POST("/afmelden", s.pageSignOut)
	s.registerSSORoutes(g)
	people := pageRoutes{g.e, append(slices.Clip(g.mw), s.person)}
	s.registerStaffRoutes(g, people)
	s.registerSupplierRoutes(people)
	s.registerAdminRoutes(people)
}

// pageRoutes adds routes with the pages' middleware.
type pageRoutes struct {
	e  *echo.Echo
	mw []echo.MiddlewareFunc
}

func (r pageRoutes) GET(path string, h echo.HandlerFunc)  { r.e.GET(path, h, r.mw...) }
func (r pageRoutes) POST(path string, h echo.HandlerFunc) { r.e.POST(path, h, r.mw...) }

func (s *Server) render(c echo.Context, status int, name string, p page) error {
	var buf bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// pageError renders a page again with the domain's Dutch message, or
// passes an unexpected error on.
func (s *Server) pageError(c echo.Context, err error, name string, p page) error {
	var de *breach.Error
	if !errors.As(err, &de) || statusOf[de.Code] == 0 {
		return err
	}
	p.Error, p.FieldErrors = de.Message, fieldErrors(de.Fields)
	return s.render(c, statusOf[de.Code], name, p)
}

func cookieValue(c echo.Context) string {
	if ck, err := c.Cookie(SessionCookie); err == nil {
		return ck.Value
	}
	return ""
}

// setSession sets the session cookie: HttpOnly, SameSite=Lax, and Secure
// unless the service is served over plain HTTP (InsecureCookies).
func (s *Server) setSession(c echo.Context, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: value, Path: "/", HttpOnly: true, Secure: !s.InsecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// logSignIn logs a step of a sign-in and its result, with the client's
// address; never the address typed, a password or a code. The account's
// trail holds who it was.
func (s *Server) logSignIn(c echo.Context, step string, err error) {
	result := "ok"
	if err != nil {
		result = breach.ErrorCode(err)
	}
	s.Logger.Info("sign-in", "step", step, "result", result, "origin", c.RealIP(),
		"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	s.Metrics.signIn(step, result)
}

// homeOf is where a person lands after signing in, by role.
var homeOf = map[breach.Role]string{breach.RoleAdviser: "/overzicht", breach.RoleController: "/overzicht",
	breach.RoleSupplier: SupplierHome, breach.RoleAdmin: AdminHome}

func (s *Server) pageHome(c echo.Context) error {
	a, err := s.Service.SessionActor(c.Request().Context(), cookieValue(c))
	if err != nil {
		return c.Redirect(http.StatusSeeOther, "/aanmelden")
	}
	if home := homeOf[a.Role]; home != "" {
		return c.Redirect(http.StatusSeeOther, home)
	}
	return s.render(c, http.StatusOK, "home", page{Title: "Datalekdienst", Actor: a.Label()})
}

func (s *Server) pageSignIn(c echo.Context) error {
	p := page{Title: "Aanmelden", Form: map[string]string{"email": c.FormValue("email")}}
	if !s.signIns.allow(c.RealIP(), s.now()) {
		p.Error = "Te veel aanmeldpogingen vanaf dit adres. Wacht een minuut en probeer het opnieuw."
		return s.render(c, http.StatusTooManyRequests, "signin", p)
	}
	cookie, stage, err := s.Service.SignIn(c.Request().Context(), c.FormValue("email"), c.FormValue("password"), c.RealIP())
	s.logSignIn(c, "password", err)
	if err != nil {
		return s.pageError(c, err, "signin", p)
	}
	s.setSession(c, cookie, 0)
	if stage == breach.StageEnrolment {
		return c.Redirect(http.StatusSeeOther, "/aanmelden/tweede-factor")
	}
	return c.Redirect(http.StatusSeeOther, "/aanmelden/code")
}

func (s *Server) pageCode(c echo.Context) error {
	if !s.signIns.allow(c.RealIP(), s.now()) {
		return s.render(c, http.StatusTooManyRequests, "code", page{Title: "Tweede factor",
			Error: "Te veel pogingen vanaf dit adres. Wacht een minuut en probeer het opnieuw."})
	}
	cookie, recovery, err := s.Service.GiveCode(c.Request().Context(), cookieValue(c), c.FormValue("code"), c.RealIP())
	s.logSignIn(c, "second_factor", err)
	if err != nil {
		var de *breach.Error
		if errors.As(err, &de) && de.Code == breach.EUNAUTHORIZED {
			if _, _, enrolling := s.Service.BeginEnrolment(c.Request().Context(), cookieValue(c)); enrolling == nil {
				// a wrong first code: the QR code and the key again, to try once more
				return s.enrolPage(c, http.StatusUnauthorized, page{Error: de.Message})
			}
		}
		return s.pageError(c, err, "code", page{Title: "Tweede factor"})
	}
	s.setSession(c, cookie, 0)
	if len(recovery) > 0 {
		return s.render(c, http.StatusOK, "recovery", page{Title: "Uw herstelcodes", Recovery: recovery})
	}
	return s.signedIn(c)
}

// pageEnrol shows the secret of the second factor to enrol, as a QR code
// (a data: URI, so the secret is not in a URL of its own) and as text.
func (s *Server) pageEnrol(c echo.Context) error {
	return s.enrolPage(c, http.StatusOK, page{})
}

// enrolPage shows the enrolment, with p's error when a first code was wrong.
func (s *Server) enrolPage(c echo.Context, status int, p page) error {
	p.Title = "Tweede factor instellen"
	secret, uri, err := s.Service.BeginEnrolment(c.Request().Context(), cookieValue(c))
	if err != nil {
		return s.pageError(c, err, "signin", page{Title: "Aanmelden"})
	}
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return err
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	p.Secret, p.QR = secret, template.URL("data:image/png;base64,"+base64.StdEncoding.EncodeToString(buf.Bytes()))
	return s.render(c, status, "enrol", p)
}

func (s *Server) pageAcceptInvitation(c echo.Context) error {
	cookie, err := s.Service.AcceptInvitation(c.Request().Context(), c.Param("link"), c.FormValue("password"), c.RealIP())
	if err != nil {
		return s.pageError(c, err, "invitation", page{Title: "Welkom bij de datalekdienst"})
	}
	s.setSession(c, cookie, 0)
	return c.Redirect(http.StatusSeeOther, "/aanmelden/tweede-factor")
}

func (s *Server) pageSignOut(c echo.Context) error {
	if err := s.Service.SignOut(c.Request().Context(), cookieValue(c), c.RealIP(), c.QueryParam("overal") == "1"); err != nil {
		return err
	}
	s.setSession(c, "", -1)
	return c.Redirect(http.StatusSeeOther, "/aanmelden")
}
