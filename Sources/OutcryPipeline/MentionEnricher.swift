import Foundation
import Logging
import OutcryModel
import OutcryScoring
import OutcryStore

/// The enrich step of ingest, one for feeds, JSON APIs and mail: brand → contact link →
/// velocity → score. The contact is linked before scoring so the scorer sees the contact's
/// tier and previous complaint, and the velocity counts the stored thread a reply joins and
/// the rest of its chain in the batch.
///
/// A failure to link or to count velocity is logged and the mentions are scored without that
/// context: a complaint is never held back for want of it.
struct MentionEnricher: Sendable {
    let store: Store
    let brands: BrandTagger
    let linker: ContactLinker?
    let logger: Logger

    struct Enriched: Sendable {
        var scored: [ScoredMention]
        var links: [String: MentionLink]
    }

    /// Sets `brand` on each mention: the source's brand, else the one its text, author and
    /// source match. On mail the sender's address stands for the handle.
    func tag(_ mentions: inout [Mention], sourceBrand: String?) {
        guard sourceBrand != nil || brands.hasBrands else { return }
        for i in mentions.indices {
            let m = mentions[i]
            let author = m.channel == .mail ? (m.authorEmail ?? m.authorName) : (m.authorHandle ?? m.authorName)
            mentions[i].brand = brands.brand(text: m.scoringText, author: author, source: m.sourceName, lang: m.language, sourceBrand: sourceBrand)
        }
    }

    /// Links, counts velocity and scores mentions already tagged with their brand, with one
    /// model for the whole batch.
    func enrich(_ mentions: [Mention], network: SocialNetwork?, source: String, scorer: Scorer, now: Date) async -> Enriched {
        var links: [String: MentionLink] = [:]
        var contexts = [ScoreContext](repeating: ScoreContext(), count: mentions.count)
        if let linker, !mentions.isEmpty {
            do {
                let linked = try await linker.link(mentions, network: network, now: now)
                links = linked.links
                contexts = linked.contexts
            } catch {
                logger.error("contact linking failed; mentions stored unlinked", metadata: ["source": "\(source)", "error": "\(error)"])
            }
        }
        do {
            let velocity = try await ThreadVelocity.counts(for: mentions, store: store, now: now)
            for i in contexts.indices { contexts[i].mentionsInLastHour = velocity[i] }
        } catch {
            logger.error("thread velocity unavailable; mentions scored without it", metadata: ["source": "\(source)", "error": "\(error)"])
        }
        let scored = zip(mentions, contexts).map { mention, context in
            ScoredMention(mention: mention, score: scorer.score(mention, context: context))
        }
        return Enriched(scored: scored, links: links)
    }
}
