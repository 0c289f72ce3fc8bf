namespace Deskbridge.BusinessHours;

/// <summary>G6: built-in wording per language; an organization's own text for a language wins, English is the last resort.</summary>
public static class HandoffMessageTexts
{
    public const string Reopens = "{reopens}";
    public const string Fallback = "en";

    public static readonly IReadOnlyList<HandoffMessageText> Defaults =
    [
        new("en", "Thanks for your patience. A colleague will reply shortly.",
            "Thanks for your message. Our team is away right now; a colleague will reply when we are back ({reopens})."),
        new("de", "Danke für Ihre Geduld. Eine Kollegin oder ein Kollege antwortet Ihnen in Kürze.",
            "Danke für Ihre Nachricht. Unser Team ist gerade nicht erreichbar; wir antworten Ihnen, sobald wir wieder da sind ({reopens})."),
        new("fr", "Merci de votre patience. Un collègue va vous répondre sous peu.",
            "Merci pour votre message. Notre équipe est absente pour le moment ; un collègue vous répondra dès notre retour ({reopens})."),
        new("es", "Gracias por su paciencia. Un compañero le responderá en breve.",
            "Gracias por su mensaje. Nuestro equipo no está disponible ahora; un compañero le responderá cuando volvamos ({reopens})."),
        new("nl", "Bedankt voor uw geduld. Een collega reageert zo snel mogelijk.",
            "Bedankt voor uw bericht. Ons team is nu niet bereikbaar; een collega reageert zodra we terug zijn ({reopens})."),
        new("it", "Grazie per la pazienza. Un collega le risponderà a breve.",
            "Grazie per il messaggio. Il nostro team non è disponibile al momento; un collega le risponderà al nostro ritorno ({reopens})."),
        new("pt", "Obrigado pela sua paciência. Um colega responderá em breve.",
            "Obrigado pela sua mensagem. A nossa equipa não está disponível agora; um colega responderá quando voltarmos ({reopens})."),
    ];

    /// <summary>The text for <paramref name="language"/>: the organization's, else the built-in one, else English (theirs, then ours).</summary>
    public static HandoffMessageText For(string language, IReadOnlyList<HandoffMessageText> own) =>
        Find(own, language) ?? Find(Defaults, language) ?? Find(own, Fallback) ?? Find(Defaults, Fallback)!;

    private static HandoffMessageText? Find(IReadOnlyList<HandoffMessageText> texts, string language) =>
        texts.FirstOrDefault(t => string.Equals(t.Language, language, StringComparison.OrdinalIgnoreCase));
}
