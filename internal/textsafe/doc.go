// Package textsafe makes text from inputs (names, messages, a server's
// error text) safe to print: control characters, which a terminal would
// obey (colours, a cleared screen, a window title, a forged line), and
// the bidirectional overrides that reorder what is shown are written as
// visible escapes instead.
package textsafe
