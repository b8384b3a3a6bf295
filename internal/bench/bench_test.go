package bench

import (
	"context"
	"testing"
)

func TestRunSmall(t *testing.T) {
	res, err := Run(context.Background(), Options{Articles: 300, Queries: 40, Dir: t.TempDir(),
		Concurrency: []int{1, 3, 8}, MaxConcurrent: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Concurrency) != 3 {
		t.Fatalf("concurrency = %+v", res.Concurrency)
	}
	for i, c := range res.Concurrency {
		if c.Clients != []int{1, 3, 8}[i] || c.MaxConcurrent != 3 || c.Requests != 40 || c.RequestsPerSecond <= 0 {
			t.Errorf("%d clients: %+v", c.Clients, c)
		}
		if c.All.N != 40 || c.Search.N+c.Ask.N+c.Quotes.N+c.Suggest.N != 40 || c.Ask.N != 10 {
			t.Errorf("%d clients: latencies %+v", c.Clients, c)
		}
		if c.PeakInFlight < 1 || c.PeakInFlight > min(c.Clients, 3) {
			t.Errorf("%d clients: %d in flight at once, limit 3", c.Clients, c.PeakInFlight)
		}
		// No more clients than the limit: nobody may be told busy.
		if c.Clients <= 3 && c.Busy != 0 {
			t.Errorf("%d clients under a limit of 3: %d busy answers", c.Clients, c.Busy)
		}
		if c.Busy > 0 && c.BusyMinInFlight < 3 {
			t.Errorf("%d clients: busy with %d in flight", c.Clients, c.BusyMinInFlight)
		}
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
