package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"datalek/breach"
)

// sessionSettings say how long people's sessions and invitations last
// (DATALEK_SESSION_*, DATALEK_INVITATION_VALID), and which proxies in front
// may name the client (DATALEK_TRUSTED_PROXIES): sign-ins are limited per
// client address, which behind a proxy is the proxy's unless it is trusted.
type sessionSettings struct{ idle, max, invitation, proxies string }

func (s *sessionSettings) settings() []setting {
	return []setting{
		{"session-idle", "DATALEK_SESSION_IDLE", breach.DefaultSessionIdle.String(), "a person's session ends after this long unused", &s.idle},
		{"session-max", "DATALEK_SESSION_MAX", breach.DefaultSessionMax.String(), "a person's session ends after this long in all, used or not", &s.max},
		{"invitation-valid", "DATALEK_INVITATION_VALID", breach.DefaultInvitationValid.String(), "how long an invitation link works", &s.invitation},
		{"trusted-proxies", "DATALEK_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR ranges of the proxies in front (TLS termination) whose X-Forwarded-For names the client; empty: the connection's own address", &s.proxies},
	}
}

// config reads the settings into c; check names a bad one.
func (s *sessionSettings) config(c *Config, check func(*string, error) error) error {
	var errs []error
	for _, d := range []struct {
		src *string
		dst *time.Duration
	}{{&s.idle, &c.SessionIdle}, {&s.max, &c.SessionMax}, {&s.invitation, &c.InvitationValid}} {
		v, err := time.ParseDuration(*d.src)
		if err == nil && v <= 0 {
			err = errors.New("must be positive")
		}
		*d.dst = v
		errs = append(errs, check(d.src, err))
	}
	var err error
	c.TrustedProxies, err = ipRanges(s.proxies)
	errs = append(errs, check(&s.proxies, err))
	if c.SessionIdle > c.SessionMax && c.SessionMax > 0 {
		errs = append(errs, check(&s.idle, errors.New("is longer than -session-max")))
	}
	return errors.Join(errs...)
}

// ipRanges parses a comma-separated list of addresses and CIDR ranges.
func ipRanges(s string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			if ip := net.ParseIP(part); ip != nil && ip.To4() != nil {
				part += "/32"
			} else {
				part += "/128"
			}
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or CIDR range", part)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// plainLoopback reports whether the base URL is plain HTTP on loopback, the
// one place where the session cookie may go without Secure (UI.md).
func plainLoopback(baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme != "http" {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
}
