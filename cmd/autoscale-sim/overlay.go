package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// checkPlotName accepts an empty name (no plot) or one ending in .png or
// .svg.
func checkPlotName(flag, name string) error {
	if name == "" {
		return nil
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png", ".svg":
		return nil
	}
	return usageError{fmt.Sprintf("%s %s: the file name must end in .png or .svg", flag, name)}
}

// savePlot writes a figure to name in the format its extension names.
func savePlot(g *guards, name string, write func(w io.Writer, format string) error) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	if err := g.writeFile(name, func(w io.Writer) error { return write(w, format) }); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
