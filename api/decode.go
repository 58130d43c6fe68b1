package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"datalek/breach"
)

// decodeBody reads a JSON request body strictly into dst, a pointer to a
// struct: the media type must be JSON, the body a JSON object, and every key a
// known field. It reports every unknown field (400) or every wrongly typed
// field (422) at once, instead of the first one only as encoding/json does.
func decodeBody(c echo.Context, dst any) error {
	req := c.Request()
	if mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); err != nil ||
		(mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &requestError{status: http.StatusUnsupportedMediaType,
			detail: "Stuur de inhoud als JSON met Content-Type: application/json."}
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return err // echo's body limit: 413
	}
	return decodeStrict(body, dst)
}

// decodeStrict decodes data into dst as decodeBody describes. A JSON null is
// a wrongly typed value (422), not an absent field: the document types no
// field as nullable, and encoding/json would silently read it as "not
// given". A valid body, the common case, is decoded once by encoding/json;
// only a bad one is taken apart field by field to name every problem.
func decodeStrict(data []byte, dst any) error {
	nulls := nullPaths(data)
	if trimmed := bytes.TrimSpace(data); len(nulls) == 0 && len(trimmed) > 0 && trimmed[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(dst); err == nil {
			if _, err := dec.Token(); err == io.EOF {
				return nil
			}
		}
	}
	reflect.ValueOf(dst).Elem().SetZero() // start afresh: the failed decode may have set fields
	var object map[string]json.RawMessage
	if err := json.Unmarshal(data, &object); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || errors.Is(err, io.ErrUnexpectedEOF) || len(bytes.TrimSpace(data)) == 0 {
			return badRequest("De inhoud is geen geldige JSON.")
		}
		return badRequest("De inhoud moet een JSON-object zijn.")
	}
	if object == nil {
		return badRequest("De inhoud moet een JSON-object zijn.")
	}
	fields := jsonFields(reflect.ValueOf(dst).Elem())
	names := make([]string, 0, len(object))
	for name := range object {
		names = append(names, name)
	}
	slices.Sort(names)
	var unknown, invalid breach.Problems
	for _, name := range names {
		field, ok := lookupField(fields, name)
		if !ok {
			unknown.Add(name, "onbekend veld")
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(object[name]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(field.Addr().Interface()); err != nil {
			if nested, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
				unknown.Add(name+"."+strings.Trim(nested, `"`), "onbekend veld")
				continue
			}
			path, msg := describeDecodeError(err)
			invalid.Add(strings.TrimSuffix(name+"."+path, "."), "%s", msg)
		}
		for _, path := range nulls {
			if path == name || strings.HasPrefix(path, name+".") || strings.HasPrefix(path, name+"[") {
				invalid.Add(path, "mag niet null zijn: laat het veld weg of geef een waarde")
			}
		}
	}
	if len(unknown) > 0 {
		return badRequest("De inhoud bevat velden die deze API niet kent.", unknown...)
	}
	return invalid.Err("Een of meer velden hebben een verkeerd type.")
}

// nullPaths returns the path of every null inside the JSON object data, such
// as "reporter.email" or "sent_items[0].count", at most breach.MaxProblems;
// none when data holds no null or is no valid JSON (decoding says so then).
func nullPaths(data []byte) []string {
	if !bytes.Contains(data, []byte("null")) {
		return nil // the common case, found without parsing
	}
	var v any
	if json.Unmarshal(data, &v) != nil {
		return nil
	}
	var paths []string
	var walk func(v any, path string)
	walk = func(v any, path string) {
		if len(paths) >= breach.MaxProblems {
			return
		}
		switch v := v.(type) {
		case nil:
			if path != "" { // a body that is null itself is no object: 400
				paths = append(paths, path)
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(v[k], strings.TrimPrefix(path+"."+k, "."))
			}
		case []any:
			for i, item := range v {
				walk(item, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(v, "")
	return paths
}

// withValidation adds to a decoding error the validation problems of the
// fields that did decode, so that a caller learns of every bad field at once.
func withValidation(decodeErr, validationErr error) error {
	var de, ve *breach.Error
	if !errors.As(decodeErr, &de) || !errors.As(validationErr, &ve) {
		return decodeErr
	}
	bad := map[string]bool{}
	for _, f := range de.Fields {
		bad[fieldRoot(f.Field)] = true
	}
	merged := *de
	merged.Fields = slices.Clone(de.Fields)
	for _, f := range ve.Fields {
		if !bad[fieldRoot(f.Field)] {
			merged.Fields = append(merged.Fields, f)
		}
	}
	merged.Message = ve.Message
	return &merged
}

// fieldRoot is the top-level field of a path such as "sent_items[0].count".
func fieldRoot(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}

// describeDecodeError names the nested path and the expected value of a
// decoding error, in words an integrator can act on.
func describeDecodeError(err error) (path, message string) {
	var typ *json.UnmarshalTypeError
	var parse *time.ParseError
	switch {
	case errors.As(err, &parse):
		return "", "moet een tijdstip zijn in RFC 3339 met tijdzone, bijvoorbeeld 2026-11-20T09:15:00+01:00"
	case errors.As(err, &typ):
		return typ.Field, "verwacht " + jsonKind(typ.Type) + ", kreeg " + typ.Value
	}
	return "", "heeft een ongeldige waarde"
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeOf(time.Time{}):
		return "een tijdstip (tekst in RFC 3339)"
	case t.Kind() == reflect.String:
		return "tekst"
	case t.Kind() == reflect.Bool:
		return "true of false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "een geheel getal"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "een getal"
	case t.Kind() == reflect.Slice:
		return "een lijst"
	}
	return "een object"
}

// jsonFields maps the JSON names of a struct's fields, including those of
// embedded structs, to the fields themselves.
func jsonFields(v reflect.Value) map[string]reflect.Value {
	fields := map[string]reflect.Value{}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			for name, fv := range jsonFields(v.Field(i)) {
				fields[name] = fv
			}
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		fields[name] = v.Field(i)
	}
	return fields
}

// lookupField finds a field as encoding/json does: by exact name, else by
// name without regard to case.
func lookupField(fields map[string]reflect.Value, name string) (reflect.Value, bool) {
	if f, ok := fields[name]; ok {
		return f, true
	}
	for n, f := range fields {
		if strings.EqualFold(n, name) {
			return f, true
		}
	}
	return reflect.Value{}, false
}

// jsonEncode writes v as JSON without escaping <, > and &, which are common
// in Dutch free text and harmless in application/json.
func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
