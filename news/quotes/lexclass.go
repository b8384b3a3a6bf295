package quotes

import (
	"strings"

	ent "github.com/newsbot/newsbot/internal/entity"
)

// A token's word lists are looked up once, when it is made: the scans ask
// the same token "is it a reporting verb? an auxiliary? a role noun?" many
// times over, and a bit test is far cheaper than hashing the word again for
// each list.

// lexClass is the set of word lists a token's lower-case form is in.
type lexClass uint64

const (
	lxSpeech lexClass = 1 << iota
	lxThat
	lxBareClause
	lxFinite
	lxSubject
	lxTell
	lxIrregularPast
	lxNounDet
	lxOrgWord
	lxRole
	lxOrgNoun
	lxStatement
	lxSpokes
	lxStopCap
	lxDeterminer
	lxPronoun
	lxParticle
	lxAdverbialStart
	lxPreposition
	lxNaming
	lxClauseCut
	lxAux
	lxTime
	lxAdverbialAfterVerb
	lxToListener
	lxNounContext
	lxPostnominal
	lxSurnameTitle
	lxSurnameLike
	lxRegnal
	lxTitle // isTitleWord

	// The lists of the word's singular form (see singular).
	lxRoleSing
	lxOrgNounSing
	lxStatementSing
	lxSpokesSing
)

// lexLists are the word lists behind the classes.
var lexLists = []struct {
	set map[string]bool
	c   lexClass
}{
	{speechVerbs, lxSpeech}, {thatVerbs, lxThat}, {bareClauseVerbs, lxBareClause},
	{finiteWords, lxFinite}, {subjectWords, lxSubject}, {tellVerbs, lxTell},
	{irregularPast, lxIrregularPast}, {nounDeterminers, lxNounDet}, {orgWords, lxOrgWord},
	{roleNouns, lxRole}, {orgNouns, lxOrgNoun}, {statementNouns, lxStatement},
	{spokesNouns, lxSpokes}, {stopCaps, lxStopCap}, {determiners, lxDeterminer},
	{pronouns, lxPronoun}, {particles, lxParticle}, {adverbialStarts, lxAdverbialStart},
	{prepositions, lxPreposition}, {namingWords, lxNaming}, {clauseCuts, lxClauseCut},
	{auxWords, lxAux}, {timeWords, lxTime}, {adverbialAfterVerb, lxAdverbialAfterVerb},
	{toListenerVerbs, lxToListener}, {nounContext, lxNounContext}, {postnominals, lxPostnominal},
	{surnameTitles, lxSurnameTitle}, {surnameLike, lxSurnameLike}, {regnal, lxRegnal},
	{ent.TitleWords(), lxTitle},
}

// wordClasses holds every word of the lists with its classes, built once
// from the lists themselves so that they stay the one place to edit.
var wordClasses = func() map[string]lexClass {
	m := map[string]lexClass{}
	for _, l := range lexLists {
		for w, ok := range l.set {
			if ok {
				m[w] |= l.c
			}
		}
	}
	return m
}()

// classOf is the classes of a lower-case word.
func classOf(lower string) lexClass {
	c := wordClasses[lower]
	if c&lxTitle == 0 && strings.IndexByte(lower, '-') >= 0 && isTitleWord(lower) {
		// "ex-president", "vice-president": only IsTitle reads these.
		c |= lxTitle
	}
	s := singular(lower)
	sc := c
	if s != lower {
		sc = wordClasses[s]
	}
	if sc&lxRole != 0 {
		c |= lxRoleSing
	}
	if sc&lxOrgNoun != 0 {
		c |= lxOrgNounSing
	}
	if sc&lxStatement != 0 {
		c |= lxStatementSing
	}
	if sc&lxSpokes != 0 {
		c |= lxSpokesSing
	}
	return c
}

// in reports whether the token's word is in any of the lists of c.
func (t token) in(c lexClass) bool { return t.lex&c != 0 }
