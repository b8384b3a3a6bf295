// Package chart draws the PNG charts newsbot attaches to its replies, sized
// and coloured to stay legible in a Discord embed on the light and the dark
// theme alike, and, in the same style, the bench's figures against the
// number of articles.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Width and Height of a chart in pixels: twice the ~400 px at which Discord
// shows an embed image, so that it stays sharp on dense screens and its text
// is still ~11 px when shrunk.
const (
	Width  = 800
	Height = 400
)

// The palette: an opaque white card with near-black text reads the same on
// Discord's dark and light themes (a transparent chart would put dark text on
// a dark background). The accent marks the peak; both colours keep their
// contrast for the common kinds of colour blindness.
var (
	background = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink        = color.RGBA{0x1f, 0x23, 0x28, 0xff}
	gridColor  = color.RGBA{0xdd, 0xe1, 0xe6, 0xff}
	border     = color.RGBA{0xc4, 0xc9, 0xd0, 0xff}
	barColor   = color.RGBA{0x3b, 0x6e, 0xb4, 0xff}
	accent     = color.RGBA{0xe0, 0x6c, 0x1a, 0xff}
)

// Font sizes in pixels (the canvas is drawn at 72 dpi, a point per pixel).
const (
	titleSize = 28
	labelSize = 22
	tickSize  = 21
)

// sans is the bundled Liberation Sans: no system fonts needed, and plainer at
// small sizes than gonum's default serif.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Bars is a bar chart of counts over consecutive periods.
type Bars struct {
	Title  string
	YLabel string
	Values []float64
	// Labels name the bars under the axis, one per bar; "" leaves a bar
	// unnamed (fifty labels could not be read), "\n" breaks a label in two.
	Labels []string
	// Highlight is the bar drawn in the accent colour (the peak); -1 for
	// none.
	Highlight int
}

// maxTitleRunes keeps the title on one line at titleSize.
const maxTitleRunes = 48

// PNG draws the chart.
func (b Bars) PNG() ([]byte, error) {
	if len(b.Values) == 0 {
		return nil, errors.New("chart: no bars to draw")
	}
	if len(b.Labels) != 0 && len(b.Labels) != len(b.Values) {
		return nil, fmt.Errorf("chart: %d labels for %d bars", len(b.Labels), len(b.Values))
	}
	top := 0.0
	for _, v := range b.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, fmt.Errorf("chart: bar value %v", v)
		}
		top = math.Max(top, v)
	}

	p := newPlot(b.Title, titleSize, 14, tickSize)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		// Bars stand on the axis line and fill the width.
		ax.Padding = 0
	}
	p.Y.Label.Text = b.YLabel

	n := len(b.Values)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	step := tickStep(top)
	p.Y.Min = 0
	// Room above the highest bar, up to a whole step so the top gridline
	// is labelled.
	p.Y.Max = math.Ceil(top*1.08/step) * step
	p.X.Tick.Marker = plot.TickerFunc(func(_, _ float64) []plot.Tick {
		var ticks []plot.Tick
		for i, l := range b.Labels {
			if l != "" {
				ticks = append(ticks, plot.Tick{Value: float64(i), Label: l})
			}
		}
		return ticks
	})
	p.Y.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		var ticks []plot.Tick
		for v := 0.0; v <= hi+step/2; v += step {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
		return ticks
	})

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil // horizontal lines only: they carry the counts
	grid.Horizontal = draw.LineStyle{Color: gridColor, Width: 1}
	p.Add(grid, barsPlotter{values: b.Values, highlight: b.Highlight})

	img := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(72), vgimg.UseBackgroundColor(background))
	dc := draw.New(img)
	frame(dc)
	// Margins inside the card's border.
	p.Draw(draw.Crop(dc, 14, -26, 10, -12))

	var buf bytes.Buffer
	// Best compression is five times slower for a file a few percent
	// smaller: the reply has to be ready within Discord's 3 s.
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, img.Image()); err != nil {
		return nil, fmt.Errorf("chart: png: %w", err)
	}
	return buf.Bytes(), nil
}

// newPlot is a plot in the house style: the title at titleSize, ink axes,
// tick labels at tickSize.
func newPlot(title string, titleSize, titlePad, tickSize vg.Length) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = background
	p.Title.Text = cut(title, maxTitleRunes)
	p.Title.TextStyle = style(titleSize, draw.XCenter, draw.YTop)
	p.Title.Padding = titlePad
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Color = ink
		ax.Width = 1.5
		ax.Tick.Color = ink
		ax.Tick.Width = 1.5
		ax.Tick.Length = 6
		ax.Label.TextStyle = style(labelSize, draw.XCenter, draw.YBottom)
	}
	p.X.Tick.Label = style(tickSize, draw.XCenter, draw.YTop)
	p.Y.Tick.Label = style(tickSize, draw.XRight, draw.YCenter)
	return p
}

func style(size vg.Length, x draw.XAlignment, y draw.YAlignment) text.Style {
	return text.Style{Color: ink, Font: font.From(sans, size), XAlign: x, YAlign: y, Handler: plot.DefaultTextHandler}
}

// frame draws a thin border, so the white card has an edge on Discord's light
// theme.
func frame(c draw.Canvas) {
	r := c.Rectangle
	inset := vg.Length(1)
	c.StrokeLines(draw.LineStyle{Color: border, Width: 2}, []vg.Point{
		{X: r.Min.X + inset, Y: r.Min.Y + inset}, {X: r.Max.X - inset, Y: r.Min.Y + inset},
		{X: r.Max.X - inset, Y: r.Max.Y - inset}, {X: r.Min.X + inset, Y: r.Max.Y - inset},
		{X: r.Min.X + inset, Y: r.Min.Y + inset},
	})
}

// tickStep is a round step (1, 2 or 5 times a power of ten, never below 1:
// counts are whole) that cuts 0..top into at most five intervals.
func tickStep(top float64) float64 {
	if top <= 5 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(top/5)))
	for _, m := range []float64{1, 2, 5, 10} {
		if top/(m*mag) <= 5 {
			return m * mag
		}
	}
	return 10 * mag
}

// barsPlotter draws bars in data coordinates, one unit apart. gonum's own bar
// chart takes its width in canvas units, which would have to be guessed before
// the axes are laid out.
type barsPlotter struct {
	values    []float64
	highlight int
}

func (b barsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	// Wide gaps between a few bars, narrow ones between many.
	half := 0.4
	if len(b.values) > 30 {
		half = 0.45
	}
	for i, v := range b.values {
		if v <= 0 {
			continue
		}
		x0, x1 := tx(float64(i)-half), tx(float64(i)+half)
		if x1-x0 < 1 {
			x1 = x0 + 1 // a bar stays visible however many there are
		}
		y0, y1 := ty(0), ty(v)
		col := barColor
		if i == b.highlight {
			col = accent
		}
		c.FillPolygon(col, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}}))
	}
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
