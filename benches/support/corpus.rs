//! The benchmark corpus: a seeded generator (xorshift64*, no `rand`) of news briefs in the
//! repository's three layouts (heading lines, Axios lead-ins, markdown headings), 1.5–2.5 KB
//! each, so that every run and machine sees the same text. Shared by `benches/core.rs` (in
//! memory) and `benches/process.rs` (written to the running bot's folder); the corpus is
//! described in docs/BENCHMARKS.md (Core section).

#![allow(dead_code)]

use std::path::PathBuf;

/// Seed of the corpus.
pub const SEED: u64 = 0x0b71_ef0b_07c0_ffee;

/// xorshift64* (Vigna): tiny, fast, good enough to vary text.
pub struct Rng(pub u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // SplitMix64 step so that neighbouring seeds give unrelated streams; never zero.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// One news beat: its topics and the words its briefs are made of.
pub struct Domain {
    pub topic: &'static str,
    pub subtopics: &'static [&'static str],
    pub things: &'static [&'static str],
    pub bodies: &'static [&'static str],
    pub actors: &'static [&'static str],
    pub units: &'static [&'static str],
}

#[rustfmt::skip]
pub const DOMAINS: &[Domain] = &[
    Domain {
        topic: "energy",
        subtopics: &["grid storage", "utilities", "solar power", "wind power", "power prices",
            "transmission"],
        things: &["battery storage", "transmission line", "gas plant", "solar farm",
            "offshore wind project", "heat pump program", "grid upgrade",
            "power purchase contract", "rooftop solar scheme", "nuclear plant"],
        bodies: &["Grid Authority", "Utility Commission", "Energy Ministry", "Power Cooperative",
            "Transmission Board"],
        actors: &["developers", "ratepayers", "utilities", "industrial users", "grid operators"],
        units: &["megawatts", "gigawatt-hours", "households"],
    },
    Domain {
        topic: "transit",
        subtopics: &["public transport", "rail", "buses", "commuting", "urban planning",
            "infrastructure"],
        things: &["metro line", "tram extension", "bus rapid transit corridor",
            "commuter rail link", "station upgrade", "fare cap", "ferry service", "cycle network",
            "signal system", "depot expansion"],
        bodies: &["Transit Authority", "City Council", "Transport Department", "Rail Corporation",
            "Metro Board"],
        actors: &["commuters", "riders", "contractors", "bus drivers", "local businesses"],
        units: &["kilometers of track", "daily riders", "stations"],
    },
    Domain {
        topic: "health",
        subtopics: &["public health", "vaccines", "hospitals", "flu season", "health insurance",
            "pharmacies"],
        things: &["flu vaccine rollout", "hospital expansion", "clinic network",
            "drug pricing rule", "nurse training program", "emergency ward", "screening campaign",
            "telehealth service", "pharmacy scheme", "ambulance contract"],
        bodies: &["Health Department", "Hospital Trust", "Medicines Agency",
            "Public Health Institute", "Health Board"],
        actors: &["patients", "nurses", "pharmacists", "insurers", "family doctors"],
        units: &["doses", "hospital beds", "patients"],
    },
    Domain {
        topic: "space",
        subtopics: &["spaceflight", "launch industry", "satellites", "rockets", "space policy",
            "earth observation"],
        things: &["reusable booster", "launch pad", "satellite constellation", "lunar lander",
            "crew capsule", "weather satellite", "orbital tug", "rocket engine", "ground station",
            "spaceport"],
        bodies: &["Space Agency", "Launch Authority", "Aerospace Consortium",
            "Orbital Safety Office", "Space Council"],
        actors: &["launch providers", "satellite operators", "engineers", "insurers",
            "research teams"],
        units: &["tonnes to orbit", "launches", "satellites"],
    },
    Domain {
        topic: "trade",
        subtopics: &["export controls", "semiconductors", "tariffs", "supply chains", "shipping",
            "customs"],
        things: &["export licensing rule", "chipmaking tool", "tariff schedule",
            "customs platform", "trade agreement", "port inspection regime", "steel quota",
            "critical minerals deal", "shipping corridor", "sanctions list"],
        bodies: &["Trade Council", "Customs Agency", "Commerce Ministry", "Export Control Office",
            "Trade Tribunal"],
        actors: &["exporters", "importers", "chipmakers", "shipping lines", "trade lawyers"],
        units: &["containers", "licenses", "shipments"],
    },
    Domain {
        topic: "water",
        subtopics: &["drought", "agriculture", "climate adaptation", "irrigation", "rivers",
            "water supply"],
        things: &["water allocation", "reservoir plan", "irrigation quota", "desalination plant",
            "groundwater permit", "river restoration", "water recycling plant", "canal repair",
            "flood barrier", "leak detection program"],
        bodies: &["Water District", "River Basin Commission", "Agriculture Department",
            "Water Board", "Environmental Agency"],
        actors: &["farmers", "growers", "households", "water utilities", "ranchers"],
        units: &["acre-feet", "cubic meters", "farms"],
    },
    Domain {
        topic: "sports",
        subtopics: &["football", "league governance", "broadcasting", "stadiums",
            "player contracts", "youth sport"],
        things: &["salary cap", "broadcast deal", "stadium lease", "youth academy",
            "transfer rule", "revenue sharing plan", "expansion franchise", "playoff format",
            "player union agreement", "ticket pricing policy"],
        bodies: &["Football League", "Players Union", "Sports Council", "Club Owners Group",
            "Competition Committee"],
        actors: &["clubs", "players", "fans", "broadcasters", "sponsors"],
        units: &["clubs", "seasons", "matches"],
    },
    Domain {
        topic: "housing",
        subtopics: &["real estate", "rents", "construction", "zoning", "mortgages", "homelessness"],
        things: &["zoning reform", "rent cap", "social housing program", "mortgage relief scheme",
            "building permit backlog", "affordable housing bond", "tenant protection law",
            "modular housing plant", "land auction", "first-home grant"],
        bodies: &["Housing Agency", "Planning Commission", "Building Authority",
            "Housing Ministry", "Tenants Tribunal"],
        actors: &["renters", "landlords", "builders", "first-time buyers", "lenders"],
        units: &["homes", "apartments", "permits"],
    },
    Domain {
        topic: "education",
        subtopics: &["schools", "universities", "teachers", "student loans", "skills",
            "early childhood"],
        things: &["school funding formula", "teacher pay deal", "tuition freeze",
            "student loan reform", "apprenticeship scheme", "campus expansion", "literacy program",
            "school meals plan", "exam overhaul", "vocational college"],
        bodies: &["Education Department", "School Board", "University Council",
            "Teachers Federation", "Skills Agency"],
        actors: &["students", "teachers", "parents", "universities", "employers"],
        units: &["students", "schools", "classrooms"],
    },
    Domain {
        topic: "finance",
        subtopics: &["banking", "interest rates", "inflation", "markets", "fintech", "pensions"],
        things: &["interest rate decision", "bank capital rule", "pension reform",
            "payments platform", "bond auction", "deposit guarantee", "credit card cap",
            "stress test", "digital currency pilot", "mortgage lending limit"],
        bodies: &["Central Bank", "Financial Regulator", "Treasury", "Pension Authority",
            "Banking Association"],
        actors: &["banks", "savers", "borrowers", "investors", "pension funds"],
        units: &["accounts", "loans", "basis points"],
    },
    Domain {
        topic: "climate",
        subtopics: &["emissions", "carbon markets", "wildfires", "heat waves", "forests",
            "coastal flooding"],
        things: &["carbon price", "emissions cap", "heat action plan", "wildfire response plan",
            "tree planting program", "methane rule", "climate bond", "cooling center network",
            "coastal defense plan", "clean vehicle rebate"],
        bodies: &["Climate Agency", "Environment Ministry", "Forest Service", "Emissions Registry",
            "Resilience Office"],
        actors: &["emitters", "landowners", "firefighters", "automakers", "coastal towns"],
        units: &["tonnes of carbon dioxide", "hectares", "permits"],
    },
    Domain {
        topic: "technology",
        subtopics: &["data privacy", "artificial intelligence", "telecoms", "broadband",
            "cybersecurity", "cloud computing"],
        things: &["data privacy law", "broadband rollout", "AI safety rule", "spectrum auction",
            "cybersecurity standard", "cloud contract", "chip plant", "digital ID system",
            "app store rule", "fiber network"],
        bodies: &["Telecom Regulator", "Data Protection Office", "Digital Ministry",
            "Cyber Agency", "Competition Authority"],
        actors: &["tech firms", "users", "carriers", "app developers", "start-ups"],
        units: &["subscribers", "connections", "users"],
    },
];

pub const PLACE_HEADS: &[&str] = &[
    "North", "South", "East", "West", "Red", "Stone", "Silver", "Green", "Lake", "River", "Harbor",
    "Oak", "Pine", "Iron", "Clear", "High", "Fair", "Kestrel", "Maple", "Cedar", "Ash", "Bright",
    "Cold", "Wolf",
];
pub const PLACE_TAILS: &[&str] = &[
    "gate", "field", "ford", "port", "ton", "view", "brook", "wood", "ridge", "haven", "mouth",
    "dale", "bury", "wick", "stead", "water",
];
pub const SURNAMES: &[&str] = &[
    "Alvarez",
    "Okafor",
    "Tran",
    "Diallo",
    "Barros",
    "Novak",
    "Lindqvist",
    "Mehta",
    "Kowalski",
    "Haddad",
    "Sato",
    "Moreau",
    "Quinn",
    "Ferreira",
    "Adeyemi",
    "Park",
    "Jensen",
    "Rossi",
    "Nakamura",
    "Osei",
    "Dube",
    "Petrova",
    "Castillo",
    "Nguyen",
    "Brennan",
    "Yilmaz",
];
pub const INITIALS: &[&str] = &[
    "A.", "B.", "C.", "D.", "E.", "F.", "H.", "J.", "K.", "L.", "M.", "N.", "R.", "S.", "T.",
];
pub const TITLES: &[&str] = &["", "", "", "Dr. ", "Prof. ", "Capt. "];
pub const ROLES: &[&str] = &[
    "planning chief",
    "spokesperson",
    "chief executive",
    "director",
    "chair",
    "lead economist",
    "program manager",
    "deputy minister",
    "head of operations",
    "senior adviser",
];
pub const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub const MONTHS: &[&str] = &[
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];
pub const ADJECTIVES: &[&str] = &[
    "new",
    "long-delayed",
    "first",
    "expanded",
    "revised",
    "temporary",
    "regional",
    "national",
    "pilot",
    "multi-year",
    "emergency",
    "permanent",
    "scaled-back",
    "cross-border",
    "contested",
];
pub const VERBS_PAST: &[&str] = &[
    "approved",
    "announced",
    "unveiled",
    "delayed",
    "expanded",
    "rejected",
    "proposed",
    "finalized",
    "paused",
    "launched",
    "revived",
    "scaled back",
];
pub const VERBS_TITLE: &[&str] = &[
    "approves",
    "weighs",
    "delays",
    "expands",
    "launches",
    "cuts",
    "backs",
    "rejects",
    "reviews",
    "funds",
    "pauses",
    "revives",
    "overhauls",
];
pub const EVENTS: &[&str] = &[
    "plan",
    "deal",
    "rules",
    "pilot",
    "auction",
    "budget",
    "overhaul",
    "review",
    "bid",
    "tender",
    "program",
    "agreement",
];
pub const PROCESSES: &[&str] = &[
    "talks",
    "public hearings",
    "technical reviews",
    "negotiations",
    "consultations",
    "audits",
];
pub const CONSEQUENCES: &[&str] = &[
    "prices could rise before they fall",
    "the timeline is too tight",
    "the promised savings are overstated",
    "the change is long overdue",
    "smaller players could be squeezed out",
    "the rules leave too many loopholes",
    "the money would stretch further elsewhere",
    "rural areas risk being left behind",
];
pub const OUTCOMES: &[&str] = &[
    "scale up quickly",
    "compete without subsidies",
    "recover from last year's shortfall",
    "survive a change of government",
    "win over skeptical local voters",
    "stay on budget",
];
pub const QUOTES: &[&str] = &[
    "We want a {thing} that works for {actors}, not just for the people who designed it.",
    "This is the biggest change to {subtopic} in a decade.",
    "Nobody should pretend this will be cheap or quick.",
    "We have waited long enough, and the numbers finally add up.",
    "The details matter more than the headline figure.",
    "Is the {thing} ready for this volume?",
    "Nobody enjoyed this vote. But we needed it.",
    "Are we ready to promise this to {actors}? Not yet.",
];

/// The cast and props of one brief, so that its sentences talk about the same things.
pub struct Story {
    pub domain: &'static Domain,
    pub place: String,
    pub body: &'static str,
    pub thing: &'static str,
    pub other: &'static str,
    pub subtopic: &'static str,
    pub event: &'static str,
    pub person: String,
    pub role: &'static str,
}

impl Story {
    pub fn new(r: &mut Rng) -> Story {
        let domain = &DOMAINS[r.below(DOMAINS.len())];
        let thing = r.pick(domain.things);
        let mut other = r.pick(domain.things);
        if other == thing {
            other = domain.things[(domain.things.iter().position(|t| *t == thing).unwrap_or(0)
                + 1)
                % domain.things.len()];
        }
        Story {
            domain,
            place: format!("{}{}", r.pick(PLACE_HEADS), r.pick(PLACE_TAILS)),
            body: r.pick(domain.bodies),
            thing,
            other,
            subtopic: r.pick(domain.subtopics),
            event: r.pick(EVENTS),
            person: format!(
                "{}{} {}",
                r.pick(TITLES),
                r.pick(INITIALS),
                r.pick(SURNAMES)
            ),
            role: r.pick(ROLES),
        }
    }

    pub fn actors(&self, r: &mut Rng) -> &'static str {
        r.pick(self.domain.actors)
    }

    /// Two different groups of actors.
    pub fn two_actors(&self, r: &mut Rng) -> (&'static str, &'static str) {
        let a = r.below(self.domain.actors.len());
        let b = (a + r.range(1, self.domain.actors.len() - 1)) % self.domain.actors.len();
        (self.domain.actors[a], self.domain.actors[b])
    }

    /// A quotation attributed to `who`: `"…," who said.` or `"…?" who asked.`
    pub fn quoted(&self, r: &mut Rng, who: &str) -> String {
        let q = r
            .pick(QUOTES)
            .replace("{thing}", self.thing)
            .replace("{subtopic}", self.subtopic)
            .replace("{actors}", self.actors(r));
        match q.strip_suffix('.') {
            Some(q) => format!("\"{q},\" said {who}."),
            None => format!("\"{q}\" asked {who}."),
        }
    }
}

pub fn percent(r: &mut Rng) -> String {
    format!("{}.{}", r.range(1, 48), r.below(10))
}

pub fn money(r: &mut Rng) -> String {
    if r.chance(50) {
        format!("${}.{} billion", r.range(1, 30), r.below(10))
    } else {
        format!("${}.{} million", r.range(5, 900), r.below(10))
    }
}

pub fn count(r: &mut Rng) -> String {
    let n = r.range(2, 95_000);
    if n >= 1000 {
        format!("{},{:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}

pub fn date(r: &mut Rng) -> String {
    format!("{} {}", r.pick(MONTHS), r.range(1, 28))
}

pub fn happening_sentence(t: usize, s: &Story, r: &mut Rng) -> String {
    match t {
        0 => format!(
            "The {} {} on {} {} a {} {} for the {}, covering {} {} across {} districts.",
            s.place,
            s.body,
            r.pick(WEEKDAYS),
            r.pick(VERBS_PAST),
            r.pick(ADJECTIVES),
            s.event,
            s.thing,
            count(r),
            r.pick(s.domain.units),
            r.range(2, 12)
        ),
        1 => format!(
            "Officials in {} said demand for the {} rose {} percent in the last quarter, the sharpest change since {}.",
            s.place,
            s.thing,
            percent(r),
            r.range(2009, 2023)
        ),
        2 => s.quoted(r, &format!("{}, the {}'s {}", s.person, s.body, s.role)),
        3 => {
            let (a, b) = s.two_actors(r);
            format!(
                "The decision follows {} months of {} with {a} and {b}, which stalled twice over cost.",
                r.range(3, 30),
                r.pick(PROCESSES),
            )
        }
        4 => format!(
            "Under the {}, {} would share approx. {} in costs for the {} by {}.",
            s.event,
            s.actors(r),
            money(r),
            s.thing,
            date(r)
        ),
        5 => format!(
            "A {} {} in {} was {} on {} after a vote of {} to {}.",
            r.pick(ADJECTIVES),
            s.other,
            s.place,
            r.pick(VERBS_PAST),
            r.pick(WEEKDAYS),
            r.range(5, 15),
            r.range(0, 4)
        ),
        6 => format!(
            "Bids for the {} are due by {}, and contracts would run for {} years.",
            s.thing,
            date(r),
            r.range(3, 25)
        ),
        _ => format!(
            "The {}'s {} told reporters the {} {} would reach {} {} in its first phase.",
            s.body,
            s.role,
            s.thing,
            s.event,
            count(r),
            r.pick(s.domain.units)
        ),
    }
}

pub fn importance_sentence(t: usize, s: &Story, r: &mut Rng) -> String {
    match t {
        0 => format!(
            "The {} accounts for roughly {} percent of {}'s spending on {}, and {} say {}.",
            s.thing,
            percent(r),
            s.place,
            s.subtopic,
            s.actors(r),
            r.pick(CONSEQUENCES)
        ),
        1 => format!(
            "The move could save {} about {} over {} years, according to {} estimates.",
            s.actors(r),
            money(r),
            r.range(3, 20),
            s.body
        ),
        2 => format!(
            "Analysts see the {} as a test of whether {} can {}.",
            s.thing,
            s.subtopic,
            r.pick(OUTCOMES)
        ),
        3 => format!(
            "It is the first time since {} that the {} {} has {} a {} at this scale.",
            r.range(1995, 2022),
            s.place,
            s.body,
            r.pick(VERBS_PAST),
            s.thing
        ),
        4 => {
            let (a, b) = s.two_actors(r);
            format!(
                "Critics, including several {a}, argue that the {} will raise costs for {b} while the {} waits.",
                s.thing, s.other
            )
        }
        5 => format!(
            "Spending on {} in {} has grown {} percent a year since {}, nearly twice as fast as budgets.",
            s.subtopic,
            s.place,
            percent(r),
            r.range(2015, 2023)
        ),
        _ => {
            let (a, b) = s.two_actors(r);
            format!(
                "The {} sets a precedent for {a} across the {} sector, e.g. how {b} are paid.",
                s.event, s.domain.topic
            )
        }
    }
}

pub fn next_sentence(t: usize, s: &Story, r: &mut Rng) -> String {
    match t {
        0 => format!(
            "The {} will {} the {} by {}, {}.",
            s.body,
            r.pick(&["publish", "review", "vote on", "finalize", "audit"]),
            s.event,
            date(r),
            r.range(2025, 2031)
        ),
        1 => format!(
            "A {}-day comment period opens next week, and {} are expected to push for changes to the {}.",
            r.pick(&["30", "45", "60", "90"]),
            s.actors(r),
            s.thing
        ),
        2 => s.quoted(r, &format!("{} at a briefing", s.person)),
        3 => format!(
            "If approved, the first phase of the {} could begin in {}, pending a review by the {}.",
            s.thing,
            r.range(2026, 2032),
            r.pick(s.domain.bodies)
        ),
        4 => format!(
            "Watch for whether {} in {} follow with their own {} before the {} deadline.",
            s.actors(r),
            s.place,
            s.other,
            date(r)
        ),
        5 => format!(
            "Officials plan to report on the {} to lawmakers in {}, when the {} budget is set.",
            s.thing,
            r.pick(MONTHS),
            s.domain.topic
        ),
        _ => format!(
            "{} said a decision on the {} is expected after the next {} meeting in {}.",
            s.person,
            s.other,
            s.body,
            r.pick(MONTHS)
        ),
    }
}

/// Wraps a paragraph at `width` columns (some authors hard-wrap their files).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    for word in text.split(' ') {
        if col > 0 && col + 1 + word.len() > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.len();
    }
    out
}

/// Sentences grouped into 1–2 paragraphs.
pub fn paragraphs(sentences: &[String], r: &mut Rng) -> Vec<String> {
    if sentences.len() >= 3 && r.chance(40) {
        let cut = r.range(1, sentences.len() - 1);
        vec![sentences[..cut].join(" "), sentences[cut..].join(" ")]
    } else {
        vec![sentences.join(" ")]
    }
}

/// Smallest and largest generated brief, in bytes.
pub const MIN_BYTES: usize = 1_500;
pub const MAX_BYTES: usize = 2_500;

/// Sometimes lengthens a sentence with an attribution or a comparison, as news copy does.
pub fn lengthen(sentence: String, s: &Story, r: &mut Rng) -> String {
    if !sentence.ends_with('.')
        || sentence.contains('"')
        || sentence.contains("according to")
        || !r.chance(40)
    {
        return sentence;
    }
    let tail = match r.below(6) {
        0 => ", officials said".to_owned(),
        1 => format!(", according to a filing published on {}", r.pick(WEEKDAYS)),
        2 => format!(", a figure several {} dispute", s.actors(r)),
        3 => {
            let (a, b) = s.two_actors(r);
            format!(" as {a} and {b} pressed for a faster timetable")
        }
        4 => format!(", the {} said in a statement", s.body),
        _ => ", people familiar with the talks said".to_owned(),
    };
    format!("{}{tail}.", &sentence[..sentence.len() - 1])
}

/// Templates of each section kind (happening, importance, next).
pub const TEMPLATES: [usize; 3] = [8, 7, 7];

/// A sentence for section `kind` from a template the section has not used yet (`used` is a
/// bit set of template numbers).
pub fn sentence(kind: usize, used: &mut u32, s: &Story, r: &mut Rng) -> String {
    let free: Vec<usize> = (0..TEMPLATES[kind])
        .filter(|t| *used & (1 << t) == 0)
        .collect();
    let t = r.pick(&free);
    *used |= 1 << t;
    let plain = match kind {
        0 => happening_sentence(t, s, r),
        1 => importance_sentence(t, s, r),
        _ => next_sentence(t, s, r),
    };
    lengthen(plain, s, r)
}

/// Brief number `i` of the corpus: (file name, text). Each section gets 2–5 sentences; a
/// brief outside 1.5–2.5 KB gains or loses sentences (within 2–5) until it fits.
pub fn generate_brief(i: usize) -> (String, String) {
    let r = &mut Rng::new(SEED ^ (i as u64).wrapping_mul(0x1000_0000_01b3));
    let s = Story::new(r);
    let mut used = [0u32; 3];
    let mut sections: [Vec<String>; 3] = [0, 1, 2].map(|k| {
        // 2–5 sentences, leaning to the longer end as real briefs do.
        let n = r.range(2, 5).max(r.range(2, 5));
        (0..n).map(|_| sentence(k, &mut used[k], &s, r)).collect()
    });
    let layout_seed = r.next();
    let mut grown = false;
    loop {
        let (name, text) = render(i, &s, &sections, &mut Rng::new(layout_seed));
        if text.len() < MIN_BYTES {
            let open: Vec<usize> = (0..3).filter(|&k| sections[k].len() < 5).collect();
            if !open.is_empty() {
                let k = r.pick(&open);
                sections[k].push(sentence(k, &mut used[k], &s, r));
                grown = true;
                continue;
            }
        } else if text.len() > MAX_BYTES && !grown {
            let longest = (0..3).max_by_key(|&k| sections[k].len()).unwrap_or(0);
            if sections[longest].len() > 2 {
                sections[longest].pop();
                continue;
            }
        }
        return (name, text);
    }
}

/// Lays out one brief: front matter, then one of three layouts.
pub fn render(i: usize, s: &Story, sections: &[Vec<String>; 3], r: &mut Rng) -> (String, String) {
    let id = format!(
        "{}-{}-{:05}",
        s.domain.topic,
        s.thing.to_lowercase().replace(' ', "-"),
        i
    );
    let title = format!(
        "{} {} {} {} {}",
        s.place,
        r.pick(VERBS_TITLE),
        r.pick(ADJECTIVES),
        s.thing,
        s.event
    );
    // One brief every ~47 minutes from 2024-01-01, so the newest is brief 9,999.
    let secs = 1_704_067_200 + i as i64 * 2_820 + r.below(600) as i64;
    let published = chrono::DateTime::from_timestamp(secs, 0).expect("valid timestamp");
    let published = if r.chance(70) {
        published.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        let offset = chrono::FixedOffset::east_opt(3_600 * r.range(1, 5) as i32).expect("offset");
        format!("\"{}\"", published.with_timezone(&offset).to_rfc3339())
    };
    let mut topics = vec![s.domain.topic, s.subtopic];
    let extra_topic = r.pick(s.domain.subtopics);
    if extra_topic != s.subtopic && r.chance(60) {
        topics.push(extra_topic);
    }
    let topics: Vec<String> = topics.iter().map(|t| format!("{t:?}")).collect();

    let mut out = String::with_capacity(MAX_BYTES);
    out.push_str("+++\n");
    out.push_str(&format!("id = \"{id}\"\n"));
    out.push_str(&format!("title = \"{title}\"\n"));
    out.push_str(&format!("published = {published}\n"));
    out.push_str(&format!("topics = [{}]\n", topics.join(", ")));
    if r.chance(60) {
        out.push_str(&format!(
            "source = \"https://example.com/{}/{id}\"\n",
            s.domain.topic
        ));
    }
    out.push_str("+++\n");

    let [happening, importance, next] = sections;
    match r.below(10) {
        // Heading lines with page boilerplate (like the embedded sample 01), often hard-wrapped.
        0..=4 => {
            let hard_wrap = r.chance(40);
            if r.chance(50) {
                out.push_str("AI Generated Content\n");
            }
            let headings = ["What's Happening?", "Why It's Important?", "What's Next?"];
            for (heading, sentences) in headings.iter().zip([happening, importance, next]) {
                out.push_str(heading);
                out.push('\n');
                for p in paragraphs(sentences, r) {
                    if hard_wrap {
                        out.push_str(&wrap(&p, 80));
                    } else {
                        out.push_str(&p);
                    }
                    out.push('\n');
                }
                if r.chance(30) {
                    out.push_str("What is the story about?\n");
                }
            }
            if r.chance(50) {
                out.push_str("Do you find this article useful?\n");
            }
        }
        // Axios lead-ins: headline, "Driving the news:", "Why it matters:", "Yes, but:",
        // "What's next:", "Go deeper:".
        5..=7 => {
            out.push_str(&format!(
                "{} {} {} {} {}\n\n",
                s.place,
                s.body,
                r.pick(VERBS_TITLE),
                s.thing,
                s.event
            ));
            let happening_label = r.pick(&["Driving the news", "What happened", "The news"]);
            out.push_str(&format!("{happening_label}: {}\n\n", happening.join(" ")));
            let (first, rest) = importance.split_at(1);
            let big_picture = r.pick(&["Why it matters", "The big picture"]);
            if rest.len() >= 2 && r.chance(50) {
                out.push_str(&format!(
                    "{big_picture}: {}\n\nYes, but: {}\n\n",
                    first[0],
                    rest.join(" ")
                ));
            } else {
                out.push_str(&format!("{big_picture}: {}\n\n", importance.join(" ")));
            }
            let next_label = r.pick(&["What's next", "What to watch"]);
            out.push_str(&format!("{next_label}: {}\n", next.join(" ")));
            if r.chance(50) {
                out.push_str(&format!(
                    "\nGo deeper: Full text of the {} (https://example.com/docs/{id})\n",
                    s.event
                ));
            }
        }
        // Markdown headings, bold "What to watch", sometimes an extra "By the numbers" section.
        _ => {
            out.push_str(&format!(
                "## {}\n\n",
                r.pick(&["What's happening", "Driving the news"])
            ));
            for p in paragraphs(happening, r) {
                out.push_str(&p);
                out.push_str("\n\n");
            }
            out.push_str(&format!(
                "## {}\n\n",
                r.pick(&["Why it matters", "Why this matters"])
            ));
            for p in paragraphs(importance, r) {
                out.push_str(&p);
                out.push_str("\n\n");
            }
            if r.chance(40) {
                out.push_str("## By the numbers\n\n");
                out.push_str(&format!(
                    "- {} {}\n- {} in funding\n\n",
                    count(r),
                    r.pick(s.domain.units),
                    money(r)
                ));
            }
            out.push_str("**What to watch:**\n\n");
            for p in paragraphs(next, r) {
                out.push_str(&p);
                out.push_str("\n\n");
            }
        }
    }
    let ext = if r.chance(85) { "md" } else { "txt" };
    (format!("briefs/{:02}/{id}.{ext}", i % 100), out)
}

pub fn generate_files(n: usize) -> impl Iterator<Item = (PathBuf, Vec<u8>)> {
    (0..n).map(|i| {
        let (name, text) = generate_brief(i);
        (PathBuf::from(name), text.into_bytes())
    })
}
