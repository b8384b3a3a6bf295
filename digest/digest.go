// Package digest is newsbot's scheduled digests: what a digest holds for a
// window of time (the articles a guild can see that came in since the last
// one, ranked, near-duplicates collapsed), each digest's watermark in the
// store, and the scheduler that posts them once and on time.
package digest

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/news"
	"github.com/newsbot/newsbot/news/quotes"
)

// MaxItems is how many articles a digest shows by default: about three
// Discord messages. The rest are counted, and /search finds them.
const MaxItems = 30

// maxCandidates bounds the articles one digest reads and ranks: a catch-up
// after a bulk import ranks the newest this many and counts the others.
const maxCandidates = 1000

// sameStory is the title similarity (Jaccard over word sets) from which two
// articles are taken for one story told twice.
const sameStory = 0.8

// Query says which digest to build.
type Query struct {
	Guild   string
	Channel string
	From    time.Time // inclusive: the previous digest's end
	To      time.Time // exclusive
	// MaxItems caps the articles shown; 0 means MaxItems.
	MaxItems int
	// Location is the time zone dates are written in; nil is UTC.
	Location *time.Location
	// EmptyLine asks for one "nothing new" line when the window is empty,
	// instead of no post at all.
	EmptyLine bool
}

// Digest is what one digest holds. It is the same for Discord, the terminal
// and the preview, so that what is shown is what would be posted.
type Digest struct {
	Guild     string
	Channel   string
	From, To  time.Time
	Location  *time.Location
	EmptyLine bool
	// Items are the stories shown, best first.
	Items []Item
	// Total counts the stories in the window: articles after collapsing near
	// duplicates, plus those beyond the candidates read.
	Total int
}

// Item is one story of a digest.
type Item struct {
	// Article is the one shown: of a story told by several, the one with the
	// most quotes.
	Article *news.Article
	// Lead is the article's first sentence, escaped Discord Markdown.
	Lead string
	// Quote is the story's most notable quote (the longest direct quote with
	// a named speaker), nil when it has none.
	Quote *quotes.Quote
	// Also are the other articles telling the same story.
	Also  []*news.Article
	Score float64
	// quoted is the most quotes a telling of the story has: a tie-break.
	quoted int
}

// Empty reports whether the window held nothing.
func (d Digest) Empty() bool { return len(d.Items) == 0 }

// More is how many stories were left out of the digest.
func (d Digest) More() int { return max(0, d.Total-len(d.Items)) }

// Sources lists the item's sources, its own first, without repeats.
func (it Item) Sources() []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range append([]*news.Article{it.Article}, it.Also...) {
		k := strings.ToLower(strings.TrimSpace(a.Source))
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, a.Source)
	}
	return out
}

// Date is when the article is from: its publication date, else when it came in.
func Date(a *news.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.Ingested
}

// Build reads the articles ingested in the window that the guild can see,
// collapses near duplicates, ranks the stories and keeps the best.
func Build(ctx context.Context, ix *index.Index, q Query) (Digest, error) {
	if q.MaxItems <= 0 {
		q.MaxItems = MaxItems
	}
	if q.Location == nil {
		q.Location = time.UTC
	}
	d := Digest{Guild: q.Guild, Channel: q.Channel, From: q.From, To: q.To, Location: q.Location, EmptyLine: q.EmptyLine}
	arts, total, err := ix.Ingested(ctx, index.WindowOptions{
		Scope: index.Scope{Guild: q.Guild}, From: q.From, To: q.To, Limit: maxCandidates,
	})
	if err != nil {
		return Digest{}, fmt.Errorf("digest: %w", err)
	}
	items := rank(collapse(arts), q.To)
	d.Total = len(items) + max(0, total-len(arts))
	if len(items) > q.MaxItems {
		items = items[:q.MaxItems]
	}
	for i := range items {
		items[i].Lead = lead(ix, items[i].Article)
		items[i].Quote = notableQuote(items[i])
	}
	d.Items = items
	return d, nil
}

// collapse groups articles that tell the same story: the same canonical URL,
// or titles sharing nearly all their words. Each group becomes one item.
func collapse(arts []*news.Article) []Item {
	parent := make([]int, len(arts))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	urls := make([]string, len(arts))
	words := make([]map[string]bool, len(arts))
	for i, a := range arts {
		urls[i] = news.CanonicalURL(a.URL)
		words[i] = titleWords(a.Title)
	}
	for i := range arts {
		for j := i + 1; j < len(arts); j++ {
			if urls[i] != "" && urls[i] == urls[j] || jaccard(words[i], words[j]) >= sameStory {
				if ri, rj := find(i), find(j); ri != rj {
					parent[rj] = ri
				}
			}
		}
	}
	groups := map[int][]*news.Article{}
	var roots []int
	for i, a := range arts {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], a)
	}
	items := make([]Item, 0, len(roots))
	for _, r := range roots {
		g := groups[r]
		// The story is shown through its richest telling.
		slices.SortStableFunc(g, func(a, b *news.Article) int {
			if c := cmp.Compare(len(b.Quotes), len(a.Quotes)); c != 0 {
				return c
			}
			if c := cmp.Compare(bodyLen(b), bodyLen(a)); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		items = append(items, Item{Article: g[0], Also: g[1:]})
	}
	return items
}

func bodyLen(a *news.Article) int {
	n := 0
	for _, p := range a.Paragraphs {
		n += len(p)
	}
	return n
}

// titleWords is the set of a title's words, lower-cased.
func titleWords(title string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		out[w] = true
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// rank orders stories by recency and weight: the newest and most widely
// told lead. Recency is measured from the newest story in the window (capped
// at its end), falling by e every eighth of the window's spread of dates (a
// day at least): a daily digest ranks by the hour, a catch-up over years by
// the month, and an archive imported today sinks below the news. Weight
// grows with the sources telling a story; quotes only break ties (stories of
// the same day and reach), so interviews rich in quotes do not crowd out the
// news.
func rank(items []Item, end time.Time) []Item {
	newest := make([]time.Time, len(items))
	var ref, oldest time.Time
	for i, it := range items {
		for _, a := range append([]*news.Article{it.Article}, it.Also...) {
			if d := Date(a); d.After(newest[i]) {
				newest[i] = d
			}
		}
		if newest[i].After(end) {
			newest[i] = end
		}
		if newest[i].After(ref) {
			ref = newest[i]
		}
		if oldest.IsZero() || newest[i].Before(oldest) {
			oldest = newest[i]
		}
	}
	tau := max(ref.Sub(oldest)/8, 24*time.Hour)
	quotedBy := make([]int, len(items))
	for i := range items {
		it := &items[i]
		sources := map[string]bool{}
		quoted := len(it.Article.Quotes)
		for _, a := range append([]*news.Article{it.Article}, it.Also...) {
			k := strings.ToLower(strings.TrimSpace(a.Source))
			if k == "" {
				k = "#" + a.ID // no source: count the article as its own
			}
			sources[k] = true
			quoted = max(quoted, len(a.Quotes))
		}
		age := max(ref.Sub(newest[i]), 0)
		recency := math.Exp(-float64(age) / float64(tau))
		it.Score = recency + 0.5*math.Log(float64(len(sources)))
		quotedBy[i] = quoted
	}
	for i := range items {
		items[i].quoted = quotedBy[i]
	}
	slices.SortStableFunc(items, func(a, b Item) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.quoted, a.quoted); c != 0 {
			return c
		}
		if c := Date(b.Article).Compare(Date(a.Article)); c != 0 {
			return c
		}
		return strings.Compare(a.Article.ID, b.Article.ID)
	})
	return items
}

// notableQuote is the longest direct quote with a named speaker (a person or
// an organisation, never "Muslim" or "D.C.") in the story:
// direct words are what a reader wants to see, and a longer quote says more
// than a fragment.
func notableQuote(it Item) *quotes.Quote {
	var best *quotes.Quote
	bestLen := 0
	for _, a := range append([]*news.Article{it.Article}, it.Also...) {
		for i := range a.Quotes {
			q := &a.Quotes[i]
			if q.Kind != quotes.Direct || !named(q.Credited().Speaker) {
				continue
			}
			if n := utf8.RuneCountInString(q.Text); n > bestLen {
				best, bestLen = q, n
			}
		}
		if best != nil {
			// A quote from the article shown beats a longer one from
			// another telling: the card links to this one.
			break
		}
	}
	return best
}

// named: the speaker is a name, of a person or an organisation, not an
// initialism of a place ("D.C.") or nothing at all.
func named(speaker string) bool {
	for _, w := range strings.Fields(speaker) {
		letters := 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters >= 3 && !strings.Contains(w, ".") {
			return true
		}
	}
	return false
}
