package api

import (
	"github.com/labstack/echo/v4"
)

// noStore marks every response but the OpenAPI document Cache-Control:
// no-store, before the handler runs, so that problems carry it too. The API
// answers with breach data, audit trails, questions, the AP form, the
// register and token secrets, none of which a browser, proxy or client
// library may keep on disk; /healthz and /readyz report a state at one
// instant, which a cache would only make stale. /openapi.json is the same
// for every caller and changes only with the binary, so it may be cached.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.Path != openAPIPath {
			c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		}
		return next(c)
	}
}

// openAPIPath is where the contract is served.
const openAPIPath = "/openapi.json"
