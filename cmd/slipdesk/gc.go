package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target when GOGC is not set. A
// desk's live heap is small (the content and what turns in flight hold,
// tens of megabytes) while every turn allocates: at Go's default of 100
// the collector runs so often that it takes about a tenth of the CPU
// under load. At 200 the heap may grow to three times the live data, a
// few tens of megabytes more, and the engine walks the journey 5 to 12%
// faster on two cores (slipdesk bench, BENCHMARKS.md). GOGC, when set,
// wins, as does GOMEMLIMIT over both.
const gcPercent = 200

// tuneGC applies gcPercent unless the environment chose.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}
