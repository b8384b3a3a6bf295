package index

// Irregular English verb forms, mapped to their base form: the Porter stemmer
// leaves "won" and "win", "took" and "take" apart, and questions and articles
// often use different tenses.
var irregular = map[string]string{
	"won": "win", "took": "take", "taken": "take", "began": "begin", "begun": "begin", "made": "make",
	"said": "say", "told": "tell", "led": "lead", "ran": "run", "flew": "fly", "flown": "fly",
	"fell": "fall", "fallen": "fall", "held": "hold", "left": "leave", "brought": "bring", "bought": "buy",
	"sent": "send", "gave": "give", "given": "give", "wrote": "write", "written": "write", "spoke": "speak",
	"spoken": "speak", "chose": "choose", "chosen": "choose", "shot": "shoot", "struck": "strike",
	"stole": "steal", "stolen": "steal", "rose": "rise", "risen": "rise", "drove": "drive", "driven": "drive",
	"broke": "break", "broken": "break", "built": "build", "caught": "catch", "fought": "fight", "sold": "sell",
	"thought": "think", "met": "meet", "kept": "keep", "lost": "lose", "paid": "pay", "found": "find",
	"got": "get", "gotten": "get", "went": "go", "gone": "go", "came": "come", "saw": "see", "seen": "see",
	"knew": "know", "known": "know", "grew": "grow", "grown": "grow", "threw": "throw", "thrown": "throw",
	"died": "die", "dead": "die", "death": "die", "deaths": "die", "killed": "kill", "hid": "hide",
	"hidden": "hide", "sank": "sink", "sunk": "sink", "swore": "swear", "sworn": "swear", "wore": "wear",
	"beat": "beat", "beaten": "beat", "bit": "bite", "bitten": "bite", "blew": "blow", "blown": "blow",
	"forbade": "forbid", "forbidden": "forbid", "froze": "freeze", "frozen": "freeze", "hung": "hang",
	"lay": "lie", "lain": "lie", "meant": "mean", "overtook": "overtake", "rode": "ride", "ridden": "ride",
	"rang": "ring", "rung": "ring", "shook": "shake", "shaken": "shake", "shut": "shut", "slid": "slide",
	"spent": "spend", "split": "split", "spread": "spread", "stood": "stand", "stuck": "stick",
	"swept": "sweep", "swam": "swim", "swum": "swim", "taught": "teach", "tore": "tear", "torn": "tear",
	"understood": "understand", "woke": "wake", "woken": "wake", "withdrew": "withdraw", "withdrawn": "withdraw",
}

// related groups words a question and an article use for the same thing. Each
// group is a set of equivalents for matching sentences; it is kept small and
// general: paraphrases of how questions are asked, not facts of any story.
var related = [][]string{
	{"illness", "disease", "ill", "condition", "cancer"},
	{"staff", "personnel", "employees", "workers"},
	{"pick", "select", "choose", "name", "appoint"},
	{"start", "begin", "launch", "found", "establish", "create"},
	{"kill", "die", "dead", "death", "fatal", "toll"},
	{"beat", "defeat", "win"},
	{"run", "manage", "operate", "lead", "coordinate", "oversee"},
	{"vote", "voted", "ballot"},
	{"old", "age", "aged"},
	{"trip", "journey", "flight", "crossing", "voyage"},
	{"company", "firm", "corporation", "business"},
	{"ship", "vessel", "boat"},
	{"town", "city", "village"},
	{"part", "district", "neighbourhood", "neighborhood", "area", "quarter", "region"},
	{"country", "nation", "state"},
	{"make", "create", "build"},
	{"sentence", "sentenced", "jail", "prison"},
	{"arrest", "detain", "custody", "suspect"},
	{"begin", "start", "open"},
	{"money", "dollars", "funding", "fund"},
	{"put", "invest", "spend"},
	{"fund", "invest"},
	{"war", "conflict", "fighting"},
	{"called", "named", "entitled", "titled"},
	{"tweet", "twitter", "post", "wrote"},
	{"discover", "find", "found", "uncover", "detect", "identify", "spot"},
}
