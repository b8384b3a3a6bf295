package chart

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"testing"
)

var keep = flag.String("keep", "", "write the test charts to this `folder` to look at them")

func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

// colours counts the distinct colours of an image, and how many pixels are
// close to the given one (thin bars are blended with the background).
func colours(img image.Image, of [3]uint32) (distinct, matching int) {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := [3]uint32{r >> 8, g >> 8, bl >> 8}
			seen[c] = true
			if near(c, of) {
				matching++
			}
		}
	}
	return len(seen), matching
}

func near(a, b [3]uint32) bool {
	d := 0
	for i := range a {
		d += abs(int(a[i]) - int(b[i]))
	}
	return d < 60
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestBarsPNG(t *testing.T) {
	many := make([]float64, 400)
	manyLabels := make([]string, 400)
	for i := range many {
		many[i] = float64(i % 17)
		if i%60 == 0 {
			manyLabels[i] = "1 Jan\n2020"
		}
	}
	tests := []struct {
		name string
		b    Bars
	}{
		{"weeks", Bars{Title: "coronavirus: articles per week", YLabel: "articles",
			Values: []float64{2, 3, 0, 14, 9, 5, 1}, Labels: []string{"6 Jan\n2020", "", "20 Jan", "", "3 Feb", "", "17 Feb"}, Highlight: 3}},
		{"one bar", Bars{Title: "unicorn", Values: []float64{1}, Labels: []string{"20 Jun\n2024"}, Highlight: 0}},
		{"many bars, long title", Bars{Title: "a very long topic that goes on and on and on past the width of the chart", YLabel: "articles",
			Values: many, Labels: manyLabels, Highlight: 16}},
		{"big counts", Bars{Title: "big", Values: []float64{1200, 5300, 48000}, Labels: []string{"Jan", "Feb", "Mar"}, Highlight: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.b.PNG()
			if err != nil {
				t.Fatal(err)
			}
			if len(data) > 200<<10 {
				t.Errorf("%d bytes, over 200 KB", len(data))
			}
			img := decode(t, data)
			if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
				t.Errorf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), Width, Height)
			}
			distinct, bars := colours(img, [3]uint32{uint32(barColor.R), uint32(barColor.G), uint32(barColor.B)})
			_, peak := colours(img, [3]uint32{uint32(accent.R), uint32(accent.G), uint32(accent.B)})
			_, white := colours(img, [3]uint32{0xff, 0xff, 0xff})
			// Not blank: a background, text, bars and the peak.
			if distinct < 4 {
				t.Errorf("%d colours: the chart looks blank", distinct)
			}
			if peak == 0 {
				t.Error("the peak bar is not drawn in the accent colour")
			}
			if len(tt.b.Values) > 1 && bars == 0 {
				t.Error("no bar in the bar colour")
			}
			// An opaque, mostly white card: legible on either theme.
			if white < Width*Height/3 {
				t.Errorf("only %d white pixels: the background is not the card", white)
			}
			_, _, _, a := img.At(Width/2, Height/2).RGBA()
			if a != 0xffff {
				t.Error("the chart is not opaque")
			}
			if *keep != "" {
				if err := os.WriteFile(*keep+"/"+tt.name+".png", data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestBarsRefused(t *testing.T) {
	for name, b := range map[string]Bars{
		"no bars":         {Title: "x"},
		"labels mismatch": {Values: []float64{1, 2}, Labels: []string{"a"}},
		"negative":        {Values: []float64{1, -2}},
	} {
		if _, err := b.PNG(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestTickStep(t *testing.T) {
	for _, tt := range []struct{ top, want float64 }{{1, 1}, {5, 1}, {6, 2}, {10, 2}, {11, 5}, {25, 5}, {26, 10}, {48000, 10000}} {
		if got := tickStep(tt.top); got != tt.want {
			t.Errorf("tickStep(%g) = %g, want %g", tt.top, got, tt.want)
		}
	}
}
