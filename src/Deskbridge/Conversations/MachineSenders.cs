using System.Text.RegularExpressions;
using Deskbridge.HubSpot;
using Deskbridge.Threads;

namespace Deskbridge.Conversations;

/// <summary>
/// G4: messages a machine wrote are never answered. HubSpot's message JSON carries no mail headers (no Auto-Submitted,
/// no Precedence, no Return-Path), so the signals are what it does carry: the sender's actor type (its id's prefix), the
/// sender's address (its delivery identifier) and name, the subject, and the words of the new part of the text, in the
/// languages auto-responders most often write in. docs/features.md lists them and says why each is there.
/// </summary>
public static partial class MachineSenders
{
    /// <summary>How much of the new text the phrases are looked for in: an auto-reply says what it is at once.</summary>
    private const int TextScanLength = 600;

    /// <summary>
    /// The actor types of HubSpot's Conversations API that are not people: <c>L-</c> an LLM actor (HubSpot's Breeze
    /// customer agent), <c>B-</c> a bot (chatflows), <c>I-</c> an integration (an app), <c>S-</c> HubSpot itself.
    /// </summary>
    public static string? ActorReason(string actorId) =>
        actorId.Length > 2 && actorId[1] == '-'
            ? actorId[0] switch
            {
                'L' => $"Machine sender (G4): sent by an AI actor ({actorId}, HubSpot's LLM actor type, e.g. the Breeze customer agent); an AI never answers another AI.",
                'B' => $"Machine sender (G4): sent by a bot ({actorId}, HubSpot's BOT actor type); never answered.",
                'I' => $"Machine sender (G4): sent by an integration ({actorId}, HubSpot's INTEGRATOR actor type); never answered.",
                'S' => $"Machine sender (G4): sent by HubSpot itself ({actorId}, the SYSTEM actor); never answered.",
                _ => null,
            }
            : null;

    /// <summary>An automatic email (auto-reply, out-of-office, bounce, no-reply sender), or null for a person's message.</summary>
    public static string? EmailReason(HubSpotMessage message)
    {
        if (message.ChannelId != HubSpotChannels.EmailId)
        {
            // Chat, Messenger and WhatsApp messages are typed by people in a widget or an app: no auto-responders there.
            return null;
        }

        var sender = message.Senders is [var first, ..] ? first : null;
        var address = sender?.DeliveryIdentifier is { Type: "HS_EMAIL_ADDRESS", Value: { Length: > 0 } value } ? value.Trim() : null;
        if (address is not null && LocalPart(address) is { } local)
        {
            if (MailSystemAddress().IsMatch(local))
            {
                return $"Machine sender (G4): {address} is a mail system's address (bounce, mailer-daemon or postmaster); a delivery report is never answered.";
            }
            if (NoReplyAddress().IsMatch(local))
            {
                return $"Machine sender (G4): {address} is a no-reply address; nobody reads an answer to it.";
            }
        }
        if (sender?.Name is { Length: > 0 } name && MailSystemName().IsMatch(name.Trim()))
        {
            return $"Machine sender (G4): the sender \"{name.Trim()}\" is a mail system; a delivery report is never answered.";
        }
        if (message.Subject is { Length: > 0 } subject && AutomaticSubject().Match(subject) is { Success: true } subjectMatch)
        {
            return $"Machine sender (G4): the subject \"{Shorten(subject)}\" marks an automatic reply (\"{subjectMatch.Groups["what"].Value}\").";
        }
        var text = NewPart.OfText(message.Text) is { Length: > 0 } said ? said : message.Text ?? "";
        text = text.Length > TextScanLength ? text[..TextScanLength] : text;
        if (HeaderLine().Match(text) is { Success: true } header)
        {
            return $"Machine sender (G4): the message carries the header line \"{header.Value.Trim()}\" of an automatic message.";
        }
        if (AutomaticText().Match(text) is { Success: true } textMatch)
        {
            return $"Machine sender (G4): automatic reply (the text says \"{textMatch.Value.Trim()}\").";
        }
        return null;
    }

    private static string? LocalPart(string address) =>
        address.LastIndexOf('@') is > 0 and var at ? address[..at] : null;

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";

    // Local parts; "+tag", "-tag", "_tag" and ".tag" after the word are common (bounces+123@…, noreply-billing@…).
    [GeneratedRegex(@"^(mailer[-_.]?daemon|postmaster|bounces?|mail[-_.]?delivery)([+\-_.].*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MailSystemAddress();

    [GeneratedRegex(@"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|no[-_.]?answer|auto[-_.]?reply|auto[-_.]?responder|auto[-_.]?response)([+\-_.].*)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NoReplyAddress();

    [GeneratedRegex(@"^(mail delivery (subsystem|system|service)|mailer[- ]daemon|postmaster|mail administrator)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MailSystemName();

    // At the start of the subject (a "[tag]" before it allowed): English, German, French, Spanish, Italian, Dutch, Portuguese.
    // Short words that a person might start a subject with ("Absent", "Afwezig") count only with the colon auto-responders add.
    [GeneratedRegex(@"^\s*(\[[^\]]{0,40}\]\s*)?(?<what>automatic reply|auto[- ]?reply|auto[- ]?response|autoresponder|out of (the )?office|ooo\s*:|" +
        @"delivery status notification|undeliverable\s*:|undelivered mail|mail delivery failed|delivery failure|returned mail|failure notice|" +
        @"automatische antwort|abwesenheitsnotiz|abwesend\s*:|unzustellbar|" +
        @"r[ée]ponse automatique|absent\s*:|absence\s*:|non remis|" +
        @"respuesta autom[áa]tica|fuera de la oficina|ausencia\s*:|" +
        @"risposta automatica|fuori (sede|ufficio)|non recapitabile|" +
        @"automatisch antwoord|afwezig\s*:|onbestelbaar|" +
        @"resposta autom[áa]tica|ausente\s*:|fora do escrit[óo]rio)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AutomaticSubject();

    // What auto-responders and bounce reports say of themselves, in the same languages.
    [GeneratedRegex(@"\b(i am|i'm|i’m) (currently |now )?(out of (the )?office|away from (the |my )?office|on (annual |parental )?leave until)|" +
        @"\bi will be out of (the )?office\b|\bthis is an? (automated|automatic|automatically generated) (reply|response|message|e-?mail)|" +
        @"\bthis (message|e-?mail) was (created|generated|sent) automatically\b|\bdelivery has failed to these recipients\b|" +
        @"\bcould not be delivered to one or more (of its )?recipients\b|\bmail delivery software\b|" +
        @"\bich bin (derzeit |zurzeit |momentan |bis [^\n]{1,40}? )?(nicht im b[üu]ro|abwesend|au[ßs]er haus)|\bdiese (nachricht|e-?mail) wurde automatisch (erstellt|generiert|versendet)|" +
        @"\bje suis (actuellement )?absente?\b|\bceci est une r[ée]ponse automatique\b|\bce message (a été|est) (envoy[ée]|g[ée]n[ée]r[ée]) automatiquement\b|" +
        @"\b(estoy|estar[ée]) fuera de la oficina\b|\b[ée]sta es una respuesta autom[áa]tica\b|" +
        @"\b(sono|sar[òo]) fuori (sede|ufficio)\b|\bquesta [èe] una risposta automatica\b|" +
        @"\bik ben (momenteel |tot [^\n]{1,40}? )?afwezig\b|\bdit is een automatisch (antwoord|bericht|gegenereerd bericht)\b|" +
        @"\b(estou|estarei) fora do escrit[óo]rio\b|\besta [ée] uma resposta autom[áa]tica\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AutomaticText();

    // Mail headers do not reach us, but a bounce report or a forwarded auto-reply often prints them in its text.
    [GeneratedRegex(@"^[ \t]*(auto-submitted:[ \t]*(?!no\b)[a-z-]+|x-autoreply:[^\n]*|x-autorespond:[^\n]*|precedence:[ \t]*(auto_reply|bulk|junk))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex HeaderLine();
}
