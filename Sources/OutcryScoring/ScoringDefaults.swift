import OutcryModel

/// The default term lists. Written for customer-service English; every list can be replaced
/// or extended through `ScoringConfig`.
public enum ScoringDefaults {
    /// Domain valences added to (and overriding) VADER's general lexicon. Customer-service
    /// words that VADER misses or scores for other registers: "please"/"help" in a support
    /// request are politeness, not praise.
    public static let domainLexicon: [String: Double] = [
        "scam": -2.6, "scammed": -2.6, "scammers": -2.6, "ripoff": -2.6, "rip-off": -2.6, "rip off": -2.6,
        "delayed": -1.3, "delay": -1.1, "delays": -1.1, "cancelled": -1.3, "canceled": -1.3,
        "stranded": -2.0, "overbooked": -1.5, "overcharged": -2.0, "misplaced": -1.2, "unresolved": -1.5,
        "unhelpful": -1.9, "incompetent": -2.4, "incompetence": -2.4, "disgraceful": -2.6,
        "shambles": -2.2, "nightmare": -2.4, "joke": -0.8, "useless": -2.0, "rude": -2.0,
        // Words VADER rates positive that, in a complaint, name a risk: "this is a safety hazard",
        // "leaked my credit card number", "my smart meter", "cut my hand", "not secure".
        "safety": 0, "safe": 0.4, "credit": 0, "smart": 0, "hand": 0, "secure": 0, "security": 0, "secured": 0,
        "protect": 0, "protection": 0, "insurance": 0, "assistance": 0.3, "care": 0.4, "support": 0.2,
        "please": 0.2, "help": 0.3, "pls": 0.1, "plz": 0.1, "refund": 0.0, "free": 0.5,
        "waste of time": -2.2, "waste of money": -2.5, "never again": -2.2, "thanks for nothing": -2.0,
        "no thanks": -1.0, "fed up": -2.0, "sick of": -2.0, "sick and tired": -2.5, "let down": -1.8,
        "let me down": -1.8, "no help": -1.6, "not happy": -1.9, "no one cares": -2.0, "on hold": -0.8,
        "well done": 2.0, "above and beyond": 2.8, "no problem": 1.0, "no worries": 1.0,
        "the shit": 3.0, "the bomb": 3.0, "bad ass": 1.5, "yeah right": -2.0, "kiss of death": -1.5,
        "to die for": 3.0, "cut the mustard": 2.0, "hand to mouth": -2.0, "back handed": -2.0,
        "blow smoke": -2.0, "upper hand": 1.0, "break a leg": 2.0, "in the black": 2.0,
        "in the red": -2.0, "on the ball": 2.0, "under the weather": -2.0,
    ]

    public static let complaintCues: [ComplaintCue: [String: Double]] = [
        .waiting: [
            "still": 0.3, "again": 0.3, "yet": 0.15, "waiting": 0.35, "still waiting": 0.55, "been waiting": 0.55,
            "still no": 0.5, "still not": 0.45, "<num> days": 0.35, "<num> hours": 0.35, "<num> hrs": 0.35,
            "<num> weeks": 0.4, "<num> months": 0.45, "<num> mins": 0.25, "<num> minutes": 0.25, "an hour": 0.3,
            "days": 0.15, "weeks": 0.3, "months": 0.3, "hours": 0.2, "how long": 0.4, "any update": 0.4,
            "no update": 0.5, "no updates": 0.5, "overdue": 0.45, "late": 0.3, "delayed": 0.5, "delay": 0.4,
            "every time": 0.3, "third time": 0.45, "second time": 0.35, "keeps": 0.3, "once again": 0.45,
        ],
        .failure: [
            "cancelled": 0.5, "canceled": 0.5, "lost": 0.45, "broken": 0.5, "broke": 0.4, "charged twice": 0.7,
            "double charged": 0.7, "charged me twice": 0.7, "overcharged": 0.6, "never arrived": 0.7,
            "never received": 0.65, "didn't arrive": 0.6, "hasn't arrived": 0.6, "not arrived": 0.6,
            "not working": 0.55, "doesn't work": 0.55, "don't work": 0.5, "isn't working": 0.55,
            "stopped working": 0.6, "won't let me": 0.5, "can't log in": 0.55, "cannot log in": 0.55,
            "missing": 0.45, "damaged": 0.55, "wrong": 0.35, "stuck": 0.45, "stranded": 0.6,
            "missed my connection": 0.6, "missed connection": 0.55, "overbooked": 0.55, "bumped": 0.4,
            "error": 0.35, "crashed": 0.45, "crashing": 0.45, "crashes": 0.4, "outage": 0.5, "down again": 0.55,
            "refused": 0.45, "denied": 0.4, "rude": 0.45, "lost luggage": 0.7, "lost my bag": 0.7,
            "lost my luggage": 0.7, "faulty": 0.55, "defective": 0.55, "leaking": 0.45, "late delivery": 0.6,
            "never showed": 0.6, "no show": 0.5, "cut off": 0.4, "disconnected": 0.4, "declined": 0.35,
            "scam": 0.5, "ripped off": 0.6, "rip off": 0.5, "ripoff": 0.5, "worst": 0.3, "terrible service": 0.6,
            "poor service": 0.6, "bad service": 0.6, "awful service": 0.6, "unacceptable": 0.5, "diverted": 0.35,
        ],
        .redress: [
            "refund": 0.5, "refunded": 0.3, "compensation": 0.55, "compensate": 0.5, "reimburse": 0.5,
            "reimbursement": 0.5, "money back": 0.6, "my money": 0.45, "cancel my account": 0.6,
            "cancel my subscription": 0.55, "close my account": 0.55, "voucher": 0.3, "fix this": 0.45,
            "fix it": 0.35, "sort this out": 0.5, "sort it out": 0.45, "escalate": 0.45, "complaint": 0.55,
            "complain": 0.5, "complained": 0.5, "speak to a manager": 0.6, "supervisor": 0.35,
            "chargeback": 0.6, "dispute": 0.4, "want answers": 0.5, "explain why": 0.4,
        ],
        .unanswered: [
            "no reply": 0.55, "no response": 0.55, "no answer": 0.5, "no one": 0.35, "nobody": 0.35,
            "on hold": 0.5, "hold for": 0.45, "ignored": 0.5, "ignoring": 0.5, "ignore": 0.35, "hung up": 0.55,
            "not responded": 0.5, "haven't heard": 0.5, "no callback": 0.5, "never called back": 0.6,
            "never got back": 0.6, "no one answers": 0.6, "can't get through": 0.55, "cannot get through": 0.55,
            "no help": 0.45, "unanswered": 0.5, "been trying": 0.35, "tried calling": 0.4, "emailed": 0.2,
            "dm'd": 0.2, "called": 0.15, "customer service": 0.2, "still no reply": 0.6, "no reply yet": 0.6,
        ],
        .directed: ["<mention>": 0.15, "you guys": 0.2, "your": 0.1, "you": 0.05, "ur": 0.1, "y'all": 0.15],
        .gratitude: [
            "thank you": -0.5, "thanks": -0.4, "thx": -0.35, "thank": -0.35, "ty": -0.2, "appreciate": -0.45,
            "appreciated": -0.45, "resolved": -0.45, "sorted": -0.35, "fixed": -0.3, "great service": -0.6,
            "excellent service": -0.6, "well done": -0.5, "love": -0.35, "amazing": -0.35, "awesome": -0.35,
            "great": -0.2, "kudos": -0.5, "shoutout": -0.4, "shout out": -0.4, "best": -0.2,
            "thanks for nothing": 0.6,
        ],
    ]

    /// Urgency cues. Each is a threat or a report in the customer's words, not a topic word:
    /// "my lawyer", "small claims court", "48k followers", "someone else's account" — not
    /// "lawyer", "court", "followers" or "safety" alone (a friend who is a lawyer, court shoes,
    /// fire-safety tips are not urgent).
    public static let urgencyTerms: [UrgencyCategory: [String]] = [
        .legal: [
            "my lawyer", "my attorney", "my solicitor", "my lawyers", "a lawyer", "an attorney", "a solicitor",
            "lawsuit", "sue you", "suing", "will sue", "going to sue", "legal action", "take legal", "small claims",
            "in court", "to court", "class action", "litigation", "breach of contract", "legal team",
            "letter before action", "see you in court", "legal proceedings",
            "county court", "claims court", "court claim", "a claim against", "filed a claim", "taking legal advice", "getting legal advice", "sought legal advice",
            "instructing a", "my solicitors", "my barrister",
        ],
        .safety: [
            "caught fire", "on fire", "fire hazard", "exploded", "explosion", "smoke", "burned", "burnt", "burns",
            "allergic reaction", "anaphylaxis", "anaphylactic", "food poisoning", "poisoned", "injured", "injury",
            "hospital", "hospitalised", "hospitalized", "unsafe", "dangerous", "electric shock", "choking",
            "carbon monoxide", "gas leak", "emergency landing", "hazard", "sick after", "made me sick",
            "safety hazard", "safety issue", "safety risk", "safety concern", "not safe", "glass in",
            "piece of glass", "metal in", "staple in", "cut her hand", "cut his hand", "cut my hand", "broke her hip",
            "broke his hip", "broke her arm", "broke his arm", "broke my arm", "broke my leg", "my arm is broken",
            "fell and broke", "fell and hurt", "brakes failed", "throwing up", "vomiting", "mould", "mouldy", "moldy", "mold in",
            "sparking", "melted the plug", "plug melted", "burned the house", "burn the house", "smell of gas", "smells of gas", "gas smell",
            "recalled", "safety recall", "chipped my tooth", "chipped tooth", "snapped while", "sewage",
            "contaminated", "contamination", "got sick after", "dog got sick", "all got sick", "rash all over",
            "gave me a rash", "skin rash", "chemical burn", "skin reaction", "electrocuted",
            "live wires", "exposed wires", "bare wires", "exposed wiring", "fainted", "passed out",
            "ambulance", "epipen", "epi-pen", "needed stitches", "concussion",
            "trapped my", "closed on my", "closed on her", "closed on his", "came off while", "fell off while",
            "insect in", "dead insect", "maggots", "cockroach", "rat droppings", "mouse droppings",
            "hair in my food", "fumes", "melted when", "caught alight", "went up in flames", "no first aid",
        ],
        .privacy: [
            "account hacked", "hacked", "hacker", "data breach", "breach", "leaked", "my data", "personal data",
            "identity theft", "stolen identity", "fraud", "fraudulent", "unauthorized", "unauthorised",
            "someone accessed", "phishing", "gdpr", "privacy", "compromised", "stolen card", "someone else's",
            "somebody else's", "another customer's", "<num> other customers",
            "logged into my account", "logged in to my account", "changed my password", "changed my email",
            "account was taken over", "taken over my account", "took over my account", "account was emptied",
            "emptied my account", "login code i never", "medical records", "my full address", "my address online",
            "another person's", "a stranger's", "a different customer", "a different patient", "different customer's",
            "someone used my", "somebody used my", "sim swap", "sim swapped",
            "logins on my account", "someone logged in", "somebody logged in", "logins from", "my test results to",
        ],
        .regulator: [
            "ombudsman", "bbb", "better business bureau", "ftc", "cfpb", "fcc", "trading standards", "ofcom",
            "ofgem", "ofwat", "fca", "caa", "department of transportation", "attorney general", "regulator",
            "consumer protection", "report you to", "reporting you to", "ico", "accc", "consumer affairs",
            "environmental health", "food standards", "health and safety executive", "citizens advice", "ofsted", "cqc",
            "reported you to",
        ],
        .press: [
            "journalist", "reporter", "the press", "newspaper", "go to the news", "going to the news", "take this to the news", "going viral", "gone viral", "<num> followers",
            "<num> k followers", "<num> million followers", "<num> million views", "<num> k views", "my blog",
            "my channel", "my podcast", "watchdog", "bbc", "cnn", "the media", "on tv", "influencer", "retweet this",
            "everyone should know", "local paper", "the paper", "consumer champion", "the guardian", "consumer programme",
            "tell my followers", "all my followers",
            "<num> k retweets", "<num> retweets", "<num> k likes", "<num> k shares", "<num> views",
            "i write for", "my column", "consumer show", "rip off britain",
            "my thread about", "my video about", "my article", "writing about this", "write about this",
        ],
        .churn: [
            "switching to another", "switching to a competitor", "switch to a competitor", "switched to a competitor",
            "moving to another", "moving to a competitor", "switching providers", "switching provider",
            "switched providers", "cancel my subscription", "cancel my account", "cancel my contract",
            "cancelling my", "canceling my", "close my account", "closing my account", "my accounts with you",
            "never again", "never flying", "never fly", "never buying", "never use", "take my business elsewhere",
            "lost a customer", "lost my business", "done with you", "done with your", "last time i", "leaving you",
            "leaving for another", "leaving for a competitor", "goodbye", "unsubscribe", "not renewing", "won't renew", "not be renewing",
            "won't be renewing", "find another", "moving my mortgage", "moving my business", "to your competitor",
            "booked with someone else", "at another bank",
            "to another bank", "to another network", "to another provider", "to another airline", "to another supplier",
            "to a different bank", "to a different network", "to a different provider", "to a different supplier",
            "porting my number", "port my number", "with your competitor",
            "deal elsewhere", "go elsewhere", "going elsewhere", "shop elsewhere", "i've cancelled",
            "i have cancelled", "moving my savings", "moving my account",
        ],
        .discrimination: [
            "racist", "racism", "racial", "discrimination", "discriminated", "discriminating", "discriminatory",
            "sexist", "sexism", "homophobic", "transphobic", "ableist", "profiled", "profiling", "bigot",
            "because i'm black", "because of my race", "because of my religion", "because i'm gay",
            "because of my disability", "islamophobic", "antisemitic", "because i am black", "because she is black",
            "because he is black", "because they are black", "because she's black", "because he's black",
            "people like us", "mocked my accent", "because of my accent", "because i use a wheelchair",
            "because of my wheelchair", "because of my guide dog", "my guide dog", "gay couple",
            "assistance dog", "service dog", "refused to serve us because", "refused to serve me because",
            "because we were speaking", "because i was speaking", "because of my headscarf", "because of my hijab",
            "with her mobility scooter", "with his mobility scooter", "with my mobility scooter",
        ],
        .vulnerable: [
            "disabled", "disability", "in my wheelchair", "my wheelchair", "use a wheelchair", "no wheelchair",
            "wheelchair user", "elderly", "elderly mother", "elderly father", "pensioner", "my guide dog",
            "terminally ill", "terminal illness", "cancer", "chemo", "chemotherapy", "dialysis", "bereavement", "bereaved",
            "passed away", "funeral", "vulnerable", "pregnant", "dementia", "autistic", "carer", "blind", "deaf",
            "suicidal", "can't afford", "cannot afford", "no heating", "without heating", "no heat", "without heat",
            "no food", "newborn", "my baby", "medication", "lives alone", "<num> year old dad", "<num> year old mum",
            "<num> year old mother", "<num> year old father", "<num> year old grandmother", "no hot water",
            "<num> year old grandfather", "grandmother is <num>", "grandfather is <num>",
            "nan is <num>", "gran is <num>", "care alarm", "oxygen machine",
            "no ramp", "mobility scooter", "housebound", "lives on her own", "lives on his own",
        ],
    ]

    public static let urgencyExclusions: [UrgencyCategory: [String]] = [
        .vulnerable: [
            "disabled my account", "account disabled", "account was disabled", "account has been disabled",
            "disabled my card", "card disabled", "feature disabled", "blind spot", "my baby blue",
        ],
        .safety: ["smoke and mirrors", "holy smoke", "safety demo", "on fire today", "fire safety", "safety tips"],
        .privacy: ["privacy policy", "breach of contract"],
        .legal: ["tennis court", "food court", "basketball court", "is a lawyer", "is an attorney", "is a solicitor"],
        .press: [
            "press the button", "pressed", "press conference", "is a journalist", "works as a journalist", "is a reporter",
            "works as a reporter",
        ],
        .churn: ["switch to the app", "moving to a new house"],
    ]
}
