package bench

import (
	"context"
	"testing"
)

func TestRunSmall(t *testing.T) {
	res, err := Run(context.Background(), Options{Articles: 300, Queries: 40, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Articles != 300 || res.IngestPerSecond <= 0 || res.StoreBytes <= 0 || res.IndexBytes <= 0 || res.RawBytes <= 0 {
		t.Errorf("result = %+v", res)
	}
	for name, l := range map[string]Latency{"search": res.Search, "ask": res.Ask, "quotes": res.Quotes, "suggest": res.Suggest} {
		if l.N != 10 || l.P99 < l.P50 {
			t.Errorf("%s: %+v", name, l)
		}
	}
}

func TestCorpusDeterministic(t *testing.T) {
	m, err := loadMaterial()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := m.corpusJSONL(7, 0, 50)
	b, _ := m.corpusJSONL(7, 0, 50)
	c, _ := m.corpusJSONL(8, 0, 50)
	if string(a) != string(b) || string(a) == string(c) {
		t.Error("the corpus is not a function of its seed")
	}
}

// BenchmarkIngest is the full pipeline (parse, quotes, store, index) on
// batches of 1,000 synthetic articles.
func BenchmarkIngest(b *testing.B) {
	m, err := loadMaterial()
	if err != nil {
		b.Fatal(err)
	}
	_, err = Run(context.Background(), Options{Articles: 1, Queries: 1, Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	_ = m
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := Run(context.Background(), Options{Articles: 1000, Queries: 1, Dir: dir + "/" + string(rune('a'+i%26)), Seed: uint64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
}
