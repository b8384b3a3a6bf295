package digest

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/news"
)

// leadScan is how many sentences from the top a lead is looked for in: past
// that, the story has begun whatever the first sentences were.
const leadScan = 8

// aboutArticle matches sentences about the article rather than the news:
// editorial notes, review notices, series blurbs, interview markers.
var aboutArticle = regexp.MustCompile(`(?i)(?:\b(?:this|the following|the below) (?:article|story|report|interview|piece|page|post|edition|transcript)\b|^the following\b|pre-publication review|\beditor'?s note\b|\bthis (?:article|story) (?:was|has been|is) (?:updated|corrected|originally)|^\(\(?(?:wn|wss)\)?\)|^(?:updated|published|last modified)\b.{0,40}\d)`)

// leadSentence picks the article's lead: the first sentence near the top that
// is news about the headline's story, not a dateline, not furniture, not a
// note about the article itself. Of those, the first sharing a word with the
// headline wins; else the first acceptable one; else "" (the caller falls
// back to the first sentence).
func leadSentence(a *news.Article) string {
	title := contentWords(a.Title)
	first, seen := "", 0
	for _, p := range a.Paragraphs {
		for _, sp := range news.Sentences(p) {
			if seen >= leadScan {
				return first
			}
			seen++
			s := strings.TrimSpace(p[sp.Start:sp.End])
			if !isNews(s) {
				continue
			}
			if first == "" {
				first = s
			}
			for w := range contentWords(s) {
				if title[w] {
					return s
				}
			}
		}
	}
	return first
}

// isNews: a sentence of the story rather than of the page around it.
func isNews(s string) bool {
	if len(strings.Fields(s)) < 4 || news.IsBoilerplate(s) || aboutArticle.MatchString(s) {
		return false
	}
	if _, ok := news.ParseDate(strings.TrimRight(s, " .")); ok {
		return false // a dateline
	}
	return true
}

// contentWords are the words of at least four letters, cut to five letters
// so that "raises" meets "raised" and "Ukraine" meets "Ukrainian".
func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r := []rune(w)
		if len(r) < 4 || stopWords[w] {
			continue
		}
		out[string(r[:min(len(r), 5)])] = true
	}
	return out
}

var stopWords = map[string]bool{
	"that": true, "this": true, "with": true, "from": true, "have": true, "were": true, "will": true,
	"about": true, "after": true, "their": true, "there": true, "which": true, "would": true,
	"said": true, "says": true, "into": true, "been": true, "more": true, "than": true, "over": true,
	"what": true, "when": true, "where": true, "they": true, "them": true, "also": true, "news": true,
	"wikinews": true, "talks": true, "tells": true, "interview": true,
}

// lead is the item's lead as shown: escaped for Discord, cut to a snippet.
func lead(ix *index.Index, a *news.Article) string {
	if s := leadSentence(a); s != "" {
		return ix.Lead(&news.Article{Paragraphs: []string{s}})
	}
	return ix.Lead(a)
}
