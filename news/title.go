package news

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// titleSeps stand between a headline and the site's name in page titles.
var titleSeps = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " « ", " @ ", " : ", " / "}

// StripSiteName removes a site's name from the start or the end of a title
// ("Headline | Site", "Site - Headline"), only when one of the given names
// (og:site_name, the source, a host name) is the site's: a title is never
// cut on a guess. What is left must still be a headline of a few words.
func StripSiteName(title string, sites ...string) string {
	var names [][]string
	for _, s := range sites {
		if w := titleWords(s); len(w) > 0 {
			names = append(names, w)
		}
		// A host name ("www.aktualne.cz") also names the site by its main
		// label ("aktualne").
		if host := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "www."); strings.Count(host, ".") >= 1 && !strings.ContainsAny(host, " /") {
			labels := strings.Split(host, ".")
			if w := titleWords(labels[len(labels)-2]); len(w) > 0 {
				names = append(names, w)
			}
		}
	}
	if len(names) == 0 {
		return title
	}
	for range 2 { // "Section | Headline | Site" loses the site only
		cut := false
		for _, sep := range titleSeps {
			if i := strings.LastIndex(title, sep); i > 0 && namesSite(title[i+len(sep):], names) && headline(title[:i]) {
				title, cut = strings.TrimSpace(title[:i]), true
				break
			}
			if i := strings.Index(title, sep); i > 0 && namesSite(title[:i], names) && headline(title[i+len(sep):]) {
				title, cut = strings.TrimSpace(title[i+len(sep):]), true
				break
			}
		}
		if !cut {
			break
		}
	}
	return title
}

// namesSite reports whether a title part is one of the site names: the same
// words, or the start of a longer name ("Spiceworks" of "Spiceworks Inc",
// "Aktuálně.cz" of "Aktuálně.cz - Víte, co se právě děje"), or the name the
// start of the part ("Vox" of "Vox Media").
func namesSite(part string, names [][]string) bool {
	p := titleWords(part)
	if len(p) == 0 || len(p) > 8 {
		return false
	}
	for _, n := range names {
		k := min(len(p), len(n))
		// A part shorter than the name must still be a name, not "The" of
		// "The Verge".
		if slicesEqual(p[:k], n[:k]) && (len(p) >= len(n) || utf8.RuneCountInString(strings.Join(p, "")) >= 4) {
			return true
		}
		// Domain names written whole: "aktuálně.cz" is "aktuálně cz".
		if strings.Join(p, "") == strings.Join(n, "") {
			return true
		}
	}
	return false
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// headline: what is left after the cut is still a title.
func headline(s string) bool {
	s = strings.TrimSpace(s)
	return utf8.RuneCountInString(s) >= 8 || len(titleWords(s)) >= 3
}

func titleWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
