import Foundation
import OutcryModel

/// The rule engine's figures that the learned model reads as named features.
struct RuleFigures {
    var compound: Double
    /// Per complaint cue kind (ComplaintCue.ordered, at most 8): strongest cue plus capped extras.
    var cues: SIMD8<Double>
    var ruleScore: Double
    var urgency: Bool
    var scored: Bool
}

/// What the model said about one text.
struct ModelOutput {
    var compound: Double
    var label: SentimentLabel
    var complaint: Double
}

extension ScoringEngine {
    /// Writes the text's features into `out` (capacity `denseCount + 2 * n + 2`); returns how many.
    func extractFeatures(
        _ norm: UnsafeMutablePointer<UInt8>, _ t: UnsafeMutablePointer<Token>, _ n: Int, _ stats: TextStats,
        _ s: UnsafeMutablePointer<TokenScore>, _ rule: RuleFigures, into out: UnsafeMutablePointer<FeatureHit>
    ) -> Int {
        var k = 0
        @inline(__always) func dense(_ d: FeatureSpace.Dense, _ v: Double) {
            if v != 0 { out[k] = FeatureHit(index: FeatureSpace.dense(d), value: Float(v)); k += 1 }
        }
        var pos = 0.0, neg = 0.0
        if rule.scored {
            for i in 0..<n {
                let v = s[i].valence
                if v > 0 { pos += v } else { neg -= v }
            }
        }
        var caps = false
        for i in 0..<n where t[i].flags.contains(.allCaps) { caps = true; break }
        dense(.bias, 1)
        dense(.compound, rule.compound)
        dense(.positiveWords, min(pos, 8) * 0.25)
        dense(.negativeWords, min(neg, 8) * 0.25)
        for (c, kind) in Self.cueFeatures.enumerated() where c < ComplaintCue.ordered.count { dense(kind, rule.cues[c]) }
        dense(.complaintRules, rule.ruleScore)
        dense(.urgency, rule.urgency ? 1 : 0)
        dense(.exclamation, Double(min(stats.exclamations, 4)) * 0.25)
        dense(.question, stats.questions > 1 ? 1 : 0)
        dense(.capitals, caps ? 1 : 0)
        dense(.length, (n < 256 ? Self.lengthLogs[n] : log(1 + Double(n))) * 0.2)
        dense(.foreign, rule.scored ? 0 : 1)

        var previous: UInt64 = 0
        for i in 0..<min(n, Int(Int16.max) - 1) {
            let h: UInt64
            if t[i].flags.contains(.mention) {
                // A handle is not a word: in the training corpora it marks chatter between
                // people, in a monitor it marks a post addressed to the brand. The rules'
                // "addressed to the brand" feature carries it instead.
                previous = 0
                continue
            } else if t[i].flags.contains(.number) {
                h = FeatureSpace.numberHash
            } else {
                h = t[i].hash  // the tokenizer's fnv1a of the token's normalised bytes
            }
            out[k] = FeatureHit(index: FeatureSpace.unigram(h), value: 1, first: Int16(i), last: Int16(i))
            k += 1
            if i > 0 && previous != 0 {
                out[k] = FeatureHit(index: FeatureSpace.bigram(previous, h), value: 1, first: Int16(i - 1), last: Int16(i))
                k += 1
            }
            previous = h
        }
        return k
    }

    static let cueFeatures: [FeatureSpace.Dense] = [.waiting, .failure, .redress, .unanswered, .directed, .gratitude]

    /// The normalised text of token `i` (`<num>`, `<mention>` for numbers and handles).
    func tokenText(_ norm: UnsafeMutablePointer<UInt8>, _ t: UnsafeMutablePointer<Token>, _ i: Int) -> String {
        if t[i].flags.contains(.mention) { return "<mention>" }
        if t[i].flags.contains(.number) { return "<num>" }
        return String(decoding: UnsafeBufferPointer(start: norm + Int(t[i].start), count: Int(t[i].length)), as: UTF8.self)
    }

    /// Applies the model and appends its reasons: a summary per output, the features that moved
    /// it most (quoted words or rule names, with signed weights), and an uncertainty mark.
    /// `pulls` has room for two a hit.
    func applyModel(
        _ model: LearnedModel, _ hits: UnsafeBufferPointer<FeatureHit>, _ norm: UnsafeMutablePointer<UInt8>,
        _ t: UnsafeMutablePointer<Token>, scored: Bool, into reasons: ReasonList, pulls: UnsafeMutablePointer<Pull>
    ) -> ModelOutput {
        // One pass over the weights: the logits (as `model.logits`) and each hit's pull on the
        // sentiment (positive minus negative) and on the complaint, which the reasons rank.
        // Only hits that pull by more than 0.05 either way can be a reason: their positions and
        // pulls are kept, per output, in hit order.
        var z = SIMD4<Float>.zero
        let sentiment = pulls, complaint = pulls + hits.count
        var s = 0, c = 0
        model.weights.withUnsafeBufferPointer { w in
            for k in 0..<hits.count {
                let h = hits[k]
                let wh = w[Int(h.index)]
                z += wh * h.value
                let ps = h.value * (wh[2] - wh[0]), pc = h.value * wh[3]
                // Written always, kept (counted) only when strong enough: no branch to mispredict.
                sentiment[s] = Pull(hit: Int32(k), value: ps)
                s &+= abs(ps) > 0.05 ? 1 : 0
                complaint[c] = Pull(hit: Int32(k), value: pc)
                c &+= abs(pc) > 0.05 ? 1 : 0
            }
        }
        return applyModel(
            model, z, hits, UnsafeBufferPointer(start: sentiment, count: s), UnsafeBufferPointer(start: complaint, count: c),
            norm, t, scored: scored, into: reasons)
    }

    /// A hit (by position) and its pull on one output.
    struct Pull {
        var hit: Int32
        var value: Float
    }

    private func applyModel(
        _ model: LearnedModel, _ z: SIMD4<Float>, _ hits: UnsafeBufferPointer<FeatureHit>,
        _ sentimentPulls: UnsafeBufferPointer<Pull>, _ complaintPulls: UnsafeBufferPointer<Pull>, _ norm: UnsafeMutablePointer<UInt8>, _ t: UnsafeMutablePointer<Token>, scored: Bool, into reasons: ReasonList
    ) -> ModelOutput {
        let p = LearnedModel.softmax(z)
        let complaint = Double(LearnedModel.sigmoid(z[3]))
        let compound = Double(p[2] - p[0])
        var cls = 0
        if p[1] > p[cls] { cls = 1 }
        if p[2] > p[cls] { cls = 2 }
        let label: SentimentLabel = cls == 0 ? .negative : cls == 1 ? .neutral : .positive
        let origin = model.info.origin
        if scored {
            // "positive 0.95 (learned model, base)"
            let start = reasons.byteCount
            reasons.appendPlainText(label.rawValue)
            reasons.byte(0x20)
            reasons.appendFormatted(p[cls], plus: false)
            reasons.append(" (")
            reasons.appendPlainText(origin)
            reasons.byte(UInt8(ascii: ")"))
            reasons.commit(.modelSentiment, from: start, weight: Self.round(compound))
            if cls != 1 {
                let picks = Self.top(hits, sentimentPulls, want: cls == 2 ? 1 : -1)
                for m in 0..<picks.count {
                    let start = reasons.byteCount
                    let c = picks.value[m]
                    appendFeatureEvidence(norm, t, hits[Int(picks.hit[m])], c, into: reasons)
                    reasons.commit(.modelSentiment, from: start, weight: Self.round(Double(c)))
                }
            }
        }
        let threshold = model.info.complaintThreshold
        // "complaint 0.02 (threshold 0.18; learned model, base)"
        var start = reasons.byteCount
        reasons.append("complaint ")
        reasons.appendFormatted(Float(complaint), plus: false)
        reasons.append(" (threshold ")
        reasons.appendFormatted(Float(threshold), plus: false)
        reasons.append("; ")
        reasons.appendPlainText(origin)
        reasons.byte(UInt8(ascii: ")"))
        reasons.commit(.modelComplaint, from: start, weight: Self.round(complaint))
        let picks = Self.top(hits, complaintPulls, want: complaint >= threshold ? 1 : -1)
        for m in 0..<picks.count {
            let start = reasons.byteCount
            let c = picks.value[m]
            appendFeatureEvidence(norm, t, hits[Int(picks.hit[m])], c, into: reasons)
            reasons.commit(.modelComplaint, from: start, weight: Self.round(Double(c)))
        }
        // Near the boundary in log-odds: a fixed band in probability would cover most texts when
        // the threshold is low.
        func logit(_ p: Double) -> Double { let q = min(max(p, 1e-6), 1 - 1e-6); return log(q / (1 - q)) }
        if abs(logit(complaint) - logit(threshold)) < model.info.uncertainBand {
            start = reasons.byteCount
            reasons.append("complaint ")
            reasons.appendFormatted(Float(complaint), plus: false)
            reasons.append(" is near the threshold ")
            reasons.appendFormatted(Float(threshold), plus: false)
            reasons.append(": a label here teaches the most")
            reasons.commit(.modelUncertain, from: start, weight: 0)
        }
        return ModelOutput(compound: compound, label: label, complaint: complaint)
    }

    /// The (at most) four hits whose contribution (the hit's value times its weights' pull on
    /// the output, `pulls`: the hits pulling by more than 0.05, in order) pushes hardest in
    /// direction `want` (+1 or −1), one per distinct feature (a repeated feature's
    /// contributions add up), strongest first: for each, the position in `hits` of its first
    /// picked hit and the summed contribution. The baseline is left out. In registers: the
    /// picks' feature indexes, hit positions and contributions are four-lane vectors.
    struct TopPicks {
        var count = 0
        var hit = SIMD4<Int32>(repeating: 0)
        var value = SIMD4<Float>(repeating: 0)
    }

    static func top(_ hits: UnsafeBufferPointer<FeatureHit>, _ pulls: UnsafeBufferPointer<Pull>, want: Float) -> TopPicks {
        let bias = FeatureSpace.dense(.bias)
        // Feature indexes are never negative: -1 marks an empty lane.
        var index = SIMD4<Int32>(repeating: -1)
        var picks = TopPicks()
        // With four picked: the first weakest (as `min(by:)` finds it) and its strength.
        var weakest = 0
        var floor: Float = 0
        @inline(__always) func findWeakest() {
            weakest = 0
            for m in 1..<4 where abs(picks.value[m]) < abs(picks.value[weakest]) { weakest = m }
            floor = abs(picks.value[weakest])
        }
        for pull in pulls {
            let c = pull.value
            guard c * want > 0.05 else { continue }
            let h = hits[Int(pull.hit)]
            if h.index == bias { continue }
            let same = index .== SIMD4(repeating: h.index)
            if any(same) {
                // The feature's earlier pick (there is one lane at most).
                let j = same[0] ? 0 : same[1] ? 1 : same[2] ? 2 : 3
                picks.value[j] += c
                if picks.count == 4 { findWeakest() }
                continue
            }
            if picks.count < 4 {
                index[picks.count] = h.index
                picks.hit[picks.count] = pull.hit
                picks.value[picks.count] = c
                picks.count += 1
                if picks.count == 4 { findWeakest() }
            } else if abs(c) > floor {
                index[weakest] = h.index
                picks.hit[weakest] = pull.hit
                picks.value[weakest] = c
                findWeakest()
            }
        }
        // Strongest first; equal ones keep their order (a stable sort, as `sorted` is).
        var a = 1
        while a < picks.count {
            var b = a
            while b > 0 && abs(picks.value[b]) > abs(picks.value[b - 1]) {
                let v = picks.value[b], p = picks.hit[b]
                picks.value[b] = picks.value[b - 1]; picks.hit[b] = picks.hit[b - 1]
                picks.value[b - 1] = v; picks.hit[b - 1] = p
                b -= 1
            }
            a += 1
        }
        return picks
    }

    /// `String(format: "%.2f", Double(x))`, without Foundation's formatter (a few microseconds
    /// a call, several calls a text): a Float times 100 is exact in a Double, so rounding it
    /// half to even is the C library's rounding of the exact value; "-" for any negative x,
    /// "-0.00" included, as printf writes it.
    static func fmt(_ x: Float) -> String {
        guard formattable(x) else { return String(format: "%.2f", Double(x)) }
        return String(unsafeUninitializedCapacity: 24) { fmtBytes(x, plus: false, $0.baseAddress!) }
    }
    static func signed(_ x: Float) -> String { (x >= 0 ? "+" : "") + fmt(x) }

    /// Whether `fmtBytes` writes `x` (finite, below 10^12).
    @inline(__always) static func formattable(_ x: Float) -> Bool { Double(x).isFinite && abs(Double(x)) < 1e12 }

    /// `fmt(x)`'s bytes (`signed(x)`'s with `plus`) written at `out`, at most 24; returns the
    /// count. Only for `formattable(x)`.
    @inline(__always) static func fmtBytes(_ x: Float, plus: Bool, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        let d = Double(x)
        // |d| × 100 < 10^14 rounded half to even (it minus its truncation is exact below 2^52).
        let scaled = abs(d * 100)
        var v = Int64(scaled)
        let fraction = scaled - Double(v)
        if fraction > 0.5 || (fraction == 0.5 && v & 1 == 1) { v += 1 }
        if v < 10_000 {
            // The usual case, below 100: the digits written in place.
            var n = 0
            if plus && x >= 0 { out[n] = UInt8(ascii: "+"); n += 1 }
            if d.sign == .minus { out[n] = UInt8(ascii: "-"); n += 1 }
            let whole = Int(v) / 100, cents = Int(v) - whole * 100
            let pairs = ScoreLine.digitPairs.utf8Start
            if whole >= 10 { out[n] = pairs[2 * whole]; n += 1 }
            out[n] = pairs[2 * whole + 1]
            out[n + 1] = UInt8(ascii: ".")
            out[n + 2] = pairs[2 * cents]
            out[n + 3] = pairs[2 * cents + 1]
            return n + 4
        }
        return fmtLarge(v, negative: d.sign == .minus, plus: plus && x >= 0, out)
    }

    /// `fmtBytes` for |x| × 100 rounded (`v`) of 10,000 or more.
    @inline(never) static func fmtLarge(_ v: Int64, negative: Bool, plus: Bool, _ out: UnsafeMutablePointer<UInt8>) -> Int {
        var v = v
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { raw in
            let b = raw.bindMemory(to: UInt8.self)
            var k = 24
            for _ in 0..<2 { k -= 1; b[k] = UInt8(truncatingIfNeeded: 0x30 + v % 10); v /= 10 }
            k -= 1; b[k] = UInt8(ascii: ".")
            repeat { k -= 1; b[k] = UInt8(truncatingIfNeeded: 0x30 + v % 10); v /= 10 } while v > 0
            if negative { k -= 1; b[k] = UInt8(ascii: "-") }
            var n = 0
            if plus { out[0] = UInt8(ascii: "+"); n = 1 }
            (out + n).update(from: b.baseAddress! + k, count: 24 - k)
            return n + 24 - k
        }
    }

    /// A model feature's evidence, `name signed(c)`: the quoted words or the dense feature's
    /// label, a space and the signed contribution (`'still waiting' +1.20`).
    func appendFeatureEvidence(
        _ norm: UnsafeMutablePointer<UInt8>, _ t: UnsafeMutablePointer<Token>, _ h: FeatureHit, _ c: Float,
        into reasons: ReasonList
    ) {
        if h.first < 0 {
            reasons.appendPlainText(FeatureSpace.Dense(rawValue: Int(h.index) - FeatureSpace.hashedCount)?.label ?? "feature")
        } else {
            reasons.appendQuote(norm, t, first: Int(h.first), last: Int(h.last))
        }
        reasons.byte(0x20)
        reasons.appendFormatted(c, plus: true)
    }
    static func round(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    /// `log(1 + Double(n))` for n below 256 (the length feature), computed once.
    static let lengthLogs: [Double] = (0..<256).map { log(1 + Double($0)) }
}
