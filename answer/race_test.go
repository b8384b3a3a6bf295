//go:build race

package answer_test

// raceEnabled: the race detector slows the training questions' index and
// asks tenfold; .ci/run evaluates the model in a run without it.
const raceEnabled = true
