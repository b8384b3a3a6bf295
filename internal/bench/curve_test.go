package bench

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestParseCounts(t *testing.T) {
	tests := []struct {
		in      string
		want    []int
		wantErr string
	}{
		{"10000", []int{10000}, ""},
		{"10000,100000,1000000", []int{10000, 100000, 1000000}, ""},
		{"10k, 100K,1M", []int{10000, 100000, 1000000}, ""},
		{"1,8,50", []int{1, 8, 50}, ""},
		{"100k,100k,100k", []int{100000, 100000, 100000}, ""},
		{"2m", []int{2000000}, ""},
		{"", nil, "no count"},
		{"10k,,1M", nil, `"" is not a count`},
		{"ten", nil, `"ten" is not a count`},
		{"1.5k", nil, `"1.5k" is not a count`},
		{"0", nil, "must be positive"},
		{"-5", nil, "must be positive"},
		{"3000M", nil, "below 2 billion"},
		{"k", nil, `"k" is not a count`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCounts(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCounts(%q) = %v, %v; want an error saying %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("ParseCounts(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func readFixture(t *testing.T) []Result {
	t.Helper()
	f, err := os.Open("testdata/results.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := ReadResults(f, "results.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestReadResults(t *testing.T) {
	rs := readFixture(t)
	if len(rs) != 5 || rs[0].Articles != 10000 || rs[4].Articles != 1000000 || len(rs[3].Concurrency) != 3 || rs[3].Concurrency[2].MaxConcurrent != 64 {
		t.Fatalf("read %+v", rs)
	}
	for _, tt := range []struct{ name, in, want string }{
		{"empty", "", "holds no results"},
		{"not JSON", "articles 10000\n", "result 1"},
		{"another object", `{"articles": 10}` + "\n", "not a result of newsbot bench"},
		{"cut short", `{"articles": 10, "ingest_per_second": 5}` + "\n" + `{"articles": `, "result 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadResults(strings.NewReader(tt.in), "in.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "in.json") {
				t.Errorf("err = %v, want one naming in.json and saying %q", err, tt.want)
			}
		})
	}
}

// TestTable checks the Markdown table against its golden file: a column per
// size, medians and ranges over the three 100k runs, a row per concurrency
// level. go test ./internal/bench -run TestTable -update rewrites it.
func TestTable(t *testing.T) {
	got := Table(readFixture(t))
	golden := filepath.Join("testdata", "table.md")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("table differs from %s (-update rewrites it):\n%s", golden, got)
	}
}

func TestChart(t *testing.T) {
	rs := readFixture(t)
	for _, tt := range []struct {
		name string
		rs   []Result
	}{{"three sizes, three runs of one", rs}, {"one run", rs[:1]}} {
		t.Run(tt.name, func(t *testing.T) {
			data, err := Chart(tt.rs)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			// Six panels, three a row: wide, two rows high.
			if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 600 || b.Dx() < b.Dy() {
				t.Errorf("size %v", b)
			}
			// Not a blank card: many pixels differ from the white
			// background.
			inked := 0
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y += 2 {
				for x := b.Min.X; x < b.Max.X; x += 2 {
					if r, g, bl, _ := img.At(x, y).RGBA(); r>>8 < 0xf0 || g>>8 < 0xf0 || bl>>8 < 0xf0 {
						inked++
					}
				}
			}
			if inked < 2000 {
				t.Errorf("%d inked pixels of %d sampled: the chart is nearly empty", inked, b.Dx()*b.Dy()/4)
			}
		})
	}
	if _, err := Chart(nil); err == nil {
		t.Error("a chart of no results")
	}
}
