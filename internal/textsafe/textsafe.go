package textsafe

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// unsafe reports the runes a terminal or a viewer would not show as
// themselves: C0 and C1 controls, DEL, the bidirectional embeddings,
// overrides and isolates (U+202A to U+202E, U+2066 to U+2069), and
// invalid UTF-8.
func unsafe(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == utf8.RuneError
}

func escape(b *strings.Builder, r rune) {
	switch {
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r == '\t':
		b.WriteString(`\t`)
	case r == utf8.RuneError:
		b.WriteString(`\ufffd`)
	case r < 0x100:
		fmt.Fprintf(b, `\x%02x`, r)
	default:
		fmt.Fprintf(b, `\u%04x`, r)
	}
}

// Line returns s with every unsafe rune escaped, newlines and tabs
// included: the result is one line of plain text.
func Line(s string) string {
	if !strings.ContainsFunc(s, unsafe) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafe(r) {
			escape(&b, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Text is Line that keeps newlines and tabs: for multi-line output
// whose lines the program itself composes.
func Text(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unsafe(r) && r != '\n' && r != '\t' }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafe(r) && r != '\n' && r != '\t' {
			escape(&b, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Excerpt is Line cut to at most n runes, with "..." when cut: for
// quoting a value or a server's answer in a message.
func Excerpt(s string, n int) string {
	s = Line(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "..."
}

// Writer escapes the unsafe runes (but newlines and tabs) of everything
// written to W. Runes split across writes are joined first.
type Writer struct {
	W       io.Writer
	pending []byte
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{W: w} }

func (w *Writer) Write(p []byte) (int, error) {
	data := append(w.pending, p...)
	w.pending = nil
	// Keep an incomplete rune at the end for the next write.
	cut := len(data)
	for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				cut = i
			}
			break
		}
	}
	w.pending = append([]byte(nil), data[cut:]...)
	if _, err := io.WriteString(w.W, Text(string(data[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes an incomplete rune left by the last write, escaped.
func (w *Writer) Flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(w.W, Text(string(w.pending)))
	w.pending = nil
	return err
}
