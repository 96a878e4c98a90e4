package replay

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parseSelector parses a series named the PromQL way: a bare metric name
// (`websocket_connection_count`), a name with equality matchers
// (`websocket_connection_count{pod="a"}`), or matchers alone
// (`{__name__="up",job="api"}`). Label values may be double-, single- or
// back-quoted as in PromQL. Matchers other than "=" are rejected: a
// column holds one series, not a selection. Empty label values are
// dropped, as Prometheus treats them as absent.
func parseSelector(s string) (map[string]string, error) {
	p := &selectorParser{s: s}
	labels := map[string]string{}
	p.skipSpace()
	if name := p.name(true); name != "" {
		labels[NameLabel] = name
	}
	p.skipSpace()
	if p.eof() {
		if len(labels) == 0 {
			return nil, fmt.Errorf("empty series name")
		}
		return labels, nil
	}
	if p.s[p.pos] != '{' {
		return nil, p.errorf("unexpected %s", p.current())
	}
	p.pos++
	seen := map[string]bool{}
	hasName := labels[NameLabel] != ""
	for {
		p.skipSpace()
		if p.eof() {
			return nil, p.errorf("missing closing '}'")
		}
		if p.s[p.pos] == '}' {
			p.pos++
			break
		}
		name := p.name(false)
		if name == "" {
			return nil, p.errorf("expected a label name, found %s", p.current())
		}
		if seen[name] {
			return nil, fmt.Errorf("label %q appears twice", name)
		}
		seen[name] = true
		p.skipSpace()
		if p.eof() {
			return nil, p.errorf("expected '=' after label %q", name)
		}
		switch {
		case strings.HasPrefix(p.s[p.pos:], "!=") || strings.HasPrefix(p.s[p.pos:], "=~") || strings.HasPrefix(p.s[p.pos:], "!~"):
			return nil, fmt.Errorf("label %q: matcher %q selects series; a column names exactly one, use =", name, p.s[p.pos:p.pos+2])
		case p.s[p.pos] != '=':
			return nil, p.errorf("expected '=' after label %q, found %s", name, p.current())
		}
		p.pos++
		p.skipSpace()
		value, err := p.quoted()
		if err != nil {
			return nil, fmt.Errorf("label %q: %w", name, err)
		}
		if name == NameLabel && hasName {
			return nil, fmt.Errorf("metric name set twice: %q and %s=%q", labels[NameLabel], NameLabel, value)
		}
		if !utf8.ValidString(value) {
			return nil, fmt.Errorf("label %q: value is not valid UTF-8", name)
		}
		if value != "" {
			labels[name] = value
		} else {
			delete(labels, name)
		}
		p.skipSpace()
		if p.eof() {
			return nil, p.errorf("missing closing '}'")
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case '}':
		default:
			return nil, p.errorf("expected ',' or '}', found %s", p.current())
		}
	}
	p.skipSpace()
	if !p.eof() {
		return nil, p.errorf("unexpected %s after '}'", p.current())
	}
	return labels, nil
}

type selectorParser struct {
	s   string
	pos int
}

func (p *selectorParser) eof() bool { return p.pos >= len(p.s) }

func (p *selectorParser) skipSpace() {
	for !p.eof() && strings.IndexByte(" \t\r\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

// current describes the character at pos for error messages.
func (p *selectorParser) current() string {
	if p.eof() {
		return "end of text"
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *selectorParser) errorf(format string, args ...any) error {
	return fmt.Errorf("character %d: %s", p.pos+1, fmt.Sprintf(format, args...))
}

// name reads a metric name (colons allowed) or a label name.
func (p *selectorParser) name(metric bool) string {
	start := p.pos
	for !p.eof() {
		c := p.s[p.pos]
		ok := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			p.pos > start && c >= '0' && c <= '9' || metric && c == ':'
		if !ok {
			break
		}
		p.pos++
	}
	return p.s[start:p.pos]
}

// quoted reads a PromQL string literal.
func (p *selectorParser) quoted() (string, error) {
	if p.eof() {
		return "", p.errorf("expected a quoted value, found end of text")
	}
	q := p.s[p.pos]
	switch q {
	case '`':
		end := strings.IndexByte(p.s[p.pos+1:], '`')
		if end < 0 {
			return "", p.errorf("unterminated `-quoted value")
		}
		v := p.s[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		return v, nil
	case '"', '\'':
	default:
		return "", p.errorf("expected a quoted value, found %s", p.current())
	}
	startPos := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.eof() {
			p.pos = startPos
			return "", p.errorf("unterminated %c-quoted value", q)
		}
		c := p.s[p.pos]
		if c == q {
			p.pos++
			return b.String(), nil
		}
		if c == '\n' {
			return "", p.errorf("newline in quoted value")
		}
		r, multibyte, tail, err := strconv.UnquoteChar(p.s[p.pos:], q)
		if err != nil {
			return "", p.errorf("invalid escape in quoted value")
		}
		p.pos = len(p.s) - len(tail)
		if r < utf8.RuneSelf || !multibyte {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
}
