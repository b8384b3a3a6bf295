// Package quotes finds direct and indirect quotes in an article's paragraphs and
// attributes each to its speaker.
package quotes

import ent "github.com/newsbot/newsbot/internal/entity"

// Kind tells a direct quote (the speaker's words in quote marks) from an
// indirect one (reported speech: "X said that ...").
type Kind string

const (
	Direct   Kind = "direct"
	Indirect Kind = "indirect"
)

// Credited returns q with its speaker only if the speaker is someone who can
// speak (a person or an organisation, by package entity): a quote stored by
// an older extractor with a place or a common word as speaker ("Muslim")
// shows as unattributed.
func (q Quote) Credited() Quote {
	if q.Speaker != "" && !ent.CanSpeak(q.Speaker) {
		q.Speaker, q.Title = "", ""
	}
	return q
}

// Quote is one attributed quote of an article.
type Quote struct {
	// Text is the quoted words without the surrounding quote marks (direct),
	// or the reported clause after "that" (indirect).
	Text string `json:"text"`
	// Speaker is the full name as first given in the article, or an
	// organisation's name; empty when the speaker is unknown.
	Speaker string `json:"speaker"`
	// Title is the speaker's role as the article gives it ("NATO Secretary General").
	Title string `json:"title,omitempty"`
	Kind  Kind   `json:"kind"`
	// Cue is the reporting verb as written ("stated", "told").
	Cue string `json:"cue"`
	// Paragraph is the index of the paragraph the quote starts in.
	Paragraph int `json:"paragraph"`
}
