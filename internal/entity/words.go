package entity

import "strings"

// WordSet turns space-separated word lists into a set, so that adding a word
// to a list is a one-word edit.
func WordSet(lists ...string) map[string]bool {
	m := make(map[string]bool)
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}

// titles come before a person's name ("Secretary General Jens Stoltenberg",
// "Sen. Ted Cruz"), matched in lower case.
var titles = WordSet(`
president vice prime minister secretary general director sheriff captain mayor
judge justice dr. dr doctor professor prof. prof senator sen. congressman congresswoman
representative rep. governor gov. chancellor chief executive officer commissioner
ambassador speaker leader whip chairman chairwoman chair chairperson
spokesperson spokesman spokeswoman pope king queen prince princess sir dame lord lady
mr. mrs. ms. mr mrs ms miss rev. reverend bishop archbishop cardinal sergeant sgt.
lieutenant lt. colonel col. major commander admiral inspector detective constable
superintendent coach ceo cfo founder premier deputy acting interim attorney
councillor councilor councilman councilwoman secretary-general president-elect
emir sheikh ayatollah imam rabbi pastor treasurer mp mep assemblyman assemblywoman
envoy marshal capt. cmdr. adm. maj. gen. cpl. pvt. trooper ranger dean provost rector
magistrate prosecutor coroner ombudsman administrator warden astronaut broadcaster member
sultan emperor empress duke duchess earl baron baroness count countess tsar czar shah
`)

// orgHeads end the name of an organisation ("Amnesty International", "the
// Coast Guard", "Fox News").
var orgHeads = WordSet(`
university institute institution ministry department agency organization organisation
council committee commission association foundation corporation company group party
court bank fund service services office center centre force forces police union
authority authorities board international inc. inc ltd ltd. llc plc times news post
network society college school hospital church army navy guard administration government
parliament assembly congress senate bureau federation league club alliance coalition
front movement museum laboratory observatory press media radio television broadcasting
journal magazine herald tribune telegraph gazette daily airlines airways motors holdings
industries systems technologies reserve exchange nations program programme project
initiative summit conference station command directorate secretariat cabinet tribunal
entertainment studios studio pictures records labs games software energy pharmaceuticals
foods capital partners ventures solutions consulting communications telecom electric
electronics brands stores campaign caucus
`)

// placeHeads end the name of a place ("Santa Cruz Island", "Carmel Valley").
var placeHeads = WordSet(`
island islands river lake mountain mountains county city state states province region
district street road bridge square park airport bay sea ocean coast valley republic
kingdom empire village town avenue boulevard peninsula desert forest beach harbour harbor
`)

// TitleWords returns a new set of the words IsTitle accepts as they are, for
// a caller that folds them into tables of its own. IsTitle also accepts
// hyphenated forms made of them ("ex-president"), which the set does not list.
func TitleWords() map[string]bool {
	m := make(map[string]bool, len(titles))
	for w := range titles {
		m[w] = true
	}
	return m
}

// NameHeads returns a new set of the words that end the name of an
// organisation or a place, which are never a person's name.
func NameHeads() map[string]bool {
	m := make(map[string]bool, len(orgHeads)+len(placeHeads))
	for w := range orgHeads {
		m[w] = true
	}
	for w := range placeHeads {
		m[w] = true
	}
	return m
}

// placeBefore are prepositions after which a name is most often a place.
var placeBefore = WordSet(`in at from near into across throughout outside inside toward towards`)

// stateAbbrev are the AP-style abbreviations of US states that follow a
// city or a politician's party ("Washington, D.C.", "(R-Calif.)").
var stateAbbrev = WordSet(`
d.c. dc ala. ariz. ark. calif. colo. conn. del. fla. ga. ill. ind. kan. ky. la. md. mass.
mich. minn. miss. mo. mont. neb. nev. n.h. n.j. n.m. n.y. n.c. n.d. okla. ore. pa. r.i.
s.c. s.d. tenn. vt. va. wash. w.va. wis. wyo. u.s. u.k. u.s.a. us uk usa
`)

// reportingVerbs after a name make it their subject.
var reportingVerbs = WordSet(`said says told tells stated added noted wrote tweeted argued warned
claimed insisted announced explained replied responded asked urged declared confirmed denied
reported countered acknowledged admitted`)
