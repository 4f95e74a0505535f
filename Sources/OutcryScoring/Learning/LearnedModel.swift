import Foundation
import OutcryModel

/// Where a model came from and how well it did: kept in the model file beside the weights.
public struct ModelInfo: Sendable, Equatable, Codable {
    /// File format version (this code writes 1).
    public var format: Int = 1
    /// 0 for the shipped base model; 1, 2, … for an installation's versions.
    public var version: Int = 0
    public var createdAt: String = ""
    public var seed: UInt64 = 0
    public var hashBits: Int = FeatureSpace.hashBits
    /// Training material, one line each, with licences.
    public var sources: [String] = []
    /// How many of the installation's labels trained it (0 for the base model).
    public var labelCount: Int = 0
    /// The highest label id it was trained on (a version is base + labels ≤ this id).
    public var labelsThrough: LabelID = 0
    public var baseExamples: Int = 0
    public var complaintThreshold: Double = 0.5
    /// Complaint probabilities within this distance of the threshold, in log-odds, are marked
    /// uncertain (0.4: about 0.40–0.60 around a threshold of 0.5).
    public var uncertainBand: Double = 0.4
    /// Measured figures, by name (`goemotions_test_accuracy`, `cv_score`, …).
    public var figures: [String: Double] = [:]
    /// Urgency phrases learned from labels, by category (raw value).
    public var learnedPhrases: [String: [String]] = [:]
    public var notes: String = ""

    public init() {}

    /// "base model" or "base model + 312 team labels (v3)", for reasons.
    public var origin: String {
        labelCount == 0 ? "learned model, base" : "learned from \(labelCount) team labels, v\(version)"
    }
}

/// A linear model over `FeatureSpace`: three sentiment logits (negative, neutral, positive) and
/// one complaint logit per feature. Immutable once built; cheap to share.
public struct LearnedModel: Sendable {
    public var info: ModelInfo
    /// `FeatureSpace.dimension` weight vectors (negative, neutral, positive, complaint).
    public internal(set) var weights: [SIMD4<Float>]

    public init(info: ModelInfo, weights: [SIMD4<Float>]) {
        precondition(weights.count == FeatureSpace.dimension)
        self.info = info
        self.weights = weights
    }

    /// A model with every weight zero (the starting point of base training).
    public static func zero(info: ModelInfo = ModelInfo()) -> LearnedModel {
        LearnedModel(info: info, weights: [SIMD4<Float>](repeating: .zero, count: FeatureSpace.dimension))
    }

    @inline(__always) func weight(_ index: Int32) -> SIMD4<Float> { weights[Int(index)] }

    func logits(_ hits: UnsafeBufferPointer<FeatureHit>) -> SIMD4<Float> {
        weights.withUnsafeBufferPointer { w in
            var z = SIMD4<Float>.zero
            for h in hits { z += w[Int(h.index)] * h.value }
            return z
        }
    }

    /// The four raw outputs (three sentiment logits, the complaint logit) for a text's features.
    public func logits(_ hits: [FeatureHit]) -> SIMD4<Float> { hits.withUnsafeBufferPointer { logits($0) } }

    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-max(-30, min(30, x)))) }

    /// Softmax over the first three lanes (lane 3 is 0).
    @inline(__always) static func softmax(_ z: SIMD4<Float>) -> SIMD4<Float> {
        let m = max(z[0], max(z[1], z[2]))
        let e = SIMD4<Float>(exp(z[0] - m), exp(z[1] - m), exp(z[2] - m), 0)
        return e / (e[0] + e[1] + e[2])
    }

    /// The shipped base model, decoded from the binary on first use.
    public static let base: LearnedModel = {
        do {
            return try ModelCodec.decode(base64: BaseModelData.base64, name: "the embedded base model")
        } catch {
            fatalError("the embedded base model is unreadable: \(error)")  // a build defect, caught by the tests
        }
    }()
}

/// An error reading a model file, naming the file and the place.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The model file: `OUTCRYM1`, a little-endian UInt32 length, the `ModelInfo` JSON, then the
/// non-zero weights — UInt32 count, UInt8 precision (1: Int8 with per-lane scales, 4: Float32),
/// four Float32 scales, and per entry a varint index delta and four values.
public enum ModelCodec {
    static let magic = Array("OUTCRYM1".utf8)

    public static func encode(_ model: LearnedModel, compact: Bool) -> [UInt8] {
        var out = magic
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let meta = (try? encoder.encode(model.info)) ?? Data("{}".utf8)
        append32(&out, UInt32(meta.count))
        out.append(contentsOf: meta)
        var entries: [Int] = []
        var maxAbs = SIMD4<Float>.zero
        for (i, w) in model.weights.enumerated() where w != .zero {
            entries.append(i)
            maxAbs = pointwiseMax(maxAbs, w.replacing(with: -w, where: w .< 0))
        }
        let scale = compact ? pointwiseMax(maxAbs / 127, SIMD4(repeating: 1e-9)) : SIMD4(repeating: 1)
        var kept: [Int] = []
        if compact {
            // Weights that round to zero in Int8 are left out.
            for i in entries where (model.weights[i] / scale).rounded(.toNearestOrAwayFromZero) != .zero { kept.append(i) }
        } else {
            kept = entries
        }
        append32(&out, UInt32(kept.count))
        out.append(compact ? 1 : 4)
        for l in 0..<4 { append32(&out, scale[l].bitPattern) }
        var last = 0
        for i in kept {
            var delta = UInt32(i - last)
            last = i
            while delta >= 0x80 { out.append(UInt8(delta & 0x7F) | 0x80); delta >>= 7 }
            out.append(UInt8(delta))
            let w = model.weights[i]
            for l in 0..<4 {
                if compact {
                    out.append(UInt8(bitPattern: Int8(max(-127, min(127, (w[l] / scale[l]).rounded())))))
                } else {
                    append32(&out, w[l].bitPattern)
                }
            }
        }
        return out
    }

    public static func decode(base64: String, name: String) throws -> LearnedModel {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
            throw ModelFileError("\(name): not base64")
        }
        return try decode([UInt8](data), name: name)
    }

    public static func decode(_ b: [UInt8], name: String) throws -> LearnedModel {
        var at = 0
        func fail(_ what: String) -> ModelFileError { ModelFileError("\(name): byte \(at): \(what)") }
        func need(_ n: Int) throws { if at + n > b.count { throw fail("file ends early (needs \(n) more bytes)") } }
        func u32() throws -> UInt32 {
            try need(4)
            let v = UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
            at += 4
            return v
        }
        try need(8)
        guard Array(b[0..<8]) == magic else { throw fail("not an Outcry model file (no OUTCRYM1 header)") }
        at = 8
        let metaLength = Int(try u32())
        try need(metaLength)
        let info: ModelInfo
        do {
            info = try JSONDecoder().decode(ModelInfo.self, from: Data(b[at..<(at + metaLength)]))
        } catch {
            throw fail("model description is not valid: \(error)")
        }
        guard info.format == 1 else { throw fail("model format \(info.format) is not supported (this build reads 1)") }
        guard info.hashBits == FeatureSpace.hashBits else {
            throw fail("model uses \(info.hashBits) hash bits, this build \(FeatureSpace.hashBits)")
        }
        at += metaLength
        let count = Int(try u32())
        try need(1)
        let precision = b[at]
        at += 1
        guard precision == 1 || precision == 4 else { throw fail("unknown weight precision \(precision)") }
        var scale = SIMD4<Float>.zero
        for l in 0..<4 { scale[l] = Float(bitPattern: try u32()) }
        var weights = [SIMD4<Float>](repeating: .zero, count: FeatureSpace.dimension)
        var index = 0
        for _ in 0..<count {
            var delta = 0
            var shift = 0
            while true {
                try need(1)
                let byte = b[at]
                at += 1
                delta |= Int(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
                if shift > 28 { throw fail("bad index") }
            }
            index += delta
            guard index < weights.count else { throw fail("weight index \(index) beyond \(weights.count)") }
            var w = SIMD4<Float>.zero
            for l in 0..<4 {
                if precision == 1 {
                    try need(1)
                    w[l] = Float(Int8(bitPattern: b[at])) * scale[l]
                    at += 1
                } else {
                    w[l] = Float(bitPattern: try u32())
                }
            }
            weights[index] = w
        }
        guard at == b.count else { throw fail("\(b.count - at) unexpected bytes after the weights") }
        return LearnedModel(info: info, weights: weights)
    }

    static func append32(_ out: inout [UInt8], _ v: UInt32) {
        out.append(UInt8(v & 0xFF)); out.append(UInt8((v >> 8) & 0xFF))
        out.append(UInt8((v >> 16) & 0xFF)); out.append(UInt8(v >> 24))
    }
}
