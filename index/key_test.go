package index

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"
)

func TestTimeKeyOrder(t *testing.T) {
	times := []time.Time{
		time.Date(1066, 10, 14, 9, 0, 0, 0, time.UTC), // before what the key holds
		time.Unix(0, math.MinInt64),
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Unix(0, 0),
		time.Unix(0, 1),
		time.Date(2019, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600)),
		time.Date(2019, 3, 1, 12, 0, 0, 1, time.UTC),
		time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Unix(0, math.MaxInt64),
		time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), // after it
	}
	for i := 1; i < len(times); i++ {
		a, b := timeKey(times[i-1]), timeKey(times[i])
		if len(a) != timeKeyLen || len(b) != timeKeyLen {
			t.Fatalf("keys %q, %q: want %d bytes", a, b, timeKeyLen)
		}
		want := times[i-1].Compare(times[i])
		if times[i-1].UnixNano() == times[i].UnixNano() || times[i-1].Before(minKeyTime) && times[i].Equal(minKeyTime) ||
			times[i-1].Equal(maxKeyTime) && times[i].After(maxKeyTime) {
			want = 0 // clamped to the same key
		}
		if got := strings.Compare(a, b); got != want {
			t.Errorf("%v (%q) against %v (%q): order %d, want %d", times[i-1], a, times[i], b, got, want)
		}
	}
	// The same instant in two zones is one key.
	if a, b := timeKey(times[6]), timeKey(times[6].UTC()); a != b {
		t.Errorf("zones change the key: %q, %q", a, b)
	}
	if !slices.IsSorted([]byte(keyDigits)) {
		t.Errorf("the key alphabet is not in rising order: %q", keyDigits)
	}
}

// Only the fields of rawDocValues get their doc values unchunked and
// uncompressed, and each of them keeps doc values.
func TestRawDocValueFields(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	docs := map[string]any{
		"a1": articleDoc{Type: docArticle, Title: "Title", Body: "Body text.", Source: "Daily", Guild: GlobalGuild,
			Published: now, Ingested: timeKey(now), Recency: timeKey(now)},
		"a1/q0000": quoteDoc{Type: docQuote, Text: "We will win.", Speaker: "Ann Smith", SpeakerKey: "ann smith",
			SpeakerText: "Ann Smith", SpeakerEdge: "Ann Smith", URL: "https://x.example/1", Guild: GlobalGuild, Recency: timeKey(now)},
	}
	seen := map[string]bool{}
	for id, data := range docs {
		doc, err := mapDoc(m, id, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range doc.Fields {
			o := f.Options()
			raw := o&bindex.SkipDVCompression != 0 && o&bindex.SkipDVChunking != 0
			if raw != rawDocValues[f.Name()] {
				t.Errorf("%s: field %s: raw doc values %v, listed %v", id, f.Name(), raw, rawDocValues[f.Name()])
			}
			if raw {
				seen[f.Name()] = true
				if !o.IncludeDocValues() {
					t.Errorf("%s: field %s keeps no doc values", id, f.Name())
				}
				if _, ok := f.(*document.TextField); !ok {
					t.Errorf("%s: field %s is a %T", id, f.Name(), f)
				}
			}
		}
	}
	for name := range rawDocValues {
		if !seen[name] {
			t.Errorf("rawDocValues lists %s, which no document has", name)
		}
	}
}
