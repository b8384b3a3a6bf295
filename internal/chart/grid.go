package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Series is one line of a panel, its points in any order.
type Series struct {
	Name string
	X, Y []float64
}

// Panel is one small chart of a Grid, a line per series.
type Panel struct {
	Title  string
	Series []Series
}

// Grid is panels of lines side by side, all against the same quantity on a
// logarithmic x axis (the bench's article counts: 10k, 100k, 1M). It is a
// figure for the README rather than an embed, so it is wider than Bars.
type Grid struct {
	Title   string
	Columns int // panels a row; 3 when zero
	Panels  []Panel
}

// The grid's size: a panel is about as large as a Bars chart shown in an
// embed, so its text is as legible.
const (
	gridWidth       = 1500
	gridPanelHeight = 420
	gridTitleHeight = 56
)

// lineColours tell the series of a panel apart; the first two are the bars'
// palette, the others from the Okabe-Ito set, distinct for the common kinds
// of colour blindness.
var lineColours = []color.RGBA{barColor, accent, {0x00, 0x9e, 0x73, 0xff}, {0xcc, 0x79, 0xa7, 0xff}}

// PNG draws the grid.
func (g Grid) PNG() ([]byte, error) {
	if len(g.Panels) == 0 {
		return nil, errors.New("chart: no panels to draw")
	}
	cols := g.Columns
	if cols <= 0 {
		cols = 3
	}
	cols = min(cols, len(g.Panels))
	rows := (len(g.Panels) + cols - 1) / cols
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
		for c := range plots[r] {
			i := r*cols + c
			if i >= len(g.Panels) {
				// Align needs a full grid; an empty plot draws nothing.
				plots[r][c] = nil
				continue
			}
			p, err := g.Panels[i].plot()
			if err != nil {
				return nil, err
			}
			plots[r][c] = p
		}
	}
	height := gridTitleHeight + rows*gridPanelHeight
	img := vgimg.NewWith(vgimg.UseWH(gridWidth, vg.Length(height)), vgimg.UseDPI(72), vgimg.UseBackgroundColor(background))
	dc := draw.New(img)
	frame(dc)
	title := style(titleSize, draw.XCenter, draw.YTop)
	dc.FillText(title, vg.Point{X: gridWidth / 2, Y: vg.Length(height) - 14}, cut(g.Title, 2*maxTitleRunes))
	body := draw.Crop(dc, 14, -14, 10, -gridTitleHeight)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: 36, PadY: 36, PadTop: 6}
	for r := range plots {
		for c, p := range plots[r] {
			if p != nil {
				p.Draw(tiles.At(body, c, r))
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img.Image()); err != nil {
		return nil, fmt.Errorf("chart: png: %w", err)
	}
	return buf.Bytes(), nil
}

func (pn Panel) plot() (*plot.Plot, error) {
	var xs []float64
	top := 0.0
	for _, s := range pn.Series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("chart: %s, %s: %d x for %d y", pn.Title, s.Name, len(s.X), len(s.Y))
		}
		for i := range s.X {
			x, y := s.X[i], s.Y[i]
			if !(x > 0) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("chart: %s, %s: x %v (the x axis is logarithmic)", pn.Title, s.Name, x)
			}
			if !(y >= 0) || math.IsInf(y, 0) {
				return nil, fmt.Errorf("chart: %s, %s: y %v", pn.Title, s.Name, y)
			}
			xs = append(xs, x)
			top = math.Max(top, y)
		}
	}
	if len(xs) == 0 {
		return nil, fmt.Errorf("chart: %s: no points", pn.Title)
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)

	p := newPlot(pn.Title, labelSize, 10, tickSize-3)
	// Room either side of the first and last count, in log terms, so the
	// end points are not on the frame.
	p.X.Scale = plot.LogScale{}
	p.X.Min, p.X.Max = xs[0]/1.6, xs[len(xs)-1]*1.6
	p.X.Tick.Marker = plot.TickerFunc(func(_, _ float64) []plot.Tick {
		ticks := make([]plot.Tick, len(xs))
		for i, x := range xs {
			ticks[i] = plot.Tick{Value: x, Label: Count(x)}
		}
		return ticks
	})
	p.Y.Min, p.Y.Max = 0, top*1.15
	if len(pn.Series) > 1 {
		// Headroom for the legend in the top left corner.
		p.Y.Max = top * 1.4
	}
	if top == 0 {
		p.Y.Max = 1
	}
	p.Y.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		ticks := plot.DefaultTicks{}.Ticks(lo, hi)
		for i := range ticks {
			if ticks[i].Label != "" {
				ticks[i].Label = Count(ticks[i].Value)
			}
		}
		return ticks
	})

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: gridColor, Width: 1}
	p.Add(grid)
	p.Legend.Top, p.Legend.Left = true, true
	// The legend aligns its entries itself from the bottom left.
	p.Legend.TextStyle = style(tickSize-3, draw.XLeft, draw.YBottom)
	p.Legend.Padding = 6
	p.Legend.ThumbnailWidth = 26
	p.Legend.XOffs, p.Legend.YOffs = 8, -4
	for i, s := range pn.Series {
		pts := make(plotter.XYs, len(s.X))
		for j := range s.X {
			pts[j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
		}
		slices.SortFunc(pts, func(a, b plotter.XY) int { return cmpFloat(a.X, b.X) })
		line, dots, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, fmt.Errorf("chart: %s, %s: %w", pn.Title, s.Name, err)
		}
		col := lineColours[i%len(lineColours)]
		line.LineStyle = draw.LineStyle{Color: col, Width: 3}
		dots.GlyphStyle = draw.GlyphStyle{Color: col, Radius: 5, Shape: draw.CircleGlyph{}}
		p.Add(line, dots)
		if s.Name != "" && len(pn.Series) > 1 {
			p.Legend.Add(s.Name, line, dots)
		}
	}
	return p, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Count writes a count the short way, to three significant digits: 950,
// 10k, 2.5k, 1.23M.
func Count(v float64) string {
	for _, u := range []struct {
		div  float64
		unit string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(v) >= u.div {
			return significant(v/u.div) + u.unit
		}
	}
	return significant(v)
}

// significant keeps three significant digits: 12.3, 1.23, 123.
func significant(v float64) string {
	if v == 0 {
		return "0"
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(v))))
	return strconv.FormatFloat(math.Round(v*p)/p, 'f', -1, 64)
}
