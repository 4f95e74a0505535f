import Testing
@testable import OutcryParse

@Suite struct NewWordsTests {
    @Test(arguments: [
        // Quoted reply with an English attribution.
        ("My order never arrived.\n\nOn Mon, Jan 1, 2024 at 10:00 AM Support <help@shop.com> wrote:\n> Your order shipped.\n> Thanks",
         "My order never arrived."),
        // Gmail wraps the attribution.
        ("Still waiting.\n\nOn Mon, Jan 1, 2024 at 10:00 AM Support Team <\nhelp@shop.com> wrote:\n\n> Soon.",
         "Still waiting."),
        // German, French, Spanish, Dutch attributions.
        ("Immer noch kaputt.\n\nAm 01.01.2024 um 10:00 schrieb Support <s@x.de>:\n> Behoben.", "Immer noch kaputt."),
        ("Toujours en panne.\n\nLe lun. 1 janv. 2024 à 10:00, Support <s@x.fr> a écrit :\n> Réparé.", "Toujours en panne."),
        ("Sigue roto.\n\nEl lun, 1 ene 2024 a las 10:00, Soporte (<s@x.es>) escribió:\n> Arreglado.", "Sigue roto."),
        ("Nog steeds stuk.\n\nOp ma 1 jan. 2024 om 10:00 schreef Support <s@x.nl>:\n> Opgelost.", "Nog steeds stuk."),
        // Outlook.
        ("Refund please.\n\n-----Original Message-----\nFrom: Shop\nSent: Monday\nTo: me\nSubject: Order", "Refund please."),
        ("Refund please.\n\n________________________________\nFrom: Shop <s@x.com>\nSent: Monday, January 1, 2024\nTo: me\nSubject: Order\n\nOld text",
         "Refund please."),
        ("Bitte erstatten.\n\nVon: Shop\nGesendet: Montag\nAn: ich\nBetreff: Bestellung\n\nAlt", "Bitte erstatten."),
        ("Remboursez-moi.\n\nDe : Shop\nEnvoyé : lundi\nÀ : moi\nObjet : Commande", "Remboursez-moi."),
        ("Devuélvanme el dinero.\n\nDe: Shop\nEnviado: lunes\nPara: yo\nAsunto: Pedido", "Devuélvanme el dinero."),
        ("Geld terug.\n\nVan: Shop\nVerzonden: maandag\nAan: mij\nOnderwerp: Bestelling", "Geld terug."),
        ("Sehr ärgerlich.\n\n-----Ursprüngliche Nachricht-----\nVon: Shop", "Sehr ärgerlich."),
        // Signatures and sign-offs.
        ("The app crashes.\n\n-- \nAnne Person\nACME Corp", "The app crashes."),
        ("The app crashes.\n\nThanks,\nAnne", "The app crashes."),
        ("The app crashes.\n\nBest regards,\nAnne Person\nHead of IT\n+1 555 0100", "The app crashes."),
        ("Die App stürzt ab.\n\nMit freundlichen Grüßen\nAnna Schmidt", "Die App stürzt ab."),
        ("L'appli plante.\n\nCordialement,\nAnne", "L'appli plante."),
        ("La app falla.\n\nSaludos,\nAna", "La app falla."),
        ("De app crasht.\n\nMet vriendelijke groet,\nAnne", "De app crasht."),
        ("Where is my parcel?\n\nSent from my iPhone", "Where is my parcel?"),
        ("Wo ist mein Paket?\n\nVon meinem iPhone gesendet", "Wo ist mein Paket?"),
        // Inline (interleaved) reply keeps the new lines.
        ("On Mon, Anne <a@x.com> wrote:\n> Did you restart it?\nYes, twice.\n> And?\nStill broken.", "Yes, twice.\nStill broken."),
        // Nothing but a forward: keep it all.
        ("---------- Forwarded message ----------\nFrom: X\nYour service is awful.", "---------- Forwarded message ----------\nFrom: X\nYour service is awful."),
        // A message that is only "Thanks!" stays.
        ("Thanks!", "Thanks!"),
        // Sign-off words inside a sentence are not signatures.
        ("Thanks for nothing, your update deleted my files and support never answered.", "Thanks for nothing, your update deleted my files and support never answered."),
    ])
    func strips(input: String, expected: String) {
        #expect(NewWords.extract(from: input) == expected)
    }

    @Test func parsedMailExposesNewText() {
        let mail = parseMail(["Subject: Re: order", "", "Broken again!", "", "On Tue, 2 Jan 2024, Shop <s@x.com> wrote:", "> fixed"])
        #expect(mail.newText == "Broken again!")
        #expect(mail.text.contains("> fixed"))
    }
}
