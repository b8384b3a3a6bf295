package commands

import (
	"context"
	"errors"

	"github.com/newsbot/newsbot/index"
	"github.com/newsbot/newsbot/internal/markdown"
	"github.com/newsbot/newsbot/news"
)

// AskArgs is an /ask or `newsbot ask` request.
type AskArgs struct {
	Question string
	Guild    string
}

// AskJSON is the --json shape of an answer: a contract.
type AskJSON struct {
	Question  string       `json:"question"`
	Abstained bool         `json:"abstained"`
	Answers   []AnswerJSON `json:"answers"`
	// Related are articles on the question's topic, given when newsbot
	// abstains: where to read on.
	Related []ArticleJSON `json:"related,omitempty"`
}

// AnswerJSON is one answer of AskJSON. Text is verbatim from the article.
type AnswerJSON struct {
	Text         string      `json:"text"`
	Article      ArticleJSON `json:"article"`
	Score        float64     `json:"score"`
	Speaker      string      `json:"speaker,omitempty"`
	SpeakerTitle string      `json:"speaker_title,omitempty"`
}

// boldMarkdown escapes text for Discord and bolds its spans (byte ranges, in
// order and apart): the words of an answer that match the question.
func boldMarkdown(text string, bold []news.Span) string {
	spans := make([][2]int, len(bold))
	for i, sp := range bold {
		spans[i] = [2]int{sp.Start, sp.End}
	}
	return markdown.BoldSpans(text, spans)
}

// NoAnswer is what newsbot says when the index does not know.
const NoAnswer = "I don't know: none of the articles I have answers that."

// MayHelp introduces the related articles of an abstention.
const MayHelp = "Articles that may help:"

// Ask answers a question from the articles, citing each answer, or says it does
// not know.
func (s *Service) Ask(ctx context.Context, a AskArgs) (*Reply, error) {
	q, note := CutQuery(a.Question)
	res, err := s.Lib.Index.Ask(ctx, q, index.Scope{Guild: a.Guild})
	if errors.Is(err, index.ErrEmptyQuery) {
		return nil, userErr("Ask a question in words.")
	}
	if err != nil {
		return nil, err
	}
	data := AskJSON{Question: q, Abstained: res.Abstained, Answers: []AnswerJSON{}}
	r := &Reply{Data: &data}
	for _, ans := range res.Answers {
		data.Answers = append(data.Answers, AnswerJSON{
			Text: ans.Text, Article: NewArticleJSON(ans.Article), Score: ans.Score,
			Speaker: ans.Speaker, SpeakerTitle: ans.SpeakerTitle,
		})
		r.Cards = append(r.Cards, Card{
			Title: ans.Article.Title, URL: ans.Article.URL, Body: boldMarkdown(ans.Text, ans.Bold),
			Speaker: ans.Speaker, SpeakerTitle: ans.SpeakerTitle,
			Source: ans.Article.Source, Published: ans.Article.Published, ArticleID: ans.Article.ID,
		})
	}
	if res.Abstained {
		r.Text = NoAnswer
		if len(res.Related) > 0 {
			r.Text += "\n" + MayHelp
		}
		for _, a := range res.Related {
			data.Related = append(data.Related, NewArticleJSON(a))
			r.Cards = append(r.Cards, Card{
				Title: a.Title, URL: a.URL, Body: s.Lib.Index.Lead(a),
				Source: a.Source, Published: a.Published, ArticleID: a.ID,
			})
		}
	}
	if note != "" {
		r.Text = note + "\n" + r.Text
	}
	return r, nil
}
