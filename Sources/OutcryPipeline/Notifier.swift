import Foundation
import Logging
import OutcryAlerting
import OutcryFetch
import OutcryModel

/// Sends one rendered notification to one receiver: chat and webhooks over HTTP(S) with
/// `FetchClient.post`, e-mail over SMTP, the log. Returns the failure (nil on success) in the
/// terms `RetryPolicy` understands.
public struct Notifier: Sendable {
    let client: FetchClient
    let logger: Logger

    public init(client: FetchClient, logger: Logger = Logger(label: "outcry.notify")) {
        self.client = client
        self.logger = logger
    }

    func send(_ n: OutcryAlerting.Notification, receiver name: String, config: ReceiverConfig?, now: Date) async -> DeliveryFailure? {
        guard let config else {
            logger.notice("\(n.headline) — \(n.reasons.joined(separator: "; ")) — \(n.threadURL)")
            return name == "log" ? nil : DeliveryFailure(kind: .local, message: "receiver '\(name)' is not configured")
        }
        if !config.missingVariables.isEmpty {
            let names = config.missingVariables.map { "${\($0)}" }.joined(separator: ", ")
            return DeliveryFailure(kind: .local, message: "receiver '\(name)' cannot send: \(names) not set in the environment")
        }
        if let text = config.templateText {
            return await sendTemplated(n, text: text, receiver: name, config: config, now: now)
        }
        switch config.type {
        case .slack: return await post(config.url, SlackMessage.request(for: n))
        case .mattermost: return await post(config.url, SlackMessage.request(for: n, flavor: .markdown))
        case .teams: return await post(config.url, TeamsMessage.request(for: n))
        case .webhook:
            // Never sign with an empty key (config check refuses it too).
            guard let secret = config.secret, !secret.isEmpty else {
                return DeliveryFailure(kind: .local, message: "receiver '\(name)' has an empty secret: set its ${…} variable to a long random value")
            }
            return await post(config.url, WebhookMessage.request(for: n, secret: Array(secret.utf8), now: now))
        case .email: return await mail(n, config, now: now)
        }
    }

    /// A receiver with its own template: the body is the template's (a template that does not
    /// render is a failure no retry mends, so the message goes to the dead letters with the reason).
    func sendTemplated(_ n: OutcryAlerting.Notification, text: String, receiver name: String, config: ReceiverConfig, now: Date) async -> DeliveryFailure? {
        do {
            let template = try NotificationTemplate(text, for: config.type)
            if config.type == .email { return await mail(n, config, now: now, text: try template.render(n)) }
            if config.type == .webhook, (config.secret ?? "").isEmpty {
                return DeliveryFailure(kind: .local, message: "receiver '\(name)' has an empty secret: set its ${…} variable to a long random value")
            }
            return await post(config.url, try template.request(for: n, secret: config.secret.map { Array($0.utf8) }, now: now))
        } catch {
            return DeliveryFailure(kind: .local, message: "receiver '\(name)': template \(config.template ?? ""): \(error)")
        }
    }

    func post(_ url: String?, _ request: OutboundRequest) async -> DeliveryFailure? {
        guard let url, !url.isEmpty else { return DeliveryFailure(kind: .local, message: "no url") }
        var headers = FetchHeaders()
        for (name, value) in request.headers { headers.add(name, value) }
        do {
            let response = try await client.post(url, headers: headers, body: Array(request.body))
            if response.isSuccess { return nil }
            var failure = DeliveryFailure.http(response.status, retryAfter: response.headers["Retry-After"])
            failure.message = "HTTP \(response.status) from \(SecretMasking.maskURL(url))"
            return failure
        } catch let error as FetchError {
            let message = SecretMasking.maskSecrets(inText: error.description)
            switch error.code {
            case .timeout: return DeliveryFailure(kind: .timeout, message: message)
            case .invalidURL, .tooLarge: return DeliveryFailure(kind: .local, message: message)
            default: return DeliveryFailure(kind: .connection, message: message)
            }
        } catch {
            return DeliveryFailure(kind: .connection, message: SecretMasking.maskSecrets(inText: "\(error)"))
        }
    }

    func mail(_ n: OutcryAlerting.Notification, _ config: ReceiverConfig, now: Date, text templated: String? = nil) async -> DeliveryFailure? {
        guard let from = config.from, let to = config.to, !to.isEmpty else {
            return DeliveryFailure(kind: .local, message: "an email receiver needs from and to")
        }
        let text: String
        do {
            text = try EmailMessage.render(n, from: .init(from, name: "Outcry"), to: to.map { .init($0) }, now: now, text: templated)
        } catch {
            return DeliveryFailure(kind: .local, message: "\(error)")
        }
        let smtp = SMTPClient(.init(url: config.url ?? "smtp://127.0.0.1:25", tls: config.tls.flatMap { SMTPClient.TLS(rawValue: $0.lowercased()) }))
        do {
            try await smtp.send(from: from, to: to, message: text)
            return nil
        } catch {
            let message = SecretMasking.maskSecrets(inText: error.description)  // an SMTP URL's password stays out of logs and the outbox
            switch error.kind {
            case .rejected: return DeliveryFailure(kind: .smtp, code: error.code, message: message)
            case .timeout: return DeliveryFailure(kind: .timeout, message: message)
            case .connection, .tls: return DeliveryFailure(kind: .connection, message: message)
            case .local: return DeliveryFailure(kind: .local, message: message)
            }
        }
    }
}
