package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/internal/admit"
)

// Concurrency is what N clients asking at once measured.
type Concurrency struct {
	Clients       int `json:"clients"`
	MaxConcurrent int `json:"max_concurrent"`
	// Requests were answered (busy answers are not among them), in Seconds.
	Requests          int     `json:"requests"`
	Seconds           float64 `json:"seconds"`
	RequestsPerSecond float64 `json:"requests_per_second"`
	// Busy counts the "busy" answers of the admission limit; a client so
	// answered tries the same request again after busyPause.
	Busy int `json:"busy"`
	// BusyMinInFlight is the fewest requests in flight at a busy answer
	// (0 when there was none); never below MaxConcurrent, or the run fails.
	BusyMinInFlight int `json:"busy_min_in_flight"`
	// PeakInFlight is the most requests admitted at once.
	PeakInFlight int `json:"peak_in_flight"`
	// Latencies of the answered requests, from admission to answer (what
	// the bot's own latency metric measures), by kind and all together.
	All     Latency `json:"all_ms"`
	Search  Latency `json:"search_ms"`
	Ask     Latency `json:"ask_ms"`
	Quotes  Latency `json:"quotes_ms"`
	Suggest Latency `json:"suggest_ms"`
	// PeakRSSMB is the serving process's peak so far, this run included.
	PeakRSSMB float64 `json:"peak_rss_mb"`
}

// busyPause is how long a client told "busy" waits before asking again: a
// member cannot retry faster, and clients spinning on refusals would take the
// CPU from the requests being answered.
const busyPause = 10 * time.Millisecond

// client is what one client saw.
type client struct {
	took                [kinds][]time.Duration
	busy, busyMin, peak int
	err                 error
}

// concurrent runs the requests with n clients at once, each taking the next
// request when it has its answer, through the bot's admission gate with the
// given limit.
func concurrent(ctx context.Context, ix *index.Index, reqs []request, n, limit int) (*Concurrency, error) {
	if n < 1 {
		return nil, fmt.Errorf("bench: --concurrency %d: must be at least 1", n)
	}
	if limit < 1 {
		return nil, fmt.Errorf("bench: --max-concurrent %d: must be at least 1", limit)
	}
	gate := admit.New(limit)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	clients := make([]client, n)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func(cl *client) {
			defer wg.Done()
			if cl.err = cl.drive(ctx, ix, gate, reqs, &next); cl.err != nil {
				cancel()
			}
		}(&clients[c])
	}
	wg.Wait()
	elapsed := time.Since(start)
	res := &Concurrency{Clients: n, MaxConcurrent: limit, Seconds: elapsed.Seconds()}
	var all [kinds][]time.Duration
	var every []time.Duration
	for _, cl := range clients {
		if cl.err != nil {
			return nil, cl.err
		}
		for k := range cl.took {
			all[k] = append(all[k], cl.took[k]...)
			every = append(every, cl.took[k]...)
			res.Requests += len(cl.took[k])
		}
		if cl.busy > 0 && (res.Busy == 0 || cl.busyMin < res.BusyMinInFlight) {
			res.BusyMinInFlight = cl.busyMin
		}
		res.Busy += cl.busy
		res.PeakInFlight = max(res.PeakInFlight, cl.peak)
	}
	res.RequestsPerSecond = float64(res.Requests) / max(elapsed.Seconds(), 1e-9)
	res.Search, res.Ask, res.Quotes, res.Suggest = dist(all[kindSearch]), dist(all[kindAsk]), dist(all[kindQuotes]), dist(all[kindSuggest])
	res.All = dist(every)
	res.PeakRSSMB = peakRSSMB()
	if res.Busy > 0 && res.BusyMinInFlight < limit {
		return res, fmt.Errorf("bench: %d clients: a busy answer with %d requests in flight, below the limit of %d", n, res.BusyMinInFlight, limit)
	}
	return res, nil
}

// drive takes requests until none is left, asking again after a busy answer.
func (cl *client) drive(ctx context.Context, ix *index.Index, gate *admit.Gate, reqs []request, next *atomic.Int64) error {
	for {
		i := int(next.Add(1) - 1)
		if i >= len(reqs) {
			return nil
		}
		q := reqs[i]
		for {
			inFlight, ok := gate.Enter()
			if ok {
				cl.peak = max(cl.peak, inFlight)
				break
			}
			if cl.busy == 0 || inFlight < cl.busyMin {
				cl.busyMin = inFlight
			}
			cl.busy++
			pause := time.NewTimer(busyPause)
			select {
			case <-ctx.Done():
				pause.Stop()
				return ctx.Err()
			case <-pause.C:
			}
		}
		t := time.Now()
		err := q.run(ctx, ix)
		took := time.Since(t)
		gate.Leave()
		if err != nil {
			return err
		}
		cl.took[q.kind] = append(cl.took[q.kind], took)
	}
}

// startCPUProfile starts a CPU profile into path; stop ends it.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench: cpu profile %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeHeapProfile writes the live heap (after a collection, so it is
// up to date) to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench: heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("bench: heap profile %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("bench: heap profile %s: %w", path, err)
	}
	return nil
}
