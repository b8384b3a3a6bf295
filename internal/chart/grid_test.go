package chart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGridPNG(t *testing.T) {
	sizes := []float64{10000, 100000, 1000000}
	latency := func(a, b, c float64) []Series {
		return []Series{{"search", sizes, []float64{a, 2 * a, 4 * a}}, {"ask", sizes, []float64{b, 2 * b, 5 * b}}, {"quotes", sizes, []float64{c, c, 3 * c}}}
	}
	six := []Panel{
		{"ingest, articles/s", []Series{{"", sizes, []float64{2400, 2100, 2000}}}},
		{"p50, ms", latency(2, 6, 1)},
		{"p99, ms", latency(10, 18, 6)},
		{"peak RSS serving, MB", []Series{{"", sizes, []float64{90, 300, 950}}}},
		{"disk, MB", []Series{{"data", sizes, []float64{50, 480, 4600}}, {"raw text", sizes, []float64{20, 200, 2000}}}},
		{"cold open, ms", []Series{{"", sizes, []float64{15, 80, 470}}}},
	}
	tests := []struct {
		name       string
		g          Grid
		rows       int
		lineColour int // the last of lineColours the chart must show
	}{
		{"the curve", Grid{Title: "newsbot bench, 2 cores", Panels: six}, 2, 2},
		{"one size", Grid{Title: "one run", Panels: []Panel{
			{"ingest", []Series{{"", []float64{20000}, []float64{2300}}}},
			{"p99", []Series{{"search", []float64{20000}, []float64{9}}, {"ask", []float64{20000}, []float64{17}}}},
		}}, 1, 1},
		{"unsorted points, a partial row", Grid{Title: "x", Columns: 2, Panels: []Panel{
			{"a", []Series{{"", []float64{1e6, 1e4, 1e5}, []float64{3, 1, 2}}}},
			{"b", []Series{{"", []float64{1e4}, []float64{0}}}},
			{"c", []Series{{"", []float64{1e4, 2e4}, []float64{5, 5}}}},
		}}, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.g.PNG()
			if err != nil {
				t.Fatal(err)
			}
			if *keep != "" {
				if err := os.WriteFile(filepath.Join(*keep, strings.ReplaceAll(tt.name, " ", "_")+".png"), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			img := decode(t, data)
			if b := img.Bounds(); b.Dx() != gridWidth || b.Dy() != gridTitleHeight+tt.rows*gridPanelHeight {
				t.Errorf("size %v, want %dx%d", b, gridWidth, gridTitleHeight+tt.rows*gridPanelHeight)
			}
			for i := 0; i <= tt.lineColour; i++ {
				c := lineColours[i]
				distinct, n := colours(img, [3]uint32{uint32(c.R), uint32(c.G), uint32(c.B)})
				// Its dots at least (a single count draws no line).
				if n < 100 {
					t.Errorf("series colour %d: %d pixels", i, n)
				}
				if distinct < 10 {
					t.Errorf("%d colours: no text or lines drawn", distinct)
				}
			}
		})
	}
}

func TestGridErrors(t *testing.T) {
	one := []float64{1000}
	tests := []struct {
		name string
		g    Grid
		want string
	}{
		{"no panels", Grid{}, "no panels"},
		{"no points", Grid{Panels: []Panel{{Title: "empty"}}}, "no points"},
		{"x and y differ", Grid{Panels: []Panel{{"p", []Series{{"s", []float64{1, 2}, one}}}}}, "2 x for 1 y"},
		{"x zero on a log axis", Grid{Panels: []Panel{{"p", []Series{{"s", []float64{0}, one}}}}}, "logarithmic"},
		{"negative y", Grid{Panels: []Panel{{"p", []Series{{"s", one, []float64{-1}}}}}}, "y -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.g.PNG()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{0, "0"}, {950, "950"}, {1000, "1k"}, {2500, "2.5k"}, {10000, "10k"}, {123456, "123k"}, {1e6, "1M"}, {1234567, "1.23M"}, {3.14159, "3.14"}} {
		if got := Count(tt.v); got != tt.want {
			t.Errorf("Count(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
