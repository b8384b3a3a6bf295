package quotes

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// want is the part of a Quote a table test checks; an empty Title or Cue is
// not checked.
type want struct {
	text, speaker, title, cue string
	kind                      Kind
}

func direct(text, speaker string) want { return want{text: text, speaker: speaker, kind: Direct} }

func indirect(text, speaker string) want { return want{text: text, speaker: speaker, kind: Indirect} }

func (w want) withTitle(t string) want { w.title = t; return w }

func (w want) withCue(c string) want { w.cue = c; return w }

func checkQuotes(t *testing.T, got []Quote, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Errorf("got %d quotes, want %d:", len(got), len(wants))
		for _, q := range got {
			t.Errorf("  %s %q by %q (%q, %q)", q.Kind, q.Text, q.Speaker, q.Title, q.Cue)
		}
		return
	}
	for i, w := range wants {
		q := got[i]
		if q.Text != w.text || q.Speaker != w.speaker || q.Kind != w.kind {
			t.Errorf("quote %d: got %s %q by %q, want %s %q by %q", i, q.Kind, q.Text, q.Speaker, w.kind, w.text, w.speaker)
		}
		if w.title != "" && q.Title != w.title {
			t.Errorf("quote %d: title %q, want %q", i, q.Title, w.title)
		}
		if w.cue != "" && q.Cue != w.cue {
			t.Errorf("quote %d: cue %q, want %q", i, q.Cue, w.cue)
		}
	}
}

func TestExtractPatterns(t *testing.T) {
	tests := []struct {
		name  string
		paras []string
		want  []want
	}{
		{
			name:  "speaker before, curly quotes",
			paras: []string{`Mayor Anna Kowalska said, “The bridge will reopen next week.”`},
			want:  []want{direct("The bridge will reopen next week.", "Anna Kowalska").withTitle("Mayor").withCue("said")},
		},
		{
			name:  "speaker after, straight quotes",
			paras: []string{`"We expect more rain tonight," Anna Kowalska said.`},
			want:  []want{direct("We expect more rain tonight,", "Anna Kowalska").withCue("said")},
		},
		{
			name:  "inverted: said X with title",
			paras: []string{`"The vaccine works," said Health Minister Jan Novak on Friday.`},
			want:  []want{direct("The vaccine works,", "Jan Novak").withTitle("Health Minister")},
		},
		{
			name:  "told reporters with colon",
			paras: []string{`Police chief Maria Gomez told reporters: "Two suspects have been arrested."`},
			want:  []want{direct("Two suspects have been arrested.", "Maria Gomez").withCue("told")},
		},
		{
			name: "split quote is two quotes of one speaker",
			paras: []string{
				`Engineer Tom Baker inspected the dam.`,
				`"The wall is sound," he said, "but the spillway needs work."`,
			},
			want: []want{
				direct("The wall is sound,", "Tom Baker"),
				direct("but the spillway needs work.", "Tom Baker"),
			},
		},
		{
			name:  "short part of a split quote is kept",
			paras: []string{`"Overall," Ryan Cloutier continued, "the presence of water improves the prospect of life."`},
			want: []want{
				direct("Overall,", "Ryan Cloutier").withCue("continued"),
				direct("the presence of water improves the prospect of life.", "Ryan Cloutier"),
			},
		},
		{
			name:  "continued quote keeps speaker and cue",
			paras: []string{`"This is probably the worst case," said Sheriff Bill Brown. "It happened at night."`},
			want: []want{
				direct("This is probably the worst case,", "Bill Brown").withCue("said"),
				direct("It happened at night.", "Bill Brown").withCue("said"),
			},
		},
		{
			name:  "multi-sentence quote",
			paras: []string{`Stoltenberg noted, "Allies are offering forces. Today we have 500,000 troops at high readiness."`},
			want:  []want{direct("Allies are offering forces. Today we have 500,000 troops at high readiness.", "Stoltenberg")},
		},
		{
			name:  "title kept apart from the name",
			paras: []string{`NATO Secretary General Jens Stoltenberg stated, "This will allow NATO leaders to launch this effort."`},
			want:  []want{direct("This will allow NATO leaders to launch this effort.", "Jens Stoltenberg").withTitle("NATO Secretary General").withCue("stated")},
		},
		{
			name:  "appositive title",
			paras: []string{`Jens Stoltenberg, NATO's Secretary General, said, "We will continue to support Ukraine."`},
			want:  []want{direct("We will continue to support Ukraine.", "Jens Stoltenberg").withTitle("NATO's Secretary General")},
		},
		{
			name:  "title before an appositive name",
			paras: []string{`The Vice President, Mike Pence, said on Friday the country is "in the midst of a crisis on our southern border."`},
			want:  []want{direct("in the midst of a crisis on our southern border.", "Mike Pence").withTitle("Vice President")},
		},
		{
			name: "surname resolved to the full name",
			paras: []string{
				`NATO Secretary General Jens Stoltenberg opened the meeting.`,
				`Stoltenberg emphasized, "These efforts do not make NATO a party to the conflict."`,
			},
			want: []want{direct("These efforts do not make NATO a party to the conflict.", "Jens Stoltenberg").withTitle("NATO Secretary General").withCue("emphasized")},
		},
		{
			name: "pronouns resolved to the last person named",
			paras: []string{
				`USCG Captain Monica Rochester told the press the search had found nothing.`,
				`"It is never an easy decision to suspend search efforts," she said.`,
				`Finance Minister Piotr Wrona disagreed. He added, "The figures are still under review."`,
			},
			want: []want{
				direct("It is never an easy decision to suspend search efforts,", "Monica Rochester"),
				direct("The figures are still under review.", "Piotr Wrona").withCue("added"),
			},
		},
		{
			name: "organisation named before, then the ministry and it",
			paras: []string{
				`The Emergency Situations Ministry stated all occupants were from Smolensk.`,
				`The ministry has, in a statement, called on drivers to "not forget that the lives of other people depend on you." It also urged people to "comply with the rules of the road."`,
			},
			want: []want{
				direct("not forget that the lives of other people depend on you.", "Emergency Situations Ministry").withCue("called"),
				direct("comply with the rules of the road.", "Emergency Situations Ministry").withCue("urged"),
			},
		},
		{
			name:  "unnamed spokesperson credited to the organisation",
			paras: []string{`A spokesperson for the Red Cross said: "Our teams reached the village this morning."`},
			want:  []want{direct("Our teams reached the village this morning.", "Red Cross").withTitle("spokesperson")},
		},
		{
			name:  "organisation as speaker of a statement",
			paras: []string{`Facebook released a statement which read, in part, "This judgment raises critical questions around freedom of expression."`},
			want:  []want{direct("This judgment raises critical questions around freedom of expression.", "Facebook").withCue("read")},
		},
		{
			name: "indirect quote after that",
			paras: []string{
				`NATO Secretary General Jens Stoltenberg spoke in Brussels.`,
				`He added that Allies are investing in key capabilities, with plans to acquire air defence systems.`,
			},
			want: []want{indirect("Allies are investing in key capabilities, with plans to acquire air defence systems", "Jens Stoltenberg").withCue("added")},
		},
		{
			name:  "indirect quote ends before the writer's aside",
			paras: []string{`The President insists that the budget include funding for the wall, which was one of his campaign promises.`},
			want:  []want{indirect("the budget include funding for the wall", "").withCue("insists")},
		},
		{
			name:  "indirect quote with a time between verb and that",
			paras: []string{`Prime minister Hubert Minnis said yesterday night that twenty people have been confirmed killed.`},
			want:  []want{indirect("twenty people have been confirmed killed", "Hubert Minnis")},
		},
		{
			name: "scare quotes, titles of works, nicknames and terms are not quotes",
			paras: []string{
				`Schiff called it "a non-starter". The plan was "null and void", critics said.`,
				`The film "The Lord of the Rings" was nicknamed "the greatest trilogy ever made" by fans.`,
				`The case "Eva Glawischnig-Piesczek vs. Facebook Ireland Limited" reached the court.`,
				`The program, called "Learning Together", teaches the so-called "gig economy".`,
			},
			want: nil,
		},
		{
			name:  "short quote with a clause is kept",
			paras: []string{`Health Minister Łukasz Szumowski said "We couldn’t win," and the city flag is at half-mast.`},
			want:  []want{direct("We couldn’t win,", "Łukasz Szumowski")},
		},
		{
			name:  "quote by a person the sentence is about",
			paras: []string{`Brazilian President Jair Bolsonaro opposed the statement: "The suggestion evokes a colonialist mentality."`},
			want:  []want{direct("The suggestion evokes a colonialist mentality.", "Jair Bolsonaro")},
		},
		{
			name: "new speaker with the same surname",
			paras: []string{
				`Usman Khan attacked people on the bridge.`,
				`"I am in awe of the people who ran towards danger" tweeted Mayor of London Sadiq Khan.`,
			},
			want: []want{direct("I am in awe of the people who ran towards danger", "Sadiq Khan").withTitle("Mayor of London")},
		},
		{
			name:  "party and state after a name are not the speaker",
			paras: []string{`Rep. Eleanor Holmes Norton, D-D.C., said the plan "would hurt every family in the city."`},
			want:  []want{direct("would hurt every family in the city.", "Eleanor Holmes Norton")},
		},
		{
			name:  "a capitalised common noun is a descriptor before an appositive name",
			paras: []string{`Since then, a Republican, Mark Amodei, has voiced support, telling the Nevada Independent: "I'm a big fan of oversight."`},
			want:  []want{direct("I'm a big fan of oversight.", "Mark Amodei")},
		},
		{
			name:  "a religion is no speaker",
			paras: []string{`Muslim leaders met on Friday. A Muslim, the cleric said, "We pray for peace in this town."`},
			want:  []want{direct("We pray for peace in this town.", "")},
		},
		{
			name:  "a place as the very subject of said speaks for its government",
			paras: []string{`In the capital, Ohio said "we will appeal the ruling at once" on Friday.`},
			want:  []want{direct("we will appeal the ruling at once", "Ohio")},
		},
		{
			name:  "a place before a subject is not the speaker",
			paras: []string{`In Ohio, officials said "we will appeal the ruling at once" on Friday.`},
			want:  []want{direct("we will appeal the ruling at once", "")},
		},
		{
			name: "a name after a preposition and a role is not the next pronoun",
			paras: []string{
				`Crown Prince Mohammad bin Salman accepted responsibility for the murder of journalist Jamal Khashoggi.`,
				`Speaking to PBS, he said, "It happened under my watch."`,
			},
			want: []want{direct("It happened under my watch.", "Mohammad bin Salman")},
		},
		{
			name: "a person only mentioned does not take she from a subject",
			paras: []string{
				`Emily Spanton, 39, who has waived her right to anonymity, met officers Antoine Quirin and Nicolas Redouane at a pub.`,
				`She told a guard, "they raped me".`,
			},
			want: []want{direct("they raped me", "Emily Spanton")},
		},
		{
			name:  "the verb of a relative clause aside is not the cue",
			paras: []string{`House Speaker John Bercow commented on the matter — which the BBC noted as unusual — "It is blindingly obvious what the purpose is."`},
			want:  []want{direct("It is blindingly obvious what the purpose is.", "John Bercow").withCue("commented")},
		},
		{
			name:  "the verb of a relative clause speaks when no other does",
			paras: []string{`She wrote the novel Obsession, which the New York Times called "the steamiest book ever written by an octogenarian."`},
			want:  []want{direct("the steamiest book ever written by an octogenarian.", "New York Times")},
		},
		{
			name: "an introductory phrase alone before a quote",
			paras: []string{
				`Lead actor Paul Lee talked about the series. During the premiere, "I felt like Cinderella at the ball, and it was great."`,
			},
			want: []want{direct("I felt like Cinderella at the ball, and it was great.", "Paul Lee")},
		},
		{
			name: "alternating speakers",
			paras: []string{
				`Clinton said the economy was rigged. "It is rigged for those at the top," she said.`,
				`Trump responded that she had been in office for thirty years. "She has done nothing," he said. "Nothing at all."`,
			},
			want: []want{
				direct("It is rigged for those at the top,", "Clinton"),
				indirect("she had been in office for thirty years", "Trump"),
				direct("She has done nothing,", "Trump"),
				direct("Nothing at all.", "Trump"),
			},
		},
		{
			name:  "indirect after a participle",
			paras: []string{`Mayor Anna Nowak spoke to state media, adding that rescuers ended their work yesterday.`},
			want:  []want{indirect("rescuers ended their work yesterday", "Anna Nowak").withCue("adding")},
		},
		{
			name:  "indirect without that after argued",
			paras: []string{`Mr. Sanders argued the system is rigged against working families.`},
			want:  []want{indirect("the system is rigged against working families", "Sanders").withCue("argued")},
		},
		{
			name:  "indirect without that after told and a listener",
			paras: []string{`Governor Jan Novak told reporters the bridge would reopen in May.`},
			want:  []want{indirect("the bridge would reopen in May", "Jan Novak").withCue("told")},
		},
		{
			name:  "said without that is not annotated",
			paras: []string{`Governor Jan Novak said the bridge would reopen in May.`},
			want:  nil,
		},
		{
			name:  "according to a named person",
			paras: []string{`According to Mayor Dee Margo, police were investigating a manifesto posted online.`},
			want:  []want{indirect("police were investigating a manifesto posted online", "Dee Margo").withCue("according to")},
		},
		{
			name:  "according to an agency is the writer's report",
			paras: []string{`According to the BBC, police were investigating a manifesto posted online.`},
			want:  nil,
		},
		{
			name: "campaign prose: descriptions, titles, spokespeople, alternating speakers",
			paras: []string{
				`DES MOINES, Iowa — Hillary Clinton and Donald J. Trump clashed over trade on Monday as both campaigned in the Midwest.`,
				`Clinton told a crowd in Des Moines that her rival's plans would cost jobs. "He has no idea what he is talking about," the former secretary of state said.`,
				`Trump, speaking hours later in Ohio, dismissed her criticism. "She has been there for thirty years and has done nothing," he said. "Nothing."`,
				`The Republican nominee also attacked Sen. Ted Cruz (R-Texas), who has not endorsed him. "Ted had his chance," Mr. Trump said.`,
				`Cruz's spokeswoman, Catherine Frazier, said the senator "will make his own decision when he is ready."`,
				`A Clinton campaign spokesman said "the contrast could not be clearer."`,
				`Her running mate, Sen. Tim Kaine of Virginia, echoed her. "This is a choice between two very different visions," the Virginia senator said.`,
			},
			want: []want{
				indirect("her rival's plans would cost jobs", "Hillary Clinton"),
				direct("He has no idea what he is talking about,", "Hillary Clinton"),
				direct("She has been there for thirty years and has done nothing,", "Donald J. Trump"),
				direct("Nothing.", "Donald J. Trump"),
				direct("Ted had his chance,", "Donald J. Trump"),
				direct("will make his own decision when he is ready.", "Catherine Frazier"),
				direct("the contrast could not be clearer.", "Clinton campaign").withTitle("spokesman"),
				direct("This is a choice between two very different visions,", "Tim Kaine"),
			},
		},
		{
			name: "indirect: a listener and adverbials before that, two speech acts",
			paras: []string{
				`Speaker Nancy Pelosi spoke on Tuesday. Pelosi argued the measure would hurt working families, and she warned that Democrats would fight it.`,
				`Trump told reporters at the White House that he was confident about the vote.`,
				`Ford said in a financial filing to the U.S. Securities and Exchange Commission that the investigation started last year.`,
				`Trump said that he did indicate to the Ukrainians that the aid was contingent on reforms but denied that he made any deal.`,
			},
			want: []want{
				indirect("the measure would hurt working families", "Nancy Pelosi").withCue("argued"),
				indirect("Democrats would fight it", "Nancy Pelosi").withCue("warned"),
				indirect("he was confident about the vote", "Trump").withCue("told"),
				indirect("the investigation started last year", "Ford"),
				indirect("he did indicate to the Ukrainians that the aid was contingent on reforms", "Trump"),
			},
		},
		{
			name: "a quote left open across paragraphs takes the next paragraph's speaker",
			paras: []string{
				`Trump spoke for an hour. "We are going to build a wall," he said.`,
				`Clinton, campaigning in Florida, had a different view.`,
				`"That is not a plan. That is a slogan.`,
				`"We need real answers," she said.`,
			},
			want: []want{
				direct("We are going to build a wall,", "Trump"),
				direct("That is not a plan. That is a slogan.", "Clinton"),
				direct("We need real answers,", "Clinton"),
			},
		},
		{
			name: "no pronoun of the wrong gender",
			paras: []string{
				`Mr. John Smith spoke first. "We will win," he said.`,
				`"We will not," she said.`,
			},
			want: []want{direct("We will win,", "John Smith"), direct("We will not,", "")},
		},
		{
			name:  "the subject of a clause reported without that",
			paras: []string{`Jones said Smith told her "we will leave the city tomorrow."`},
			want:  []want{direct("we will leave the city tomorrow.", "Smith").withCue("told")},
		},
		{
			name: "according to him",
			paras: []string{
				`Military spokesperson Yahya Sarea said the group had carried out the attack. According to him, it was accomplished with the help of "honourable people inside the kingdom".`,
			},
			want: []want{direct("honourable people inside the kingdom", "Yahya Sarea")},
		},
		{
			name:  "a plural noun for people is no name (WordNet)",
			paras: []string{`Environmentalists said the plan "will destroy the last wild river in the country."`},
			want:  []want{direct("will destroy the last wild river in the country.", "")},
		},
		{
			name: "the court is the one the article is about",
			paras: []string{
				`The Court of Session ruled on Wednesday. The Court of Session is the highest civil court in Scotland; only the Supreme Court of the United Kingdom is above it.`,
				`The court found the advice "was motivated by the improper purpose of stymying Parliament."`,
			},
			want: []want{direct("was motivated by the improper purpose of stymying Parliament.", "Court of Session")},
		},
		{
			name: "a city and its state before a title and a name",
			paras: []string{
				`Washington, D.C. Mayor Muriel Bowser said "the city is ready for the inauguration."`,
				`Portland, Ore., Mayor Ted Wheeler said "we will not let this happen again."`,
			},
			want: []want{
				direct("the city is ready for the inauguration.", "Muriel Bowser"),
				direct("we will not let this happen again.", "Ted Wheeler"),
			},
		},
		{
			name:  "a country's ministry's spokesman speaks for the ministry",
			paras: []string{`Iran's foreign ministry spokesman said "the sanctions are illegal and will fail."`},
			want:  []want{direct("the sanctions are illegal and will fail.", "Iran's foreign ministry").withTitle("spokesman")},
		},
		{
			name:  "a quote that is the reported clause is indirect and direct",
			paras: []string{`After the convention, Ian Campbell told Wikinews that "it can be tough to maintain focus with so many people streaming past."`},
			want: []want{
				direct("it can be tough to maintain focus with so many people streaming past.", "Ian Campbell"),
				indirect("it can be tough to maintain focus with so many people streaming past", "Ian Campbell"),
			},
		},
		{
			name:  "an aside between the verb and that",
			paras: []string{`The minister added, however, that the border would stay closed until June.`},
			want:  []want{indirect("the border would stay closed until June", "The minister")},
		},
		{
			name:  "a sentence-long quote after a comma ends the clause",
			paras: []string{`Asked about it, the company noted that it had switched to a new plastic, "which was more plant-based plastic for greater environmental concerns."`},
			want: []want{
				indirect("it had switched to a new plastic", "the company"),
				direct("which was more plant-based plastic for greater environmental concerns.", "the company"),
			},
		},
		{
			name:  "a new speaker after a comma ends the clause",
			paras: []string{`While she agreed that time off was rare for a freelancer, artist Leisha Riddell stressed the need for limits.`},
			want:  []want{indirect("time off was rare for a freelancer", "")},
		},
		{
			name: "attribution after several quote sentences",
			paras: []string{
				`Senator Anna Nowak spoke after Governor Jan Kowalski. "We will win." "We will build." "We will not give up," Kowalski said.`,
			},
			want: []want{
				direct("We will win.", "Jan Kowalski"),
				direct("We will build.", "Jan Kowalski"),
				direct("We will not give up,", "Jan Kowalski"),
			},
		},
		{
			name: "labels and fragments of the writer's sentence are not quotes",
			paras: []string{
				`"True justice takes time," she said, asking Cengiz to be "patient and resilient."`,
				`Since then, the territory has been governed under the "one country, two systems" model.`,
				`Qandeel Baloch, nicknamed the "Kim Kardashian of Pakistan," had many followers.`,
				`Then just 19 years old, Tipton looked at the role as a "chance to face my demons," having doubted herself.`,
			},
			want: []want{
				direct("True justice takes time,", ""),
				direct("chance to face my demons,", "Tipton"),
			},
		},
		{
			name: "a gendered description gives its person a gender",
			paras: []string{
				`Rep. Pat Lee met voters on Monday. "We will vote no," the congresswoman said.`,
				`"We will see," he said.`,
			},
			want: []want{direct("We will vote no,", "Pat Lee"), direct("We will see,", "")},
		},
		{
			name:  "a writer's aside after as ends the clause",
			paras: []string{`The petitioners argued that the true intent was to shut down debate, as the Court noted.`},
			want:  []want{indirect("the true intent was to shut down debate", "")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkQuotes(t, Extract(tc.paras), tc.want)
		})
	}
}

// TestExtractSeedArticle: the seed article has five direct quotes and one
// indirect quote, all by NATO's Secretary General.
func TestExtractSeedArticle(t *testing.T) {
	_, paras := seedParagraphs(t)
	got := Extract(paras)
	var nDirect, nIndirect int
	for _, q := range got {
		switch q.Kind {
		case Direct:
			nDirect++
		case Indirect:
			nIndirect++
		}
		if q.Speaker != "Jens Stoltenberg" || q.Title != "NATO Secretary General" {
			t.Errorf("%s quote %.40q: speaker %q, title %q", q.Kind, q.Text, q.Speaker, q.Title)
		}
	}
	if nDirect != 5 || nIndirect != 1 {
		t.Errorf("got %d direct and %d indirect quotes, want 5 and 1", nDirect, nIndirect)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Paragraph < got[i-1].Paragraph {
			t.Errorf("quotes out of document order at %d", i)
		}
	}
}

// TestExtractBadInput: malformed text yields fewer quotes, never a panic or
// a long wait.
func TestExtractBadInput(t *testing.T) {
	long := strings.Repeat(`The council met "to discuss the budget and the roads" and Smith said that it was fine `, 1200) // ~100 KB
	tests := []struct {
		name  string
		paras []string
	}{
		{"empty", nil},
		{"blank paragraphs", []string{"", "   ", "\n"}},
		{"lone quote mark", []string{`He said "this never ends`, `and "this" neither "`}},
		{"quote spanning paragraphs", []string{`"The first part of a long quote`, `goes on here," she said.`}},
		{"only quote marks", []string{strings.Repeat(`"`, 5000), strings.Repeat(`“”`, 3000)}},
		{"no punctuation", []string{strings.Repeat("word ", 20000)}},
		{"invalid UTF-8", []string{"\xff\xfe said \"caf\xe9 \xc3\x28 is open today\" Smith said \xed\xa0\x80."}},
		{"odd Unicode", []string{"Ｍｒ．Ｘ said “\u200b\u202e\U0001F600 hello there friends ”; \u0301\u0301 said she."}},
		{"long paragraph", []string{long}},
		{"many names", []string{strings.Repeat("Anna Bell Carter Dunn Evans said ", 5000)}},
		{"many that", []string{strings.Repeat("he said that ", 10000)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			got := Extract(tc.paras)
			// Generous: this catches hangs; TestExtractLinear checks growth.
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			checkInvariants(t, tc.paras, got)
		})
	}
}

// checkInvariants holds for any input: paragraphs in range and in order,
// known kinds, valid UTF-8, non-empty text.
func checkInvariants(t testing.TB, paras []string, got []Quote) {
	t.Helper()
	last := 0
	for _, q := range got {
		if q.Paragraph < last || q.Paragraph >= len(paras) {
			t.Fatalf("paragraph %d out of range or order", q.Paragraph)
		}
		last = q.Paragraph
		if q.Kind != Direct && q.Kind != Indirect {
			t.Fatalf("kind %q", q.Kind)
		}
		if q.Text == "" {
			t.Fatalf("empty quote text")
		}
		for _, s := range []string{q.Text, q.Speaker, q.Title, q.Cue} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		if q.Kind == Direct && utf8.ValidString(paras[q.Paragraph]) && !strings.Contains(paras[q.Paragraph], q.Text) {
			t.Fatalf("direct quote %q is not in its paragraph", q.Text)
		}
	}
}

// badInputs are texts built to make a careless extractor quadratic, each
// made of n repetitions of a unit.
var badInputs = []struct {
	name string
	make func(n int) []string
}{
	{"speech", func(n int) []string {
		return []string{strings.Repeat(`"We are ready," said Minister Anna Nowak. She added that the plan "will work for everyone in the city." `, n)}
	}},
	{"quote marks", func(n int) []string { return []string{strings.Repeat(`"`, 10*n)} }},
	{"curly and unbalanced", func(n int) []string { return []string{strings.Repeat(`“He said ‘no “ never” ’ and "`, n)} }},
	{"nested", func(n int) []string {
		return []string{strings.Repeat(`She said, "He told me 'they said "go" to us' today," and left. `, n)}
	}},
	{"transcript", func(n int) []string {
		out := make([]string, 0, 2*n)
		for range n {
			out = append(out, `Q: Did the senator say "yes" to the plan?`, `A: He told reporters that the plan "is dead," and the governor agreed that it was.`)
		}
		return out
	}},
	{"names without end", func(n int) []string {
		return []string{strings.Repeat(`Anna Nowak Jan Kowalski Maria Lind said that `, n)}
	}},
	{"one long sentence", func(n int) []string {
		return []string{strings.Repeat(`the minister, who said that the plan, which the mayor argued was sound, `, n) + `said "it works."`}
	}},
}

// TestExtractLinear counts the extractor's work steps, not time: four times
// the text must cost at most a little more than four times the steps. The
// largest size is over 1 MB for the repeated paragraphs.
func TestExtractLinear(t *testing.T) {
	for _, in := range badInputs {
		t.Run(in.name, func(t *testing.T) {
			n := 2000
			small := in.make(n)
			large := in.make(4 * n)
			s, l := extract(small), extract(large)
			checkInvariants(t, large, l.out)
			if s.steps == 0 || l.steps > 4*s.steps+s.steps/2 {
				t.Errorf("%d units took %d steps, %d units took %d: not linear", n, s.steps, 4*n, l.steps)
			}
		})
	}
}

// BenchmarkExtractBadInput times the bad inputs at one size; with
// TestExtractLinear's step counts it shows that time follows the steps.
func BenchmarkExtractBadInput(b *testing.B) {
	for _, in := range badInputs {
		paras := in.make(2000)
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				Extract(paras)
			}
		})
	}
}

// BenchmarkExtract extracts the quotes of the evaluation articles, one
// article per op, for the CPU and the allocations an article costs ingest.
func BenchmarkExtract(b *testing.B) {
	arts := loadDevArticles(b)
	bytes := 0
	for _, a := range arts {
		for _, p := range a.paras {
			bytes += len(p)
		}
	}
	b.SetBytes(int64(bytes / len(arts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Extract(arts[i%len(arts)].paras)
	}
}

func TestCredited(t *testing.T) {
	for _, tc := range []struct{ speaker, want string }{
		{"Anna Nowak", "Anna Nowak"},
		{"NATO", "NATO"},
		{"Muslim", ""},
		{"The mother", "The mother"},
		{"D.C.", ""},
		{"R-Ohio", ""},
		{"Russia", "Russia"},
		{"", ""},
	} {
		q := Quote{Text: "We are ready.", Speaker: tc.speaker, Title: "x", Kind: Direct}.Credited()
		if q.Speaker != tc.want || (tc.speaker != "" && tc.want == "" && q.Title != "") {
			t.Errorf("Credited(%q) = %q (title %q), want %q", tc.speaker, q.Speaker, q.Title, tc.want)
		}
	}
}

// TestPronounGender: the pronouns that can only refer back to a sentence's
// subject give its gender; the others say nothing.
func TestPronounGender(t *testing.T) {
	for _, tc := range []struct {
		sentence string
		want     gender
	}{
		{`Amodei voiced his support for the inquiry.`, male},
		{`Spanton, 39, who has waived her right to anonymity, met the officers.`, female},
		{`Spanton described herself as a tourist.`, female},
		{`Trump responded that she had been in office for years.`, unknownGender},
		{`Trump attacked her record on trade.`, unknownGender},
		{`Trump met Pence and his wife.`, unknownGender},
	} {
		toks := tokenize(tc.sentence, findSpans(tc.sentence, nil), nil)
		if got := pronounGender(toks, 1, len(toks)); got != tc.want {
			t.Errorf("%q: gender %d, want %d", tc.sentence, got, tc.want)
		}
	}
}
