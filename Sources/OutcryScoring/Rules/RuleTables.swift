/// The fixed word lists VADER's rules rely on, and the stop-word profiles for language detection.
enum RuleTables {
    /// Empirical booster increment (VADER).
    static let boosterIncrement = 0.293
    /// Empirical increment for a word in capitals among lower-case words (VADER).
    static let capsIncrement = 0.733
    /// Negation scalar (VADER).
    static let negationScalar = -0.74

    static let negations = [
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "ain't", "aren't", "can't",
        "couldn't", "daren't", "didn't", "doesn't", "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt",
        "neither", "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't", "neednt", "needn't",
        "never", "none", "nope", "nor", "not", "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh",
        "wasnt", "werent", "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't", "without", "wont",
        "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    ]

    static let boostersUp = [
        "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply",
        "effing", "enormous", "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme",
        "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking", "fricking", "frickin", "frigging",
        "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely",
        "incredible", "incredibly", "intensely", "major", "majorly", "more", "most", "particularly", "purely",
        "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally", "tremendous",
        "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very",
    ]

    static let boostersDown = [
        "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little", "marginal", "marginally",
        "occasional", "occasionally", "partly", "scarce", "scarcely", "slight", "slightly", "somewhat", "sorta",
        "sortof", "sort-of",
    ]

    /// Stop words per language, bit order as in `LanguageProfile.codes`. Words that are also
    /// common English words ("no", "me", "die"…) are left out of the other languages.
    static let stopWords: [[String]] = [
        // en
        ["the", "and", "is", "to", "my", "you", "your", "for", "of", "was", "it's", "i", "not", "this", "that",
         "with", "have", "on", "are", "be", "me", "but", "just", "at", "from", "they", "what", "why", "still",
         "been", "has", "can", "will", "our", "we", "it", "so", "do", "i'm", "get", "now", "a", "an", "in"],
        // es
        ["el", "los", "las", "que", "y", "por", "para", "con", "una", "es", "muy", "pero", "está", "gracias",
         "hola", "del", "al", "se", "lo", "como", "más", "mi", "yo", "este", "esta", "hay", "fue", "su"],
        // fr
        ["le", "les", "des", "est", "et", "une", "pour", "pas", "avec", "dans", "je", "vous", "mon", "très",
         "mais", "ce", "qui", "du", "au", "sur", "merci", "c'est", "j'ai", "n'est", "nous", "ai", "ça", "il"],
        // de
        ["der", "das", "und", "ist", "nicht", "ein", "eine", "ich", "sie", "mit", "auf", "für", "zu", "den",
         "dem", "von", "wir", "auch", "sehr", "aber", "danke", "noch", "mein", "es", "bitte", "ihr", "wie"],
        // it
        ["il", "che", "di", "è", "non", "una", "sono", "del", "della", "ma", "molto", "grazie", "questo", "ho",
         "gli", "anche", "per", "mio", "sei", "ancora", "lo"],
        // pt
        ["os", "que", "não", "uma", "para", "com", "é", "muito", "mas", "meu", "minha", "obrigado", "obrigada",
         "está", "voo", "do", "da", "em", "você", "ainda", "foi"],
        // nl
        ["het", "een", "en", "niet", "ik", "je", "dat", "op", "voor", "zijn", "maar", "ook", "nog", "wel",
         "heel", "bedankt", "mijn", "jullie", "geen", "naar", "wat", "dit"],
    ]
}

/// The languages the stop-word profile recognises, in bit order.
enum LanguageProfile {
    static let codes = ["en", "es", "fr", "de", "it", "pt", "nl"]
}
