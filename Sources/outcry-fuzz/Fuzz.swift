// Fuzz targets for the parsers: libFuzzer entry points when built with
// `-sanitize=fuzzer -DFUZZING` (see scripts/fuzz.sh); otherwise a small replayer that runs
// the parsers over files, so the target builds and is useful in a normal build too.
import Foundation
import OutcryModel
import OutcryParse

/// Parses `bytes` as a feed, a mail message and the JSON API presets, and sanitises them as
/// HTML; must never trap. The feed fast path must agree with the general path wherever it
/// accepts, and sanitised HTML must hold nothing executable: a divergence or a finding traps,
/// so libFuzzer keeps the input.
func exercise(_ bytes: [UInt8]) {
    let feed = FeedParser.parse(bytes, contentType: nil, url: "http://example.org/feed")
    _ = feed.mentions(sourceName: "fuzz", fetchedAt: Date(timeIntervalSince1970: 0))
    for (contentType, url) in [(nil, "http://example.org/feed"), ("application/xml", nil)] as [(String?, String?)] {
        if let divergence = FeedReader.divergence(bytes, contentType: contentType, url: url) {
            fatalError("feed fast path diverges (content type \(contentType ?? "none"), url \(url ?? "none")): \(divergence)")
        }
    }
    // The sanitiser's promise: nothing that could run script survives it.
    if bytes.count <= 16384, let text = String(validating: bytes, as: UTF8.self) {
        let clean = HTMLSanitizer.sanitize(text)
        let found = HTMLSanitizer.executableConstructs(clean)
        if !found.isEmpty { fatalError("sanitised HTML still holds \(found): \(clean.debugDescription)") }
    }
    _ = MailParser.parse(bytes)
    if let mapping = JSONMapping.preset("mastodon") {
        _ = try? JSONAPIParser.parse(bytes, mapping: mapping, sourceName: "fuzz", fetchedAt: Date(timeIntervalSince1970: 0))
    }
}

#if FUZZING
/// libFuzzer's driver, from `libclang_rt.fuzzer_no_main` (SwiftPM owns the executable's `main`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data else { return 0 }
            exercise(Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        })
    }
}
#else
@main
struct Replay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            FileHandle.standardError.write(Data("usage: outcry-fuzz FILE...   (replays inputs; scripts/fuzz.sh builds the libFuzzer target)\n".utf8))
            exit(2)
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("outcry-fuzz: cannot read \(file)\n".utf8))
                exit(2)
            }
            exercise([UInt8](data))
        }
        print("\(files.count) inputs parsed without a crash")
    }
}
#endif
