package ingest

import (
	"runtime/debug"
	"testing"
)

// Overlapping bulk ingests raise the collector's target once and put the
// process's own back when the last ends.
func TestRaiseGCRestores(t *testing.T) {
	t.Setenv("GOGC", "")
	orig := debug.SetGCPercent(150)
	defer debug.SetGCPercent(orig)
	a := raiseGC()
	b := raiseGC()
	if got := debug.SetGCPercent(bulkGCPercent); got != bulkGCPercent {
		t.Fatalf("during two bulk ingests the GC percent is %d, want %d", got, bulkGCPercent)
	}
	a()
	if got := debug.SetGCPercent(bulkGCPercent); got != bulkGCPercent {
		t.Fatalf("with one bulk ingest left the GC percent is %d, want %d", got, bulkGCPercent)
	}
	b()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Fatalf("after both the GC percent is %d, want the 150 set before", got)
	}
}

func TestRaiseGCLeavesOperatorsGOGC(t *testing.T) {
	t.Setenv("GOGC", "80")
	orig := debug.SetGCPercent(80)
	defer debug.SetGCPercent(orig)
	restore := raiseGC()
	if got := debug.SetGCPercent(80); got != 80 {
		t.Errorf("with GOGC=80 set the bulk ingest changed the GC percent to %d", got)
	}
	restore()
}
