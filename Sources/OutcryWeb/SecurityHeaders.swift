import HTTPTypes
import Hummingbird

/// Headers every response carries: no framing, no content sniffing, no referrer (acknowledge
/// links carry a token in their path), a content security policy that allows no inline script
/// (the pages are server-rendered; their one script is `/static/dashboard.js`, their one style
/// block is inline), and `no-store` on
/// everything but static files: the dashboard, `/api` and `/ack` carry customer data.
extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}

struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            // Hummingbird's own errors (404, a bad path parameter) get the same headers.
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        // Pages, the API and the acknowledge links carry customer data: nothing is kept in caches.
        if !request.uri.path.hasPrefix("/static/") {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
