using Deskbridge.Agent.Analysis;

namespace Deskbridge.Agent.Tests.Analysis;

public sealed class LanguageDetectorTests
{
    private static readonly LanguageDetector Detector = LanguageDetector.Default;

    [Fact]
    public void Detects_german_support_message()
    {
        var guess = Detector.Detect("Hallo, meine Bestellung ist immer noch nicht angekommen. Können Sie mir bitte sagen, wo das Paket gerade ist?");

        Assert.Equal("de", guess.Language);
        Assert.True(guess.Confidence > 0.5, $"confidence {guess.Confidence}");
    }

    [Theory]
    [InlineData("Hi, I was charged twice for my subscription this month. Could you refund the second payment please?", "en")]
    [InlineData("Bonjour, je n'arrive plus à me connecter à mon compte depuis hier. Pouvez-vous m'aider ?", "fr")]
    [InlineData("Hola, quiero cambiar la dirección de envío de mi pedido, todavía no ha salido del almacén.", "es")]
    [InlineData("Olá, o meu cartão foi recusado mas o dinheiro saiu da conta. O que devo fazer agora?", "pt")]
    [InlineData("Buongiorno, vorrei annullare il mio abbonamento e ricevere il rimborso dell'ultimo mese.", "it")]
    [InlineData("Goedemiddag, mijn pakket is beschadigd aangekomen. Kunnen jullie een nieuw exemplaar sturen?", "nl")]
    [InlineData("Dzień dobry, zamówiłem buty tydzień temu i nadal nie dostałem numeru przesyłki.", "pl")]
    [InlineData("Здравствуйте, я не могу войти в личный кабинет, пароль не подходит. Помогите, пожалуйста.", "ru")]
    [InlineData("Добрий день, я не можу увійти до свого облікового запису. Допоможіть, будь ласка.", "uk")]
    [InlineData("Merhaba, siparişim iki haftadır kargoda bekliyor. Ne zaman teslim edilecek?", "tr")]
    [InlineData("Hej, jag har inte fått någon bekräftelse på min beställning. Kan ni kontrollera det?", "sv")]
    [InlineData("Hej, jeg har ikke modtaget min ordre endnu, og sporingen er ikke blevet opdateret.", "da")]
    [InlineData("Hei, jeg har ikke fått pakken min ennå, og sporingen har ikke blitt oppdatert på en uke.", "nb")]
    [InlineData("Hei, tilaukseni ei ole vieläkään saapunut. Voitteko tarkistaa, missä paketti on?", "fi")]
    [InlineData("مرحبا، لم يصل طلبي حتى الآن، هل يمكنكم مساعدتي؟", "ar")]
    [InlineData("你好，我的订单已经一个星期了还没有发货，请问什么时候能到？", "zh")]
    [InlineData("こんにちは、注文した商品がまだ届いていません。確認していただけますか？", "ja")]
    [InlineData("안녕하세요, 주문한 상품이 아직 도착하지 않았습니다. 확인해 주실 수 있나요?", "ko")]
    [InlineData("नमस्ते, मेरा ऑर्डर अभी तक नहीं आया है, कृपया मदद करें।", "hi")]
    [InlineData("Γεια σας, η παραγγελία μου δεν έχει φτάσει ακόμα. Μπορείτε να με βοηθήσετε;", "el")]
    [InlineData("שלום, ההזמנה שלי עדיין לא הגיעה. אתם יכולים לבדוק?", "he")]
    [InlineData("สวัสดีครับ สินค้าที่สั่งยังไม่มาถึงเลย ช่วยตรวจสอบให้หน่อยได้ไหมครับ", "th")]
    public void Detects_the_language_of_a_support_message(string text, string expected)
    {
        Assert.Equal(expected, Detector.Detect(text).Language);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ok")]
    [InlineData("12345 !!! ???")]
    public void Reports_undetermined_when_there_is_too_little_to_go_on(string text)
    {
        var guess = Detector.Detect(text);

        Assert.Equal(LanguageDetector.Undetermined, guess.Language);
        Assert.Equal(0, guess.Confidence);
    }

    [Fact]
    public void Is_less_confident_about_a_few_words_than_about_a_paragraph()
    {
        var few = Detector.Detect("danke schön");
        var many = Detector.Detect("Vielen Dank für die schnelle Antwort, das Problem mit der Rechnung ist jetzt gelöst und alles funktioniert wieder.");

        Assert.True(few.Confidence < many.Confidence, $"{few.Confidence} vs {many.Confidence}");
    }

    [Fact]
    public void Reports_undetermined_for_a_script_none_of_its_languages_is_written_in()
    {
        var guess = Detector.Detect("გამარჯობა, ჩემი შეკვეთა ჯერ არ მოსულა. შეგიძლიათ შეამოწმოთ?");

        Assert.Equal(LanguageDetector.Undetermined, guess.Language);
        Assert.Equal(0, guess.Confidence);
    }

    [Fact]
    public void Names_every_supported_language()
    {
        Assert.Superset(
            new HashSet<string> { "en", "es", "fr", "de", "pt", "it", "nl", "pl", "ru", "uk", "tr", "ar", "zh", "ja", "ko", "hi", "sv", "da", "nb", "fi", "cs", "ro", "el", "he", "id", "vi", "th" },
            Detector.Languages.ToHashSet());
    }

    [Fact]
    public void Refuses_to_start_without_its_language_models()
    {
        var empty = Directory.CreateTempSubdirectory("deskbridge-lingua-");
        try
        {
            Directory.CreateDirectory(Path.Combine(empty.FullName, "en"));
            File.WriteAllBytes(Path.Combine(empty.FullName, "en", "trigrams.json.br"), []);

            var error = Assert.Throws<InvalidOperationException>(() => new LanguageDetector(empty.FullName));

            Assert.Contains(Path.Combine("en", "unigrams.json.br"), error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine("ja", "unigrams.json.br"), error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Path.Combine("en", "trigrams.json.br"), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
