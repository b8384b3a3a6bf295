package quotes

import "testing"

// Hooks for the tests of package quotes_test, which may import package news
// (which imports this one) and so cannot live in package quotes.

// DevArticles returns the paragraphs of the evaluation articles: the seed
// article and the Wikinews dev texts, as the eval tests read them.
func DevArticles(t testing.TB) [][]string {
	var out [][]string
	for _, a := range loadDevArticles(t) {
		out = append(out, a.paras)
	}
	return out
}

// BadInputs returns each of the adversarial inputs of TestExtractLinear made
// of n units, by name.
func BadInputs(n int) (names []string, paras [][]string) {
	for _, in := range badInputs {
		names = append(names, in.name)
		paras = append(paras, in.make(n))
	}
	return names, paras
}
