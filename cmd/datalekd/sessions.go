package main

import (
	"errors"
	"time"

	"datalek/breach"
)

// sessionSettings say how long people's sessions and invitations last
// (DATALEK_SESSION_*, DATALEK_INVITATION_VALID).
type sessionSettings struct{ idle, max, invitation string }

func (s *sessionSettings) settings() []setting {
	return []setting{
		{"session-idle", "DATALEK_SESSION_IDLE", breach.DefaultSessionIdle.String(), "a person's session ends after this long unused", &s.idle},
		{"session-max", "DATALEK_SESSION_MAX", breach.DefaultSessionMax.String(), "a person's session ends after this long in all, used or not", &s.max},
		{"invitation-valid", "DATALEK_INVITATION_VALID", breach.DefaultInvitationValid.String(), "how long an invitation link works", &s.invitation},
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
	if c.SessionIdle > c.SessionMax && c.SessionMax > 0 {
		errs = append(errs, check(&s.idle, errors.New("is longer than -session-max")))
	}
	return errors.Join(errs...)
}
