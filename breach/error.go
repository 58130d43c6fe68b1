package breach

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. The HTTP adapter maps each to one status; nothing else needs to
// know about HTTP.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Fields names where
	ENOTFOUND     = "not_found"    // absent, or not visible to the caller
	ECONFLICT     = "conflict"     // the request clashes with the current state
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // valid credentials, wrong role
	EINTERNAL     = "internal"     // a fault; never shown to the caller
)

// FieldError names one offending input field, as a JSON path such as
// "sent_items[0].count", with a message a person can act on (in Dutch).
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type of the domain. Message is meant for people and
// may be shown to the caller; it never holds internals.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(names, ", "))
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is or wraps an *Error, and EINTERNAL
// otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Problems collects field errors so that validation reports every offending
// field at once instead of stopping at the first.
type Problems []FieldError

// MaxProblems bounds the field errors of one answer, so that a large bad
// request cannot make a larger answer.
const MaxProblems = 100

// Add records that field is wrong for the reason given; past MaxProblems it
// records nothing more.
func (p *Problems) Add(field, format string, args ...any) {
	if len(*p) < MaxProblems {
		*p = append(*p, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

// Has reports whether field already has a problem, so that a later rule does
// not pile a second complaint on the same field.
func (p Problems) Has(field string) bool {
	for _, f := range p {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when there are no problems and an EINVALID *Error naming
// every field otherwise.
func (p Problems) Err(message string) error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: message, Fields: p}
}
