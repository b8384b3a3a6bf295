package entity

import "strings"

// Memory is what one article has said so far about its names: "Donald
// Trump" is a person, so a later "Trump" at the start of a sentence is him,
// not a card game. Use one Memory per article; the zero value is ready.
type Memory struct {
	classes map[string]Class
	// asked memoises Classify: an article names the same few people again
	// and again, in contexts that differ only in what Classify ignores.
	asked map[askKey]Class
}

// askKey is a name and the part of its context that Classify reads.
type askKey struct {
	name                        string
	title, place, speaks, based bool
}

// Learn records that name (as written, without titles) is of class c. A
// person's surname is learnt with it.
func (m *Memory) Learn(name string, c Class) {
	if c == Unknown || name == "" {
		return
	}
	if m.classes == nil {
		m.classes = map[string]Class{}
	}
	key := strings.ToLower(name)
	if _, ok := m.classes[key]; !ok {
		m.classes[key] = c
	}
	if c == Person {
		if f := strings.Fields(key); len(f) > 1 {
			if _, ok := m.classes[f[len(f)-1]]; !ok {
				m.classes[f[len(f)-1]] = Person
			}
		}
	}
}

// Recall returns what the article said name is, or Unknown.
func (m *Memory) Recall(name string) Class {
	if m == nil || m.classes == nil {
		return Unknown
	}
	var buf [64]byte
	if key, ok := appendLowerASCII(buf[:0], name); ok {
		return m.classes[string(key)] // a lookup by string(bytes) makes no string
	}
	return m.classes[strings.ToLower(name)]
}

// appendLowerASCII appends s in lower case to b, and reports whether s was
// ASCII; for other text it appends nothing, as only strings.ToLower knows
// how to lower it.
func appendLowerASCII(b []byte, s string) ([]byte, bool) {
	n := len(b)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return b[:n], false
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b, true
}

// Classify is the package's Classify with the memory's knowledge of name.
func (m *Memory) Classify(name string, ctx Context) Class {
	if ctx.Known == Unknown {
		ctx.Known = m.Recall(name)
	}
	if ctx.Known != Unknown {
		return ctx.Known
	}
	before := lower(ctx.Before)
	key := askKey{name: name, title: IsTitle(before), place: placeBefore[before], speaks: speaks(ctx), based: strings.HasPrefix(ctx.After, "-based")}
	if c, ok := m.asked[key]; ok {
		return c
	}
	c := Classify(name, ctx)
	if m.asked == nil {
		m.asked = map[askKey]Class{}
	}
	m.asked[key] = c
	return c
}
