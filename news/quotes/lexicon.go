package quotes

import ent "github.com/newsbot/newsbot/internal/entity"

// The word lists below are the package's only "knowledge". They are kept as
// space-separated strings so that adding a word is a one-word edit, and are
// turned into sets once at start-up.

func wordSet(lists ...string) map[string]bool { return ent.WordSet(lists...) }

// speechVerbs are the reporting verbs that attach a speaker to a quote. Nouns
// that share a form with a verb ("claims", "comments") are told apart by the
// word before them (see isVerbAt).
var speechVerbs = wordSet(`
said say says saying stated stating told tell tells telling
added add adds adding noted noting
emphasized emphasised emphasize emphasise emphasizes emphasises emphasizing emphasising
stressed stresses stressing reiterated reiterate reiterates reiterating
warned warn warns warning wrote write writes writing tweeted tweets tweeting
posted explained explain explains explaining claimed claims claiming
announced announce announces announcing asked ask asks asking insisted insist insists insisting
declared declare declares declaring continued continues argued argue argues arguing
replied replies replying responded responds commented commenting
described describes describing remarked remarking urged urges urging
observed observes observing acknowledged acknowledges admitted admits
confirmed confirms concluded concludes recalled recalls suggested suggests predicted predicts
promised promises vowed vows cited cites underlined underlines reaffirmed reaffirms
asserted asserts alleged alleges maintained maintains complained complains lamented laments
joked jokes quipped mused wondered exclaimed proclaimed pleaded begged boasted
testified countered retorted speaking spoke read reads called calling reported reports
questioned disagreed agreed according talked informed pointed
`)

// thatVerbs may introduce reported speech with an explicit "that".
var thatVerbs = wordSet(`
said say says told tell tells stated noted notes explained explains
claimed claim claims announced announce announces reaffirmed reaffirms underlined underlines
insists insisted insist declared declares reported reports added add adds
warned warns argued argues confirmed confirms acknowledged acknowledges admitted admits
stressed stresses emphasized emphasised emphasizes emphasises suggested suggests
wrote writes tweeted posted revealed reveals disclosed agreed predicted promised vowed
asserted asserts alleged alleges maintained maintains indicated indicates mentioned
informed assured reiterated reiterates concluded replied responded recalled testified
conceded concedes hinted
adding saying noting warning claiming insisting arguing stating explaining telling stressing
suggesting acknowledging admitting announcing confirming maintaining asserting alleging
`)

// bareClauseVerbs take a reported clause without "that" often enough, and
// rarely anything else, to be read that way ("Sanders argued the system is
// rigged"); "said" is left out, as the guidelines ask for "that" there.
var bareClauseVerbs = wordSet(`argued argues claimed claims insisted insists warned warns contended
contends maintained maintains asserted asserts told tells`)

// finiteWords mark a finite verb near the start of a clause.
var finiteWords = wordSet(`is are was were will would could should can may might must has have had
did does do am isn't aren't wasn't weren't won't wouldn't couldn't shouldn't can't hasn't haven't
hadn't didn't doesn't don't needs wants plans`)

// subjectWords can open a reported clause.
var subjectWords = wordSet(`he she it they we i you there this that these those his her its their
our my the a an some many most no`)

// tellVerbs take a listener before "that" ("told reporters that").
var tellVerbs = wordSet(`told tell tells informed assured warned reminded`)

// irregularPast are common past-tense verbs without -ed, which end a name
// phrase like any verb ("Biden won the election and said").
var irregularPast = wordSet(`won met sent took left made gave went came saw got put ran held led brought
thought felt kept began fell found paid lost built wrote spoke told said heard knew became stood hit cut
set let read quit sat struck caught taught sold bought fought drew chose rose drove flew grew threw shot
hid woke wore tore broke spent lent meant dealt slept shut is was are were has had have will would can
could may might must shall should does did do`)

// nounDeterminers before a verb-shaped word make it a noun ("his comments").
var nounDeterminers = wordSet(`the a an his her its their our my your this these those such whose some many several most few numerous multiple other earlier recent initial media news press`)

// orgWords end or mark the names of organisations and places, so a name run
// ending in one is not a person ("Amnesty International", "Santa Cruz Island").
var orgWords = ent.NameHeads()

// roleNouns are lower-case nouns naming a person by role; before a name they
// are part of the title ("tour manager Thomas Gray"), alone they describe an
// unnamed speaker ("a protester").
var roleNouns = wordSet(`
astronomer scientist researcher protester activist analyst expert economist historian
archaeologist lawyer attorney witness eyewitness resident official officer worker
student teacher doctor nurse author co-author writer journalist reporter correspondent
editor broadcaster commentator manager chef owner founder executive engineer pilot
driver passenger survivor victim father mother son daughter brother sister wife husband
parent neighbour neighbor friend colleague fan player coach captain member lawmaker
legislator politician candidate adviser advisor consultant contributor columnist
blogger professor lecturer physicist biologist chemist epidemiologist virologist
physician surgeon psychologist criminologist sociologist spokesperson spokesman
spokeswoman representative diplomat envoy negotiator prosecutor judge magistrate
detective investigator inspector firefighter paramedic soldier commander general
colonel leader chairman president minister mayor governor senator director chief head
secretary ambassador organiser organizer campaigner volunteer farmer miner tourist
traveller visitor shopkeeper ceo boss employee operator dispatcher controller guard
priest vicar pastor bishop imam rabbi monk nun scholar academic curator sheriff
astronaut premier chancellor deputy supporter opponent critic source insider
person man woman boy girl child teenager artist actor actress singer musician
comedian filmmaker producer poet novelist painter photographer designer architect
entrepreneur businessman businesswoman investor banker trader athlete footballer
cricketer swimmer runner cyclist boxer golfer striker goalkeeper meteorologist
forecaster geologist seismologist volcanologist astrophysicist climatologist
oceanographer ecologist zoologist botanist paleontologist neuroscientist
mathematician technician mechanic pharmacist dentist veterinarian psychiatrist
therapist counsellor counselor barrister solicitor aide staffer assistant clerk
campaigner commissioner spokesman chairwoman chairperson historian anthropologist
archbishop cardinal pope king queen prince princess constable superintendent admiral
lieutenant sergeant marshal coroner ombudsman administrator warden dean provost rector
treasurer emir sheikh reverend councillor councilor congressman congresswoman
assemblyman assemblywoman mp mep whip democrat republican
`)

// orgNouns are lower-case heads that stand for an organisation ("the ministry
// said"); they are resolved to the organisation named earlier.
var orgNouns = wordSet(`
ministry government company department agency court police army military council
committee commission organisation organization university hospital office group
party union firm bank board authority authorities coalition alliance foundation
institute club team campaign embassy regulator prosecutors prosecution
`)

// statementNouns stand for the text an organisation or person issued ("read
// the statement"); the speaker is whoever issued it.
var statementNouns = wordSet(`statement release post tweet letter report announcement communique message notice
decree ruling judgment judgement verdict opinion filing summary memo email order`)

// spokesNouns credit an unnamed speaker to their organisation.
var spokesNouns = wordSet(`spokesperson spokesman spokeswoman representative`)

// stopCaps are capitalised words that never start or form a name: function
// words at the start of a sentence, days, months.
var stopCaps = wordSet(`
the a an in on at by for from to with of and but or if when while as after before
since until during although though however meanwhile moreover furthermore also
according this that these those it its he she they we i you his her their our my
your one some many most several another other both each all any no not there here
then now today yesterday tomorrow tonight last next earlier later reportedly
specifically overall instead still yet even just only despite following under over
per via why what who how where which thus so such more less few nor because
monday tuesday wednesday thursday friday saturday sunday
january february march april june july august september october november december
afterwards afterward subsequently additionally similarly likewise nevertheless nonetheless
consequently therefore hence indeed notably separately elsewhere finally amongst among
amid amidst upon within throughout beyond towards toward across along around behind below
beneath beside between inside outside near unlike versus
initially ultimately currently previously recently meanwhile otherwise besides yes
asked saying had has have was were is are well maybe perhaps anyone anybody someone somebody
everyone everybody nobody regarding whereas let please thank thanks oh okay ok hello sorry
sure hi hey whatever whoever unfortunately fortunately hopefully again once twice can could will
would should must may might do does did why what where when
`)

// determiners open a descriptor ("the father", "a protester", "one of them").
var determiners = wordSet(`the a an this that these those one another some several many most two three four five all both each few none`)

// pronouns that can stand for a speaker.
var pronouns = wordSet(`he she they it`)

// particles join the parts of a personal name ("Institut National de Recherche").
var particles = wordSet(`de da del della der den van von bin ibn al la le du dos das di y`)

// abbreviations keep their period, which therefore never ends a sentence.
var abbreviations = wordSet(`
mr mrs ms dr prof st jr sr gen gov sen rep lt col capt sgt cpl maj adm cmdr insp supt
det rev fr hon vs etc inc ltd co corp mt ft jan feb mar apr aug sep sept oct nov dec
est approx dept univ
`)

// adverbialStarts open a sentence-initial phrase that is not the subject
// ("On Friday, ...", "In a statement, ...").
var adverbialStarts = wordSet(`
in on at after before during since following according despite under with without
as while when however meanwhile reportedly yesterday today earlier later last
specifically overall also speaking commenting but and so then still instead by
for from although though if once upon unlike like
`)

// prepositions end a name phrase when scanning forward from a verb.
var prepositions = wordSet(`on in at to via during after before when while as because through from by with about over since into`)

// namingWords before a quote mark a name or title, not speech ("dubbed").
var namingWords = wordSet(`titled entitled dubbed nicknamed named so-called headlined hashtag slogan motto`)

// clauseWords mark a short quote as a clause rather than a scare-quoted term.
var clauseWords = wordSet(`
i we you he she they it i'm we're you're he's she's it's they're that's there's
i've we've you've they've i'll we'll you'll he'll she'll they'll i'd we'd
is are was were am will can would could should shall must may might do does did
has have had
`)

// clauseCuts end an indirect quote's clause when they follow a comma: what comes
// after belongs to the writer.
var clauseCuts = wordSet(`which but while whereas although though according saying`)
