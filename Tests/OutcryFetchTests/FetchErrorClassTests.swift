import OutcryFetch
import Testing

/// Which fetch errors only a configuration change fixes, and which may pass by themselves.
@Suite struct FetchErrorClassTests {
    @Test func configurationErrorsAreToldFromTransientOnes() {
        let fix: [FetchError.Code] = [.invalidURL, .resolve, .fileNotFound, .httpStatus(404), .httpStatus(401), .httpStatus(403)]
        let passing: [FetchError.Code] = [.connect, .timeout, .connectionReset, .tls, .httpStatus(500), .httpStatus(429), .httpStatus(408)]
        for code in fix { #expect(FetchError(code, url: "https://x.example/").needsConfigurationFix, "\(code)") }
        for code in passing { #expect(!FetchError(code, url: "https://x.example/").needsConfigurationFix, "\(code)") }
    }
}
