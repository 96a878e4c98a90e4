package report

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// The figures are drawn once, in points from their top-left corner, onto a
// surface: an SVG document written here, or a PNG raster through gonum's
// vgimg. The SVG is written by hand rather than by gonum's vgsvg so that
// it can carry what a reader of the figure needs: groups with classes,
// hover titles (SVG <title>) on markers and periods, and text that keeps
// the width it was laid out with in any font (textLength).

// pt is a point in points (1/72 in) from the top-left corner.
type pt struct{ x, y float64 }

// stroke is a line style; dashes alternate on and off lengths.
type stroke struct {
	color  color.NRGBA
	width  float64
	dashes []float64
}

// Text anchors: where the given x is on the text.
const (
	anchorStart = iota
	anchorMiddle
	anchorEnd
)

// textStyle is how one text is drawn. Rotated text reads from bottom to
// top, with x, y its anchor point on the baseline.
type textStyle struct {
	size    float64
	bold    bool
	color   color.NRGBA
	anchor  int
	rotated bool
}

// surface is what a figure draws on.
type surface interface {
	polyline(pts []pt, s stroke)
	polygon(pts []pt, fill color.NRGBA)
	// rect draws a filled rectangle; class names it in the SVG (e.g.
	// "data-area"), and a zero-alpha fill draws only the stroke, if any.
	rect(x, y, w, h float64, fill color.NRGBA, s stroke, class string)
	circle(x, y, r float64, fill color.NRGBA)
	// text draws s with its baseline at y.
	text(x, y float64, s string, st textStyle)
	// begin opens a group with a class and, when title is set, a hover
	// title; end closes it. The PNG ignores both.
	begin(class, title string)
	end()
}

// fontFamily lists Liberation Sans, whose metrics the layout uses, then
// the faces with the same metrics (Arimo, Arial, Helvetica) and the
// generic family: a browser without any of them still draws every text
// at its laid-out width, because each text carries its textLength.
const fontFamily = `'Liberation Sans', Arimo, Arial, Helvetica, sans-serif`

// fonts measures text with the Liberation Sans faces that the PNG draws.
type fonts struct {
	cache *font.Cache
	faces map[fontKey]font.Face
}

type fontKey struct {
	size float64
	bold bool
}

func newFonts() *fonts {
	return &fonts{cache: font.NewCache(liberation.Collection()), faces: map[fontKey]font.Face{}}
}

func (f *fonts) face(size float64, bold bool) font.Face {
	k := fontKey{size, bold}
	if fc, ok := f.faces[k]; ok {
		return fc
	}
	fnt := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		fnt.Weight = xfont.WeightBold
	}
	fc := f.cache.Lookup(fnt, vg.Length(size))
	f.faces[k] = fc
	return fc
}

// width is the advance of s in points.
func (f *fonts) width(s string, size float64, bold bool) float64 {
	fc := f.face(size, bold)
	return float64(fc.Width(s))
}

// ascent is how far text of the given size rises above its baseline.
func (f *fonts) ascent(size float64) float64 {
	fc := f.face(size, false)
	return float64(fc.Extents().Ascent)
}

// wrap breaks s into lines no wider than w, at spaces, and inside a word
// only when the word alone is wider. It never drops a character.
func (f *fonts) wrap(s string, size float64, bold bool, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if f.width(try, size, bold) <= w {
				line = try
				continue
			}
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			for f.width(word, size, bold) > w {
				rs := []rune(word)
				n := len(rs) - 1
				for n > 1 && f.width(string(rs[:n]), size, bold) > w {
					n--
				}
				// Break after a separator of paths and names when one is
				// in the last two thirds of the piece.
				for i := n - 1; i >= max(1, n/3); i-- {
					if strings.ContainsRune("/._-,=", rs[i]) {
						n = i + 1
						break
					}
				}
				lines = append(lines, string(rs[:n]))
				word = string(rs[n:])
			}
			line = word
		}
		lines = append(lines, line)
	}
	return lines
}

// svgSurface writes an SVG document.
type svgSurface struct {
	f    *fonts
	w, h float64
	buf  bytes.Buffer
}

func newSVG(f *fonts, w, h float64, title string) *svgSurface {
	s := &svgSurface{f: f, w: w, h: h}
	fmt.Fprintf(&s.buf, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%spt" height="%spt" viewBox="0 0 %s %s" font-family="%s" role="img">
<title>%s</title>
<rect width="%s" height="%s" fill="#ffffff"/>
`, num(w), num(h), num(w), num(h), esc(fontFamily), esc(title), num(w), num(h))
	return s
}

func (s *svgSurface) WriteTo(w io.Writer) (int64, error) {
	s.buf.WriteString("</svg>\n")
	return s.buf.WriteTo(w)
}

// num writes a coordinate with at most two decimals and no trailing
// zeros, so that the same figure is the same text.
func num(v float64) string {
	v = math.Round(v*100) / 100
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

func opacity(attr string, c color.NRGBA) string {
	if c.A == 0xff {
		return ""
	}
	return fmt.Sprintf(` %s="%s"`, attr, strconv.FormatFloat(math.Round(float64(c.A)/255*1000)/1000, 'f', -1, 64))
}

func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			if r < 0x20 && r != '\t' && r != '\n' {
				b.WriteRune(' ')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func points(pts []pt) string {
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(num(p.x))
		b.WriteByte(',')
		b.WriteString(num(p.y))
	}
	return b.String()
}

func strokeAttrs(st stroke) string {
	a := fmt.Sprintf(`stroke="%s" stroke-width="%s"%s`, hex(st.color), num(st.width), opacity("stroke-opacity", st.color))
	if len(st.dashes) > 0 {
		ds := make([]string, len(st.dashes))
		for i, d := range st.dashes {
			ds[i] = num(d)
		}
		a += fmt.Sprintf(` stroke-dasharray="%s"`, strings.Join(ds, " "))
	}
	return a
}

func (s *svgSurface) polyline(pts []pt, st stroke) {
	if len(pts) < 2 {
		return
	}
	fmt.Fprintf(&s.buf, `<polyline points="%s" fill="none" %s stroke-linejoin="round"/>`+"\n", points(pts), strokeAttrs(st))
}

func (s *svgSurface) polygon(pts []pt, fill color.NRGBA) {
	fmt.Fprintf(&s.buf, `<polygon points="%s" fill="%s"%s/>`+"\n", points(pts), hex(fill), opacity("fill-opacity", fill))
}

func (s *svgSurface) rect(x, y, w, h float64, fill color.NRGBA, st stroke, class string) {
	s.buf.WriteString("<rect")
	if class != "" {
		fmt.Fprintf(&s.buf, ` class="%s"`, esc(class))
	}
	fmt.Fprintf(&s.buf, ` x="%s" y="%s" width="%s" height="%s"`, num(x), num(y), num(w), num(h))
	if fill.A == 0 {
		s.buf.WriteString(` fill="none"`)
	} else {
		fmt.Fprintf(&s.buf, ` fill="%s"%s`, hex(fill), opacity("fill-opacity", fill))
	}
	if st.width > 0 {
		s.buf.WriteString(" " + strokeAttrs(st))
	}
	s.buf.WriteString("/>\n")
}

func (s *svgSurface) circle(x, y, r float64, fill color.NRGBA) {
	fmt.Fprintf(&s.buf, `<circle cx="%s" cy="%s" r="%s" fill="%s"%s/>`+"\n", num(x), num(y), num(r), hex(fill), opacity("fill-opacity", fill))
}

func (s *svgSurface) text(x, y float64, str string, st textStyle) {
	if str == "" {
		return
	}
	w := s.f.width(str, st.size, st.bold)
	// The anchor is resolved here, with the measured width, so that SVG
	// and PNG place the text identically.
	start := x - anchorShift(st.anchor, w)
	attrs := fmt.Sprintf(`x="%s" y="%s" font-size="%s"`, num(start), num(y), num(st.size))
	if st.rotated {
		// Rotated about the anchor, so the text runs upwards from it.
		attrs += fmt.Sprintf(` transform="rotate(-90 %s %s)"`, num(x), num(y))
	}
	if st.bold {
		attrs += ` font-weight="bold"`
	}
	if st.color != (color.NRGBA{}) && st.color != black {
		attrs += fmt.Sprintf(` fill="%s"`, hex(st.color))
	}
	fmt.Fprintf(&s.buf, `<text %s textLength="%s" lengthAdjust="spacingAndGlyphs">%s</text>`+"\n", attrs, num(w), esc(str))
}

func anchorShift(anchor int, w float64) float64 {
	switch anchor {
	case anchorMiddle:
		return w / 2
	case anchorEnd:
		return w
	}
	return 0
}

func (s *svgSurface) begin(class, title string) {
	fmt.Fprintf(&s.buf, `<g class="%s">`+"\n", esc(class))
	if title != "" {
		fmt.Fprintf(&s.buf, "<title>%s</title>\n", esc(title))
	}
}

func (s *svgSurface) end() { s.buf.WriteString("</g>\n") }

// pngSurface draws through gonum's raster canvas, whose origin is the
// bottom-left corner.
type pngSurface struct {
	f *fonts
	c *vgimg.Canvas
	h float64
}

// pngDPI makes a 780 pt wide figure 1040 px wide.
const pngDPI = 96

func newPNG(f *fonts, w, h float64) *pngSurface {
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(w), vg.Length(h)), vgimg.UseDPI(pngDPI), vgimg.UseBackgroundColor(color.White))
	return &pngSurface{f: f, c: c, h: h}
}

func (s *pngSurface) WriteTo(w io.Writer) (int64, error) {
	return vgimg.PngCanvas{Canvas: s.c}.WriteTo(w)
}

func (s *pngSurface) path(pts []pt, closed bool) vg.Path {
	var p vg.Path
	for i, q := range pts {
		v := vg.Point{X: vg.Length(q.x), Y: vg.Length(s.h - q.y)}
		if i == 0 {
			p.Move(v)
		} else {
			p.Line(v)
		}
	}
	if closed {
		p.Close()
	}
	return p
}

func (s *pngSurface) setStroke(st stroke) {
	s.c.SetColor(st.color)
	s.c.SetLineWidth(vg.Length(st.width))
	ds := make([]vg.Length, len(st.dashes))
	for i, d := range st.dashes {
		ds[i] = vg.Length(d)
	}
	s.c.SetLineDash(ds, 0)
}

func (s *pngSurface) polyline(pts []pt, st stroke) {
	if len(pts) < 2 {
		return
	}
	s.setStroke(st)
	s.c.Stroke(s.path(pts, false))
}

func (s *pngSurface) polygon(pts []pt, fill color.NRGBA) {
	s.c.SetColor(fill)
	s.c.Fill(s.path(pts, true))
}

func (s *pngSurface) rect(x, y, w, h float64, fill color.NRGBA, st stroke, _ string) {
	box := []pt{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
	if fill.A != 0 {
		s.polygon(box, fill)
	}
	if st.width > 0 {
		s.setStroke(st)
		s.c.Stroke(s.path(box, true))
	}
}

func (s *pngSurface) circle(x, y, r float64, fill color.NRGBA) {
	var p vg.Path
	p.Move(vg.Point{X: vg.Length(x + r), Y: vg.Length(s.h - y)})
	p.Arc(vg.Point{X: vg.Length(x), Y: vg.Length(s.h - y)}, vg.Length(r), 0, 2*math.Pi)
	p.Close()
	s.c.SetColor(fill)
	s.c.Fill(p)
}

func (s *pngSurface) text(x, y float64, str string, st textStyle) {
	if str == "" {
		return
	}
	fc := s.f.face(st.size, st.bold)
	w := float64(fc.Width(str))
	col := st.color
	if col == (color.NRGBA{}) {
		col = black
	}
	s.c.SetColor(col)
	if !st.rotated {
		s.c.FillString(fc, vg.Point{X: vg.Length(x - anchorShift(st.anchor, w)), Y: vg.Length(s.h - y)}, str)
		return
	}
	s.c.Push()
	s.c.Translate(vg.Point{X: vg.Length(x), Y: vg.Length(s.h - y)})
	s.c.Rotate(math.Pi / 2)
	s.c.FillString(fc, vg.Point{X: vg.Length(-anchorShift(st.anchor, w))}, str)
	s.c.Pop()
}

func (s *pngSurface) begin(string, string) {}
func (s *pngSurface) end()                 {}
