package quotes

import ent "github.com/newsbot/newsbot/internal/entity"

// nameClass asks the entity tagger what the name run toks[a:b] names, with
// the words around it and what the article said of it before. A name with a
// title ("Sen. Ted Cruz") is a person without asking.
func (x *extractor) nameClass(toks []token, m mention, a, b int) ent.Class {
	switch {
	case m.kind == entPerson && m.title != "":
		return ent.Person
	case m.name == "":
		return ent.Other
	}
	x.steps++
	var ctx ent.Context
	if a > 0 && toks[a-1].kind == tkWord {
		// The word in lower case, which is all the tagger reads of it: it
		// need not lower it again.
		ctx.Before = toks[a-1].lower
	}
	if b < len(toks) && toks[b].kind == tkWord {
		ctx.After = toks[b].lower
	}
	return x.mem.Classify(m.name, ctx)
}

// speakable: the entity can be credited with words. It is asked of the
// tagger once, the first time the entity would speak or stand for a
// pronoun, not when it is named: most names never do either.
func (x *extractor) speakable(e *entity) bool {
	if e == nil {
		return false
	}
	if e.class == ent.Unknown {
		switch {
		case e.name == "":
			e.class = ent.Person // "the father": described, not named
		case e.kind == entPerson && e.title != "":
			e.class = ent.Person
		default:
			e.class = x.mem.Classify(e.name, ent.Context{})
			x.mem.Learn(e.name, e.class)
		}
	}
	return e.class.CanSpeak()
}

// speakerName: a mention that names something that can speak. A common
// word ("Muslim") or a state tag ("D.C.") is no speaker, whatever its
// position; a place speaks only as the very subject of a reporting verb
// ("Russia said", "said 10 Downing Street"), for its government.
func (x *extractor) speakerName(toks []token, m mention) bool {
	if m.kind != entPerson && m.kind != entOrg {
		return true
	}
	switch x.nameClass(toks, m, m.a, m.b) {
	case ent.Person, ent.Organization:
		return true
	case ent.Place:
		return placeSpeaks(toks, m.a, m.b) && !ent.IsStateTag(m.name)
	}
	return false
}

// placeSpeaks: the place name toks[a:b] is right before a reporting verb
// (auxiliaries aside) or right after one.
func placeSpeaks(toks []token, a, b int) bool {
	j := b
	for j < len(toks) && j-b < maxAux && toks[j].kind == tkWord && auxWords[toks[j].lower] {
		j++
	}
	return (j < len(toks) && isVerbAt(toks, j)) || (a > 0 && isVerbAt(toks, a-1))
}
